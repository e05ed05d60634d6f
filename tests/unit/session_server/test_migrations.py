"""The Alembic migrations and the SQLAlchemy models describe the same schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import insert, inspect

from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import alembic_config, upgrade
from session_server.db.models import (
    Base,
    Classification,
    CouncilSession,
    Document,
    DocumentPage,
    DocumentVersion,
    SessionStatus,
)
from session_server.documents.search import search
from session_server.text import index_form
from tests.factories import make_world


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def _check(url: str) -> None:
    """Alembic's autogenerate compare (`alembic check`, through env.py): raises if models and migrations differ."""
    command.check(alembic_config(url))


async def test_after_upgrade_head_autogenerate_finds_no_difference_from_the_models(database_url: str) -> None:
    await asyncio.to_thread(_check, database_url)

    assert set(Base.metadata.tables) <= await _tables(database_url)


async def test_downgrade_to_base_and_upgrade_to_head_again_restores_the_schema(database_url: str) -> None:
    migrated = await _tables(database_url)

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "base")
    assert await _tables(database_url) == {"alembic_version"}
    upgrade(database_url)

    assert await _tables(database_url) == migrated


async def _store_page(url: str, text: str) -> int:
    """A one-page document of a new council, written as an upload writes it; the council's id."""
    engine = make_engine(url)
    try:
        sessionmaker = make_sessionmaker(engine)
        world = await make_world(sessionmaker)
        async with sessionmaker() as db:
            session = CouncilSession(
                council_id=world.council.id, title="Kỳ họp thứ Mười", status=SessionStatus.SCHEDULED
            )
            db.add(session)
            await db.flush()
            document = Document(
                session_id=session.id, title="Tờ trình", classification=Classification.PUBLIC, page_count=1
            )
            db.add(document)
            await db.flush()
            version = DocumentVersion(
                document_id=document.id,
                version=1,
                file_name="to-trinh.pdf",
                size_bytes=1,
                sha256="0" * 64,
                page_count=1,
            )
            db.add(version)
            await db.flush()
            await db.execute(
                insert(DocumentPage),
                [{"version_id": version.id, "number": 1, "text": text, "folded": index_form(text)}],
            )
            await db.commit()
            return world.council.id
    finally:
        await engine.dispose()


async def test_upgrading_postgresql_makes_the_pages_already_stored_searchable(postgres_database: str) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(postgres_database), "0006")
    council_id = await _store_page(postgres_database, "Nghị quyết về dự toán ngân sách năm 2027")

    upgrade(postgres_database)

    engine = make_engine(postgres_database)
    try:
        async with make_sessionmaker(engine)() as db:
            hits = await search(db, ["nghi", "quyet", "ngan", "sa"], council_id, list(Classification), None, 20)
    finally:
        await engine.dispose()
    assert [(hit.title, hit.page) for hit in hits] == [("Tờ trình", 1)]
