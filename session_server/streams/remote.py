"""HopSo's side of the media worker that runs as its own process (``media_mode = "external"``).

The worker asks, over the internal routes here, whether a stream key is valid and reports each stream's status;
:class:`MediaWorkerClient` tells it to arm, cut, end or relay a session's stream. Both directions carry
:func:`media_token`, which every process derives from the shared secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from media import StreamInfo, StreamStatus
from media.remote import CHECK_PATH, CONTROL_PATH, STATUS_PATH, bearer, token_ok
from session_server.settings import Settings

if TYPE_CHECKING:
    from session_server.streams.service import Streams

log = logging.getLogger(__name__)

_INFO = TypeAdapter(StreamInfo)


def media_token(settings: Settings) -> str:
    return hmac.new(settings.secret_key.encode(), b"hopso media worker", hashlib.sha256).hexdigest()[:32]


class MediaWorkerClient:
    """Sends a session's stream commands to the media worker; a worker that does not answer is logged, not raised:
    the key in the database stays the authority, and the worker asks for it at the next publish."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._http: aiohttp.ClientSession | None = None

    async def send(self, session_id: int, action: str, body: dict[str, Any] | None = None) -> bool:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        path = CONTROL_PATH.format(session_key=session_id, action=action)
        try:
            async with self._http.post(f"{self.url}{path}", json=body or {}, headers=bearer(self.token)) as answer:
                if answer.status == 200:
                    return True
                log.error("media worker refused %s of session %s: %d", action, session_id, answer.status)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.error("media worker at %s unreachable for %s of session %s: %s", self.url, action, session_id, exc)
        return False

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    stream_key: str = Field(min_length=1, max_length=200)


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    session_key: str = Field(pattern=r"^\d{1,12}$")
    status: StreamStatus
    info: dict[str, Any]
    hls: bool


def _streams(request: web.Request) -> Streams:
    from session_server.streams.service import streams_of

    streams = streams_of(request.app)
    if streams.remote is None:
        raise web.HTTPNotFound()
    if not token_ok(request, media_token(streams.settings)):
        raise web.HTTPForbidden()
    return streams


async def on_check(request: web.Request) -> web.Response:
    """The worker asks which session a stream key publishes to: 200 with it, 404 to refuse the publisher."""
    streams = _streams(request)
    try:
        body = CheckIn.model_validate(await request.json())
    except (ValueError, ValidationError):
        raise web.HTTPBadRequest() from None
    owner = await streams.key_owner(body.stream_key)
    if owner is None:
        raise web.HTTPNotFound()
    session_id, public, relay_url = owner
    return web.json_response({"session_key": str(session_id), "public": public, "relay_url": relay_url})


async def on_status(request: web.Request) -> web.Response:
    streams = _streams(request)
    try:
        body = StatusIn.model_validate(await request.json())
        info = _INFO.validate_python(body.info)
    except (ValueError, ValidationError):
        raise web.HTTPBadRequest() from None
    await streams.stream_status(body.session_key, body.status, info, hls=body.hls)
    return web.json_response({"ok": True})


def install(app: web.Application) -> None:
    app.router.add_post(CHECK_PATH, on_check)
    app.router.add_post(STATUS_PATH, on_status)
