"""500 delegates voting at once, on SQLite and on PostgreSQL, through real Socket.IO clients in several processes.

The tablets speak Socket.IO straight over a websocket (bench/fanout_wire.py), so the clients' own cost stays small
beside the server's. Prints, per database: ack latency p50/p99/max of `vote.cast`, ballots per second, the time from `vote.close` to the
results on every tablet, and, as the baseline measured in the same run on the same database, 500 bare INSERTs (one
transaction each, as a naive one-commit-per-ballot server would do) and one INSERT of 500 rows.

    .venv/bin/python -m bench.voting [--delegates 500] [--workers 4] [--postgres postgresql+asyncpg://...]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench.fanout_wire import Tablet
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from tests.factories import make_large_council
from tests.live_clients import connect
from tests.support import HopsoProcess, free_port


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def _worker(url: str, session_id: int, motion_id: int, tokens: list[str], go: Any, ready: Any, out: Any) -> None:
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        tablets = [await Tablet.open(http, url, {"token": token}) for token in tokens]
        for tablet in tablets:
            _, joined = await tablet.call("join", {"session_id": session_id})
            assert joined["ok"], joined
        ready.put(len(tablets))
        await asyncio.to_thread(go.wait)
        latencies: list[float] = []

        async def cast(tablet: Tablet, index: int) -> None:
            started = time.perf_counter()
            _, answer = await tablet.call("vote.cast", {"motion_id": motion_id, "choice": "yes" if index % 4 else "no"})
            assert answer["ok"], answer
            latencies.append(time.perf_counter() - started)

        began = time.time()
        await asyncio.gather(*(cast(tablet, i) for i, tablet in enumerate(tablets)))
        out.put(("acks", began, latencies))
        closed_at = [await _closed_at(tablet) for tablet in tablets]
        out.put(("closed", max(closed_at)))
        for tablet in tablets:
            await tablet.close()


async def _closed_at(tablet: Tablet) -> float:
    """When the tablet received the vote's results."""
    async with asyncio.timeout(60):
        while True:
            for at, envelope in tablet.drain():
                if envelope["type"] == "vote.closed":
                    return at
            await asyncio.sleep(0.01)


def _worker_main(*args: Any) -> None:
    asyncio.run(_worker(*args))


async def _prepare(database_url: str, delegates: int) -> Any:
    engine = make_engine(database_url)
    try:
        return await make_large_council(make_sessionmaker(engine), delegates)
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


def _run_server_and_vote(database_url: str, data_dir: Path, delegates: int, workers: int) -> dict[str, float]:
    council = asyncio.run(_prepare(database_url, delegates))
    env = {
        "HOPSO_DATA_DIR": str(data_dir),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "bench-secret-key",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
    }
    server = HopsoProcess(env, free_port()).start()
    try:
        context = mp.get_context("spawn")
        go, ready, out = context.Event(), context.Queue(), context.Queue()
        tokens = council.delegate_tokens
        chunks = [tokens[i::workers] for i in range(workers)]
        processes = [
            context.Process(
                target=_worker_main, args=(server.url, council.session_id, council.motion_id, chunk, go, ready, out)
            )
            for chunk in chunks
        ]
        for process in processes:
            process.start()
        for _ in processes:
            ready.get(timeout=300)
        asyncio.run(_chair_open(server.url, council))
        go.set()
        acks: list[float] = []
        began = []
        for _ in processes:
            _, started, latencies = out.get(timeout=300)
            began.append(started)
            acks += latencies
        all_acked = time.time()
        close_sent = asyncio.run(_chair_close(server.url, council))
        results_everywhere = max(out.get(timeout=300)[1] for _ in processes)
        for process in processes:
            process.join(60)
        return {
            "ack_p50_ms": percentile(acks, 0.5) * 1000,
            "ack_p99_ms": percentile(acks, 0.99) * 1000,
            "ack_max_ms": max(acks) * 1000,
            "ballots_per_s": len(acks) / max(1e-9, all_acked - min(began)),
            "close_to_results_ms": (results_everywhere - close_sent) * 1000,
            "acked": len(acks),
        }
    finally:
        server.stop()


async def _chair_open(url: str, council: Any) -> None:
    chair = await connect(url, token=council.chair_token)
    await chair.join(council.session_id, timeout=60)
    await chair.ok("vote.open", {"motion_id": council.motion_id})
    await chair.close()


async def _chair_close(url: str, council: Any) -> float:
    chair = await connect(url, token=council.chair_token)
    await chair.join(council.session_id, timeout=60)
    sent = time.time()
    await chair.ok("vote.close", {"motion_id": council.motion_id})
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


def measure(label: str, database_url: str, data_dir: Path, delegates: int, workers: int) -> None:
    upgrade(database_url)
    figures = _run_server_and_vote(database_url, data_dir, delegates, workers)
    each, batch = asyncio.run(_bare_inserts(database_url, delegates))
    print(f"\n{label}: {delegates} delegates, clients in {workers} processes")
    print(
        f"  HopSo vote.cast ack        p50 {figures['ack_p50_ms']:7.1f} ms   p99 {figures['ack_p99_ms']:7.1f} ms   "
        f"max {figures['ack_max_ms']:7.1f} ms   (target p99 <= 250 ms)"
    )
    print(
        f"  HopSo ballots per second   {figures['ballots_per_s']:7.0f}   acknowledged {figures['acked']:.0f} of {delegates}"
    )
    print(f"  vote.close -> results on every tablet  {figures['close_to_results_ms']:7.1f} ms   (target <= 100 ms)")
    print(
        f"  baseline: {delegates} INSERTs, one commit each   {each * 1000:8.1f} ms total, {delegates / each:7.0f} rows/s"
    )
    print(f"  baseline: one INSERT of {delegates} rows, one commit   {batch * 1000:8.1f} ms")
    print(
        f"  ratio: HopSo ballots/s vs one-commit-each INSERTs/s   {figures['ballots_per_s'] / (delegates / each):.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--delegates", type=int, default=500)
    parser.add_argument("--workers", type=int, default=4)
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
        )
        if args.postgres:
            url, name = asyncio.run(_fresh_postgres(args.postgres))
            try:
                measure("PostgreSQL", url, root / "pg-data", args.delegates, args.workers)
            finally:
                asyncio.run(_drop_postgres(args.postgres, name))
        else:
            print("\nPostgreSQL: skipped (set HOPSO_TEST_POSTGRES_URL or --postgres)")


if __name__ == "__main__":
    main()
