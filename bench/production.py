"""The production shape of docker-compose.yml as processes on this machine: PostgreSQL, Redis, HopSo replicas, nginx.

    .venv/bin/python -m bench.production [--replicas 2] [--port 8088] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

- a fresh PostgreSQL database on the server given (created and migrated with `hopso migrate`), dropped at the end
  unless --keep;
- its own `redis-server` on a free loopback port (Socket.IO's pub/sub channel is global to a Redis server, so two
  deployments must not share one);
- `hopso serve` replicas on one data folder, HOPSO_REDIS_URL set, media_mode "external";
- `hopso media-worker` on the same data folder when nginx has the RTMP module: its nginx-rtmp child takes the
  publishers, it asks the replicas over HTTP whether a stream key is valid and reports stream status to them, and
  writes HLS and recordings into the data folder (in docker-compose.yml nginx-rtmp is a container of its own);
- nginx in front with config/nginx/front.conf, rendered for loopback ports and the local data folder: websocket
  upgrade, hashed client routing, HLS files served by nginx from data/hls.

The fault tests (tests/functional/faults) and bench/load.py start the same shape through :class:`Production`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bench.fanout_workers import die_with_parent

REPO = Path(__file__).resolve().parent.parent
FRONT_CONF = REPO / "config" / "nginx" / "front.conf"
DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
START_TIMEOUT = 120.0
METRICS_TOKEN = "production-shape-metrics"
"""The replicas' /metrics answer a scraper sending this bearer token."""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def executable(name: str) -> str | None:
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")


def write_self_signed(folder: Path, host: str = "127.0.0.1") -> Path:
    """``fullchain.pem`` and ``privkey.pem`` for ``host``, as a deployment puts them where front.conf reads them."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder


def render_front(port: int, tls_port: int, upstreams: list[int], data_dir: Path, workdir: Path) -> str:
    """config/nginx/front.conf with loopback ports and local paths; every replaced text must still be in the file.

    The HTTPS server listens on ``tls_port`` with a self-signed certificate and, for clients on this machine that
    do not check certificates, on plain ``port`` as well; the redirecting HTTP server gets a port nobody uses.
    """
    text = FRONT_CONF.read_text()
    servers = "\n        ".join(f"server 127.0.0.1:{upstream} max_fails=1 fail_timeout=10s;" for upstream in upstreams)
    replacements = {
        "user www-data;": f"user {pwd.getpwuid(os.getuid()).pw_name};",
        "pid /run/nginx.pid;": f"pid {workdir / 'nginx.pid'};",
        "access_log /dev/stdout;": f"access_log {workdir / 'logs' / 'nginx-access.log'};",
        "server hopso:8080;": servers,
        "listen 443 ssl;": f"listen 127.0.0.1:{port};\n        listen 127.0.0.1:{tls_port} ssl;",
        "listen 80 default_server;": f"listen 127.0.0.1:{free_port()} default_server;",
        "/etc/nginx/tls/": f"{write_self_signed(workdir / 'tls')}/",
        "alias /data/hls/": f"alias {data_dir / 'hls'}/",
    }
    for old, new in replacements.items():
        if old not in text:
            raise RuntimeError(f"{FRONT_CONF} no longer contains {old!r}; update bench/production.py")
        text = text.replace(old, new)
    temp_paths = "".join(
        f"    {kind}_temp_path {workdir / 'nginx' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return text.replace("\nhttp {\n", "\nhttp {\n" + temp_paths, 1)


def _run_async(coroutine: object) -> None:
    """Run a coroutine to the end from synchronous code, whether or not the caller is inside an event loop."""
    with ThreadPoolExecutor(1) as worker:
        worker.submit(asyncio.run, coroutine).result()  # type: ignore[arg-type]


async def _admin(admin_url: str, sql: str) -> None:
    url = make_url(admin_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Child:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                env={**os.environ, **self.env},
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=die_with_parent,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as in a crash: no shutdown code runs."""
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def wait_until_ready(self, health_url: str | None) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"{self.name} exited:\n{self.log.read_text(errors='replace')[-3000:]}")
            if _answers(self.port, health_url):
                return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} did not answer on port {self.port}")


def _answers(port: int, health_url: str | None) -> bool:
    import socket

    try:
        if health_url is None:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        with urllib.request.urlopen(health_url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


@dataclass
class Production:
    """Start with :meth:`start`, end with :meth:`stop`; replicas can be killed and restarted in between."""

    workdir: Path
    replicas: int = 2
    front_port: int = 0
    tls_port: int = 0
    postgres_admin_url: str = DEFAULT_POSTGRES
    database_url: str = ""
    """Given: used as is (already migrated). Empty: a fresh database is created on postgres_admin_url."""
    redis_url: str = ""
    """Given: used as is. Empty: this shape starts its own redis-server."""
    media: bool = True
    log_level: str = "warning"
    keep_database: bool = False
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    hopso: list[Child] = field(default_factory=list)
    redis: Child | None = None
    nginx: Child | None = None
    media_worker: Child | None = None
    rtmp_port: int = 0
    _media_port: int = 0
    _created_database: str = ""

    @property
    def data_dir(self) -> Path:
        return self.workdir / "data"

    @property
    def front_url(self) -> str:
        return f"http://127.0.0.1:{self.front_port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.hopso[index].port}"

    def start(self) -> Production:
        (self.workdir / "logs").mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.front_port = self.front_port or free_port()
        self.tls_port = self.tls_port or free_port()
        try:
            self._database()
            self._redis()
            if self.media_here:
                self.rtmp_port, self._media_port = free_port(), free_port()
            for index in range(self.replicas):
                self.hopso.append(self._replica(index))
            for replica in self.hopso:
                replica.start()
            for index, replica in enumerate(self.hopso):
                replica.wait_until_ready(f"{self.replica_url(index)}/healthz")
            if self.media_here:
                self._media_worker()
            self._front()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for child in [self.nginx, self.media_worker, *self.hopso, self.redis]:
            if child is not None:
                child.stop()
        if self._created_database and not self.keep_database:
            _run_async(
                _admin(self.postgres_admin_url, f'DROP DATABASE IF EXISTS "{self._created_database}" WITH (FORCE)')
            )
            self._created_database = ""

    def start_replica(self, index: int) -> None:
        replica = self.hopso[index]
        replica.start().wait_until_ready(f"{self.replica_url(index)}/healthz")

    def kill_replica(self, index: int) -> None:
        self.hopso[index].kill()

    def restart_redis(self, down_seconds: float = 0.0) -> None:
        assert self.redis is not None, "this shape uses a Redis it did not start"
        self.redis.kill()
        time.sleep(down_seconds)
        self.redis.start().wait_until_ready(None)

    def _database(self) -> None:
        if self.database_url:
            return
        name = f"hopso_prod_{uuid.uuid4().hex[:8]}"
        _run_async(_admin(self.postgres_admin_url, f'CREATE DATABASE "{name}"'))
        self._created_database = name
        self.database_url = make_url(self.postgres_admin_url).set(database=name).render_as_string(hide_password=False)
        done = subprocess.run(
            [str(Path(sys.executable).with_name("hopso")), "migrate"],
            env={**os.environ, **self._env()},
            capture_output=True,
            text=True,
            timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"hopso migrate failed:\n{done.stdout}\n{done.stderr}")

    def _redis(self) -> None:
        if self.redis_url:
            return
        binary = executable("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server), or pass --redis")
        port = free_port()
        argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.redis = Child("redis", argv, {}, self.workdir / "logs" / "redis.log", port).start()
        self.redis.wait_until_ready(None)
        self.redis_url = f"redis://127.0.0.1:{port}/0"

    @property
    def media_here(self) -> bool:
        return self.media and _rtmp_available()

    def _env(self) -> dict[str, str]:
        media = {
            "HOPSO_MEDIA_MODE": "external",
            "HOPSO_MEDIA_WORKER_URL": f"http://127.0.0.1:{self._media_port}",
            "HOPSO_MEDIA_HOPSO_URL": ",".join(self.replica_url(i) for i in range(len(self.hopso))),
            "HOPSO_RTMP_MODE": "embedded",
            "HOPSO_RTMP_PORT": str(self.rtmp_port),
        }
        return {
            "HOPSO_DATA_DIR": str(self.data_dir),
            "HOPSO_DATABASE_URL": self.database_url,
            "HOPSO_REDIS_URL": self.redis_url,
            "HOPSO_SECRET_KEY": self.secret_key,
            "HOPSO_METRICS_TOKEN": METRICS_TOKEN,
            "HOPSO_HOST": "127.0.0.1",
            "HOPSO_PUBLIC_URL": self.front_url,
            "HOPSO_TRUST_FORWARDED_FOR": "true",
            "HOPSO_LOG_LEVEL": self.log_level,
        } | (media if self._media_port else {"HOPSO_RTMP_MODE": "off"})

    def _replica(self, index: int) -> Child:
        port = free_port()
        env = {**self._env(), "HOPSO_PORT": str(port)}
        argv = [str(Path(sys.executable).with_name("hopso")), "serve"]
        return Child(f"hopso-{index + 1}", argv, env, self.workdir / "logs" / f"hopso-{index + 1}.log", port)

    def _media_worker(self) -> None:
        env = {**self._env(), "HOPSO_PORT": str(self._media_port)}
        argv = [str(Path(sys.executable).with_name("hopso")), "media-worker"]
        log = self.workdir / "logs" / "media-worker.log"
        self.media_worker = Child("media-worker", argv, env, log, self._media_port).start()
        self.media_worker.wait_until_ready(f"http://127.0.0.1:{self._media_port}/healthz")

    def _front(self) -> None:
        nginx = executable("nginx")
        if nginx is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.workdir / "nginx" / kind).mkdir(parents=True, exist_ok=True)
        config = self.workdir / "front.conf"
        config.write_text(
            render_front(self.front_port, self.tls_port, [r.port for r in self.hopso], self.data_dir, self.workdir)
        )
        argv = [nginx, "-p", f"{self.workdir}/", "-e", "stderr", "-c", str(config), "-g", "daemon off;"]
        self.nginx = Child("nginx", argv, {}, self.workdir / "logs" / "nginx.log", self.front_port).start()
        self.nginx.wait_until_ready(f"{self.front_url}/healthz")


def _rtmp_available() -> bool:
    from media import rtmp_availability

    return rtmp_availability().ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8088, help="nginx front port on 127.0.0.1")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL URL allowed to create databases")
    parser.add_argument("--redis", default="", help="use this Redis instead of starting one")
    parser.add_argument("--workdir", type=Path, help="data folder and logs (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument("--demo", action="store_true", help="load the demo council (hopso demo)")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="hopso-production-"))
    shape = Production(
        workdir,
        args.replicas,
        args.port,
        args.postgres,
        redis_url=args.redis,
        keep_database=args.keep,
        log_level="info",
    )
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    shape.start()
    try:
        if args.demo:
            subprocess.run([str(Path(sys.executable).with_name("hopso")), "demo"], env={**os.environ, **shape._env()})
        print(f"HopSo (production shape) at {shape.front_url}/ and https://127.0.0.1:{shape.tls_port}/ (self-signed)")
        print(f"  database  {make_url(shape.database_url).render_as_string(hide_password=True)}")
        print(f"  redis     {shape.redis_url}")
        for index, replica in enumerate(shape.hopso):
            print(f"  {replica.name}   {shape.replica_url(index)} (pid {replica.pid})")
        if shape.media_worker is not None:
            print(f"  media     rtmp://127.0.0.1:{shape.rtmp_port}/live/KEY (pid {shape.media_worker.pid})")
        else:
            print("  media     off (nginx has no RTMP module)")
        print(f"  data      {shape.data_dir}\n  logs      {workdir / 'logs'}\nCtrl-C stops everything.")
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()
    finally:
        shape.stop()


if __name__ == "__main__":
    main()
