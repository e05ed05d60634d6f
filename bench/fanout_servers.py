"""The two reference servers of the fan-out benchmark, each run as its own process.

`plain`: an aiohttp websocket broadcast speaking just enough Engine.IO/Socket.IO for the benchmark's clients; the
envelope is encoded once and the same frame written to every socket (the limit).
`socketio`: bare python-socketio, configured as HopSo configures it, emitting the same envelope to a room.
Both answer `join` and `doc.page` like HopSo does (emit, then ack `{ok, seq}`), without a database.

    python -m bench.fanout_servers plain|socketio PORT
"""

from __future__ import annotations

import itertools
import json
import sys
from datetime import UTC, datetime
from typing import Any

import socketio
from aiohttp import WSMsgType, web

ROOM = "live:1"


def envelope(seq: int, page: int) -> dict[str, Any]:
    """The shape and size of HopSo's `doc.page` envelope."""
    shown = {
        "document_id": 1,
        "title": "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2026",
        "classification": "public",
        "version": 1,
        "page": page,
        "page_count": 200,
        "presenter_member_id": None,
    }
    at = datetime.now(UTC).isoformat()
    return {"seq": seq, "type": "doc.page", "data": shown, "at": at, "state": {"presentation": shown}}


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def plain_app() -> web.Application:
    sockets: set[web.WebSocketResponse] = set()
    seqs = itertools.count(1)

    async def broadcast(page: int) -> int:
        seq = next(seqs)
        text = "42/live," + json.dumps(["event", envelope(seq, page)], separators=(",", ":"))
        frame = text.encode()
        for ws in list(sockets):
            await ws.send_frame(frame, WSMsgType.TEXT)
        return seq

    async def answer(ws: web.WebSocketResponse, text: str) -> None:
        body = text[len("42/live,") :]
        digits = len(body) - len(body.lstrip("0123456789"))
        name, data = json.loads(body[digits:])[:2]
        if name == "join":
            sockets.add(ws)
            result = {"ok": True, "seq": 0}
        else:
            result = {"ok": True, "seq": await broadcast(data["page"])}
        await ws.send_str(f"43/live,{body[:digits]}{json.dumps([result])}")

    async def handler(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_str('0{"sid":"plain","upgrades":[],"pingInterval":10000,"pingTimeout":10000,"maxPayload":65536}')
        try:
            async for message in ws:
                text = message.data
                if text.startswith("40/live,"):
                    await ws.send_str('40/live,{"sid":"plain"}')
                elif text.startswith("42/live,"):
                    await answer(ws, text)
        finally:
            sockets.discard(ws)
        return ws

    app = web.Application()
    app.router.add_get("/socket.io/", handler)
    app.router.add_get("/healthz", healthz)
    return app


def socketio_app() -> web.Application:
    sio = socketio.AsyncServer(
        async_mode="aiohttp", cors_allowed_origins=[], max_http_buffer_size=64 * 1024, ping_interval=10, ping_timeout=10
    )
    seqs = itertools.count(1)

    @sio.on("connect", namespace="/live")
    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        pass

    @sio.on("join", namespace="/live")
    async def join(sid: str, data: Any = None) -> dict[str, Any]:
        await sio.enter_room(sid, ROOM, namespace="/live")
        return {"ok": True, "seq": 0}

    @sio.on("doc.page", namespace="/live")
    async def doc_page(sid: str, data: Any = None) -> dict[str, Any]:
        seq = next(seqs)
        await sio.emit("event", envelope(seq, data["page"]), room=ROOM, namespace="/live")
        return {"ok": True, "seq": seq}

    app = web.Application()
    sio.attach(app)
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    app = {"plain": plain_app, "socketio": socketio_app}[kind]()
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
