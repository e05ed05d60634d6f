"""Input built to break the parsers, over REST and Socket.IO: JSON nested past any payload of ours is refused as
invalid with one line in the log (Python's parser would recurse until it fails), and a packet that cannot be read
is answered, not a traceback."""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.factories import World
from tests.functional.api.checks import error_of


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


async def test_a_json_body_of_nested_brackets_is_invalid_and_logs_one_line(
    sqlite_client: TestClient, sqlite_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    body = "[" * 100_000 + "]" * 100_000
    caplog.set_level(logging.WARNING)

    response = await sqlite_client.post(
        "/api/councils", data=body, headers={**sqlite_world.admin.headers, "Content-Type": "application/json"}
    )

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Dữ liệu JSON lồng nhau quá sâu."
    assert _tracebacks(caplog) == []
    assert [r.getMessage() for r in caplog.records if "deeper" in r.getMessage()] == [
        "POST /api/councils: JSON nested deeper than 32 levels refused"
    ]


async def _raw_socket(server: TestServer, namespace: str) -> aiohttp.ClientWebSocketResponse:
    """A websocket speaking Engine.IO and Socket.IO by hand, connected to `namespace`."""
    http = aiohttp.ClientSession()
    ws = await http.ws_connect(server.make_url("/socket.io/?EIO=4&transport=websocket"))
    ws._hopso_http = http  # type: ignore[attr-defined]
    assert (await ws.receive_str()).startswith("0{")
    await ws.send_str(f"40{namespace},")
    assert (await ws.receive_str()).startswith(f"40{namespace},")
    return ws


async def _ack(ws: aiohttp.ClientWebSocketResponse, prefix: str) -> Any:
    while True:
        message = await ws.receive_str(timeout=10)
        if message == "2":
            await ws.send_str("3")
        elif message.startswith(prefix):
            return json.loads(message[len(prefix) :])


async def _close(ws: aiohttp.ClientWebSocketResponse) -> None:
    await ws.close()
    await ws._hopso_http.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "packet",
    [
        pytest.param('42/public,7["join",' + "[" * 30_000 + "]" * 30_000 + "]", id="nested"),
        pytest.param('42/public,7["join", {"session_id": ', id="broken-json"),
        pytest.param('42/public,7["connect", {"HTTP_COOKIE": "hopso_session=x"}]', id="reserved-event-name"),
        pytest.param("42/public,7[]", id="no-event-name"),
        pytest.param("42/public,7[5, {}]", id="event-name-not-text"),
    ],
)
async def test_an_unreadable_socketio_command_is_answered_invalid_without_a_traceback(
    server: TestServer, caplog: pytest.LogCaptureFixture, packet: str
) -> None:
    ws = await _raw_socket(server, "/public")
    try:
        await ws.send_str(packet)
        [answer] = await _ack(ws, "43/public,7")
        await ws.send_str('42/public,8["join", {"session_id": 999}]')
        [after] = await _ack(ws, "43/public,8")
    finally:
        await _close(ws)

    assert answer["ok"] is False and answer["error"]["code"] == "invalid"
    assert after["error"]["code"] == "not_found", "the connection goes on"
    assert _tracebacks(caplog) == []


async def test_an_unknown_socketio_packet_type_logs_one_line(
    server: TestServer, caplog: pytest.LogCaptureFixture
) -> None:
    ws = await _raw_socket(server, "/public")
    try:
        await ws.send_str("49/public,")
        await ws.send_str('42/public,8["join", {"session_id": 999}]')
        [after] = await _ack(ws, "43/public,8")
    finally:
        await _close(ws)

    assert after["error"]["code"] == "not_found"
    assert _tracebacks(caplog) == []
    assert any("Socket.IO packet refused" in record.getMessage() for record in caplog.records)
