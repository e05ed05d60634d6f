"""A live session with the chair, five delegates' tablets and the public connected, ready to vote."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestServer

from session_server.services import services_of
from tests.factories import LiveWorld, make_motion
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient


@dataclass
class Hall:
    live: LiveWorld
    server: TestServer
    chair: LiveClient
    tablets: list[LiveClient]
    public: LiveClient

    async def motion(self, **fields: object) -> int:
        return await make_motion(services_of(self.server.app).sessionmaker, self.live.agenda_ids[2], **fields)

    async def twins(self, connect_client: Connect, delegate: int, count: int = 3) -> list[LiveClient]:
        """More tablets signed in as the same delegate, joined to the session (one account on several devices)."""
        tablets = [await connect_client(self.live.delegates[delegate].token) for _ in range(count)]
        for tablet in tablets:
            await tablet.join(self.live.session_id)
        return tablets

    async def check_in(self, count: int) -> None:
        for tablet in self.tablets[:count]:
            await tablet.ok("checkin")


@pytest.fixture
async def hall(live: LiveWorld, server: TestServer, connect_client: Connect) -> Hall:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    tablets = [chair]
    for account in live.delegates[1:]:
        tablet = await connect_client(account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    public = await connect_client(namespace="/public")
    await public.join(live.session_id)
    return Hall(live, server, chair, tablets, public)
