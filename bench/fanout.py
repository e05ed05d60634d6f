"""Fan-out: the chair changes page; how long until each of N tablets has the event.

Three servers on loopback, measured by the same lightweight clients (bench.fanout_wire, spread over worker
processes): a plain aiohttp websocket broadcast (the limit), bare python-socketio emitting to a room (the
framework's own cost), and HopSo's `doc.page` end to end (validate, persist, ack, broadcast). All run at once and
take turns round by round, so that a change in the machine's load hits all of them alike.

Per server and N: latency from the moment the chair's command leaves its socket to each tablet's receipt (`first`
is the earliest tablet, i.e. the command's own cost before any fan-out; `spread` is each tablet's delay after the
round's first, i.e. the fan-out alone), the chair's ack, the server's CPU per round (median), and its RSS growth
per tablet while the last batch of tablets connected and joined. With `--processes 2` HopSo runs as two processes
sharing the tablets through the Redis manager (a private redis-server is started). `--before DIR` adds HopSo run
from another source tree (`hopso-before`, e.g. `git archive main | tar -x -C DIR`), so that a change is measured
against what it changes in the same run.

    .venv/bin/python -m bench.fanout [--sizes 50,200,500] [--rounds 20] [--before DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import math
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench import fanout_hopso
from bench.fanout_hopso import CommandCost
from bench.fanout_processes import Instance, cpu_ms, free_port, rss_kib, running
from bench.fanout_wire import Tablet
from bench.fanout_workers import TabletPool

PAUSE = 0.03  # between rounds, so that one round's stragglers never overlap the next
P99_RATIO_TARGET = 1.3
P99_TARGET_AT_500 = 50.0


@dataclass
class Target:
    """A server under test: its processes (the chair talks to the first; tablets go round-robin) and accounts."""

    name: str
    instances: list[Instance]
    join: dict[str, Any]
    chair_auth: dict[str, Any] | None
    tablet_auths: list[dict[str, Any] | None]


@dataclass
class Result:
    server: str
    size: int
    rss_per_tablet_kib: float
    latencies: list[float] = field(default_factory=list)
    spreads: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    missing: int = 0

    def add(self, measured: Round) -> None:
        first = min(measured.latencies, default=0.0)
        self.latencies += measured.latencies
        self.spreads += [latency - first for latency in measured.latencies]
        self.acks.append(measured.ack_ms)
        self.cpu.append(measured.cpu_ms)
        self.missing += measured.missing


@dataclass
class Round:
    ack_ms: float
    cpu_ms: float
    latencies: list[float]
    missing: int


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def reference_target(kind: str, tablets: int) -> Target:
    port = free_port()
    instance = Instance([sys.executable, "-m", "bench.fanout_servers", kind, str(port)], port)
    return Target(kind, [instance], {"session_id": 1}, None, [None] * tablets)


def serve_from(source: Path | None) -> list[str]:
    """The command starting `hopso serve`: this checkout's, or the one of the source tree `source`."""
    if source is None:
        return [str(Path(sys.executable).with_name("hopso")), "serve"]
    start = f"import sys; sys.path.insert(0, {str(source)!r}); from session_server.cli import main; main(['serve'])"
    return [sys.executable, "-c", start]


async def hopso_target(
    data_dir: Path, tablets: int, rounds: int, redis_url: str, processes: int, source: Path | None = None
) -> tuple[Target, list[CommandCost]]:
    world = await fanout_hopso.prepare(data_dir, tablets, rounds)
    instances = []
    for _ in range(processes):
        port = free_port()
        env = fanout_hopso.env(data_dir, world.database_url, port)
        instances.append(Instance(serve_from(source), port, {**env, "HOPSO_REDIS_URL": redis_url}))
    auths: list[dict[str, Any] | None] = [{"token": token} for token in world.tablet_tokens]
    name = "hopso" if source is None else "hopso-before"
    target = Target(name, instances, {"session_id": world.session_id}, {"token": world.chair_token}, auths)
    return target, world.command_costs


@dataclass
class Live:
    """A running server with its chair connected and joined."""

    target: Target
    processes: list[subprocess.Popen[bytes]]
    chair: Tablet
    pages: Iterator[int] = field(default_factory=lambda: itertools.cycle(range(2, 200)))
    rss: int = 0
    tablets: int = 0

    def cpu_ms(self) -> float:
        return sum(cpu_ms(p.pid) for p in self.processes)

    def rss_kib(self) -> int:
        return sum(rss_kib(p.pid) for p in self.processes)

    async def one_round(self, pool: TabletPool) -> Round:
        cpu_before = self.cpu_ms()
        sent_at, answer = await self.chair.call("doc.page", {"page": next(self.pages)})
        acked_at = time.time()
        if not (isinstance(answer, dict) and answer.get("ok")):
            raise RuntimeError(f"{self.target.name}: doc.page refused: {answer}")
        arrivals = await pool.collect(self.target.name, answer["seq"])
        cpu = self.cpu_ms() - cpu_before
        self.chair.drain()
        await asyncio.sleep(PAUSE)
        latencies = [(at - sent_at) * 1000 for at in arrivals.times]
        return Round((acked_at - sent_at) * 1000, cpu, latencies, arrivals.missing)

    async def grow(self, pool: TabletPool, size: int, deflate: bool) -> Result:
        """Connect tablets up to `size`; memory per tablet is the RSS growth over the ones just added."""
        target, count = self.target, len(self.target.instances)
        added = list(enumerate(target.tablet_auths[self.tablets : size], self.tablets))
        for index, instance in enumerate(target.instances):
            mine = [auth for n, auth in added if n % count == index]
            await pool.connect(target.name, instance.url, mine, target.join, deflate)
        rss = self.rss_kib()
        result = Result(target.name, size, (rss - self.rss) / (size - self.tablets))
        self.rss, self.tablets = rss, size
        return result


@contextlib.asynccontextmanager
async def serving(
    target: Target, pool: TabletPool, http: aiohttp.ClientSession, args: argparse.Namespace, log_dir: Path
) -> AsyncIterator[Live]:
    async with contextlib.AsyncExitStack() as stack:
        processes = [await stack.enter_async_context(running(target.name, i, log_dir)) for i in target.instances]
        chair = await Tablet.open(http, target.instances[0].url, target.chair_auth, args.deflate)
        stack.push_async_callback(chair.close)
        _, joined = await chair.call("join", target.join)
        if not joined.get("ok"):
            raise RuntimeError(f"{target.name}: the chair could not join: {joined}")
        live = Live(target, processes, chair)
        for _ in range(args.warmup):
            await live.one_round(pool)
        live.rss = live.rss_kib()
        yield live


async def measure(targets: list[Target], pool: TabletPool, args: argparse.Namespace, log_dir: Path) -> list[Result]:
    results = []
    async with contextlib.AsyncExitStack() as stack:
        http = await stack.enter_async_context(aiohttp.ClientSession())
        lives = [await stack.enter_async_context(serving(t, pool, http, args, log_dir)) for t in targets]
        stack.push_async_callback(pool.close_all)
        for size in args.sizes:
            batch = [await live.grow(pool, size, args.deflate) for live in lives]
            for index in range(args.warmup + args.rounds):
                for live, result in zip(lives, batch, strict=True):
                    measured = await live.one_round(pool)
                    if index >= args.warmup:
                        result.add(measured)
            for result in batch:
                print(f"  {result.server} N={size}: p99 {percentile(result.latencies, 0.99):.1f} ms", file=sys.stderr)
            results += batch
    order = [*args.servers, "hopso-before"]
    return sorted(results, key=lambda r: (order.index(r.server), r.size))


COLUMNS = ("server", "N", "first", "p50", "p99", "max", "spread p99", "ack p50", "cpu/round", "KiB/tablet", "lost")


def report(results: list[Result], command_costs: list[CommandCost]) -> str:
    rows = [COLUMNS]
    for r in results:
        latency = [min(r.latencies, default=math.nan), *(percentile(r.latencies, q) for q in (0.5, 0.99, 1.0))]
        spread = percentile(r.spreads, 0.99)
        numbers = [*latency, spread, percentile(r.acks, 0.5), percentile(r.cpu, 0.5), r.rss_per_tablet_kib]
        rows.append((r.server, str(r.size), *(f"{n:.1f}" for n in numbers), str(r.missing)))
    lines = ["".join(f"{cell:<10}" if i == 0 else f"{cell:>11}" for i, cell in enumerate(row)) for row in rows]
    lines += _verdict(results)
    for cost in command_costs:
        lines.append(
            f"HopSo doc.page in process, no network, SQLite synchronous={cost.synchronous}: elapsed p50 "
            f"{percentile(cost.elapsed, 0.5):.1f} ms, p99 {percentile(cost.elapsed, 0.99):.1f} ms; "
            f"CPU p50 {percentile(cost.cpu, 0.5):.1f} ms ({len(cost.elapsed)} commands)"
        )
    return "\n".join(lines)


def _verdict(results: list[Result]) -> list[str]:
    p99 = {(r.server, r.size): percentile(r.latencies, 0.99) for r in results}
    lines = []
    for size in sorted({r.size for r in results}):
        before = p99.get(("hopso-before", size))
        if before is not None and ("hopso", size) in p99:
            lines.append(f"N={size}: HopSo after/before p99 = {p99['hopso', size] / before:.2f}x")
        hopso, bare = p99.get(("hopso", size)), p99.get(("socketio", size))
        if hopso is None or bare is None:
            continue
        ratio = hopso / bare
        verdict = "meets" if ratio <= P99_RATIO_TARGET else "misses"
        line = f"N={size}: HopSo/bare python-socketio p99 = {ratio:.2f}x ({verdict} <= {P99_RATIO_TARGET}x)"
        if size == 500:
            line += f"; HopSo p99 {hopso:.1f} ms ({'meets' if hopso <= P99_TARGET_AT_500 else 'misses'} <= 50 ms)"
        lines.append(line)
    return lines


@contextlib.asynccontextmanager
async def private_redis(needed: bool, log_dir: Path) -> AsyncIterator[str]:
    """A redis-server of the run's own, so that no other Socket.IO user of a shared Redis hears our broadcasts."""
    if not needed:
        yield ""
        return
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("--processes > 1 needs redis-server")
    port = free_port()
    argv = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    async with running("redis", Instance(argv, port, health_path=None), log_dir):
        yield f"redis://127.0.0.1:{port}/0"


async def run(args: argparse.Namespace) -> str:
    pool = TabletPool(args.workers)
    try:
        async with asyncio.timeout(args.budget):
            with tempfile.TemporaryDirectory(prefix="hopso-fanout-") as tmp:
                logs = Path(tmp)
                targets = [reference_target(kind, max(args.sizes)) for kind in args.servers if kind != "hopso"]
                async with private_redis("hopso" in args.servers and args.processes > 1, logs) as redis_url:
                    command_costs: list[CommandCost] = []
                    if "hopso" in args.servers:
                        hopso, command_costs = await hopso_target(
                            logs / "hopso", max(args.sizes), args.rounds, redis_url, args.processes
                        )
                        targets.append(hopso)
                    if args.before is not None:
                        before, _ = await hopso_target(
                            logs / "hopso-before", max(args.sizes), args.rounds, redis_url, args.processes, args.before
                        )
                        targets.append(before)
                    return report(await measure(targets, pool, args, logs), command_costs)
    finally:
        pool.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,500", type=lambda s: sorted(int(n) for n in s.split(",")))
    parser.add_argument("--rounds", type=int, default=20, help="measured broadcasts per server and N")
    parser.add_argument("--warmup", type=int, default=3, help="broadcasts before measuring, per server and N")
    parser.add_argument("--workers", type=int, default=4, help="client processes")
    parser.add_argument("--servers", default="plain,socketio,hopso", type=lambda s: s.split(","))
    parser.add_argument("--processes", type=int, default=1, help="HopSo processes, sharing tablets through Redis")
    parser.add_argument("--before", type=Path, help="also run HopSo from this source tree, as hopso-before")
    parser.add_argument("--deflate", action="store_true", help="clients offer permessage-deflate, as browsers do")
    parser.add_argument("--budget", type=float, default=240, help="seconds before the run gives up")
    return parser.parse_args(argv)


def main() -> None:
    args = parse_args()
    print(f"fan-out of one doc.page, {args.rounds} rounds after {args.warmup} warm-up, ms from the chair's send")
    print(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
