"""The worker pool's turns: what someone asked for goes before pre-rendering, and a cancelled wait gives up its turn."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from session_server.documents.cache import PageCache
from session_server.documents.workers import DocumentWorkers, Priority


@pytest.fixture
async def one_worker(tmp_path: Path) -> AsyncIterator[DocumentWorkers]:
    workers = DocumentWorkers(PageCache(tmp_path), processes=1)
    await workers.call(time.sleep, 0)  # the worker process is up before the test's clock matters
    yield workers
    await workers.close()


async def test_a_request_goes_before_background_work_that_waited_longer(one_worker: DocumentWorkers) -> None:
    finished: list[str] = []

    async def run(name: str, priority: Priority) -> None:
        await one_worker.call(time.sleep, 0.01, priority=priority)
        finished.append(name)

    busy = asyncio.create_task(run("busy", Priority.BACKGROUND))
    await asyncio.sleep(0)
    background = [asyncio.create_task(run(f"background {n}", Priority.BACKGROUND)) for n in (1, 2)]
    await asyncio.sleep(0)
    asked = asyncio.create_task(run("asked", Priority.ASKED))
    await asyncio.gather(busy, *background, asked)

    assert finished == ["busy", "asked", "background 1", "background 2"]


async def test_a_cancelled_wait_leaves_the_worker_to_the_next(one_worker: DocumentWorkers) -> None:
    busy = asyncio.create_task(one_worker.call(time.sleep, 0.05))
    await asyncio.sleep(0)
    given_up = asyncio.create_task(one_worker.call(time.sleep, 0))
    waiting = asyncio.create_task(one_worker.call(time.sleep, 0))
    await asyncio.sleep(0)
    given_up.cancel()

    await asyncio.wait_for(asyncio.gather(busy, waiting), timeout=30)
    await asyncio.wait_for(one_worker.call(time.sleep, 0), timeout=30)
