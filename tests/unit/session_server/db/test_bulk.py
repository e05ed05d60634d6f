"""Rows written through the driver are stored as SQLAlchemy's INSERT would store them, and a broken constraint is
reported as SQLAlchemy reports it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.db.bulk import DriverRows
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import Event
from session_server.settings import Settings
from tests.factories import LiveWorld, make_live_world

EVENTS = Event.__table__
AT = datetime(2026, 12, 7, 8, 30, 15, 123456, tzinfo=UTC)


def _row(session_id: int, seq: int) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "seq": seq,
        "type": "doc.page",
        "data": {"page": seq, "title": "Tờ trình số 12/TTr-UBND"},
        "actor_user_id": None,
        "at": AT,
        "prev_hash": "0" * 64,
        "hash": f"{seq:064x}",
    }


@pytest.fixture
async def world(settings: Settings) -> AsyncIterator[tuple[async_sessionmaker[AsyncSession], LiveWorld]]:
    engine = make_engine(settings.effective_database_url)
    sessionmaker = make_sessionmaker(engine)
    yield sessionmaker, await make_live_world(sessionmaker)
    await engine.dispose()


async def test_rows_written_by_the_driver_read_back_as_given_with_defaults_filled(
    world: tuple[async_sessionmaker[AsyncSession], LiveWorld],
) -> None:
    sessionmaker, live = world
    async with sessionmaker() as db:
        rows = DriverRows.of(EVENTS, [_row(live.session_id, 1001), _row(live.session_id, 1002)], db.get_bind().dialect)
        await rows.write(await db.connection())
        await db.commit()
        stored = list(await db.scalars(select(Event).where(Event.seq > 1000).order_by(Event.seq)))
    assert [(e.seq, e.data, e.public, e.salt) for e in stored] == [
        (1001, {"page": 1001, "title": "Tờ trình số 12/TTr-UBND"}, False, ""),
        (1002, {"page": 1002, "title": "Tờ trình số 12/TTr-UBND"}, False, ""),
    ]
    assert all((e.at if e.at.tzinfo else e.at.replace(tzinfo=UTC)) == AT for e in stored)


async def test_a_row_that_breaks_a_constraint_is_refused_as_an_integrity_error(
    world: tuple[async_sessionmaker[AsyncSession], LiveWorld],
) -> None:
    sessionmaker, live = world
    async with sessionmaker() as db:
        rows = DriverRows.of(EVENTS, [_row(live.session_id, 2001), _row(live.session_id, 2001)], db.get_bind().dialect)
        with pytest.raises(IntegrityError):
            await rows.write(await db.connection())
