"""Load on the production shape: delegate tablets and public viewers over two HopSo processes, a scripted session.

    .venv/bin/python -m bench.load [--tablets 500] [--viewers 2000] [--workers 4]

Starts bench/production.py's shape (fresh PostgreSQL database, own Redis, two `hopso serve`, nginx), seeds a council
of `--tablets` delegates, connects the tablets (/live) and viewers (/public) with the raw Engine.IO/Socket.IO clients
of bench/fanout_wire.py in worker processes, half on each HopSo process, and runs a session: the chair shows a
document and turns pages, grants and ends the floor, and runs three votes that every tablet casts. It prints the
delivery latency (command sent by the chair → event received) p50/p99 for tablets and viewers, errors, CPU and memory
of each HopSo process, and checks that every vote was counted. Loopback only; bounded by the script's length.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import func, select

from bench import fanout_workers
from bench.fanout_processes import cpu_ms, rss_kib
from bench.fanout_wire import Tablet
from bench.fanout_workers import CloseAll, Connect, Failed, TabletPool, Worker
from bench.production import Production
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import Ballot, CouncilSession, SpeakerRequest
from tests.factories import make_document, make_large_council, make_motion

CHOICES = ("yes", "yes", "no", "abstain")


@dataclass
class Cast:
    group: str
    motion_id: int


@dataclass
class Casts:
    ok: int
    errors: list[str]


class LoadWorker(Worker):
    """The fan-out benchmark's worker, with /public viewers and a vote cast by every tablet of a group."""

    async def handle(self, request: Any) -> Any:
        if isinstance(request, Cast):
            return await self.cast(request)
        if isinstance(request, Connect) and request.group.startswith("viewers"):
            return await self.connect_viewers(request)
        return await super().handle(request)

    async def connect_viewers(self, request: Connect) -> int:
        gate = asyncio.Semaphore(fanout_workers.CONNECTS_IN_FLIGHT)

        async def one() -> Tablet:
            async with gate:
                viewer = await Viewer.open(self.http, request.base_url, None, request.deflate)
                _, answer = await viewer.call("join", request.join)
                if not (isinstance(answer, dict) and answer.get("ok")):
                    raise RuntimeError(f"public join refused: {answer}")
                viewer.drain()
                return viewer

        group = self.groups.setdefault(request.group, [])
        group += await asyncio.gather(*(one() for _ in request.auths))
        return len(group)

    async def cast(self, request: Cast) -> Casts:
        tablets = self.groups.get(request.group, [])
        answers = await asyncio.gather(
            *(
                tablet.call("vote.cast", {"motion_id": request.motion_id, "choice": CHOICES[index % len(CHOICES)]})
                for index, tablet in enumerate(tablets)
            ),
            return_exceptions=True,
        )
        errors = [_describe(answer) for answer in answers if _failed(answer)]
        return Casts(len(answers) - len(errors), errors)


def _describe(answer: Any) -> str:
    if isinstance(answer, BaseException):
        return f"vote.cast: {type(answer).__name__} {answer}".strip()
    return f"vote.cast: {answer[1]}"


def _failed(answer: Any) -> bool:
    return isinstance(answer, BaseException) or not (isinstance(answer[1], dict) and answer[1].get("ok"))


@dataclass
class Viewer(Tablet):
    namespace: str = "/public"


async def serve(conn: Connection) -> None:
    worker = LoadWorker()
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
    import signal

    fanout_workers.die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    asyncio.run(serve(conn))


class LoadPool(TabletPool):
    """The fan-out benchmark's pool, its worker processes running :class:`LoadWorker`."""

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

    async def cast(self, group: str, motion_id: int) -> Casts:
        replies: list[Casts] = await self._ask([Cast(group, motion_id)] * len(self.pipes))
        return Casts(sum(r.ok for r in replies), [e for r in replies for e in r.errors])


@dataclass
class Report:
    tablets: int
    viewers: int
    tablet_ms: list[float] = field(default_factory=list)
    viewer_ms: list[float] = field(default_factory=list)
    missing: int = 0
    errors: list[str] = field(default_factory=list)
    votes: list[tuple[int, int, int]] = field(default_factory=list)
    """(ballots acknowledged, ballots stored, tablets) per vote; the chair, a delegate too, does not vote."""
    processes: list[tuple[str, float, int, int]] = field(default_factory=list)
    """(name, CPU seconds during the script, RSS KiB at the start, RSS KiB at the end)."""
    connect_seconds: float = 0.0
    script_seconds: float = 0.0

    @property
    def every_vote_counted(self) -> bool:
        """Every tablet's ballot is stored, and no acknowledgement was given for a ballot that is not."""
        return all(acked <= stored == delegates for acked, stored, delegates in self.votes)

    def lines(self) -> list[str]:
        out = [
            f"{self.tablets} tablets + {self.viewers} viewers on {len(self.processes)} HopSo processes; "
            f"connected in {self.connect_seconds:.1f} s, script {self.script_seconds:.1f} s",
            f"tablets: {_percentiles(self.tablet_ms)} over {len(self.tablet_ms)} deliveries",
            f"viewers: {_percentiles(self.viewer_ms)} over {len(self.viewer_ms)} deliveries",
            f"missing deliveries: {self.missing}; errors: {len(self.errors)}"
            + (f" (first: {self.errors[0]})" if self.errors else ""),
            "votes (acknowledged / stored / delegates): "
            + ", ".join(f"{a}/{s}/{d}" for a, s, d in self.votes)
            + (" — every vote counted" if self.every_vote_counted else " — BALLOTS MISSING"),
        ]
        for name, cpu, rss_start, rss_end in self.processes:
            out.append(
                f"{name}: CPU {cpu:.1f} s during the script, RSS {rss_start / 1024:.0f} → {rss_end / 1024:.0f} MiB"
            )
        return out


def _percentiles(values: list[float]) -> str:
    if not values:
        return "no deliveries"
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered):.0f} ms, p99 {p99:.0f} ms, max {ordered[-1]:.0f} ms"


async def run(production: Production, tablets: int, viewers: int, workers: int) -> Report:
    """The scripted session on a running production shape; returns the figures."""
    engine = make_engine(production.database_url)
    sessionmaker = make_sessionmaker(engine)
    report = Report(tablets, viewers)
    pool = LoadPool(workers)
    try:
        council = await make_large_council(sessionmaker, tablets + 1)
        agenda_id = await _agenda_of(sessionmaker, council.session_id)
        motions = [council.motion_id] + [await make_motion(sessionmaker, agenda_id) for _ in range(2)]
        document = await make_document(sessionmaker, council.session_id, page_count=50)
        replicas = [production.replica_url(index) for index in range(len(production.hopso))]
        join = {"session_id": council.session_id}
        started = time.monotonic()
        for index, url in enumerate(replicas):
            auths = [{"token": token} for token in council.delegate_tokens[1:][index :: len(replicas)]]
            await pool.connect(f"tablets-{index}", url, auths, join, False)
            await pool.connect(f"viewers-{index}", url, [None] * (viewers // len(replicas)), join, False)
        report.connect_seconds = time.monotonic() - started
        before = [(cpu_ms(c.pid), rss_kib(c.pid)) for c in production.hopso]
        async with aiohttp.ClientSession() as http:
            chair = await Tablet.open(http, replicas[0], {"token": council.chair_token})
            await chair.call("join", join)
            started = time.monotonic()
            script = Script(chair, pool, len(replicas), report)
            await script.send("doc.show", {"document_id": document, "page": 1}, public=True)
            for page in range(2, 7):
                await script.send("doc.page", {"page": page}, public=True)
            for speaker in range(2):
                await script.send("speakers.add", {"member_id": await _member_of(sessionmaker, council, speaker + 2)})
                request_id = await _latest_request(sessionmaker, council.session_id)
                await script.send("speakers.grant", {"request_id": request_id}, public=True)
                await script.send("speakers.end", {}, public=True)
            for motion_id in motions:
                await script.send("vote.open", {"motion_id": motion_id}, public=True)
                acknowledged = 0
                for index in range(len(replicas)):
                    casts = await pool.cast(f"tablets-{index}", motion_id)
                    acknowledged += casts.ok
                    report.errors += casts.errors
                await script.send("vote.close", {"motion_id": motion_id, "confirm": True}, public=True)
                stored = await _ballots(sessionmaker, motion_id)
                report.votes.append((acknowledged, stored, tablets))
            report.script_seconds = time.monotonic() - started
            await chair.close()
        for child, (cpu_before, rss_before) in zip(production.hopso, before, strict=True):
            report.processes.append(
                (child.name, (cpu_ms(child.pid) - cpu_before) / 1000, rss_before, rss_kib(child.pid))
            )
        await pool._ask([CloseAll()] * len(pool.pipes))
    finally:
        pool.stop()
        await engine.dispose()
    return report


@dataclass
class Script:
    chair: Tablet
    pool: LoadPool
    replicas: int
    report: Report

    async def send(self, command: str, payload: dict[str, Any], public: bool = False) -> None:
        sent_at, answer = await self.chair.call(command, payload)
        if not (isinstance(answer, dict) and answer.get("ok")):
            self.report.errors.append(f"{command}: {answer}")
            return
        groups = [f"tablets-{i}" for i in range(self.replicas)]
        if public:
            groups += [f"viewers-{i}" for i in range(self.replicas)]
        for group in groups:
            arrivals = await self.pool.collect(group, answer["seq"], patience=15)
            latencies = [(at - sent_at) * 1000 for at in arrivals.times]
            (self.report.viewer_ms if group.startswith("viewers") else self.report.tablet_ms).extend(latencies)
            self.report.missing += arrivals.missing


async def _agenda_of(sessionmaker: Any, session_id: int) -> int:
    from session_server.db.models import AgendaItem

    async with sessionmaker() as db:
        return await db.scalar(select(AgendaItem.id).where(AgendaItem.session_id == session_id))  # type: ignore[no-any-return]


async def _member_of(sessionmaker: Any, council: Any, position: int) -> int:
    from session_server.db.models import Member

    async with sessionmaker() as db:
        session = await db.get(CouncilSession, council.session_id)
        members = list(
            await db.scalars(select(Member.id).where(Member.council_id == session.council_id).order_by(Member.id))
        )
        return members[position]


async def _latest_request(sessionmaker: Any, session_id: int) -> int:
    async with sessionmaker() as db:
        return await db.scalar(select(func.max(SpeakerRequest.id)).where(SpeakerRequest.session_id == session_id))  # type: ignore[no-any-return]


async def _ballots(sessionmaker: Any, motion_id: int) -> int:
    async with sessionmaker() as db:
        return await db.scalar(select(func.count()).select_from(Ballot).where(Ballot.motion_id == motion_id)) or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tablets", type=int, default=500)
    parser.add_argument("--viewers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4, help="client worker processes")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hopso-load-") as folder:
        shape = Production(Path(folder), postgres_admin_url=args.postgres, media=False)
        shape.start()
        try:
            report = asyncio.run(run(shape, args.tablets, args.viewers, args.workers))
        finally:
            shape.stop()
    print("\n".join(report.lines()))


if __name__ == "__main__":
    main()
