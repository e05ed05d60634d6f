"""WHIP (RFC 9725): `POST /whip/{session_id}` with an SDP offer starts a publish, `DELETE` on its `Location` ends it.

These routes live outside `/api`: the caller is an encoder or a browser page holding the session's stream key
as its bearer token, not a signed-in person, so the route table's roles do not apply. Only the stream key is
accepted (not a staff sign-in token): it is what an encoder holds, it names the session, and revoking it
cuts the publisher. Refusals (for `DELETE` too): no or unknown key 401, a revoked key 403, a session that has
ended 409; and a second publisher while one is connected 409 (the first one keeps the stream; staff re-arm,
which revokes the key and cuts it, to replace it).
CORS is open because the token, not a cookie, authorises.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from media.ingest.whip import WhipRefused
from session_server.api.context import context_of
from session_server.api.routing import error_response
from session_server.errors import ApiError, conflict, not_found
from session_server.inputs import parse_id
from session_server.live.guards import STATUS_VI
from session_server.middleware import bearer_token
from session_server.streams import keys
from session_server.streams.service import streams_of

MAX_OFFER_BYTES = 64 * 1024
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Expose-Headers": "Location",
}

Handler = Callable[[web.Request], Awaitable[web.Response]]


def _cors(handler: Handler) -> Handler:
    """CORS headers on every answer, refusals included, so a browser page can read why it was refused."""

    async def wrapped(request: web.Request) -> web.Response:
        try:
            response = await handler(request)
        except ApiError as error:
            response = error_response(error, context_of(request).lang)
            if error.status == 401:
                response.headers["WWW-Authenticate"] = 'Bearer realm="whip"'
        response.headers.update(CORS)
        return response

    return wrapped


def _session_id(request: web.Request) -> int:
    value = parse_id(request.match_info["session_id"])
    if value is None:
        raise not_found("Không có kỳ họp này.", "No such session.")
    return value


async def _holder(request: web.Request, session_id: int) -> keys.KeyHolder:
    """The key's holder if the bearer token is a key issued for this session; 409 once the session has ended,
    403 if the key was revoked."""
    token = bearer_token(request)
    holder = await keys.holder_of(context_of(request).sessionmaker, token) if token else None
    if holder is None or holder.session_id != session_id:
        raise ApiError(
            401,
            "unauthenticated",
            "Cần khóa phát trực tiếp của kỳ họp (Authorization: Bearer KHÓA).",
            "The session's stream key is required (Authorization: Bearer KEY).",
        )
    if holder.session_status in keys.FINISHED:
        raise conflict(
            f"Kỳ họp {STATUS_VI[holder.session_status]}; không phát trực tiếp được nữa.",
            f"The session is {holder.session_status.value}; it can no longer be streamed.",
        )
    if holder.revoked:
        raise ApiError(
            403,
            "forbidden",
            "Khóa phát trực tiếp này đã bị thu hồi; hãy dùng khóa mới.",
            "This stream key was revoked; use the new one.",
        )
    return holder


@_cors
async def publish(request: web.Request) -> web.Response:
    session_id = _session_id(request)
    holder = await _holder(request, session_id)
    if request.content_type != "application/sdp":
        raise ApiError(415, "unsupported_media_type", "Cần một SDP offer (application/sdp).", "Send an SDP offer.")
    if (request.content_length or 0) > MAX_OFFER_BYTES:
        raise ApiError(413, "too_large", "SDP offer quá lớn.", "The SDP offer is too large.")
    offer = (await request.read())[:MAX_OFFER_BYTES].decode(errors="replace")
    ctx = context_of(request)
    try:
        answer = await streams_of(request.app).publish_whip(session_id, holder.public, offer, ctx.client_address)
    except WhipRefused as refused:
        if refused.busy:
            raise conflict("Kỳ họp đang có một nguồn phát khác.", "The session already has a publisher.") from None
        raise ApiError(400, "invalid", f"Không nhận được SDP offer: {refused}", f"Unusable offer: {refused}") from None
    return web.Response(
        status=201,
        body=answer.sdp.encode(),
        content_type="application/sdp",
        headers={"Location": f"/whip/{session_id}/{answer.resource_id}"},
    )


@_cors
async def unpublish(request: web.Request) -> web.Response:
    session_id = _session_id(request)
    await _holder(request, session_id)
    if not await streams_of(request.app).whip.stop(str(session_id), request.match_info["resource_id"]):
        raise not_found("Không có phiên phát này.", "No such publish.")
    return web.Response(status=200)


@_cors
async def preflight(request: web.Request) -> web.Response:
    return web.Response(status=204, headers={"Accept-Post": "application/sdp"})


def install(app: web.Application) -> None:
    app.router.add_route("OPTIONS", "/whip/{session_id}", preflight)
    app.router.add_post("/whip/{session_id}", publish)
    app.router.add_route("OPTIONS", "/whip/{session_id}/{resource_id}", preflight)
    app.router.add_delete("/whip/{session_id}/{resource_id}", unpublish)
