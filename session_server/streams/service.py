"""The streams component: builds RTMP and WHIP ingest, decides on keys, reports status to live sessions."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media import (
    INSTALL_HINT,
    HlsOutput,
    HlsSettings,
    PacketOutput,
    PullSettings,
    RecordingOutput,
    RecordingSettings,
    RtmpIngest,
    RtmpIngestSettings,
    StreamInfo,
    StreamStatus,
    WorkerSettings,
    rtmp_availability,
)
from media.ingest.whip import WhipAnswer, WhipIngest
from media.outputs.relay import RelayOutput
from media.sessions import SessionStreams
from session_server.db.models import MediaStream
from session_server.errors import ApiError
from session_server.live.dispatcher import CommandResult, Dispatcher
from session_server.settings import Settings
from session_server.streams import keys
from session_server.streams.remote import MediaWorkerClient, media_token

log = logging.getLogger(__name__)

STATUS_REPEAT_SECONDS = 30.0
"""A LIVE report that only brings a new bitrate becomes an event at most this often."""


@dataclass(frozen=True)
class RtmpState:
    mode: str
    available: bool
    reason: str
    """Why RTMP ingest is off, with the install line; empty when it runs."""


@dataclass
class _Media:
    public: bool
    relay: RelayOutput


@dataclass
class _Sent:
    status: StreamStatus
    figures: StreamInfo
    at: float


def hook_token(settings: Settings) -> str:
    """Embedded nginx gets a token derived from the secret key; an external one carries the configured token."""
    if settings.rtmp_mode == "embedded":
        return hmac.new(settings.secret_key.encode(), b"hopso rtmp hook", hashlib.sha256).hexdigest()[:32]
    return settings.rtmp_hook_token


def _loopback(host: str) -> str:
    return "127.0.0.1" if host in ("", "0.0.0.0", "::", "localhost") else host


class Streams:
    """Owns every session's stream in this process: keys, RTMP (nginx-rtmp) and WHIP ingest, outputs, status."""

    def __init__(
        self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], dispatcher: Dispatcher
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.dispatcher = dispatcher
        self._media: dict[str, _Media] = {}
        self._sent: dict[str, _Sent] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self.sessions = SessionStreams(self._outputs, self, WorkerSettings(PullSettings()))
        self.whip = WhipIngest(self.sessions)
        self.ingest: RtmpIngest | None = None
        self.remote: MediaWorkerClient | None = None
        """The media worker, when RTMP ingest runs in ``hopso media-worker`` instead of here."""
        if settings.media_mode == "external":
            self.remote = MediaWorkerClient(settings.media_worker_url, media_token(settings))
        elif settings.rtmp_mode != "off":
            rtmp = RtmpIngestSettings.for_data_dir(
                settings.data_dir,
                hopso_url=f"http://{_loopback(settings.host)}:{settings.port}",
                port=settings.rtmp_port,
                hook_token=hook_token(settings),
            )
            rtmp.embedded = settings.rtmp_mode == "embedded"
            rtmp.nginx.listen_host = settings.effective_rtmp_host if rtmp.embedded else settings.rtmp_pull_host
            self.ingest = RtmpIngest(rtmp, self, self, self.sessions)
        dispatcher.observers.append(self._after_command)

    @property
    def hls_root(self) -> Path:
        return self.settings.data_dir / "hls"

    async def start(self) -> None:
        if self.ingest is not None:
            await self.ingest.start()

    async def close(self) -> None:
        for task in list(self._tasks):
            await task
        await self.whip.close()
        if self.ingest is not None:
            await self.ingest.close()
        await self.sessions.close()
        if self.remote is not None:
            await self.remote.close()

    def rtmp_state(self) -> RtmpState:
        mode = self.settings.rtmp_mode
        if self.remote is not None:
            return RtmpState(mode, True, "")
        if self.ingest is None:
            return RtmpState(mode, False, f'RTMP ingest is off (rtmp_mode = "off"); to use it: {INSTALL_HINT}')
        if self.ingest.available:
            return RtmpState(mode, True, "")
        reason = self.ingest.unavailable_reason or rtmp_availability().reason
        return RtmpState(mode, False, reason)

    def publish_url(self, key: str) -> str:
        host = urlsplit(self.settings.effective_public_url).hostname or "127.0.0.1"
        if ":" in host:
            host = f"[{host}]"
        return f"rtmp://{host}:{self.settings.rtmp_port}/live/{key}"

    def whip_url(self, session_id: int) -> str:
        return f"{self.settings.effective_public_url}/whip/{session_id}"

    # The StreamKeyAuthority that RtmpIngest asks.
    async def check(self, stream_key: str) -> str | None:
        owner = await keys.owner_of(self.sessionmaker, stream_key)
        if owner is None:
            return None
        await self._remember(owner.session_id, owner.public)
        return str(owner.session_id)

    async def key_owner(self, stream_key: str) -> tuple[int, bool, str | None] | None:
        """For the media worker: the session a key publishes to, whether it is public, and its relay URL."""
        owner = await keys.owner_of(self.sessionmaker, stream_key)
        if owner is None:
            return None
        async with self.sessionmaker() as db:
            stream = await db.get(MediaStream, owner.session_id)
        return owner.session_id, owner.public, stream.relay_url if stream and stream.relay_url else None

    # The MediaEvents that StreamWorker reports to; ``hls`` comes from the media worker, which writes the playlist.
    async def stream_status(
        self, session_key: str, status: StreamStatus, info: StreamInfo, hls: bool | None = None
    ) -> None:
        figures = replace(info, bitrate_kbps=None, publisher=None)
        last = self._sent.get(session_key)
        now = time.monotonic()
        if (
            last is not None
            and last.status == status == StreamStatus.LIVE
            and last.figures == figures
            and now - last.at < STATUS_REPEAT_SECONDS
        ):
            return
        self._sent[session_key] = _Sent(status, figures, now)
        media = self._media.get(session_key)
        if hls is None:
            hls = bool(media and media.public)
        payload = info.as_dict() | {"status": status.value, "hls": hls}
        payload.pop("publisher", None)
        try:
            await self.dispatcher.run_system(int(session_key), "stream.status", payload)
        except ApiError as error:
            log.warning("stream status of session %s not recorded: %s", session_key, error.en)

    async def arm(self, session_id: int, public: bool) -> None:
        """Make the session's stream ready for a publisher (WHIP, and RTMP here or in the media worker)."""
        await self._remember(session_id, public)
        if self.remote is not None:
            relay = self._media[str(session_id)].relay.url
            await self.remote.send(session_id, "arm", {"public": public, "relay_url": relay})
            return
        async with self.sessions.lock:
            await self.sessions.arm(str(session_id))

    async def publish_whip(self, session_id: int, public: bool, offer: str, publisher: str) -> WhipAnswer:
        """Answer a WHIP offer whose key was checked; raises :class:`media.ingest.whip.WhipRefused`."""
        await self._remember(session_id, public)
        return await self.whip.publish(str(session_id), offer, publisher)

    async def drop_publisher(self, session_id: int) -> None:
        await self.whip.drop(str(session_id))
        if self.remote is not None:
            await self.remote.send(session_id, "drop")
        if self.ingest is not None:
            await self.ingest.drop(str(session_id))

    async def end(self, session_id: int) -> None:
        """The session's stream is over: keys revoked, publisher cut, playlist and recording closed."""
        async with self.sessionmaker() as db:
            await keys.revoke_all(db, session_id)
            await db.commit()
        await self.whip.drop(str(session_id))
        if self.remote is not None:
            await self.remote.send(session_id, "end")
        if self.ingest is not None:
            await self.ingest.end(str(session_id))
        await self.sessions.end(str(session_id))
        self._media.pop(str(session_id), None)
        self._sent.pop(str(session_id), None)

    async def set_relay(self, session_id: int, url: str | None) -> None:
        """Apply a new relay URL to a running stream from its next keyframe."""
        media = self._media.get(str(session_id))
        if media is not None:
            media.relay.set_url(url)
        if self.remote is not None:
            await self.remote.send(session_id, "relay", {"url": url})

    async def _remember(self, session_id: int, public: bool) -> None:
        key = str(session_id)
        if key in self._media:
            self._media[key].public = public
            return
        async with self.sessionmaker() as db:
            stream = await db.get(MediaStream, session_id)
        self._media[key] = _Media(public, RelayOutput(url=stream.relay_url if stream and stream.relay_url else None))

    def _outputs(self, session_key: str) -> Sequence[PacketOutput]:
        hls = HlsOutput(HlsSettings(root=self.hls_root), session_key)
        recording = RecordingOutput(RecordingSettings(root=self.settings.data_dir / "recordings"), session_key)
        media = self._media.get(session_key)
        if media is None:
            return (recording,)
        # A closed session (họp kín) is recorded, but nothing of it is written where the public is served from.
        return (hls, recording, media.relay) if media.public else (recording, media.relay)

    async def _after_command(self, session_id: int, result: CommandResult) -> None:
        if any(event.type == "session.closed" for event in result.events):
            task = asyncio.create_task(self.end(session_id), name=f"stream-end-{session_id}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


STREAMS_KEY = web.AppKey("hopso.streams", Streams)


def streams_of(app: web.Application) -> Streams:
    return app[STREAMS_KEY]


async def streams_component(app: web.Application) -> AsyncIterator[None]:
    """The app's cleanup context: nginx-rtmp starts with the app and stops with it."""
    streams = streams_of(app)
    await streams.start()
    yield
    await streams.close()
