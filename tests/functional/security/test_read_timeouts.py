"""A client cannot hold connections open by sending nothing: `hopso serve` closes one whose request head does not
arrive in time, and one whose body stops arriving; a client that hangs up mid-body is a client gone, not a database
fault (no "database is unreachable", no 503)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from session_server.db.migrate import upgrade
from tests.support import HopsoProcess, free_port

HALF_HEAD = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Cho: "
LOGIN_HEAD = (
    "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
)


@pytest.fixture(scope="module")
def serving(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HopsoProcess]:
    folder = tmp_path_factory.mktemp("read-timeouts")
    database_url = f"sqlite+aiosqlite:///{folder / 'hopso.sqlite3'}"
    upgrade(database_url)
    env = {
        "HOPSO_DATA_DIR": str(folder / "data"),
        "HOPSO_DATABASE_URL": database_url,
        "HOPSO_SECRET_KEY": "read-timeouts",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_HEADER_TIMEOUT_SECONDS": "2",
        "HOPSO_BODY_IDLE_SECONDS": "2",
    }
    server = HopsoProcess(env, free_port()).start(timeout=120)
    yield server
    server.stop()


def _server_log(server: HopsoProcess) -> str:
    assert server.log is not None
    server.log.seek(0)
    return server.log.read().decode(errors="replace")


def _closed_by_server(sock: socket.socket) -> bool:
    try:
        while chunk := sock.recv(1024):
            if b"HTTP/1.1 503" in chunk:
                return False
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_connections_that_never_finish_their_request_head_are_closed(serving: HopsoProcess) -> None:
    sockets = [socket.create_connection(("127.0.0.1", serving.port)) for _ in range(50)]
    try:
        for sock in sockets:
            sock.sendall(HALF_HEAD)
            sock.settimeout(15)
        started = time.monotonic()

        closed = [_closed_by_server(sock) for sock in sockets]

        assert all(closed)
        assert time.monotonic() - started < 15
    finally:
        for sock in sockets:
            sock.close()
    with socket.create_connection(("127.0.0.1", serving.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert sock.recv(64).startswith(b"HTTP/1.1 200")


def test_a_body_that_stops_arriving_ends_its_connection(serving: HopsoProcess) -> None:
    with socket.create_connection(("127.0.0.1", serving.port)) as sock:
        sock.sendall((LOGIN_HEAD + '{"username": "thư ký').encode())
        sock.settimeout(15)

        assert _closed_by_server(sock)

    time.sleep(0.5)
    log = _server_log(serving)
    assert "POST /api/auth/login: no body bytes for 2 s, connection closed" in log
    assert "unreachable" not in log and "Traceback" not in log


def test_a_client_that_hangs_up_mid_body_is_not_a_database_fault(serving: HopsoProcess) -> None:
    with socket.create_connection(("127.0.0.1", serving.port)) as sock:
        sock.sendall((LOGIN_HEAD + '{"username": "chu').encode())
        time.sleep(0.5)  # the server is reading the body
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    time.sleep(1)
    log = _server_log(serving)
    assert "POST /api/auth/login: the client went away" in log
    assert "unreachable" not in log and "Traceback" not in log
