"""PostgreSQL out of reach for ten seconds: every caller gets a clear `unavailable`, nothing is half-written, and HopSo
carries on by itself when the database is back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from aiohttp.test_utils import TestServer
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from session_server.app import create_app
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import Event
from session_server.live.audit import verify_session
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world_at
from tests.functional.faults.conftest import TcpCut, eventually
from tests.live_clients import connect
from tests.support import TEST_SECRET_KEY

OUTAGE_SECONDS = 10
UNAVAILABLE_VI = (
    "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; chưa có gì thay đổi, vui lòng thử lại sau giây lát."
)


@pytest.fixture
async def cut(postgres_database: str) -> AsyncIterator[TcpCut]:
    url = make_url(postgres_database)
    forwarder = TcpCut(url.host or "127.0.0.1", url.port or 5432)
    await forwarder.start()
    yield forwarder


@pytest.fixture
async def server(aiohttp_server: Any, tmp_path: Path, postgres_database: str, cut: TcpCut) -> TestServer:
    through_cut = make_url(postgres_database).set(host="127.0.0.1", port=cut.port)
    settings = make_settings(tmp_path, through_cut.render_as_string(hide_password=False))
    return await aiohttp_server(create_app(settings))


async def _stored(database_url: str, live: LiveWorld) -> tuple[int, list[str]]:
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            count = await db.scalar(select(func.count()).select_from(Event).where(Event.session_id == live.session_id))
            report = await verify_session(db, live.session_id, TEST_SECRET_KEY)
            return count or 0, report.problems
    finally:
        await engine.dispose()


async def test_a_ten_second_database_outage_refuses_clearly_writes_nothing_and_heals_without_a_restart(
    server: TestServer, postgres_database: str, cut: TcpCut
) -> None:
    live = await make_live_world_at(postgres_database)
    url = str(server.make_url("/"))
    chair = await connect(url, token=live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    before = await chair.ok("checkin")
    http = aiohttp.ClientSession(base_url=url)

    await cut.cut()
    started = time.monotonic()
    answers: list[dict[str, Any]] = []
    while time.monotonic() - started < OUTAGE_SECONDS:
        answers.append(await chair.send("agenda.goto", {"item_id": live.agenda_ids[1]}))
        await asyncio.sleep(1)
    health = await http.get("/healthz")
    health_body = await health.json()
    rest = await http.get(f"/api/sessions/{live.session_id}", headers=live.secretary.headers)
    rest_body = await rest.json()
    refused = await _connect_refusal(url, live.delegates[2].token)
    await cut.start()

    assert len(answers) >= OUTAGE_SECONDS - 1
    assert all(
        answer == {"ok": False, "error": {"code": "unavailable", "message": UNAVAILABLE_VI}} for answer in answers
    )
    assert (health.status, health_body["error"]["code"]) == (503, "unavailable")
    assert (rest.status, rest_body["error"]["code"]) == (503, "unavailable")
    assert refused == {"code": "unavailable", "message": UNAVAILABLE_VI}
    assert await _stored(postgres_database, live) == (before["seq"], [])

    async def healed() -> dict[str, Any] | None:
        answer = await chair.send("agenda.goto", {"item_id": live.agenda_ids[1]})
        return answer if answer.get("ok") else None

    after = await eventually(healed, within=15, every=0.5)
    assert after == {"ok": True, "seq": before["seq"] + 1}
    assert (await http.get("/healthz")).status == 200
    assert await _stored(postgres_database, live) == (before["seq"] + 1, [])
    await chair.close()
    await http.close()


async def _connect_refusal(url: str, token: str) -> dict[str, Any]:
    sio = socketio.AsyncClient(reconnection=False)
    refused: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    sio.on("connect_error", lambda data: refused.done() or refused.set_result(data), namespace="/live")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(url, namespaces=["/live"], auth={"token": token}, transports=["websocket"], wait_timeout=15)
    async with asyncio.timeout(5):
        return (await refused)["data"]
