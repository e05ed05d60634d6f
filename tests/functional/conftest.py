"""A running HopSo with a live session, and real Socket.IO clients connected to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from session_server.app import create_app
from session_server.services import services_of
from session_server.settings import Settings
from tests.factories import LiveWorld, make_live_world
from tests.live_clients import LiveClient, connect

Connect = Callable[..., Awaitable[LiveClient]]


@pytest.fixture
async def server(aiohttp_server: Any, settings: Settings) -> TestServer:
    return await aiohttp_server(create_app(settings))


@pytest.fixture
async def live(server: TestServer) -> LiveWorld:
    return await make_live_world(services_of(server.app).sessionmaker)


@pytest.fixture
async def connect_client(server: TestServer) -> AsyncIterator[Connect]:
    clients: list[LiveClient] = []

    async def open_client(token: str | None = None, namespace: str = "/live", **kwargs: Any) -> LiveClient:
        client = await connect(str(server.make_url("/")), namespace, token, **kwargs)
        clients.append(client)
        return client

    yield open_client
    for client in clients:
        await client.close()
