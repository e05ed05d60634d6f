"""SQLite through the one-trip connection: what SQLAlchemy reads back from a statement is all there."""

from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from session_server.db.engine import make_engine

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("body", String, unique=True))


async def _engine(tmp_path: Path) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'notes.sqlite3'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return engine


async def test_rows_ids_and_counts_come_back_from_each_statement(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        async with engine.begin() as connection:
            first = await connection.execute(insert(notes).values(body="khai mạc"))
            many = await connection.execute(insert(notes), [{"body": "tán thành"}, {"body": "không tán thành"}])
            changed = await connection.execute(update(notes).where(notes.c.id > 1).values(body=notes.c.body + "!"))
            returned = await connection.execute(
                update(notes).where(notes.c.id == 1).values(body="bế mạc").returning(notes.c.id, notes.c.body)
            )
            rows = (await connection.execute(select(notes.c.body).order_by(notes.c.id))).scalars().all()

        assert first.inserted_primary_key == (1,)
        assert many.rowcount == 2
        assert changed.rowcount == 2
        assert returned.all() == [(1, "bế mạc")]
        assert rows == ["bế mạc", "tán thành!", "không tán thành!"]
    finally:
        await engine.dispose()


async def test_a_committed_row_is_on_disk_for_another_connection_and_a_rolled_back_one_is_not(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    other = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'notes.sqlite3'}")
    try:
        async with engine.begin() as connection:
            await connection.execute(insert(notes).values(body="đã ghi"))
        async with engine.connect() as connection:
            await connection.execute(insert(notes).values(body="bỏ đi"))
            await connection.rollback()

        async with other.connect() as connection:
            assert (await connection.execute(select(notes.c.body))).scalars().all() == ["đã ghi"]
    finally:
        await engine.dispose()
        await other.dispose()


async def test_a_constraint_violation_is_sqlalchemys_integrity_error_and_the_connection_goes_on(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    try:
        async with engine.connect() as connection:
            await connection.execute(insert(notes).values(body="một lần"))
            with pytest.raises(IntegrityError):
                await connection.execute(insert(notes).values(body="một lần"))
            await connection.rollback()
            assert (await connection.execute(text("SELECT count(*) FROM notes"))).scalar() == 0
    finally:
        await engine.dispose()
