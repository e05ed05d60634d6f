"""Staff arm a session's stream, revoke its key, set its relay; nginx-rtmp's hooks; WHIP; the live HLS files.

The hooks live under `/internal/`, outside `/api`: they are nginx-rtmp's, not a person's, so they carry no role
(the route table is for people) but a token, and the front proxy refuses `/internal/` from outside.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from media import HOOK_PUBLISH_DONE_PATH, HOOK_PUBLISH_PATH
from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import CouncilSession, MediaStream, utcnow
from session_server.errors import ApiError, confirmation_required, not_found
from session_server.inputs import parse_id
from session_server.live.guards import STATUS_VI
from session_server.streams import keys, remote, whip
from session_server.streams.schemas import KeyOut, RelayIn, RtmpOut, StreamKeyIn, StreamKeyOut, StreamOut
from session_server.streams.service import Streams, streams_of

HLS_FILE = re.compile(r"index\.m3u8|seg\d{6}\.ts")
HLS_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t"}


async def _session(ctx: Context, db: AsyncSession) -> CouncilSession:
    session = await db.get(CouncilSession, int_param(ctx, "session_id"))
    if session is None:
        raise not_found("Không có kỳ họp này.", "No such session.")
    ctx.require_council(session.council_id)
    return session


def _masked(url: str) -> str:
    """The relay target without its last path part, which holds the platform's stream key."""
    parts = urlsplit(url)
    path = parts.path.rsplit("/", 1)[0]
    return f"{parts.scheme}://{parts.netloc}{path}/…"


async def _stream_out(db: AsyncSession, streams: Streams, session: CouncilSession) -> StreamOut:
    state = streams.rtmp_state()
    key = await keys.active_key(db, session.id)
    relay = await db.get(MediaStream, session.id)
    return StreamOut(
        session_id=session.id,
        rtmp=RtmpOut(mode=state.mode, available=state.available, reason=state.reason),
        key=KeyOut(hint=key.hint, created_at=key.created_at) if key else None,
        relay=_masked(relay.relay_url) if relay and relay.relay_url else None,
        status=(session.snapshot or {}).get("stream") or {"status": "off"},
    )


@api.route(
    "GET",
    "/api/sessions/{session_id}/stream",
    permission=Permission.SESSION_WRITE,
    response=StreamOut,
    summary="The session's stream: RTMP availability (with the install line when off), key, relay, live status",
)
async def stream_status(ctx: Context) -> StreamOut:
    async with ctx.sessionmaker() as db:
        return await _stream_out(db, streams_of(ctx.request.app), await _session(ctx, db))


@api.route(
    "POST",
    "/api/sessions/{session_id}/stream/key",
    permission=Permission.SESSION_WRITE,
    body=StreamKeyIn,
    response=StreamKeyOut,
    status=201,
    summary="Arm the stream with a new key; replacing a key needs confirm: true, as the old one stops working and "
    "its encoder is cut; answers the RTMP and WHIP addresses",
)
async def issue_key(ctx: Context, body: StreamKeyIn) -> StreamKeyOut:
    streams = streams_of(ctx.request.app)
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db)
        if session.status in keys.FINISHED:
            raise ApiError(
                409,
                "closed",
                f"Kỳ họp {STATUS_VI[session.status]}; không phát trực tiếp được nữa.",
                f"The session is {session.status.value}; it can no longer be streamed.",
            )
        current = await keys.active_key(db, session.id)
        if current is not None and not body.confirm:
            raise confirmation_required(
                f"Tạo khóa mới: khóa đang dùng (…{current.hint}) hết hiệu lực ngay và bộ mã hóa đang phát bằng khóa "
                "đó bị ngắt; phải nhập khóa mới vào bộ mã hóa. Hãy xác nhận để tạo khóa mới.",
                f"A new key stops the current one (…{current.hint}) at once and cuts the encoder using it; the new key "
                "must be entered in the encoder. Confirm to make a new key.",
            )
        key, _ = await keys.issue(db, session.id, ctx.user.id if ctx.user else None)
        await db.commit()
        await streams.drop_publisher(session.id)
        await streams.arm(session.id, session.public)
        out = await _stream_out(db, streams, session)
    return StreamKeyOut(
        **out.model_dump(),
        stream_key=key,
        publish_url=streams.publish_url(key),
        whip_url=streams.whip_url(session.id),
    )


@api.route(
    "DELETE",
    "/api/sessions/{session_id}/stream/key",
    permission=Permission.SESSION_WRITE,
    response=StreamOut,
    summary="Revoke the stream key: its publisher is cut and refused from now on",
)
async def revoke_key(ctx: Context) -> StreamOut:
    streams = streams_of(ctx.request.app)
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db)
        await keys.revoke_all(db, session.id)
        await db.commit()
        await streams.drop_publisher(session.id)
        return await _stream_out(db, streams, session)


@api.route(
    "POST",
    "/api/sessions/{session_id}/stream/end",
    permission=Permission.SESSION_WRITE,
    response=StreamOut,
    summary="End the stream: key revoked, publisher cut, playlist and recording closed (closing the session does it)",
)
async def end_stream(ctx: Context) -> StreamOut:
    streams = streams_of(ctx.request.app)
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db)
    await streams.end(session.id)
    async with ctx.sessionmaker() as db:
        return await _stream_out(db, streams, await _session(ctx, db))


@api.route(
    "PUT",
    "/api/sessions/{session_id}/stream/relay",
    permission=Permission.SESSION_WRITE,
    body=RelayIn,
    response=StreamOut,
    summary="Relay the stream to a platform (rtmp:// or rtmps://; Facebook accepts only rtmps://)",
)
async def set_relay(ctx: Context, body: RelayIn) -> StreamOut:
    return await _save_relay(ctx, body.url)


@api.route(
    "DELETE",
    "/api/sessions/{session_id}/stream/relay",
    permission=Permission.SESSION_WRITE,
    response=StreamOut,
    summary="Stop relaying the stream",
)
async def clear_relay(ctx: Context) -> StreamOut:
    return await _save_relay(ctx, None)


async def _save_relay(ctx: Context, url: str | None) -> StreamOut:
    streams = streams_of(ctx.request.app)
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db)
        row = await db.get(MediaStream, session.id)
        if row is None:
            row = MediaStream(session_id=session.id)
            db.add(row)
        row.relay_url = url or ""
        row.updated_at = utcnow()
        await db.commit()
        await streams.set_relay(session.id, url)
        return await _stream_out(db, streams, session)


async def on_publish(request: web.Request) -> web.Response:
    """nginx-rtmp asks whether a publisher's key is valid: 2xx lets it in, 403 refuses it before media flows."""
    ingest = streams_of(request.app).ingest
    form = {key: str(value) for key, value in (await request.post()).items()}
    ok = ingest is not None and await ingest.on_publish(form, request.query.get("token"))
    return web.Response(status=200 if ok else 403)


async def on_publish_done(request: web.Request) -> web.Response:
    ingest = streams_of(request.app).ingest
    if ingest is not None:
        form = {key: str(value) for key, value in (await request.post()).items()}
        await ingest.on_publish_done(form, request.query.get("token"))
    return web.Response()


async def hls_file(request: web.Request) -> web.StreamResponse:
    """The live playlist and its segments; the names are checked, so no path from the request reaches the disk."""
    session_id, name = request.match_info["session_id"], request.match_info["name"]
    if parse_id(session_id) is None or not HLS_FILE.fullmatch(name):
        raise web.HTTPNotFound()
    path = streams_of(request.app).hls_root / session_id / name
    if not path.is_file():
        raise web.HTTPNotFound()
    suffix = path.suffix
    # The playlist changes every second; a segment never changes once it is listed.
    cache = "no-cache" if suffix == ".m3u8" else "public, max-age=3600"
    return web.FileResponse(path, headers={"Content-Type": HLS_TYPES[suffix], "Cache-Control": cache})


def install(app: web.Application) -> None:
    """Routes outside `/api`: nginx-rtmp's hooks, the media worker's (:mod:`session_server.streams.remote`), WHIP
    (:mod:`session_server.streams.whip`) and the HLS files."""
    whip.install(app)
    remote.install(app)
    app.router.add_post(HOOK_PUBLISH_PATH, on_publish)
    app.router.add_post(HOOK_PUBLISH_DONE_PATH, on_publish_done)
    app.router.add_get("/live/{session_id}/{name}", hls_file)
