"""HopSo for the fan-out benchmark: a SQLite file with a live session showing a document, and N delegate tablets.

Users are inserted in bulk (one cached password hash, bearer tokens issued the app's way); the session is opened and
the document shown through the real command path, and `doc.page` is timed there without any network (persist cost).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.auth import tokens
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.db.models import (
    Classification,
    Council,
    CouncilSession,
    Document,
    Member,
    Role,
    SessionStatus,
    User,
)
from session_server.live.dispatcher import Dispatcher
from tests.factories import password_hash

PAGES = 200


@dataclass
class CommandCost:
    """`doc.page` run in process through the dispatcher, without network: elapsed and CPU (all threads) in ms."""

    synchronous: str
    elapsed: list[float]
    cpu: list[float]


@dataclass
class HopsoWorld:
    database_url: str
    session_id: int
    chair_token: str
    tablet_tokens: list[str]
    command_costs: list[CommandCost]


def env(data_dir: Path, database_url: str, port: int) -> dict[str, str]:
    return {
        "HOPSO_DATA_DIR": str(data_dir),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "fanout-benchmark-secret",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
        "HOPSO_HOST": "127.0.0.1",
        "HOPSO_PORT": str(port),
    }


def migrated_database(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    url = f"sqlite+aiosqlite:///{data_dir / 'hopso.sqlite3'}"
    upgrade(url)
    return url


async def prepare(data_dir: Path, tablets: int, timed_commands: int) -> HopsoWorld:
    url = migrated_database(data_dir)
    engine = make_engine(url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db:
            seeded = await _seed(db, tablets)
            issued = [await tokens.issue(db, user, tokens.DEVICE, timedelta(days=1)) for user in seeded.users]
            await db.commit()
        import session_server.live.commands  # noqa: F401 - registers the commands

        dispatcher = Dispatcher(sessionmaker)
        await dispatcher.run(seeded.users[0], seeded.session_id, "session.open", {})
        show = {"document_id": seeded.document_id, "page": 1}
        await dispatcher.run(seeded.users[0], seeded.session_id, "doc.show", show)
        await dispatcher.close()
    finally:
        await engine.dispose()
    costs = [await _time_pages(url, seeded, timed_commands, mode) for mode in ("FULL", "NORMAL")]
    return HopsoWorld(url, seeded.session_id, issued[0], issued[1:], costs)


async def _time_pages(url: str, seeded: _Seeded, count: int, synchronous: str) -> CommandCost:
    """NORMAL skips the fsync at commit (WAL mode), which shows the fsync's share of HopSo's FULL."""
    engine = make_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _synchronous(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.cursor().execute(f"PRAGMA synchronous={synchronous}")

    dispatcher = Dispatcher(make_sessionmaker(engine))
    cost = CommandCost(synchronous, [], [])
    try:
        # The first command of a new dispatcher builds the live state from the tables; the timed ones do not.
        await dispatcher.run(seeded.users[0], seeded.session_id, "doc.page", {"page": 1})
        for page in range(count):
            started, cpu = time.perf_counter(), time.process_time()
            await dispatcher.run(seeded.users[0], seeded.session_id, "doc.page", {"page": 2 + page % (PAGES - 1)})
            cost.elapsed.append((time.perf_counter() - started) * 1000)
            cost.cpu.append((time.process_time() - cpu) * 1000)
    finally:
        await dispatcher.close()
        await engine.dispose()
    return cost


@dataclass
class _Seeded:
    session_id: int
    document_id: int
    users: list[User]  # the chair first


async def _seed(db: AsyncSession, tablets: int) -> _Seeded:
    council = Council(
        name="Hội đồng nhân dân tỉnh Thử Tải", short_name="HĐND tỉnh Thử Tải", total_delegates=tablets + 1
    )
    db.add(council)
    await db.flush()
    members = [Member(council_id=council.id, code=f"DB{i:04d}", full_name=f"Đại biểu {i}") for i in range(tablets + 1)]
    db.add_all(members)
    await db.flush()
    session = CouncilSession(
        council_id=council.id, title="Kỳ họp thứ Mười", status=SessionStatus.SCHEDULED, chair_member_id=members[0].id
    )
    db.add(session)
    await db.flush()
    document = Document(
        session_id=session.id,
        title="Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2026",
        classification=Classification.PUBLIC,
        version=1,
        page_count=PAGES,
    )
    hashed = password_hash()
    users = [
        User(
            username=f"tablet{m.id}",
            display_name=m.full_name,
            password_hash=hashed,
            role=Role.DELEGATE,
            council_id=council.id,
            member_id=m.id,
        )
        for m in members
    ]
    db.add_all([document, *users])
    await db.flush()
    return _Seeded(session.id, document.id, users)
