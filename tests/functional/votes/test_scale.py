"""A large council (500 delegates, the size of the National Assembly) votes at once through real Socket.IO clients."""

from __future__ import annotations

import asyncio
import time

from aiohttp.test_utils import TestServer
from sqlalchemy import func, select

from session_server.db.models import Ballot, Event
from session_server.services import services_of
from tests.factories import make_large_council
from tests.live_clients import connect

SIZE = 500


async def test_five_hundred_delegates_voting_at_once_are_each_counted_once(server: TestServer) -> None:
    council = await make_large_council(services_of(server.app).sessionmaker, SIZE)
    url = str(server.make_url("/"))
    tablets = await asyncio.gather(*(connect(url, token=token) for token in council.delegate_tokens))
    await asyncio.gather(*(tablet.join(council.session_id, timeout=60) for tablet in tablets))
    chair = tablets[0]
    opened = await chair.ok("vote.open", {"motion_id": council.motion_id})

    choices = ["yes" if i % 5 else "no" for i in range(SIZE)]
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(
            t.send("vote.cast", {"motion_id": council.motion_id, "choice": c}, timeout=60)
            for t, c in zip(tablets, choices, strict=True)
        )
    )
    print(f"{SIZE} ballots acknowledged in {time.perf_counter() - started:.2f} s")
    await chair.ok("vote.close", {"motion_id": council.motion_id, "confirm": True})
    closed = await tablets[-1].wait_for("vote.closed")
    await asyncio.gather(*(tablet.close() for tablet in tablets))

    assert all(answer["ok"] for answer in answers)
    assert len({answer["seq"] for answer in answers}) == SIZE
    assert closed["data"]["result"]["counts"] == {"yes": 400, "no": 100, "abstain": 0}
    async with services_of(server.app).sessionmaker() as db:
        ballots = await db.scalar(select(func.count()).select_from(Ballot).where(Ballot.motion_id == council.motion_id))
        casts = await db.scalar(select(func.count()).select_from(Event).where(Event.type == "vote.cast"))
    assert ballots == casts == SIZE
    # The last tablet heard of every seq from the vote's opening to its close, with no gap to make it resync.
    heard = [e for e in tablets[-1].events if e["seq"] >= opened["seq"]]
    assert [e.get("first_seq", e["seq"]) for e in heard[1:]] == [e["seq"] + 1 for e in heard[:-1]]
    assert heard[-1]["type"] == "vote.closed"
    assert sum(e["type"] == "vote.progress" for e in heard) < SIZE / 10
