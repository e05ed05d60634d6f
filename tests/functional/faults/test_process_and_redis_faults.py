"""The production shape keeps a session going when one HopSo process dies or Redis restarts."""

from __future__ import annotations

import asyncio

import pytest

from bench.load import run
from tests.functional.faults.conftest import Hall, ResyncingTablet, eventually, live_clients

# One production shape for the module; the Redis and load tests leave both processes running, the kill test comes last.
pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_after_redis_restarts_events_cross_processes_again_and_tablets_that_missed_some_resync(
    hall: Hall, tablets: list[ResyncingTablet]
) -> None:
    production, live = hall.production, hall.live
    session_id, _ = await hall.new_session()
    chair = await ResyncingTablet(production.replica_url(0), live.chair.token, session_id).open()
    watcher = await ResyncingTablet(production.replica_url(1), live.secretary.token, session_id).open()
    tablets += [chair, watcher]
    opened = await chair.ok("session.open")
    await watcher.saw(opened["seq"])
    assert production.redis is not None

    await asyncio.to_thread(production.redis.kill)
    during = await chair.ok("checkin")
    await asyncio.to_thread(lambda: production.redis.start().wait_until_ready(None))  # type: ignore[union-attr]

    async def crossed() -> bool:
        answer = await chair.ok("doc.hide")
        await asyncio.sleep(0.3)
        return any(event["seq"] == answer["seq"] for event in watcher.events)

    assert await eventually(crossed, within=30, every=0.5), "no event reached the other process after the restart"
    resync = watcher.snapshots[-1]
    assert len(watcher.snapshots) >= 2, "the watcher should have joined again over the gap"
    assert resync["seq"] >= during["seq"]
    assert resync["snapshot"]["quorum"]["present"] == 1


async def test_fifty_tablets_and_two_hundred_viewers_over_both_processes_get_every_event_and_every_vote_counts(
    hall: Hall,
) -> None:
    report = await run(hall.production, tablets=50, viewers=200, workers=2)

    assert report.errors == []
    assert report.missing == 0
    assert report.every_vote_counted, report.votes
    assert all(acknowledged == 50 for acknowledged, _, _ in report.votes)
    assert len(report.votes) == 3
    assert len(report.viewer_ms) == 200 * 16


async def test_killing_the_process_that_serves_the_hall_moves_every_tablet_to_the_other_with_nothing_acknowledged_lost(
    hall: Hall, tablets: list[ResyncingTablet]
) -> None:
    production, live = hall.production, hall.live
    session_id, agenda_ids = await hall.new_session()
    for account in live.delegates[:5]:
        tablets.append(await ResyncingTablet(production.front_url, account.token, session_id).open())
    chair, delegates = tablets[0], tablets[1:]
    await chair.ok("session.open")
    for tablet in delegates:
        await tablet.ok("checkin")
    await chair.ok("agenda.goto", {"item_id": agenda_ids[1]})
    acknowledged = await chair.ok("speakers.add", {"member_id": live.members[2].id})
    serving = [index for index in range(2) if await live_clients(production.replica_url(index)) == len(tablets)]
    assert len(serving) == 1, "nginx should route one client address to one process"

    await asyncio.to_thread(production.kill_replica, serving[0])
    resyncs = await asyncio.gather(*(tablet.joined(2, within=30) for tablet in tablets))

    for answer in resyncs:
        assert answer["seq"] == acknowledged["seq"]
        assert answer["snapshot"]["quorum"]["present"] == 4
        assert answer["snapshot"]["agenda"]["current_item_id"] == agenda_ids[1]
        assert [entry["member_id"] for entry in answer["snapshot"]["speakers"]["queue"]] == [live.members[2].id]
    survivor = production.replica_url(1 - serving[0])
    assert await live_clients(survivor) == len(tablets)
    after = await chair.ok("agenda.goto", {"item_id": agenda_ids[0]})
    assert after["seq"] == acknowledged["seq"] + 1
    await asyncio.gather(*(tablet.saw(after["seq"]) for tablet in tablets))
