"""Fixtures: a migrated database per test (SQLite always, PostgreSQL when HOPSO_TEST_POSTGRES_URL is set), the app."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import make_url

from media import rtmp_availability
from session_server.app import create_app
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.services import services_of
from session_server.settings import Settings, load_settings
from tests.factories import World, make_world
from tests.signing import signing_world  # noqa: F401 - the test CA, TSA and SoftHSM2 token, made once per run
from tests.support import TEST_SECRET_KEY, missing, require_executable

POSTGRES_URL = os.environ.get("HOPSO_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "hopso.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def _pg_dsn(database: str) -> str:
    url = make_url(POSTGRES_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    if not POSTGRES_URL:
        missing("HOPSO_TEST_POSTGRES_URL is not set (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test)")
    name = f"hopso_tpl_{uuid.uuid4().hex[:8]}"
    with ThreadPoolExecutor(1) as worker:
        worker.submit(_run_admin, f'CREATE DATABASE "{name}"').result()
        try:
            upgrade(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
            yield name
        finally:
            worker.submit(_run_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)').result()


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(_pg_dsn(make_url(POSTGRES_URL).database or "postgres"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _run_admin(sql: str) -> None:
    """For a thread of its own: the tests' event loop may be running in the calling one."""
    asyncio.run(_pg_admin(sql))


class PostgresCopies:
    """Fresh copies of the migrated template. Copying and dropping a database takes PostgreSQL a few tenths of a
    second, so the next copy is made, and a used one dropped, in the background while a test runs."""

    def __init__(self, template: str) -> None:
        self.template = template
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="postgres-copies")
        self._next = self._worker.submit(self._copy)
        self._drops: list[Future[None]] = []

    def take(self) -> str:
        """The URL of a copy nobody has used."""
        name = self._next.result()
        self._next = self._worker.submit(self._copy)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def give_back(self, url: str) -> None:
        self._drops.append(self._worker.submit(self._drop, make_url(url).database or ""))

    def close(self) -> None:
        self._drops.append(self._worker.submit(self._drop, self._next.result()))
        self._worker.shutdown(wait=True)
        for drop in self._drops:
            drop.result()

    def _copy(self) -> str:
        name = f"hopso_t_{uuid.uuid4().hex[:10]}"
        _run_admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    @staticmethod
    def _drop(name: str) -> None:
        _run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_copies(postgres_template: str) -> Iterator[PostgresCopies]:
    copies = PostgresCopies(postgres_template)
    yield copies
    copies.close()


@pytest.fixture
def postgres_database(postgres_copies: PostgresCopies) -> Iterator[str]:
    url = postgres_copies.take()
    yield url
    postgres_copies.give_back(url)


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "hopso.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> str:
    """A freshly migrated database; tests using it run once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_database")


def make_settings(tmp_path: Path, database_url: str, **overrides: Any) -> Settings:
    return load_settings(
        environ={},
        data_dir=tmp_path / "data",
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        rtmp_mode="off",
        **overrides,
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
async def client(aiohttp_client: Any, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings))


@pytest.fixture
async def world(client: TestClient) -> World:
    return await make_world(services_of(client.app).sessionmaker)


@pytest.fixture
async def sqlite_client(aiohttp_client: Any, tmp_path: Path, sqlite_database: str) -> TestClient:
    """For tests whose outcome cannot depend on the database (roles, validation, the API description)."""
    return await aiohttp_client(create_app(make_settings(tmp_path, sqlite_database)))


@pytest.fixture
async def sqlite_world(sqlite_client: TestClient) -> World:
    return await make_world(services_of(sqlite_client.app).sessionmaker)


@pytest.fixture
async def db_session(settings: Settings) -> AsyncIterator[Any]:
    engine = make_engine(settings.effective_database_url)
    async with make_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


@pytest.fixture
def ffmpeg_tools() -> None:
    """ffmpeg and ffprobe, or a skip (a failure under HOPSO_REQUIRE_ALL=1) naming the package."""
    require_executable("ffmpeg", "apt-get install ffmpeg")
    require_executable("ffprobe", "apt-get install ffmpeg")


@pytest.fixture
def nginx_rtmp(ffmpeg_tools: None) -> None:
    availability = rtmp_availability()
    if not availability.ok:
        missing(availability.reason)


@pytest.fixture
def ffprobe(ffmpeg_tools: None) -> Callable[..., dict[str, Any]]:
    """``ffprobe(path, *args)`` -> its JSON output; fails the test with ffprobe's errors if it finds any."""

    def run(path: Path, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-of", "json", *args, str(path)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 0 and not done.stderr.strip(), f"ffprobe {path.name}: {done.stderr}"
        return json.loads(done.stdout)

    return run
