"""Full garbage collections wait for a quiet moment: never while commands run, soon once the sessions rest, and
never put off without end."""

from __future__ import annotations

import asyncio
import gc

import pytest

from session_server.heap import (
    FALLBACK_THRESHOLD,
    FULL_AFTER,
    LONGEST_DEFERRAL_SECONDS,
    MAX_SHARE,
    QUIET_SECONDS,
    collect_when_quiet,
    full_collection_due,
)


@pytest.mark.parametrize(
    ("middle_collections", "quiet_for", "since_full", "last_pause", "due"),
    [
        (FULL_AFTER - 1, 60.0, 600.0, 0.05, False),  # not due yet, however quiet
        (FULL_AFTER, QUIET_SECONDS, 10.0, 0.05, True),  # due, and the sessions are quiet
        (FULL_AFTER, 0.0, 10.0, 0.05, False),  # due, but commands are running: put off
        (FULL_AFTER, QUIET_SECONDS / 2, 10.0, 0.05, False),  # a command ended a moment ago: more may follow
        (FULL_AFTER, 0.0, LONGEST_DEFERRAL_SECONDS, 0.05, True),  # never quiet: at the latest after the longest wait
        (FULL_AFTER, QUIET_SECONDS, 1.0, 0.05, False),  # the last pause is too recent for its length
        (FULL_AFTER, QUIET_SECONDS, 0.05 / MAX_SHARE, 0.05, True),  # ... and far enough behind
    ],
)
def test_a_full_collection_runs_when_due_and_quiet_or_put_off_too_long_but_keeps_its_share_of_time_small(
    middle_collections: int, quiet_for: float, since_full: float, last_pause: float, due: bool
) -> None:
    assert full_collection_due(middle_collections, quiet_for, since_full, last_pause) is due


async def test_a_due_full_collection_waits_while_busy_and_runs_once_quiet() -> None:
    quiet = {"for": 0.0}
    full = asyncio.Event()

    def on_collection(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            full.set()

    before = gc.get_threshold()
    collector = asyncio.create_task(collect_when_quiet(lambda: quiet["for"], check_every=0.01))
    gc.callbacks.append(on_collection)
    try:
        await asyncio.sleep(0.02)
        assert gc.get_threshold()[2] == FALLBACK_THRESHOLD  # CPython itself no longer starts one in a burst
        for _ in range(FULL_AFTER):
            gc.collect(1)  # each collection of the middle generation counts towards a full one
        await asyncio.sleep(0.1)
        assert not full.is_set(), "a full collection ran while commands were running"

        quiet["for"] = QUIET_SECONDS
        async with asyncio.timeout(2):
            await full.wait()
    finally:
        gc.callbacks.remove(on_collection)
        collector.cancel()
        with pytest.raises(asyncio.CancelledError):
            await collector
    assert gc.get_threshold() == before
