"""nginx with its RTMP module, run as HopSo's child process from a config HopSo writes.

nginx accepts the hall encoder's RTMP publish, asks HopSo over HTTP whether the stream key
is valid (``on_publish``), and serves the stream to HopSo's puller on loopback only.
"""

import asyncio
import contextlib
import logging
import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import aiohttp

log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install nginx-light libnginx-mod-rtmp"

MODULE_CANDIDATES = (
    Path("/usr/lib/nginx/modules/ngx_rtmp_module.so"),
    Path("/usr/share/nginx/modules/ngx_rtmp_module.so"),
    Path("/usr/local/nginx/modules/ngx_rtmp_module.so"),
    Path("/etc/nginx/modules/ngx_rtmp_module.so"),
)

STAT_SOCKET = "stat.sock"
_SBIN_PATH = "/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin"
_MAX_SOCKET_PATH = 100

# Anything that could end or extend an nginx directive.
_UNSAFE_IN_CONFIG = re.compile(r"[\s;{}\"'\\#$]")


class RtmpUnavailable(RuntimeError):
    """nginx or its RTMP module is missing or would not start; the message says why and what to install."""


@dataclass(frozen=True)
class RtmpAvailability:
    ok: bool
    reason: str
    nginx: str | None = None
    module: Path | None = None
    """The module file to ``load_module``; None when it is built into nginx (or missing)."""


@dataclass
class NginxRtmpSettings:
    runtime_dir: Path
    """Config, pid file and error log go here; one directory per nginx instance."""
    on_publish_url: str
    """HopSo's hook, e.g. ``http://127.0.0.1:8080/internal/rtmp/publish``."""
    on_publish_done_url: str
    port: int = 1935
    listen_host: str = "0.0.0.0"
    app: str = "live"
    nginx_binary: str = "nginx"
    module_path: Path | None = None
    """None: look in the usual places."""
    start_timeout: float = 5.0
    stop_timeout: float = 5.0


def rtmp_availability(nginx_binary: str = "nginx", module_path: Path | None = None) -> RtmpAvailability:
    """Whether nginx with the RTMP module can run here; the reason names the missing part and the install line."""
    # Debian puts nginx in /usr/sbin, which is not on an ordinary user's PATH.
    nginx = shutil.which(nginx_binary) or shutil.which(nginx_binary, path=_SBIN_PATH)
    if nginx is None:
        return RtmpAvailability(
            False, f"RTMP ingest is off: no nginx binary ({nginx_binary!r}); install: {INSTALL_HINT}"
        )
    if module_path is not None:
        if module_path.is_file():
            return RtmpAvailability(True, f"nginx {nginx} with {module_path}", nginx, module_path)
        return RtmpAvailability(
            False, f"RTMP ingest is off: nginx RTMP module not found at {module_path}; install: {INSTALL_HINT}", nginx
        )
    for candidate in MODULE_CANDIDATES:
        if candidate.is_file():
            return RtmpAvailability(True, f"nginx {nginx} with {candidate}", nginx, candidate)
    if _rtmp_built_in(nginx):
        return RtmpAvailability(True, f"nginx {nginx} with the RTMP module built in", nginx)
    return RtmpAvailability(
        False, f"RTMP ingest is off: nginx has no RTMP module (ngx_rtmp_module.so); install: {INSTALL_HINT}", nginx
    )


def _rtmp_built_in(nginx: str) -> bool:
    try:
        done = subprocess.run([nginx, "-V"], capture_output=True, text=True, timeout=5, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return "rtmp" in done.stderr


def _config_value(value: str, what: str) -> str:
    if not value or _UNSAFE_IN_CONFIG.search(value):
        raise ValueError(f"{what} {value!r} cannot go into the nginx config")
    return value


def render_config(settings: NginxRtmpSettings, module: Path | None) -> str:
    """The whole nginx.conf: RTMP plus its statistics and control on a unix socket, a non-daemon master with one worker,
    every path inside ``runtime_dir``."""
    runtime = settings.runtime_dir.resolve()
    for url, what in (
        (settings.on_publish_url, "on_publish URL"),
        (settings.on_publish_done_url, "on_publish_done URL"),
    ):
        if not url.startswith("http://"):
            raise ValueError(f"{what} must be http:// (nginx-rtmp speaks no https): {url!r}")
    load = f"load_module {_config_value(str(module), 'module path')};\n" if module else ""

    def path(name: str) -> str:
        return _config_value(str(runtime / name), "runtime dir")

    listen = f"{_config_value(settings.listen_host, 'listen host')}:{int(settings.port)}"
    if len(path(STAT_SOCKET)) > _MAX_SOCKET_PATH:
        raise ValueError(f"runtime dir {runtime} is too long for a unix socket path; choose a shorter one")
    # One worker: nginx-rtmp's live streams are per worker process, so a player on another worker
    # would not see the publisher.
    return f"""{load}daemon off;
master_process on;
worker_processes 1;
pid {path("nginx.pid")};
error_log {path("error.log")} info;

events {{
    worker_connections 1024;
}}

http {{
    access_log off;
    client_body_temp_path {path("tmp/body")};
    proxy_temp_path {path("tmp/proxy")};
    fastcgi_temp_path {path("tmp/fastcgi")};
    uwsgi_temp_path {path("tmp/uwsgi")};
    scgi_temp_path {path("tmp/scgi")};

    server {{
        listen unix:{path(STAT_SOCKET)};
        location = /stat {{
            rtmp_stat all;
        }}
        location /control {{
            rtmp_control all;
        }}
    }}
}}

rtmp {{
    server {{
        listen {listen};
        chunk_size 4096;

        application {_config_value(settings.app, "application name")} {{
            live on;
            record off;
            wait_key on;
            wait_video on;
            # HopSo's puller subscribes before the publisher's first packet (an idle stream), so nothing
            # is lost to joining late; UnpublishNotify then ends the puller's input with each publish.
            idle_streams on;
            publish_notify on;
            drop_idle_publisher 10s;
            allow play 127.0.0.1;
            deny play all;
            notify_method post;
            on_publish {_config_value(settings.on_publish_url, "on_publish URL")};
            on_publish_done {_config_value(settings.on_publish_done_url, "on_publish_done URL")};
        }}
    }}
}}
"""


class NginxRtmpServer:
    """Runs nginx-rtmp as a child process: ``await start()`` returns once it listens, ``await close()`` stops it."""

    def __init__(self, settings: NginxRtmpSettings) -> None:
        self.settings = settings
        self._process: asyncio.subprocess.Process | None = None
        self._stat_client: aiohttp.ClientSession | None = None

    @property
    def config_path(self) -> Path:
        return self.settings.runtime_dir / "nginx.conf"

    @property
    def pid_path(self) -> Path:
        return self.settings.runtime_dir / "nginx.pid"

    @property
    def log_path(self) -> Path:
        return self.settings.runtime_dir / "error.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.returncode is None

    def pull_url(self, stream_key: str) -> str:
        """Where HopSo reads a published stream back (loopback unless nginx listens on one address only)."""
        host = self.settings.listen_host
        if host in ("0.0.0.0", "::", "[::]", ""):
            host = "127.0.0.1"
        return f"rtmp://{host}:{self.settings.port}/{self.settings.app}/{stream_key}"

    async def start(self) -> None:
        """Write the config and start nginx; raise :class:`RtmpUnavailable` with the reason if it cannot run."""
        availability = await asyncio.to_thread(rtmp_availability, self.settings.nginx_binary, self.settings.module_path)
        if not availability.ok or availability.nginx is None:
            raise RtmpUnavailable(availability.reason)
        try:
            config = render_config(self.settings, availability.module)
        except ValueError as exc:
            raise RtmpUnavailable(f"RTMP ingest is off: {exc}") from exc
        await asyncio.to_thread(self._prepare_runtime_dir, config)
        # nginx would outlive a HopSo that is killed outright and keep the port; setpriv (util-linux) asks
        # the kernel to send it SIGTERM when HopSo dies.
        setpriv = shutil.which("setpriv")
        guard = [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []
        with self.log_path.open("ab") as log_file:
            self._process = await asyncio.create_subprocess_exec(
                *guard,
                availability.nginx,
                "-p",
                str(self.settings.runtime_dir.resolve()),
                "-c",
                str(self.config_path.resolve()),
                "-e",
                str(self.log_path.resolve()),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log_file,
                stderr=log_file,
                start_new_session=True,
            )
        try:
            await asyncio.wait_for(self._wait_listening(), self.settings.start_timeout)
        except (TimeoutError, RtmpUnavailable) as exc:
            await self.close()
            tail = await asyncio.to_thread(self._log_tail)
            raise RtmpUnavailable(
                f"nginx-rtmp did not start on port {self.settings.port}: {exc or 'timeout'}\n{tail}"
            ) from exc
        self._stat_client = aiohttp.ClientSession(
            connector=aiohttp.UnixConnector(path=str(self.settings.runtime_dir / STAT_SOCKET)),
            timeout=aiohttp.ClientTimeout(total=2),
        )
        log.info(
            "nginx-rtmp listening on %s:%s (pid %s)", self.settings.listen_host, self.settings.port, self._process.pid
        )

    async def _wait_listening(self) -> None:
        # nginx writes its pid file after it has bound the listening sockets.
        assert self._process is not None
        expected = str(self._process.pid)
        while True:
            if self._process.returncode is not None:
                raise RtmpUnavailable(f"nginx exited with code {self._process.returncode}")
            with contextlib.suppress(OSError):
                if self.pid_path.read_text().strip() == expected:
                    return
            await asyncio.sleep(0.02)

    async def close(self) -> None:
        """Stop nginx (fast shutdown: publishers are cut) and wait for it to exit."""
        if self._stat_client is not None:
            await self._stat_client.close()
            self._stat_client = None
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            await asyncio.wait_for(process.wait(), self.settings.stop_timeout)
        except TimeoutError:
            log.warning("nginx-rtmp (pid %s) ignored SIGTERM; killing it", process.pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            await process.wait()

    async def players(self, stream_key: str) -> set[str]:
        """The client ids of everyone playing ``stream_key`` (HopSo's pullers), from nginx-rtmp's statistics."""
        if self._stat_client is None:
            return set()
        try:
            async with self._stat_client.get("http://localhost/stat") as response:
                document = ElementTree.fromstring(await response.read())
        except (aiohttp.ClientError, TimeoutError, ElementTree.ParseError) as exc:
            log.warning("nginx-rtmp statistics unavailable: %s", exc)
            return set()
        for application in document.iter("application"):
            if application.findtext("name") != self.settings.app:
                continue
            for stream in application.iter("stream"):
                if stream.findtext("name") == stream_key:
                    return {
                        client.findtext("id", "")
                        for client in stream.iter("client")
                        if client.find("publishing") is None
                    }
        return set()

    async def drop_publisher(self, stream_key: str) -> None:
        """Disconnect whoever publishes ``stream_key`` (nginx-rtmp's control interface)."""
        if self._stat_client is None:
            return
        query = {"app": self.settings.app, "name": stream_key}
        try:
            async with self._stat_client.get("http://localhost/control/drop/publisher", params=query) as response:
                await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not drop the RTMP publisher: %s", exc)

    async def wait_for_new_player(self, stream_key: str, known: set[str]) -> None:
        """Return once a player not in ``known`` plays ``stream_key``; bound it with ``asyncio.timeout``."""
        while True:
            if await self.players(stream_key) - known:
                return
            await asyncio.sleep(0.01)

    def _prepare_runtime_dir(self, config: str) -> None:
        (self.settings.runtime_dir / "tmp").mkdir(parents=True, exist_ok=True)
        self._stop_stale_instance()
        self.pid_path.unlink(missing_ok=True)
        (self.settings.runtime_dir / STAT_SOCKET).unlink(missing_ok=True)
        tmp = self.config_path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        # Only our own user reads it: the hooks' URLs carry the token that admits a publisher.
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(config)
        os.replace(tmp, self.config_path)

    def _stop_stale_instance(self) -> None:
        """A HopSo killed with -9 leaves its nginx holding the port; stop it if it runs from our own config."""
        try:
            pid = int(self.pid_path.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except (OSError, ValueError):
            return
        if str(self.config_path.resolve()).encode() not in cmdline:
            return
        log.warning("stopping a stale nginx-rtmp (pid %s) left by an earlier run", pid)
        try:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + self.settings.stop_timeout
            while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        except ProcessLookupError:
            return

    def _log_tail(self, lines: int = 10) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
