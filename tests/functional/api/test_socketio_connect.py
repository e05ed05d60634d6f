"""Who may connect to the Socket.IO namespaces: `/live` needs a signed-in user, `/public` is open to anyone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
from pytest_aiohttp import AiohttpServer

from session_server.app import create_app
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import PASSWORD, World, make_world


@dataclass
class Server:
    url: str
    world: World


@pytest.fixture
async def running(aiohttp_server: AiohttpServer, tmp_path: Path, sqlite_database: str) -> Server:
    app = create_app(make_settings(tmp_path, sqlite_database))
    test_server = await aiohttp_server(app)
    return Server(str(test_server.make_url("")).rstrip("/"), await make_world(services_of(app).sessionmaker))


@pytest.fixture
async def sio() -> AsyncIterator[socketio.AsyncClient]:
    client = socketio.AsyncClient(reconnection=False)
    yield client
    await client.disconnect()


async def _refusal(sio: socketio.AsyncClient, url: str, **kwargs: Any) -> dict[str, Any]:
    """Connect to /live expecting a refusal; return the data of the connect_error."""
    refused: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
    sio.on("connect_error", lambda data: refused.set_result(data), namespace="/live")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await sio.connect(url, namespaces=["/live"], wait_timeout=5, **kwargs)
    async with asyncio.timeout(5):
        return await refused


async def test_live_refuses_a_client_without_a_token(running: Server, sio: socketio.AsyncClient) -> None:
    data = await _refusal(sio, running.url)

    assert data == {
        "message": "Bạn cần đăng nhập.",
        "data": {"code": "unauthenticated", "message": "Bạn cần đăng nhập."},
    }


async def test_live_refuses_a_wrong_token(running: Server, sio: socketio.AsyncClient) -> None:
    data = await _refusal(sio, running.url, auth={"token": "khong-phai-token-that"})

    assert data["data"]["code"] == "unauthenticated"


async def test_live_refusal_speaks_english_when_asked(running: Server, sio: socketio.AsyncClient) -> None:
    data = await _refusal(sio, running.url, headers={"Accept-Language": "en-GB"})

    assert data["message"] == "You need to sign in."


async def test_live_accepts_a_device_token(running: Server, sio: socketio.AsyncClient) -> None:
    await sio.connect(running.url, namespaces=["/live"], auth={"token": running.world.delegate.token}, wait_timeout=5)

    assert sio.connected
    assert "/live" in sio.namespaces


async def test_live_accepts_the_cookie_of_a_browser_sign_in(running: Server, sio: socketio.AsyncClient) -> None:
    async with aiohttp.ClientSession() as http:
        login = await http.post(f"{running.url}/api/auth/login", json={"username": "daibieu", "password": PASSWORD})
        assert login.status == 200
        cookie = login.cookies["hopso_session"].value

    await sio.connect(running.url, namespaces=["/live"], headers={"Cookie": f"hopso_session={cookie}"}, wait_timeout=5)

    assert "/live" in sio.namespaces


async def test_public_accepts_anyone(running: Server, sio: socketio.AsyncClient) -> None:
    await sio.connect(running.url, namespaces=["/public"], wait_timeout=5)

    assert "/public" in sio.namespaces
