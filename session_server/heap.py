"""The serving process's heap: the objects of startup are left out of garbage collection, and full collections wait
for a quiet moment.

A full collection traverses every object the process holds. With 500 tablets connected that is a pause of 40-80 ms
on a two-core server, and CPython starts one whenever enough objects have survived the younger collections, whatever
the server is doing: one that fell in the midst of a vote burst held up every ballot's ack by as much. Here CPython
starts one only as a last resort (FALLBACK_THRESHOLD); the server runs it once the live sessions have had no command
for QUIET_SECONDS, or, if they never rest, LONGEST_DEFERRAL_SECONDS after the last one. Like CPython's own rule (a
full collection only once the survivors since the last are a quarter of the heap), the pauses are kept to a small
share of the time (MAX_SHARE), so that work which creates many objects (a workbook's import) is not slowed down by
collections one after the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Callable

FULL_AFTER = 10
"""Collections of the middle generation after which a full one is due: CPython's own default threshold."""
FALLBACK_THRESHOLD = 1000
QUIET_SECONDS = 1.0
LONGEST_DEFERRAL_SECONDS = 60.0
MAX_SHARE = 0.02


def freeze_startup_heap() -> None:
    """Leave the objects of startup (modules, classes, the app) out of every later garbage collection: traversing
    them made each full collection a pause of about 100 ms."""
    gc.collect()
    gc.freeze()


def full_collection_due(middle_collections: int, quiet_for: float, since_full: float, last_pause: float) -> bool:
    """Whether to run a full collection now: it is due, the last one's pause is far enough behind, and the sessions
    are quiet or it has waited long enough."""
    if middle_collections < FULL_AFTER or since_full < last_pause / MAX_SHARE:
        return False
    return quiet_for >= QUIET_SECONDS or since_full >= LONGEST_DEFERRAL_SECONDS


async def collect_when_quiet(quiet_for: Callable[[], float], check_every: float = 0.25) -> None:
    """Run full collections at quiet moments until cancelled; CPython's own thresholds are restored then."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, FALLBACK_THRESHOLD)
    last_full, last_pause = time.monotonic(), 0.0
    try:
        while True:
            await asyncio.sleep(check_every)
            # The oldest generation's count is how many middle-generation collections ran since the last full one.
            if full_collection_due(gc.get_count()[2], quiet_for(), time.monotonic() - last_full, last_pause):
                started = time.monotonic()
                gc.collect()
                last_full = time.monotonic()
                last_pause = last_full - started
    finally:
        gc.set_threshold(young, middle, old)


@contextlib.asynccontextmanager
async def managed(quiet_for: Callable[[], float]) -> AsyncIterator[None]:
    """For a serving process, from its start to its end: the startup objects frozen, full collections when
    `quiet_for` (seconds since its last command) says the server is quiet."""
    freeze_startup_heap()
    collector = asyncio.create_task(collect_when_quiet(quiet_for))
    try:
        yield
    finally:
        collector.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await collector
