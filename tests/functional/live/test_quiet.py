"""The server knows when its live sessions are quiet (full garbage collections wait for that, session_server/heap.py):
not while a command is being run, and from the moment the last one ended."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestServer

from session_server.live.dispatcher import CommandResult
from session_server.services import services_of
from tests.factories import LiveWorld
from tests.functional.conftest import Connect


async def test_the_sessions_are_not_quiet_while_a_command_runs_and_are_quiet_once_it_has_ended(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    dispatcher = services_of(server.app).dispatcher
    while_running: list[float] = []

    async def observe(_session_id: int, _result: CommandResult) -> None:
        while_running.append(dispatcher.quiet_for())

    dispatcher.observers.append(observe)
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    await asyncio.sleep(0.05)

    assert while_running == [0.0]
    assert dispatcher.quiet_for() >= 0.05
