"""Room broadcasts at the cost of a plain websocket write per tablet, with the same bytes on the wire.

python-socketio's own emit encodes the packet once but then pays per client: an asyncio task, a coroutine chain into
Engine.IO, a put on the client's queue, a wake-up of the client's writer task (whose `wait_for` starts one more task
and a timer on every wake-up) and the UTF-8 encoding of the same text. At 500 tablets that is most of the CPU of a
page change. Here the frame is built once and written straight into each client's websocket, so long as Engine.IO
holds nothing older for that client (queued, or taken by its writer and not yet written); otherwise the packet goes
through Engine.IO's queue as before, which keeps every client's packets in order. For a client without compression
the whole websocket frame, header included, is the same for everyone: it is built once per emit and handed to each
client's transport in a plain loop, without a coroutine per client.

The managers below make this the local delivery of every emit without a callback: in one process, and with Redis,
where each process delivers to its own clients what it gets from the others (python-socketio's pub/sub manager
calls the local emit of the class that comes after it in the method resolution order). A client manager is
python-socketio's public extension point; what the fan-out needs beyond it (the transport under each Engine.IO
socket, and whether Engine.IO still holds packets for it) has no public API, so it takes exactly the hooks named in
HOOKS, checks them when the server is built (`check_engine`) and refuses to start on a python-engineio that moved
them; pyproject.toml pins the versions they were read from.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import struct
import weakref
from importlib.metadata import version
from typing import Any

import engineio
import socketio
from aiohttp import WSMsgType, web
from engineio import packet as eio_packet
from engineio.async_drivers import aiohttp as eio_aiohttp
from engineio.async_socket import AsyncSocket
from engineio.base_socket import BaseSocket
from socketio import packet as sio_packet

log = logging.getLogger(__name__)

# aiohttp compresses frames up to 16 KiB in the event loop, in order; larger ones in an executor task, which may
# start after a later frame. Large frames to compressing clients therefore take Engine.IO's queue.
SYNC_COMPRESS_LIMIT = 16 * 1024
# The websocket frame header and what deflate may add to incompressible data.
FRAME_HEADROOM = 1024


def text_frame(payload: bytes) -> bytes:
    """A final, unmasked, uncompressed text frame (RFC 6455 §5.2), byte for byte what aiohttp's server writes."""
    size = len(payload)
    if size < 126:
        return struct.pack("!BB", 0x81, size) + payload
    if size < 65536:
        return struct.pack("!BBH", 0x81, 126, size) + payload
    return struct.pack("!BBQ", 0x81, 127, size) + payload


class CountingQueue(asyncio.Queue[Any]):
    """Engine.IO's per-client queue, counting packets put and not yet taken by the writer (`task_done`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = 0

    def put_nowait(self, item: Any) -> None:
        super().put_nowait(item)
        self.pending += 1

    def task_done(self) -> None:
        super().task_done()
        self.pending -= 1


class DirectWebSocket(eio_aiohttp.WebSocket):
    """Engine.IO's aiohttp websocket, known to the fan-out while it is open, and knowing when Engine.IO is writing."""

    def __init__(self, handler: Any, server: Any) -> None:
        super().__init__(handler, server)
        self.writer_busy = 0
        self.request: web.BaseRequest | None = None

    async def __call__(self, environ: dict[str, Any]) -> Any:
        socket = getattr(self.handler, "__self__", None)
        if not isinstance(socket, AsyncSocket):
            return await super().__call__(environ)
        self.request = environ["aiohttp.request"]
        _websockets[socket] = self
        try:
            return await super().__call__(environ)
        finally:
            _websockets.pop(socket, None)

    async def send(self, message: bytes | str) -> None:
        # Engine.IO's writer only suspends inside this call; while it does, it may hold packets taken from the
        # queue and not yet written, so nothing may overtake them.
        self.writer_busy += 1
        try:
            await super().send(message)
        finally:
            self.writer_busy -= 1

    def takes_direct(self, socket: AsyncSocket, size: int) -> bool:
        """Whether a frame can be written now, after everything sent before it, and without waiting."""
        return self._engineio_idle(socket) and self._room_for(size)

    def _engineio_idle(self, socket: AsyncSocket) -> bool:
        queue = socket.queue
        busy = socket.upgrading or socket.closing or socket.closed or self.writer_busy
        return socket.upgraded and not busy and isinstance(queue, CountingQueue) and not queue.pending

    def _room_for(self, size: int) -> bool:
        # A tablet that reads slowly must not hold up the broadcast to the others: if this frame could make its
        # transport pause (and aiohttp wait for it to drain), the frame goes through Engine.IO's queue instead.
        ws, request = self._sock, self.request
        transport = request.transport if request else None
        if ws is None or ws.closed or transport is None or transport.is_closing() or request.protocol.writing_paused:
            return False
        if ws.compress and size > SYNC_COMPRESS_LIMIT:
            return False
        _, high_water = transport.get_write_buffer_limits()
        return transport.get_write_buffer_size() + size + FRAME_HEADROOM <= high_water

    def write_now(self, socket: AsyncSocket, wire: bytes) -> bool:
        """Hand a prepared uncompressed frame (`text_frame`) to the transport if it may go now; False otherwise."""
        if self._sock is None or self._sock.compress or not self.takes_direct(socket, len(wire)):
            return False
        assert self.request is not None and self.request.transport is not None
        self.request.transport.write(wire)
        return True

    async def write(self, frame: bytes) -> None:
        assert self._sock is not None
        await self._sock.send_frame(frame, WSMsgType.TEXT)


_websockets: weakref.WeakKeyDictionary[AsyncSocket, DirectWebSocket] = weakref.WeakKeyDictionary()


class IncompatibleEngineIO(RuntimeError):
    """The installed python-engineio no longer offers a hook the fan-out takes."""


# Each hook the fan-out takes from Engine.IO, and how it is used. A release that changes one of them fails
# `check_engine` (and the server does not start) instead of silently losing speed or order.
HOOKS = {
    "AsyncServer._async['websocket']": "the class wrapping each websocket; replaced by DirectWebSocket",
    "AsyncServer.create_queue": "makes each client's packet queue; replaced to count packets not yet written",
    "aiohttp WebSocket(handler, server), ._sock": "the wrapper's constructor and its aiohttp WebSocketResponse",
    "AsyncSocket.poll/_websocket_handler call queue.task_done()": "a packet taken by the writer is no longer pending",
    "AsyncSocket.upgraded/upgrading/closing/closed/queue": "whether Engine.IO may still write to the client",
}


def check_engine(eio: engineio.AsyncServer) -> None:
    """Raise IncompatibleEngineIO naming every hook of HOOKS the installed Engine.IO no longer has."""
    missing = []
    drivers = getattr(eio, "_async", None)
    if not isinstance(drivers, dict) or not issubclass(drivers.get("websocket") or object, eio_aiohttp.WebSocket):
        missing.append("AsyncServer._async['websocket']")
    if not callable(getattr(eio, "create_queue", None)):
        missing.append("AsyncServer.create_queue")
    if list(inspect.signature(eio_aiohttp.WebSocket.__init__).parameters) != ["self", "handler", "server"] or (
        "_sock" not in vars(eio_aiohttp.WebSocket(None, None))
    ):
        missing.append("aiohttp WebSocket(handler, server), ._sock")
    if "task_done" not in inspect.getsource(AsyncSocket.poll) + inspect.getsource(AsyncSocket._websocket_handler):
        missing.append("AsyncSocket.poll/_websocket_handler call queue.task_done()")
    made = inspect.getsource(BaseSocket.__init__)
    if not all(f"self.{name} =" in made for name in ("upgraded", "upgrading", "closing", "closed", "queue")):
        missing.append("AsyncSocket.upgraded/upgrading/closing/closed/queue")
    if missing:
        raise IncompatibleEngineIO(
            f"python-engineio {version('python-engineio')} lacks what the fan-out takes: {', '.join(missing)}; "
            "install the version pinned in pyproject.toml or update session_server/realtime/fanout.py"
        )


def install(eio: engineio.AsyncServer) -> None:
    """Give the Engine.IO server counting queues and websockets the fan-out can write to (aiohttp mode only)."""
    if eio.async_mode != "aiohttp":
        return
    check_engine(eio)
    eio.create_queue = lambda *args, **kwargs: CountingQueue(*args, **kwargs)  # type: ignore[method-assign]
    eio._async = {**eio._async, "websocket": DirectWebSocket}


class FanoutManager(socketio.AsyncManager):
    """python-socketio's in-process manager with the lean local delivery."""

    def set_server(self, server: socketio.AsyncServer) -> None:
        super().set_server(server)
        self.direct_frames = 0  # frames written straight to a websocket, past Engine.IO's queue
        # What HopSo's processes tell each other over Redis is no client's input: the plain JSON module reads it, not
        # the packets' guarded one.
        self.json = json
        install(server.eio)

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        room = to or room
        if namespace not in self.rooms:
            return
        if callback is not None:
            return await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback)
        arguments = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(sio_packet.EVENT, namespace=namespace, data=[event, *arguments]).encode()
        if isinstance(encoded, list):  # binary attachments travel as several packets: python-socketio's business
            return await super().emit(event, data, namespace, room=room, skip_sid=skip_sid, callback=callback)
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        frame = message.encode().encode()
        wire = text_frame(frame)
        skipped = skip_sid if isinstance(skip_sid, list) else [skip_sid]
        sockets, websockets = self.server.eio.sockets, _websockets
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skipped:
                continue
            socket = sockets.get(eio_sid)
            if socket is None:
                continue
            ws = websockets.get(socket)
            if ws is not None and ws.write_now(socket, wire):
                self.direct_frames += 1
            else:
                await _deliver(socket, ws, message, frame)


async def _deliver(socket: AsyncSocket, ws: DirectWebSocket | None, message: eio_packet.Packet, frame: bytes) -> None:
    """A client the prepared frame could not go to as it is: compressed, or through Engine.IO's queue."""
    if ws is None or not ws.takes_direct(socket, len(frame)):
        await socket.send(message)
        return
    try:
        await ws.write(frame)
    except ConnectionError:
        log.debug("tablet %s went away during a broadcast", socket.sid)


class RedisFanoutManager(socketio.AsyncRedisManager, FanoutManager):
    """Several processes through Redis; each delivers to its own clients with the lean local delivery."""


def make_manager(redis_url: str) -> socketio.AsyncManager:
    return RedisFanoutManager(redis_url) if redis_url else FanoutManager()
