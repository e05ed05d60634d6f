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
    # A polling client that disconnects waits for its pending long poll, up to the ping interval and timeout the
    # server announced plus five seconds: short ones let it end in seconds rather than in fifteen.
    services_of(app).sio.eio.ping_interval = services_of(app).sio.eio.ping_timeout = 1
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


async def _cookie_of(url: str, username: str = "daibieu") -> str:
    async with aiohttp.ClientSession() as http:
        login = await http.post(f"{url}/api/auth/login", json={"username": username, "password": PASSWORD})
        assert login.status == 200
        return login.cookies["hopso_session"].value


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_live_refuses_a_cookie_connection_from_another_origin(
    running: Server, sio: socketio.AsyncClient, transport: str
) -> None:
    """A page on another port of the same host must not join a session and vote as the signed-in delegate."""
    cookie = await _cookie_of(running.url)
    other_port = running.url.rsplit(":", 1)[0] + ":1"

    data = await _refusal(
        sio,
        running.url,
        transports=[transport],
        headers={"Cookie": f"hopso_session={cookie}", "Origin": other_port},
    )

    assert data["data"]["code"] == "forbidden"
    assert data["message"] == "Kết nối từ trang khác bị từ chối."


@pytest.mark.parametrize("transport", ["websocket", "polling"])
async def test_live_accepts_a_cookie_connection_from_its_own_pages(
    running: Server, sio: socketio.AsyncClient, transport: str
) -> None:
    cookie = await _cookie_of(running.url)

    await sio.connect(
        running.url,
        namespaces=["/live"],
        transports=[transport],
        headers={"Cookie": f"hopso_session={cookie}", "Origin": running.url},
        wait_timeout=5,
    )

    assert "/live" in sio.namespaces


async def test_live_accepts_the_public_url_and_the_extra_origins(
    aiohttp_server: AiohttpServer, tmp_path: Path, sqlite_database: str
) -> None:
    settings = make_settings(
        tmp_path,
        sqlite_database,
        public_url="https://hdnd.example.vn",
        extra_origins="http://10.0.0.5:8080, http://hop.local",
    )
    app = create_app(settings)
    url = str((await aiohttp_server(app)).make_url("")).rstrip("/")
    await make_world(services_of(app).sessionmaker)
    cookie = await _cookie_of(url)

    outcomes = {}
    for origin in ("https://hdnd.example.vn", "http://10.0.0.5:8080", "http://hop.local", "http://hop.local:81"):
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(
                url, namespaces=["/live"], headers={"Cookie": f"hopso_session={cookie}", "Origin": origin}
            )
            outcomes[origin] = "/live" in client.namespaces
        except socketio.exceptions.ConnectionError:
            outcomes[origin] = False
        finally:
            await client.disconnect()

    assert outcomes == {
        "https://hdnd.example.vn": True,
        "http://10.0.0.5:8080": True,
        "http://hop.local": True,
        "http://hop.local:81": False,
    }


async def test_live_accepts_a_device_token_from_an_app_on_any_origin(
    running: Server, sio: socketio.AsyncClient
) -> None:
    await sio.connect(
        running.url,
        namespaces=["/live"],
        auth={"token": running.world.delegate.token},
        headers={"Origin": "http://app.example"},
        wait_timeout=5,
    )

    assert "/live" in sio.namespaces
