"""The vote burst's baseline: bare python-socketio, configured as HopSo's, acking each `vote.cast` after one batched
INSERT of the ballots that arrived together (no sign-in, no checks, no events), on the same database. Its heap is
handled as `hopso serve` handles its own (session_server/heap.py), so that neither is measured with a full garbage
collection in the midst of a burst that the other is spared.

    python -m bench.voting_baseline DATABASE_URL PORT
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

import socketio
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from session_server import heap
from session_server.db.engine import make_engine

GATHER_TURNS = 3  # as HopSo's dispatcher: a few turns of the event loop let the ballots already read join the batch
INSERT = text("INSERT INTO bench_ballot (id, choice) VALUES (:id, :choice)")


class Batches:
    """Ballots waiting for the next INSERT; one INSERT at a time, each taking all that arrived meanwhile."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.waiting: list[tuple[dict[str, Any], asyncio.Future[int]]] = []
        self.ids = itertools.count(1)
        self.writer: asyncio.Task[None] | None = None
        self.last_done = time.monotonic()

    def quiet_for(self) -> float:
        return 0.0 if self.writer else time.monotonic() - self.last_done

    async def insert(self, choice: str) -> int:
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.waiting.append(({"id": next(self.ids), "choice": choice}, done))
        if self.writer is None:
            self.writer = asyncio.create_task(self._write())
        return await done

    async def _write(self) -> None:
        try:
            while self.waiting:
                for _ in range(GATHER_TURNS):
                    await asyncio.sleep(0)
                batch, self.waiting = self.waiting, []
                async with self.engine.begin() as connection:
                    await connection.execute(INSERT, [row for row, _ in batch])
                for row, done in batch:
                    done.set_result(row["id"])
        finally:
            self.writer = None
            self.last_done = time.monotonic()


def baseline_app(database_url: str) -> web.Application:
    engine = make_engine(database_url)
    batches = Batches(engine)
    sio = socketio.AsyncServer(
        async_mode="aiohttp", cors_allowed_origins=[], max_http_buffer_size=64 * 1024, ping_interval=10, ping_timeout=10
    )

    @sio.on("connect", namespace="/live")
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        pass

    @sio.on("join", namespace="/live")
    async def join(sid: str, data: Any = None) -> dict[str, Any]:
        return {"ok": True, "seq": 0}

    @sio.on("vote.cast", namespace="/live")
    async def cast(sid: str, data: Any = None) -> dict[str, Any]:
        return {"ok": True, "seq": await batches.insert(str(data["choice"]))}

    async def prepare(_app: web.Application) -> None:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE bench_ballot (id INTEGER PRIMARY KEY, choice VARCHAR(20))"))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def managed_heap(_app: web.Application) -> AsyncIterator[None]:
        async with heap.managed(batches.quiet_for):
            yield

    app = web.Application()
    sio.attach(app)
    app.router.add_get("/healthz", healthz)
    app.on_startup.append(prepare)
    app.cleanup_ctx.append(managed_heap)
    return app


def main() -> None:
    database_url, port = sys.argv[1], int(sys.argv[2])
    web.run_app(baseline_app(database_url), host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
