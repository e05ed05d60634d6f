"""What the fault tests share: the production shape on PostgreSQL, a TCP cut in front of PostgreSQL, tablets that
reconnect and resync the way the apps do."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import socketio

from bench.production import METRICS_TOKEN, Production, executable
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, SessionStatus
from tests.conftest import PostgresCopies
from tests.factories import LiveWorld, make_live_world_at
from tests.functional.streams.conftest import rtmp_tools  # noqa: F401 - a fixture the disk-full test uses
from tests.support import missing


@dataclass
class ResyncingTablet:
    """A /live client that reconnects by itself, and joins again (with its last seq) after a reconnect or a gap.

    This is what the tablet app does; `snapshots` keeps every answer to a join, the last one being the state now.
    """

    url: str
    token: str
    session_id: int
    sio: socketio.AsyncClient = field(init=False)
    seq: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    _joining: asyncio.Task[None] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1)
        self.sio.on("connect", self._on_connect, namespace="/live")
        self.sio.on("event", self._on_event, namespace="/live")

    async def open(self) -> ResyncingTablet:
        await self.sio.connect(
            self.url, namespaces=["/live"], auth={"token": self.token}, transports=["websocket"], wait_timeout=20
        )
        await self.joined(1)
        return self

    async def _on_connect(self) -> None:
        # A handler runs inside the client's read loop: a call from here would wait for an ack it cannot read.
        self._rejoin()

    async def _on_event(self, envelope: dict[str, Any]) -> None:
        if envelope["seq"] > self.seq + 1:
            self._rejoin()
            return
        self.seq = max(self.seq, envelope["seq"])
        self.events.append(envelope)
        self._changed.set()

    def _rejoin(self) -> None:
        if self._joining is None or self._joining.done():
            self._joining = asyncio.create_task(self._join())

    async def _join(self) -> None:
        answer = await self.sio.call(
            "join", {"session_id": self.session_id, "last_seq": self.seq}, namespace="/live", timeout=20
        )
        assert answer.get("ok"), answer
        self.seq = answer["seq"]
        self.snapshots.append(answer)
        self._changed.set()

    async def joined(self, count: int, within: float = 30) -> dict[str, Any]:
        """Wait until this tablet has joined `count` times; the latest join's answer."""
        await self._until(lambda: len(self.snapshots) >= count, within)
        return self.snapshots[-1]

    async def saw(self, seq: int, within: float = 20) -> None:
        await self._until(lambda: self.seq >= seq, within)

    async def _until(self, done: Callable[[], bool], within: float) -> None:
        async with asyncio.timeout(within):
            while not done():
                self._changed.clear()
                await self._changed.wait()

    async def ok(self, command: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = await self.send(command, payload)
        assert answer.get("ok"), f"{command} {payload}: {answer}"
        return answer

    async def send(self, command: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        return await self.sio.call(command, payload or {}, namespace="/live", timeout=20)

    async def close(self) -> None:
        await self.sio.disconnect()


@pytest_asyncio.fixture(loop_scope="module")
async def tablets() -> AsyncIterator[list[ResyncingTablet]]:
    opened: list[ResyncingTablet] = []
    yield opened
    for tablet in opened:
        await tablet.close()


@dataclass
class Hall:
    """The production shape and a council whose sessions the tests run; each test takes a fresh session."""

    production: Production
    database_url: str
    live: LiveWorld

    async def new_session(self) -> tuple[int, list[int]]:
        """A scheduled public session of the same council and chair, with two agenda items."""
        engine = make_engine(self.database_url)
        try:
            async with make_sessionmaker(engine)() as db:
                session = CouncilSession(
                    council_id=self.live.council.id,
                    title="Phiên họp tiếp theo",
                    status=SessionStatus.SCHEDULED,
                    public=True,
                    chair_member_id=self.live.members[0].id,
                )
                session.agenda = [
                    AgendaItem(position=1, title="Khai mạc", kind=AgendaKind.OTHER),
                    AgendaItem(position=2, title="Thảo luận", kind=AgendaKind.DISCUSSION),
                ]
                db.add(session)
                await db.commit()
                return session.id, [item.id for item in session.agenda]
        finally:
            await engine.dispose()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hall(postgres_copies: PostgresCopies, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hall]:
    """Two `hopso serve` processes on one PostgreSQL database and their own redis-server, nginx in front; started
    once for the module (starting processes is most of these tests' time)."""
    for name, hint in (("redis-server", "apt-get install redis-server"), ("nginx", "apt-get install nginx-light")):
        if executable(name) is None:
            missing(f"{name} is not installed ({hint})")
    database_url = postgres_copies.take()
    shape = Production(tmp_path_factory.mktemp("production"), database_url=database_url, media=False)
    try:
        await asyncio.to_thread(shape.start)
        yield Hall(shape, database_url, await make_live_world_at(database_url))
    finally:
        await asyncio.to_thread(shape.stop)
        postgres_copies.give_back(database_url)


async def live_clients(replica_url: str) -> int:
    """How many /live clients one HopSo process holds, from its /metrics."""
    headers = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    async with aiohttp.ClientSession() as http, http.get(f"{replica_url}/metrics", headers=headers) as response:
        text = await response.text()
    found = re.search(r'^hopso_socketio_clients\{namespace="/live"\} ([0-9.]+)$', text, re.MULTILINE)
    return int(float(found.group(1))) if found else 0


class TcpCut:
    """A loopback TCP forwarder in front of a server; `cut()` drops every connection and refuses new ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._forward, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.transport.abort()
        await self._server.wait_closed()
        self._server = None

    async def _forward(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers |= {client_writer, server_writer}
        try:
            await asyncio.gather(_pipe(client_reader, server_writer), _pipe(server_reader, client_writer))
        finally:
            for writer in (client_writer, server_writer):
                self._writers.discard(writer)
                writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError, asyncio.IncompleteReadError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    writer.transport.abort()


async def eventually(check: Any, within: float, every: float = 0.2) -> Any:
    """Call `check()` until it returns something true; that value."""
    deadline = time.monotonic() + within
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(every)
