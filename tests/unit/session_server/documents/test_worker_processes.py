"""The PDF pool's fork server, its workers and the resource tracker end when the process that started them is killed
outright (`kill -9`): no orphans are left holding memory and the data folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import os, sys, time
from session_server.documents.workers import _pool
from session_server.documents import pdf
if __name__ == "__main__":
    pool = _pool(2)
    for _ in range(4):
        pool.submit(pdf.index_form, "Nghị quyết").result()
    print(os.getpid(), flush=True)
    time.sleep(120)
"""


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are a Linux feature")
def test_the_pdf_pools_processes_end_when_the_server_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "server.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[4])}
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, env=env)
    try:
        assert server.stdout is not None
        pid = int(server.stdout.readline())
        helpers = _descendants(pid)
        assert len(helpers) >= 3, "the fork server, a worker and the resource tracker"
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)

    deadline = time.monotonic() + 15
    while any(_alive(helper) for helper in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert [helper for helper in helpers if _alive(helper)] == []
