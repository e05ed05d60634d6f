"""The benchmark's server processes: start on a free loopback port, wait until they answer, read their CPU and memory.

Every child gets SIGTERM if the benchmark dies, and is stopped (then killed) when its block ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.fanout_workers import die_with_parent

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30.0


@dataclass
class Instance:
    """One process of a server: how to start it and the port it listens on."""

    argv: list[str]
    port: int
    env: dict[str, str] = field(default_factory=dict)
    health_path: str | None = "/healthz"  # None: ready once the port accepts connections

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_ms(pid: int) -> float:
    """CPU time the process has used so far, in ms (nanosecond resolution, unlike /proc/PID/stat)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e6


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _start(instance: Instance, log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(
            instance.argv,
            env={**os.environ, **instance.env},
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,
        )


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2000:]


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.asynccontextmanager
async def running(name: str, instance: Instance, log_dir: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    log_path = log_dir / f"{name}-{instance.port}.log"
    process = _start(instance, log_path)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not await _answers(instance):
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {_tail(log_path)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not answer on port {instance.port}")
            await asyncio.sleep(0.1)
        yield process
    finally:
        _stop(process)


async def _answers(instance: Instance) -> bool:
    try:
        if instance.health_path is None:
            _, writer = await asyncio.open_connection("127.0.0.1", instance.port)
            writer.close()
            return True
        async with aiohttp.ClientSession() as http, http.get(instance.url + instance.health_path) as answer:
            return answer.status == 200
    except (OSError, aiohttp.ClientError):
        return False
