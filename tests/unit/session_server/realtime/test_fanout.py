"""The fan-out writes the bytes aiohttp would, takes only the Engine.IO hooks it names, and fails loudly without them."""

from __future__ import annotations

import asyncio
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any
from unittest.mock import Mock

import pytest
import socketio
from aiohttp import WSMsgType, web
from aiohttp._websocket.writer import WebSocketWriter
from packaging.requirements import Requirement

from session_server.realtime.fanout import FanoutManager, IncompatibleEngineIO, check_engine, text_frame

PYPROJECT = Path(__file__).resolve().parents[4] / "pyproject.toml"


class Recorder(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def is_closing(self) -> bool:
        return False


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
async def test_a_prepared_frame_is_byte_for_byte_what_aiohttp_writes(size: int) -> None:
    payload = (b"42/live," + b"x" * size)[:size]
    transport = Recorder()
    writer = WebSocketWriter(Mock(_paused=False), transport)

    await writer.send_frame(payload, WSMsgType.TEXT)

    assert text_frame(payload) == transport.written


@pytest.mark.parametrize("package", ["python-socketio", "python-engineio"])
def test_the_installed_socketio_packages_are_the_versions_pyproject_pins(package: str) -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    pinned = next(Requirement(d) for d in dependencies if Requirement(d).name == package)

    assert pinned.specifier.contains(version(package)), f"{package} {version(package)} is not {pinned}"
    assert any(s.operator == "<" for s in pinned.specifier), f"{package} has no upper bound in pyproject.toml"


def test_the_installed_engineio_offers_every_hook_the_fanout_takes() -> None:
    server = socketio.AsyncServer(async_mode="aiohttp")

    check_engine(server.eio)


def test_an_engineio_without_the_websocket_hook_stops_the_server_from_starting() -> None:
    server = socketio.AsyncServer(async_mode="aiohttp")
    server.eio._async = {**server.eio._async, "websocket": None}

    with pytest.raises(IncompatibleEngineIO, match=r"_async\['websocket'\]"):
        FanoutManager().set_server(server)


async def test_a_room_gets_every_broadcast_in_order_most_straight_to_its_websockets(aiohttp_server: Any) -> None:
    manager = FanoutManager()
    sio = socketio.AsyncServer(async_mode="aiohttp", client_manager=manager)

    @sio.event
    async def connect(sid: str, environ: dict[str, Any]) -> None:
        await sio.enter_room(sid, "hall")

    app = web.Application()
    sio.attach(app)
    server = await aiohttp_server(app)
    received: list[list[int]] = [[] for _ in range(5)]
    all_in = asyncio.Event()

    def arrived(inbox: list[int], n: int) -> None:
        inbox.append(n)
        if all(len(each) == 300 for each in received):
            all_in.set()

    clients = []
    for inbox in received:
        client = socketio.AsyncClient(reconnection=False)
        client.on("event", lambda n, inbox=inbox: arrived(inbox, n))
        await client.connect(str(server.make_url("/")), transports=["websocket"], wait_timeout=10)
        clients.append(client)
    await asyncio.sleep(0.2)

    for n in range(300):
        await sio.emit("event", n, room="hall")
        if n % 50 == 0:
            await asyncio.sleep(0)
    await asyncio.wait_for(all_in.wait(), 10)
    for client in clients:
        await client.disconnect()

    assert received == [list(range(300))] * 5
    assert manager.direct_frames > 5 * 300 / 2
