import ast
import sys
from pathlib import Path

import voting

PACKAGE_DIR = Path(voting.__file__).parent


def test_public_api_names_exist_and_are_listed_once():
    """voting re-exports its public API from __init__.py with an explicit __all__."""
    assert len(voting.__all__) == len(set(voting.__all__))
    assert all(hasattr(voting, name) for name in voting.__all__)


def test_issue_api_is_exported():
    """The issue's API: quorum_met, required_votes, result_text, passes, verify_chain."""
    assert {"quorum_met", "required_votes", "result_text", "passes", "verify_chain"} <= set(voting.__all__)


def test_voting_imports_only_the_standard_library_and_itself():
    """voting is pure: no I/O framework, nothing from session_server or media."""
    imported: set[str] = set()
    for source in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    assert imported - {"voting"} <= sys.stdlib_module_names
    assert not imported & {"session_server", "media", "viewer", "io", "os", "socket", "pathlib", "sqlalchemy"}
