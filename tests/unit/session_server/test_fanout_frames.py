"""The fan-out's prepared websocket frame is exactly what aiohttp would have written to each tablet."""

from __future__ import annotations

import asyncio
from unittest.mock import Mock

import pytest
from aiohttp import WSMsgType
from aiohttp._websocket.writer import WebSocketWriter

from session_server.realtime.fanout import text_frame


class Recorder(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def is_closing(self) -> bool:
        return False


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 200_000])
async def test_a_prepared_frame_is_byte_for_byte_what_aiohttp_writes(size: int) -> None:
    payload = (b"42/live," + b"x" * size)[:size]
    transport = Recorder()
    writer = WebSocketWriter(Mock(_paused=False), transport)

    await writer.send_frame(payload, WSMsgType.TEXT)

    assert text_frame(payload) == transport.written
