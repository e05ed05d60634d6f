"""500 delegates voting at once, on SQLite and on PostgreSQL, through real Socket.IO clients in several processes.

The tablets speak Socket.IO straight over a websocket (bench/fanout_wire.py), so the clients' own cost stays small
beside the server's. Prints, per database: ack latency p50/p99/max of `vote.cast`, ballots per second, the time from
`vote.close` to the results on every tablet, for open ballots and for secret ones (a receipt and a sealed tally
rewritten per batch instead of a ballot row: the target is the secret ballots' ack p99 at most SECRET_RATIO_TARGET
times the open ballots'), after a warm-up burst of each; and, as baselines measured in the same run on the same
database: the
same clients' ballots acked by bare python-socketio after one batched INSERT (bench/voting_baseline.py), the target
being HopSo's ack p99 at most P99_RATIO_TARGET times its; 500 bare INSERTs (one transaction each, as a naive
one-commit-per-ballot server would do) and one INSERT of 500 rows.

    .venv/bin/python -m bench.voting [--delegates 500] [--workers 4] [--rounds 3] [--postgres postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from sqlalchemy import text, update
from sqlalchemy.engine import make_url

from bench.fanout_processes import cpu_ms
from bench.fanout_wire import Tablet
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.db.models import BallotType, Motion
from tests.factories import make_large_council
from tests.live_clients import connect
from tests.support import HopsoProcess, free_port

REPO = Path(__file__).resolve().parent.parent
P99_RATIO_TARGET = 1.5
SECRET_RATIO_TARGET = 1.2


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _worker(
    url: str, session_id: int, motion_id: int, tokens: list[str], closing: bool, go: Any, ready: Any, out: Any
) -> None:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        tablets = [await Tablet.open(http, url, {"token": token}) for token in tokens]
        for tablet in tablets:
            _, joined = await tablet.call("join", {"session_id": session_id})
            assert joined["ok"], joined
        ready.put(len(tablets))
        await asyncio.to_thread(go.wait)
        if closing:  # a tablet votes once the vote is on its screen
            for tablet in tablets:
                await _received(tablet, "vote.opened")
        latencies: list[float] = []

        async def cast(tablet: Tablet, index: int) -> None:
            started = time.perf_counter()
            _, answer = await tablet.call("vote.cast", {"motion_id": motion_id, "choice": "yes" if index % 4 else "no"})
            assert answer["ok"], answer
            latencies.append(time.perf_counter() - started)

        began = time.time()
        await asyncio.gather(*(cast(tablet, i) for i, tablet in enumerate(tablets)))
        out.put(("acks", began, latencies))
        if closing:
            closed_at = [await _received(tablet, "vote.closed") for tablet in tablets]
            out.put(("closed", max(closed_at)))
        for tablet in tablets:
            await tablet.close()


async def _received(tablet: Tablet, event_type: str) -> float:
    """When the tablet received the first event of this type since the last look (the vote, its results)."""
    async with asyncio.timeout(60):
        while True:
            for at, envelope in tablet.drain():
                if envelope["type"] == event_type:
                    return at
            await asyncio.sleep(0.01)


def _worker_main(*args: Any) -> None:
    asyncio.run(_worker(*args))


async def _prepare(database_url: str, delegates: int, ballot_type: BallotType = BallotType.OPEN) -> Any:
    engine = make_engine(database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        council = await make_large_council(sessionmaker, delegates)
        async with sessionmaker() as db:
            await db.execute(update(Motion).where(Motion.id == council.motion_id).values(ballot_type=ballot_type))
            await db.commit()
        return council
    finally:
        await engine.dispose()


async def _bare_inserts(database_url: str, rows: int) -> tuple[float, float]:
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("CREATE TABLE bench_insert (id INTEGER PRIMARY KEY, member INTEGER, choice VARCHAR(20))")
            )
        started = time.perf_counter()
        for i in range(rows):
            async with engine.begin() as connection:
                await connection.execute(
                    text("INSERT INTO bench_insert (id, member, choice) VALUES (:i, :i, 'yes')"), {"i": i}
                )
        each = time.perf_counter() - started
        started = time.perf_counter()
        async with engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO bench_insert (id, member, choice) VALUES (:i, :i, 'yes')"),
                [{"i": rows + i} for i in range(rows)],
            )
        batch = time.perf_counter() - started
        return each, batch
    finally:
        await engine.dispose()


@contextlib.contextmanager
def _hopso_server(database_url: str, data_dir: Path) -> Iterator[tuple[str, int]]:
    env = {
        "HOPSO_DATA_DIR": str(data_dir),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "bench-secret-key",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
    }
    server = HopsoProcess(env, free_port()).start()
    try:
        assert server.process is not None
        yield server.url, server.process.pid
    finally:
        server.stop()


@contextlib.contextmanager
def _baseline_server(database_url: str, timeout: float = 60) -> Iterator[tuple[str, int]]:
    port = free_port()
    argv = [sys.executable, "-m", "bench.voting_baseline", database_url, str(port)]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=log)
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"the baseline server did not start: {log.read().decode(errors='replace')}")
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            yield url, process.pid
        finally:
            process.terminate()
            process.wait(10)


def _burst(server: tuple[str, int], council: Any, workers: int, closing: bool) -> dict[str, float]:
    """Every delegate casts at once from `workers` client processes; with `closing`, the chair opens the vote first
    and closes it after, and the time until every tablet has the results is measured. The server's CPU time from
    the first ballot to the last ack is measured too: unlike latency, the machine's load hardly moves it."""
    url, pid = server
    context = mp.get_context("spawn")
    go, ready, out = context.Event(), context.Queue(), context.Queue()
    tokens = council.delegate_tokens
    chunks = [tokens[i::workers] for i in range(workers)]
    session_id, motion_id = council.session_id, council.motion_id
    processes = [
        context.Process(target=_worker_main, args=(url, session_id, motion_id, chunk, closing, go, ready, out))
        for chunk in chunks
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=300)
    if closing:
        asyncio.run(_chair_open(url, council))
    cpu_before = cpu_ms(pid)
    go.set()
    acks: list[float] = []
    began = []
    for _ in processes:
        _, started, latencies = out.get(timeout=300)
        began.append(started)
        acks += latencies
    all_acked = time.time()
    cpu = cpu_ms(pid) - cpu_before
    figures = {
        "cpu_ms": cpu,
        "ack_p50_ms": percentile(acks, 0.5) * 1000,
        "ack_p99_ms": percentile(acks, 0.99) * 1000,
        "ack_max_ms": max(acks) * 1000,
        "ballots_per_s": len(acks) / max(1e-9, all_acked - min(began)),
        "acked": len(acks),
    }
    if closing:
        close_sent = asyncio.run(_chair_close(url, council))
        results_everywhere = max(out.get(timeout=300)[1] for _ in processes)
        figures["close_to_results_ms"] = (results_everywhere - close_sent) * 1000
    for process in processes:
        process.join(60)
    return figures


async def _chair_open(url: str, council: Any) -> None:
    chair = await connect(url, token=council.chair_token)
    await chair.join(council.session_id, timeout=60)
    await chair.ok("vote.open", {"motion_id": council.motion_id})
    await chair.close()


async def _chair_close(url: str, council: Any) -> float:
    chair = await connect(url, token=council.chair_token)
    await chair.join(council.session_id, timeout=60)
    sent = time.time()
    await chair.ok("vote.close", {"motion_id": council.motion_id, "confirm": True})
    await chair.close()
    return sent


async def _fresh_postgres(admin_url: str) -> tuple[str, str]:
    name = f"hopso_bench_{uuid.uuid4().hex[:8]}"
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


async def _drop_postgres(admin_url: str, name: str) -> None:
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def _median(rounds: list[dict[str, float]], key: str) -> float:
    return statistics.median(figures[key] for figures in rounds)


def measure(label: str, database_url: str, data_dir: Path, delegates: int, workers: int, rounds: int) -> None:
    """HopSo and the baseline take turns, a burst each per round on a council of its own, so that the machine's load
    at any moment hits both alike; the figures are the rounds' medians."""
    upgrade(database_url)
    hopso: list[dict[str, float]] = []
    secret: list[dict[str, float]] = []
    bare: list[dict[str, float]] = []
    with _hopso_server(database_url, data_dir) as hopso_server, _baseline_server(database_url) as bare_server:
        # A warm-up burst of each kind, not counted: the first pays for code paths and connections not yet used.
        for ballot_type in (BallotType.OPEN, BallotType.SECRET):
            _burst(hopso_server, asyncio.run(_prepare(database_url, delegates, ballot_type)), workers, closing=True)
        for number in range(rounds):
            # The open and secret bursts swap places every round, so that neither always comes right after the
            # baseline's burst or after the other's close; the baseline's burst always follows the open one.
            kinds = (BallotType.OPEN, BallotType.SECRET) if number % 2 == 0 else (BallotType.SECRET, BallotType.OPEN)
            for ballot_type in kinds:
                council = asyncio.run(_prepare(database_url, delegates, ballot_type))
                if ballot_type is BallotType.SECRET:
                    secret.append(_burst(hopso_server, council, workers, closing=True))
                    continue
                hopso.append(_burst(hopso_server, council, workers, closing=True))
                bare.append(_burst(bare_server, council, workers, closing=False))
    each, batch = asyncio.run(_bare_inserts(database_url, delegates))
    p99, bare_p99 = _median(hopso, "ack_p99_ms"), _median(bare, "ack_p99_ms")
    print(f"\n{label}: {delegates} delegates, clients in {workers} processes, medians of {rounds} rounds")
    print(
        f"  HopSo vote.cast ack        p50 {_median(hopso, 'ack_p50_ms'):7.1f} ms   p99 {p99:7.1f} ms   "
        f"max {_median(hopso, 'ack_max_ms'):7.1f} ms   (target p99 <= 250 ms)"
    )
    print(
        f"  HopSo ballots per second   {_median(hopso, 'ballots_per_s'):7.0f}   "
        f"acknowledged {min(f['acked'] for f in hopso):.0f} of {delegates} (fewest in a round)"
    )
    print(
        f"  vote.close -> results on every tablet  {_median(hopso, 'close_to_results_ms'):7.1f} ms   (target <= 100 ms)"
    )
    print(
        f"  baseline: bare python-socketio, one batched INSERT   ack p50 {_median(bare, 'ack_p50_ms'):7.1f} ms   "
        f"p99 {bare_p99:7.1f} ms   {_median(bare, 'ballots_per_s'):7.0f} ballots/s   "
        f"acknowledged {min(f['acked'] for f in bare):.0f}"
    )
    each_round = ", ".join(f"{h['ack_p99_ms'] / b['ack_p99_ms']:.2f}x" for h, b in zip(hopso, bare, strict=True))
    verdict = "meets" if p99 / bare_p99 <= P99_RATIO_TARGET else "misses"
    print(
        f"  ratio: HopSo ack p99 / baseline ack p99   {p99 / bare_p99:.2f}x   ({verdict} <= {P99_RATIO_TARGET}x; "
        f"by round {each_round})"
    )
    secret_p99 = _median(secret, "ack_p99_ms")
    print(
        f"  HopSo secret ballots: ack p50 {_median(secret, 'ack_p50_ms'):7.1f} ms   p99 {secret_p99:7.1f} ms   "
        f"max {_median(secret, 'ack_max_ms'):7.1f} ms   {_median(secret, 'ballots_per_s'):7.0f} ballots/s   "
        f"close -> results {_median(secret, 'close_to_results_ms'):7.1f} ms   "
        f"acknowledged {min(f['acked'] for f in secret):.0f}"
    )
    by_round = ", ".join(f"{s['ack_p99_ms'] / h['ack_p99_ms']:.2f}x" for s, h in zip(secret, hopso, strict=True))
    verdict = "meets" if secret_p99 / p99 <= SECRET_RATIO_TARGET else "misses"
    print(
        f"  ratio: secret ack p99 / open ack p99, same run   {secret_p99 / p99:.2f}x   "
        f"({verdict} <= {SECRET_RATIO_TARGET}x; by round {by_round})"
    )
    cpu, bare_cpu = _median(hopso, "cpu_ms"), _median(bare, "cpu_ms")
    print(
        f"  server CPU from the first ballot to the last ack: HopSo {cpu:.0f} ms, baseline {bare_cpu:.0f} ms, "
        f"ratio {cpu / bare_cpu:.2f}x"
    )
    print(
        f"  baseline: {delegates} INSERTs, one commit each   {each * 1000:8.1f} ms total, {delegates / each:7.0f} rows/s"
    )
    print(f"  baseline: one INSERT of {delegates} rows, one commit   {batch * 1000:8.1f} ms")
    print(
        f"  ratio: HopSo ballots/s vs one-commit-each INSERTs/s   "
        f"{_median(hopso, 'ballots_per_s') / (delegates / each):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delegates", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="bursts per server, taking turns (an even number: the open and secret bursts swap places each round)",
    )
    parser.add_argument("--postgres", default=os.environ.get("HOPSO_TEST_POSTGRES_URL", ""))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hopso-bench-voting-") as folder:
        root = Path(folder)
        measure(
            "SQLite",
            f"sqlite+aiosqlite:///{root / 'bench.sqlite3'}",
            root / "sqlite-data",
            args.delegates,
            args.workers,
            args.rounds,
        )
        if args.postgres:
            url, name = asyncio.run(_fresh_postgres(args.postgres))
            try:
                measure("PostgreSQL", url, root / "pg-data", args.delegates, args.workers, args.rounds)
            finally:
                asyncio.run(_drop_postgres(args.postgres, name))
        else:
            print("\nPostgreSQL: skipped (set HOPSO_TEST_POSTGRES_URL or --postgres)")


if __name__ == "__main__":
    main()
