"""The public pages' tests use the documents' world: a council with a public session, a closed one, and another
council's session."""

from tests.functional.documents.conftest import docs  # noqa: F401 - the fixture, shared
