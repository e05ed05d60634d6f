"""The Alembic migrations and the SQLAlchemy models describe the same schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio

from alembic import command
from sqlalchemy import inspect

from session_server.db.engine import make_engine
from session_server.db.migrate import alembic_config, upgrade
from session_server.db.models import Base


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
