"""A tablet in a few hundred bytes of state: Engine.IO v4 / Socket.IO v5 spoken directly over an aiohttp websocket.

Just enough of the wire format to connect to a namespace with auth, call an event with an ack, answer pings and
timestamp every event the server pushes; the events' text is parsed later, outside the measured path.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp

NAMESPACE = "/live"
TIMEOUT = 15.0


class WireError(Exception):
    """The server refused the connection or answered something this client does not understand."""


@dataclass
class Tablet:
    ws: aiohttp.ClientWebSocketResponse
    namespace: str = NAMESPACE
    received: list[tuple[float, str]] = field(default_factory=list)
    _acks: dict[int, asyncio.Future[Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _connected: asyncio.Future[None] | None = None
    _reader: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, http: aiohttp.ClientSession, base_url: str, auth: dict[str, Any] | None, deflate: bool = False
    ) -> Tablet:
        url = f"{base_url.replace('http', 'ws', 1)}/socket.io/?EIO=4&transport=websocket"
        ws = await http.ws_connect(
            url, compress=15 if deflate else 0, max_msg_size=0, timeout=aiohttp.ClientWSTimeout(ws_close=TIMEOUT)
        )
        tablet = cls(ws)
        try:
            async with asyncio.timeout(TIMEOUT):
                opening = await ws.receive_str()
                if not opening.startswith("0{"):
                    raise WireError(f"expected an Engine.IO open packet, got {opening[:80]!r}")
                tablet._connected = asyncio.get_running_loop().create_future()
                tablet._reader = asyncio.create_task(tablet._read())
                await ws.send_str(f"40{tablet.namespace},{json.dumps(auth or {})}")
                await tablet._connected
        except BaseException:
            await tablet.close()
            raise
        return tablet

    async def call(self, event: str, data: Any) -> tuple[float, Any]:
        """Emit with an ack; returns when the message was handed to the socket, and the ack's first argument."""
        ack_id = next(self._ids)
        answer = asyncio.get_running_loop().create_future()
        self._acks[ack_id] = answer
        packet = f"42{self.namespace},{ack_id}{json.dumps([event, data], separators=(',', ':'))}"
        sent_at = time.time()
        await self.ws.send_str(packet)
        async with asyncio.timeout(TIMEOUT):
            return sent_at, await answer

    def drain(self) -> list[tuple[float, dict[str, Any]]]:
        """The envelopes of the `event` pushes received since the last drain, with their arrival times."""
        prefix = len(self.namespace) + 3
        texts, self.received = self.received, []
        out = []
        for at, text in texts:
            name, envelope = json.loads(text[prefix:])[:2]
            if name == "event":
                out.append((at, envelope))
        return out

    async def close(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self.ws.close()

    async def _read(self) -> None:
        event_prefix = f"42{self.namespace},"
        async for message in self.ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            text: str = message.data
            if text.startswith(event_prefix):
                self.received.append((time.time(), text))
            elif text == "2":
                await self.ws.send_str("3")
            else:
                self._control(text)
        self._fail(WireError("the server closed the connection"))

    def _control(self, text: str) -> None:
        ns = self.namespace
        if text.startswith(f"43{ns},"):
            body = text[len(ns) + 3 :]
            digits = len(body) - len(body.lstrip("0123456789"))
            answer = self._acks.pop(int(body[:digits]), None)
            if answer and not answer.done():
                answer.set_result((json.loads(body[digits:]) or [None])[0])
        elif text.startswith(f"40{ns},") and self._connected and not self._connected.done():
            self._connected.set_result(None)
        elif text.startswith(f"44{ns},"):
            self._fail(WireError(f"connection refused: {text[len(ns) + 3 :]}"))

    def _fail(self, error: Exception) -> None:
        for future in [self._connected, *self._acks.values()]:
            if future and not future.done():
                future.set_exception(error)
