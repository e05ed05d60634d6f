"""The documents migration matches the models, and the full-text index follows the pages it indexes."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, text
from sqlalchemy.engine import Connection

from session_server.db.migrate import include_name, include_object
from session_server.db.models import Base, CouncilSession
from session_server.services import services_of
from tests.functional.documents.conftest import DocWorld, uploaded

DOCUMENT_TABLES = ("documents", "document_versions", "document_pages", "page_notes", "_fts")


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"include_name": include_name, "include_object": include_object, "compare_type": True}
    )
    return compare_metadata(context, Base.metadata)


async def test_the_migrated_document_tables_match_the_models(client: TestClient) -> None:
    async with services_of(client.app).engine.connect() as connection:
        differences = await connection.run_sync(_differences)

    # Only this feature's tables are checked here: other features' models may be ahead of their migrations meanwhile.
    assert [d for d in differences if any(name in str(d) for name in DOCUMENT_TABLES)] == []


async def test_the_full_text_index_forgets_pages_deleted_with_their_session(client: TestClient, docs: DocWorld) -> None:
    await uploaded(client, docs.secretary, docs.session_id)
    sessionmaker = services_of(client.app).sessionmaker

    async with sessionmaker() as db:
        await db.execute(delete(CouncilSession).where(CouncilSession.id == docs.session_id))
        await db.commit()
        if db.bind.dialect.name == "sqlite":
            await db.execute(text("INSERT INTO document_pages_fts(document_pages_fts) VALUES ('integrity-check')"))

    found = await client.get(
        f"/api/councils/{docs.world.council.id}/documents/search",
        params={"q": "ngan sach"},
        headers=docs.delegate.headers,
    )
    assert (await found.json())["hits"] == []
