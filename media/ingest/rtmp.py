"""RTMP ingest for every session: nginx-rtmp in front, one :class:`StreamWorker` per armed session behind it.

Its owner (session_server) serves the two hook URLs and hands their forms to :meth:`RtmpIngest.on_publish`
and :meth:`RtmpIngest.on_publish_done`; it decides on stream keys through a :class:`StreamKeyAuthority`
and hears about streams through :class:`MediaEvents`.
"""

import asyncio
import hmac
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from media.events import MediaEvents
from media.ingest.hooks import HookError, StreamKeyAuthority, parse_hook
from media.ingest.nginx_rtmp import NginxRtmpServer, NginxRtmpSettings, RtmpUnavailable
from media.ingest.pull import PullSettings
from media.names import InvalidName, check_session_key
from media.outputs.base import PacketOutput
from media.outputs.hls import HlsOutput, HlsSettings
from media.outputs.recording import RecordingOutput, RecordingSettings
from media.sessions import SessionStreams
from media.worker import StreamWorker, WorkerSettings

log = logging.getLogger(__name__)

HOOK_PUBLISH_PATH = "/internal/rtmp/publish"
HOOK_PUBLISH_DONE_PATH = "/internal/rtmp/publish_done"


@dataclass
class RtmpIngestSettings:
    nginx: NginxRtmpSettings
    hls: HlsSettings
    recording: RecordingSettings
    worker: WorkerSettings = field(default_factory=lambda: WorkerSettings(PullSettings()))
    hook_token: str = ""
    """If set, a hook request must carry it (``?token=``): behind a reverse proxy every request looks local."""
    subscribe_timeout: float = 2.0
    """How long ``on_publish`` waits for HopSo's puller to subscribe before letting the publisher in."""
    required: bool = False
    """Fail at start when nginx-rtmp cannot run, instead of running with RTMP ingest off."""
    embedded: bool = True
    """Run nginx-rtmp as a child process; False: it runs on its own (a container) at ``nginx.listen_host``."""

    @classmethod
    def for_data_dir(
        cls, data_dir: Path, *, hopso_url: str = "http://127.0.0.1:8080", port: int = 1935, hook_token: str = ""
    ) -> "RtmpIngestSettings":
        """The usual layout: ``data_dir/hls``, ``data_dir/recordings``, nginx's files in ``data_dir/run/nginx-rtmp``."""
        query = f"?token={quote(hook_token, safe='')}" if hook_token else ""
        return cls(
            nginx=NginxRtmpSettings(
                runtime_dir=data_dir / "run" / "nginx-rtmp",
                on_publish_url=f"{hopso_url}{HOOK_PUBLISH_PATH}{query}",
                on_publish_done_url=f"{hopso_url}{HOOK_PUBLISH_DONE_PATH}{query}",
                port=port,
            ),
            hls=HlsSettings(root=data_dir / "hls"),
            recording=RecordingSettings(root=data_dir / "recordings"),
            hook_token=hook_token,
        )


class RtmpIngest:
    """Accepts RTMP publishers by stream key and turns each session's stream into HLS and a recording."""

    def __init__(
        self,
        settings: RtmpIngestSettings,
        authority: StreamKeyAuthority,
        events: MediaEvents,
        sessions: SessionStreams | None = None,
    ) -> None:
        """``sessions``: the workers shared with WHIP ingest; without it, RTMP has its own with the default outputs."""
        self.settings = settings
        self.authority = authority
        self.sessions = sessions or SessionStreams(self.default_outputs, events, settings.worker)
        self.server = NginxRtmpServer(settings.nginx)
        self.unavailable_reason: str | None = None
        self._publishing: dict[str, str] = {}
        """stream key -> session key, between on_publish and on_publish_done."""
        self._lock = self.sessions.lock

    @property
    def available(self) -> bool:
        return self.server.running or not self.settings.embedded

    async def start(self) -> None:
        """Start nginx-rtmp; without it (and not ``required``) RTMP stays off and ``unavailable_reason`` says why."""
        if not self.settings.embedded:
            return
        try:
            await self.server.start()
        except RtmpUnavailable as exc:
            if self.settings.required:
                raise
            self.unavailable_reason = str(exc)
            log.warning("%s", exc)
        else:
            self.unavailable_reason = None

    async def close(self) -> None:
        """Shut down: cut publishers, close files; playlists and recordings stay open for the next run."""
        await self.server.close()
        async with self._lock:
            self._publishing.clear()
        await self.sessions.close()

    def publish_url(self, stream_key: str, host: str) -> str:
        """What staff paste into the encoder: ``rtmp://HOST:PORT/live/STREAM_KEY``."""
        return f"rtmp://{host}:{self.settings.nginx.port}/{self.settings.nginx.app}/{stream_key}"

    def hls_playlist(self, session_key: str) -> Path:
        return self.settings.hls.root / check_session_key(session_key) / self.settings.hls.playlist_name

    def recording_dir(self, session_key: str) -> Path:
        return self.settings.recording.root / check_session_key(session_key)

    async def arm(self, session_key: str) -> StreamWorker:
        """Make the session ready for a publisher (reports WAITING); arming twice is harmless."""
        async with self._lock:
            return await self.sessions.arm(session_key)

    async def end(self, session_key: str) -> None:
        """The session's stream is over: disconnect its publisher, close the playlist and the recording.

        The encoder will likely retry; the authority should refuse its key from now on.
        """
        async with self._lock:
            stream_keys = [key for key, owner in self._publishing.items() if owner == session_key]
            for stream_key in stream_keys:
                del self._publishing[stream_key]
        for stream_key in stream_keys:
            await self.server.drop_publisher(stream_key)
        await self.sessions.end(session_key)

    async def drop(self, session_key: str) -> None:
        """Disconnect the session's publisher (its key was revoked); the stream waits for the next one."""
        async with self._lock:
            stream_keys = [key for key, owner in self._publishing.items() if owner == session_key]
        for stream_key in stream_keys:
            await self.server.drop_publisher(stream_key)

    async def on_publish(self, form: Mapping[str, str], token: str | None = None) -> bool:
        """Answer nginx's ``on_publish``: True means answer 2xx (publisher in), False means answer 403."""
        if not self._token_ok(token):
            return False
        try:
            hook = parse_hook(form)
        except HookError as exc:
            log.warning("refused RTMP publish: %s", exc)
            return False
        if hook.call != "publish" or hook.app != self.settings.nginx.app:
            return False
        session_key = await self.authority.check(hook.stream_key)
        if session_key is None:
            log.info("refused RTMP publish from %s: unknown stream key", hook.addr)
            return False
        async with self._lock:
            try:
                worker = await self.sessions.arm(session_key)
            except InvalidName:
                log.error("stream key authority gave an unusable session key %r", session_key)
                return False
            if not self.sessions.claim(session_key, f"rtmp:{hook.stream_key}"):
                log.info("refused RTMP publish from %s: session %s already has a publisher", hook.addr, session_key)
                return False
            self._publishing[hook.stream_key] = session_key
            known = await self.server.players(hook.stream_key)
            worker.publish(self.server.pull_url(hook.stream_key), hook.addr)
        if not self.server.running:
            # An external nginx-rtmp has no statistics socket here: the puller joins at the next keyframe.
            log.info("RTMP publish from %s accepted for session %s", hook.addr, session_key)
            return True
        # Answering lets the publisher send media; the puller subscribes first, so it gets the very first
        # keyframe (and a late puller still gets the stream from its next keyframe).
        try:
            async with asyncio.timeout(self.settings.subscribe_timeout):
                await self.server.wait_for_new_player(hook.stream_key, known)
        except TimeoutError:
            log.warning(
                "session %s: puller not subscribed within %.1f s; the start of the stream may be lost",
                session_key,
                self.settings.subscribe_timeout,
            )
        log.info("RTMP publish from %s accepted for session %s", hook.addr, session_key)
        return True

    async def on_publish_done(self, form: Mapping[str, str], token: str | None = None) -> None:
        """Take nginx's ``on_publish_done`` (answer it 200 whatever happens)."""
        if not self._token_ok(token):
            return
        try:
            hook = parse_hook(form)
        except HookError:
            return
        async with self._lock:
            session_key = self._publishing.pop(hook.stream_key, None)
            worker = self.sessions.worker(session_key) if session_key else None
            if session_key:
                self.sessions.release(session_key, f"rtmp:{hook.stream_key}")
        if worker is not None:
            worker.publish_done()

    def default_outputs(self, session_key: str) -> Sequence[PacketOutput]:
        """The live playlist and the recording."""
        return (HlsOutput(self.settings.hls, session_key), RecordingOutput(self.settings.recording, session_key))

    def worker(self, session_key: str) -> StreamWorker | None:
        """The session's stream while it is armed."""
        return self.sessions.worker(session_key)

    def _token_ok(self, token: str | None) -> bool:
        if not self.settings.hook_token:
            return True
        return token is not None and hmac.compare_digest(token.encode(), self.settings.hook_token.encode())
