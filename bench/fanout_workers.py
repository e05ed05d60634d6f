"""The tablets live in a few worker processes, each with its own event loop, so that receiving is not one core's job.

The conductor talks to each worker over a pipe: connect tablets, collect the arrival times of one event, close.
Arrival times are `time.time()` (CLOCK_REALTIME), comparable with the sender's on the same machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import aiohttp

from bench.fanout_wire import Tablet

CONNECTS_IN_FLIGHT = 16
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Linux: get SIGTERM when the parent dies, so that nothing outlives a killed benchmark."""
    ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@dataclass
class Connect:
    group: str
    base_url: str
    auths: list[dict[str, Any] | None]
    join: dict[str, Any]
    deflate: bool


@dataclass
class Collect:
    group: str
    seq: int
    patience: float


@dataclass
class Arrivals:
    times: list[float]
    missing: int


@dataclass
class CloseAll:
    pass


@dataclass
class Failed:
    error: str


class Worker:
    def __init__(self) -> None:
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        self.groups: dict[str, list[Tablet]] = {}

    async def handle(self, request: Connect | Collect | CloseAll) -> Any:
        if isinstance(request, Connect):
            return await self.connect(request)
        if isinstance(request, Collect):
            return await self.collect(request)
        tablets = [tablet for group in self.groups.values() for tablet in group]
        await asyncio.gather(*(tablet.close() for tablet in tablets), return_exceptions=True)
        self.groups = {}
        return None

    async def connect(self, request: Connect) -> int:
        gate = asyncio.Semaphore(CONNECTS_IN_FLIGHT)

        async def one(auth: dict[str, Any] | None) -> Tablet:
            async with gate:
                tablet = await Tablet.open(self.http, request.base_url, auth, request.deflate)
                _, answer = await tablet.call("join", request.join)
                if not (isinstance(answer, dict) and answer.get("ok")):
                    await tablet.close()
                    raise RuntimeError(f"join refused: {answer}")
                tablet.drain()
                return tablet

        group = self.groups.setdefault(request.group, [])
        group += await asyncio.gather(*(one(auth) for auth in request.auths))
        return len(group)

    async def collect(self, request: Collect) -> Arrivals:
        """Wait until every tablet has the event `seq` (or the timeout), then hand over when each one got it."""
        tablets = self.groups.get(request.group, [])
        arrived: dict[int, float] = {}
        deadline = time.monotonic() + request.patience
        while len(arrived) < len(tablets) and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
            for index, tablet in enumerate(tablets):
                for at, envelope in tablet.drain():
                    if envelope.get("seq") == request.seq:
                        arrived[index] = at
        return Arrivals(list(arrived.values()), len(tablets) - len(arrived))

    async def close(self) -> None:
        await self.handle(CloseAll())
        await self.http.close()


async def serve(conn: Connection) -> None:
    worker = Worker()
    try:
        while True:
            request = await asyncio.to_thread(conn.recv)
            if request is None:
                break
            try:
                reply = await worker.handle(request)
            except Exception as error:
                reply = Failed(f"{type(error).__name__}: {error}")
            conn.send(reply)
    finally:
        await worker.close()


def worker_main(conn: Connection) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the conductor decides when workers stop
    asyncio.run(serve(conn))


class TabletPool:
    """Tablets spread round-robin over worker processes, in one group per server."""

    def __init__(self, workers: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes: list[multiprocessing.process.BaseProcess] = []
        for _ in range(workers):
            ours, theirs = context.Pipe()
            process = context.Process(target=worker_main, args=(theirs,), daemon=True)
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)

    async def _ask(self, requests: list[Any]) -> list[Any]:
        def ask(pipe: Connection, request: Any) -> Any:
            pipe.send(request)
            return pipe.recv()

        replies = await asyncio.gather(
            *(asyncio.to_thread(ask, p, r) for p, r in zip(self.pipes, requests, strict=True))
        )
        failures = [reply.error for reply in replies if isinstance(reply, Failed)]
        if failures:
            raise RuntimeError(f"worker failed: {failures[0]}")
        return replies

    async def connect(
        self, group: str, base_url: str, auths: list[dict[str, Any] | None], join: dict[str, Any], deflate: bool
    ) -> None:
        count = len(self.pipes)
        await self._ask([Connect(group, base_url, auths[i::count], join, deflate) for i in range(count)])

    async def collect(self, group: str, seq: int, patience: float = 10.0) -> Arrivals:
        replies: list[Arrivals] = await self._ask([Collect(group, seq, patience)] * len(self.pipes))
        return Arrivals([t for r in replies for t in r.times], sum(r.missing for r in replies))

    async def close_all(self) -> None:
        await self._ask([CloseAll()] * len(self.pipes))

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(None)
        for process in self.processes:
            process.join(5)
            if process.is_alive():
                process.kill()
