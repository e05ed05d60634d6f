"""The media worker as its own process (``hopso media-worker``): RTMP ingest, live HLS and recordings.

nginx-rtmp (this process's child, or its own container) calls the worker's hooks; the worker asks a HopSo server
over HTTP whether a stream key is valid and reports each stream's status to it, and HopSo tells the worker to arm,
cut, end or relay a session's stream. Both directions carry a bearer token derived from the shared secret key.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from media.events import StreamInfo, StreamStatus
from media.ingest.rtmp import HOOK_PUBLISH_DONE_PATH, HOOK_PUBLISH_PATH, RtmpIngest, RtmpIngestSettings
from media.names import InvalidName, check_session_key
from media.outputs.base import PacketOutput
from media.outputs.hls import HlsOutput
from media.outputs.recording import RecordingOutput
from media.outputs.relay import InvalidRelayUrl, RelayOutput
from media.sessions import SessionStreams

log = logging.getLogger(__name__)

CHECK_PATH = "/internal/media/check"
"""HopSo's: POST ``{"stream_key"}`` → 200 ``{"session_key", "public", "relay_url"}``, or 404 to refuse."""
STATUS_PATH = "/internal/media/status"
"""HopSo's: POST ``{"session_key", "status", "info", "hls"}``."""
CONTROL_PATH = "/internal/media/sessions/{session_key}/{action}"
"""The worker's: POST with ``arm`` ``{"public", "relay_url"}``, ``drop``, ``end``, ``relay`` ``{"url"}``."""
ACTIONS = ("arm", "drop", "end", "relay")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_ok(request: web.Request, token: str) -> bool:
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


class HopsoUnreachable(RuntimeError):
    """No HopSo server answered."""


@dataclass(frozen=True)
class RemoteSettings:
    hopso_urls: Sequence[str]
    """HopSo servers, tried in order: the first that answers takes the call."""
    token: str
    timeout: float = 10.0


@dataclass
class _Media:
    public: bool
    relay: RelayOutput


class MediaWorker:
    """RTMP ingest for every session, deciding on keys and reporting status through HopSo's HTTP API."""

    def __init__(self, ingest: RtmpIngestSettings, remote: RemoteSettings) -> None:
        self.remote = remote
        self._media: dict[str, _Media] = {}
        self._http: aiohttp.ClientSession | None = None
        self.sessions = SessionStreams(self._outputs, self, ingest.worker)
        self.ingest = RtmpIngest(ingest, self, self, self.sessions)

    async def _post(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.remote.timeout))
        problem: BaseException | None = None
        for url in self.remote.hopso_urls:
            try:
                async with self._http.post(
                    f"{url.rstrip('/')}{path}", json=body, headers=bearer(self.remote.token)
                ) as r:
                    return r.status, (await r.json() if r.status == 200 else {})
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = exc
        raise HopsoUnreachable(f"no HopSo server answered {path}: {problem}")

    # The StreamKeyAuthority that RtmpIngest asks.
    async def check(self, stream_key: str) -> str | None:
        try:
            status, answer = await self._post(CHECK_PATH, {"stream_key": stream_key})
        except HopsoUnreachable as exc:
            log.error("refusing an RTMP publish: %s", exc)
            return None
        if status != 200:
            return None
        session_key = str(answer["session_key"])
        self._remember(session_key, bool(answer.get("public")), answer.get("relay_url"))
        return session_key

    # The MediaEvents that StreamWorker reports to.
    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        media = self._media.get(session_key)
        body = {
            "session_key": session_key,
            "status": status.value,
            "info": info.as_dict(),
            "hls": bool(media and media.public),
        }
        try:
            answer, _ = await self._post(STATUS_PATH, body)
        except HopsoUnreachable as exc:
            log.error("stream status of session %s not reported: %s", session_key, exc)
            return
        if answer != 200:
            log.warning("stream status of session %s not recorded: HopSo answered %d", session_key, answer)

    def _remember(self, session_key: str, public: bool, relay_url: str | None) -> None:
        media = self._media.get(session_key)
        if media is None:
            self._media[session_key] = _Media(public, RelayOutput(url=relay_url or None))
        else:
            media.public = public
            media.relay.set_url(relay_url or None)

    def _outputs(self, session_key: str) -> Sequence[PacketOutput]:
        settings = self.ingest.settings
        recording = RecordingOutput(settings.recording, session_key)
        media = self._media.get(session_key)
        if media is None:
            return (recording,)
        # A closed session (họp kín) is recorded, but nothing of it is written where the public is served from.
        if media.public:
            return (HlsOutput(settings.hls, session_key), recording, media.relay)
        return (recording, media.relay)

    async def control(self, session_key: str, action: str, body: dict[str, Any]) -> None:
        if action == "arm":
            self._remember(session_key, bool(body.get("public")), body.get("relay_url"))
            await self.ingest.arm(session_key)
        elif action == "drop":
            await self.ingest.drop(session_key)
        elif action == "end":
            await self.ingest.end(session_key)
            self._media.pop(session_key, None)
        elif action == "relay" and session_key in self._media:
            self._media[session_key].relay.set_url(body.get("url") or None)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(HOOK_PUBLISH_PATH, self._on_publish)
        app.router.add_post(HOOK_PUBLISH_DONE_PATH, self._on_publish_done)
        app.router.add_post(CONTROL_PATH, self._on_control)
        app.router.add_get("/healthz", self._healthz)
        app.cleanup_ctx.append(self._running)
        return app

    async def _running(self, _app: web.Application) -> AsyncIterator[None]:
        await self.ingest.start()
        yield
        await self.ingest.close()
        if self._http is not None:
            await self._http.close()

    async def _on_publish(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        ok = await self.ingest.on_publish(form, request.query.get("token"))
        return web.Response(status=200 if ok else 403)

    async def _on_publish_done(self, request: web.Request) -> web.Response:
        form = {key: str(value) for key, value in (await request.post()).items()}
        await self.ingest.on_publish_done(form, request.query.get("token"))
        return web.Response()

    async def _on_control(self, request: web.Request) -> web.Response:
        if not token_ok(request, self.remote.token):
            return web.Response(status=403)
        action = request.match_info["action"]
        try:
            session_key = check_session_key(request.match_info["session_key"])
            body = await request.json() if request.can_read_body else {}
            if action not in ACTIONS or not isinstance(body, dict):
                raise ValueError(action)
            await self.control(session_key, action, body)
        except (InvalidName, InvalidRelayUrl, ValueError) as exc:
            return web.json_response({"error": str(exc)}, status=400)
        return web.json_response({"ok": True})

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "rtmp": self.ingest.available})
