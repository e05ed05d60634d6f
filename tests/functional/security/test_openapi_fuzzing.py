"""Every operation of /api/openapi.json fuzzed with Schemathesis against a running HopSo, signed in as staff: no input
gets a server error, and every refusal has the one error shape."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

import session_server.app  # noqa: F401 - importing the app registers every view module's routes
from session_server.api.routing import api
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import upgrade
from session_server.petitions.export import XLSX
from session_server.system.openapi import openapi_document
from session_server.system.views import PLAIN_PATHS
from tests.factories import make_live_world
from tests.support import HopsoProcess, free_port


@schemathesis.serializer(XLSX)
def _workbook_bytes(_ctx: object, value: object) -> bytes:
    """A workbook upload's body is whatever bytes were generated: HopSo must refuse what is no workbook."""
    return value if isinstance(value, bytes) else str(value).encode()


schema = schemathesis.openapi.from_dict(openapi_document(api.routes, PLAIN_PATHS)).exclude(
    path_regex="^/(socket.io/|metrics$)"
)


async def _staff_token(database_url: str) -> str:
    engine = make_engine(database_url)
    try:
        return (await make_live_world(make_sessionmaker(engine))).secretary.token
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HopsoProcess, str]]:
    """HopSo as a child process (Schemathesis calls it over HTTP from synchronous code) and a staff token."""
    folder: Path = tmp_path_factory.mktemp("openapi-fuzz")
    database_url = f"sqlite+aiosqlite:///{folder / 'hopso.sqlite3'}"
    upgrade(database_url)
    token = asyncio.run(_staff_token(database_url))
    env = {
        "HOPSO_DATA_DIR": str(folder / "data"),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "openapi-fuzz-secret",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "error",
    }
    process = HopsoProcess(env, free_port()).start(timeout=120)
    yield process, token
    process.stop()


@pytest.fixture
def running(server: tuple[HopsoProcess, str]) -> tuple[str, str]:
    return server[0].url, server[1]


@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_to_any_operation_gets_a_server_error_or_an_unshaped_refusal(
    case: schemathesis.Case, running: tuple[str, str]
) -> None:
    base_url, token = running
    response = case.call(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
    if response.status_code >= 400 and case.path.startswith("/api/"):
        error = response.json()["error"]
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]


def test_the_fuzzed_server_logged_no_traceback(server: tuple[HopsoProcess, str]) -> None:
    """Runs after the cases above, on the same server: whatever they sent, nothing failed unexpectedly inside."""
    log = server[0].log
    assert log is not None
    log.seek(0)
    text = log.read().decode(errors="replace")

    assert "Traceback" not in text, text[-4000:]
