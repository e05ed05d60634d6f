"""Tools and helpers for testing the deployment files against the real nginx."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bench.production import write_self_signed

REPO = Path(__file__).resolve().parents[3]
# Where Debian's libnginx-mod-rtmp puts the module, here and in config/docker/Dockerfile.nginx alike.
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")


def require(available: bool, reason: str) -> None:
    """Skip when a tool is missing; with HOPSO_REQUIRE_ALL=1 fail instead, so a full run cannot pass by skipping."""
    if available:
        return
    if os.environ.get("HOPSO_REQUIRE_ALL") == "1":
        pytest.fail(f"{reason} (HOPSO_REQUIRE_ALL=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def nginx_port() -> int:
    """A free loopback port for the nginx under test."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def tls_dir(tmp_path: Path) -> Path:
    """A self-signed certificate for 127.0.0.1."""
    return write_self_signed(tmp_path / "tls")


@pytest.fixture
def nginx_bin() -> str:
    path = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    require(path is not None, "nginx is not installed (Debian: apt-get install nginx-light)")
    assert path is not None
    return path


@pytest.fixture
def rtmp_module(nginx_bin: str) -> Path:
    require(RTMP_MODULE.is_file(), f"{RTMP_MODULE} missing (Debian: apt-get install libnginx-mod-rtmp)")
    return RTMP_MODULE


@pytest.fixture
def ffmpeg_bin() -> str:
    path = shutil.which("ffmpeg")
    require(path is not None, "ffmpeg is not installed (Debian: apt-get install ffmpeg)")
    assert path is not None
    return path


@pytest.fixture
def render_nginx(tmp_path: Path) -> Callable[[str, dict[str, str]], Path]:
    """Write a copy of a config from config/nginx that runs here: container names and paths replaced.

    Every replaced text must occur in the config, so a changed config cannot silently escape the test.
    """

    def render(name: str, replacements: dict[str, str]) -> Path:
        text = (REPO / "config" / "nginx" / name).read_text()
        local = {
            "user www-data;": f"user {pwd.getpwuid(os.getuid()).pw_name};",
            "pid /run/nginx.pid;": f"pid {tmp_path / 'nginx.pid'};",
            **replacements,
        }
        for old, new in local.items():
            assert old in text, f"{name} no longer contains {old!r}; update the test's rendering"
            text = text.replace(old, new)
        # Debian's temp folders under /var/lib/nginx are writable by root only.
        if "\nhttp {\n" in text:
            temp_paths = "".join(
                f"    {kind}_temp_path {tmp_path / kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            text = text.replace("\nhttp {\n", "\nhttp {\n" + temp_paths, 1)
        rendered = tmp_path / name
        rendered.write_text(text)
        return rendered

    return render


@pytest.fixture
async def start_nginx(nginx_bin: str, tmp_path: Path) -> AsyncIterator[Callable[[Path, int], Awaitable[None]]]:
    """Run nginx in the foreground on a rendered config until the test ends."""
    processes: list[asyncio.subprocess.Process] = []

    async def start(config: Path, port: int) -> None:
        log = (tmp_path / f"{config.stem}.log").open("wb")
        process = await asyncio.create_subprocess_exec(
            nginx_bin,
            "-p",
            f"{tmp_path}/",
            "-e",
            "stderr",
            "-c",
            str(config),
            "-g",
            "daemon off;",
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
        log.close()
        processes.append(process)
        for _ in range(100):
            if process.returncode is not None:
                break
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.02)
                continue
            writer.close()
            await writer.wait_closed()
            return
        log_text = (tmp_path / f"{config.stem}.log").read_text()
        pytest.fail(f"nginx did not listen on {port} with {config.name}:\n{log_text}")

    yield start
    for process in processes:
        if process.returncode is None:
            process.terminate()
        await process.wait()
