"""Acknowledged means on disk, and several processes share one session through Redis and the event log."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from session_server.db.engine import make_engine, make_sessionmaker
from tests.factories import LiveWorld, make_live_world, make_live_world_at, make_motion
from tests.live_clients import LiveClient, connect
from tests.support import HopsoProcess, free_port, missing

REDIS_URL = os.environ.get("HOPSO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        missing(f"Redis does not answer at {REDIS_URL} (set HOPSO_TEST_REDIS_URL)")
    return REDIS_URL


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[list[HopsoProcess]]:
    started: list[HopsoProcess] = []
    yield started
    for process in started:
        process.stop()


def _env(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    return {
        "HOPSO_DATA_DIR": str(tmp_path / "data"),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "test-secret-key",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
        **extra,
    }


async def _vote_open(
    database_url: str, tmp_path: Path, processes: list[HopsoProcess], **motion: Any
) -> tuple[LiveWorld, int, HopsoProcess, list[LiveClient]]:
    """A `hopso serve` whose session is open, every delegate's tablet checked in, and a vote on `motion` open."""
    engine = make_engine(database_url)
    try:
        live = await make_live_world(make_sessionmaker(engine))
        motion_id = await make_motion(make_sessionmaker(engine), live.agenda_ids[2], **motion)
    finally:
        await engine.dispose()
    server = HopsoProcess(_env(tmp_path, database_url), free_port()).start()
    processes.append(server)
    tablets = []
    for account in live.delegates:
        tablet = await connect(server.url, token=account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    await tablets[0].ok("session.open")
    for tablet in tablets:
        await tablet.ok("checkin")
    await tablets[0].ok("vote.open", {"motion_id": motion_id})
    return live, motion_id, server, tablets


async def test_every_acknowledged_change_survives_a_kill_9(
    database_url: str, tmp_path: Path, processes: list[HopsoProcess]
) -> None:
    live = await make_live_world_at(database_url)
    server = HopsoProcess(_env(tmp_path, database_url), free_port()).start()
    processes.append(server)
    chair = await connect(server.url, token=live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    for account in live.delegates[:4]:
        tablet = await connect(server.url, token=account.token)
        await tablet.join(live.session_id)
        await tablet.ok("checkin")
        await tablet.close()
    last = await chair.ok("agenda.goto", {"item_id": live.agenda_ids[1]})

    await asyncio.to_thread(server.kill)
    await chair.close()
    restarted = HopsoProcess(server.env, server.port).start()
    processes.append(restarted)
    back = await connect(restarted.url, token=live.chair.token)
    answer = await back.join(live.session_id)
    await back.close()

    assert answer["seq"] == last["seq"] == 6
    assert answer["snapshot"]["session"]["status"] == "live"
    assert answer["snapshot"]["quorum"] == {"present": 4, "total": 5, "required": 4, "met": True}
    assert answer["snapshot"]["agenda"]["current_item_id"] == live.agenda_ids[1]


async def test_two_processes_on_redis_deliver_each_others_events_and_never_share_a_seq(
    database_url: str, redis_url: str, tmp_path: Path, processes: list[HopsoProcess]
) -> None:
    live = await make_live_world_at(database_url)
    env = _env(tmp_path, database_url, HOPSO_REDIS_URL=redis_url)
    first = HopsoProcess(env, free_port()).start()
    second = HopsoProcess(env, free_port()).start()
    processes += [first, second]
    chair = await connect(first.url, token=live.chair.token)
    await chair.join(live.session_id)
    watcher = await connect(second.url, token=live.secretary.token)
    await watcher.join(live.session_id)

    await chair.ok("session.open")
    await watcher.wait_for("session.opened")

    tablets = []
    for index, account in enumerate(live.delegates):
        tablet = await connect((first if index % 2 else second).url, token=account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    answers = await asyncio.gather(*(tablet.ok("checkin") for tablet in tablets))
    answers += await asyncio.gather(*(tablet.ok("speakers.request", {"kind": "discussion"}) for tablet in tablets[1:]))

    seqs = sorted(answer["seq"] for answer in answers)
    assert seqs == list(range(2, 2 + len(answers)))
    await asyncio.sleep(0.3)
    seen = sorted(event["seq"] for event in watcher.events)
    assert seen == list(range(1, 2 + len(answers)))
    for client in [chair, watcher, *tablets]:
        await client.close()


async def test_a_kill_9_during_a_vote_loses_no_ballot_and_the_countdown_still_closes_it(
    database_url: str, tmp_path: Path, processes: list[HopsoProcess]
) -> None:
    live, motion_id, server, tablets = await _vote_open(database_url, tmp_path, processes, countdown_seconds=4)
    for tablet, choice in zip(tablets, ["yes", "yes", "yes", "no"], strict=False):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})

    await asyncio.to_thread(server.kill)
    for tablet in tablets:
        await tablet.close()
    restarted = HopsoProcess(server.env, server.port).start()
    processes.append(restarted)
    public = await connect(restarted.url, namespace="/public")
    for _ in range(75):
        results = (await public.join(live.session_id))["snapshot"]["vote"]["results"]
        if results:
            break
        await asyncio.sleep(0.2)
    await public.close()

    assert results[0]["result"]["counts"] == {"yes": 3, "no": 1, "abstain": 0}
    assert results[0]["result"]["passed"] is True


async def test_a_kill_9_after_secret_ballots_are_acknowledged_loses_none_and_the_count_equals_the_receipts(
    database_url: str, tmp_path: Path, processes: list[HopsoProcess]
) -> None:
    live, motion_id, server, tablets = await _vote_open(database_url, tmp_path, processes, ballot_type="secret")
    await asyncio.gather(
        *(
            t.ok("vote.cast", {"motion_id": motion_id, "choice": c})
            for t, c in zip(tablets, ["yes", "no", "yes", "yes"], strict=False)
        )
    )

    await asyncio.to_thread(server.kill)
    for tablet in tablets:
        await tablet.close()
    restarted = HopsoProcess(server.env, server.port).start()
    processes.append(restarted)
    chair = await connect(restarted.url, token=live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    closed = await chair.wait_for("vote.closed")
    await chair.close()

    result = closed["data"]["result"]
    assert result["ballots"] == result["participating"] == 4
    assert result["counts"] == {"yes": 3, "no": 1, "abstain": 0}
