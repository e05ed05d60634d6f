"""WHIP ingest (RFC 9725): a browser or OBS publishes over WebRTC; each publisher is a child process.

The child (:mod:`media.whip_process`) answers the SDP offer, receives, decodes and encodes H.264/AAC, and
writes FLV into a pipe; the session's :class:`StreamWorker` reads that pipe like an RTMP pull, so HLS, the
recording and the relay are the same as for RTMP and a new publish is a discontinuity on the same timeline.
Who may publish (the bearer token) is decided by the owner before :meth:`WhipIngest.publish` is called.
"""

import asyncio
import contextlib
import json
import logging
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import av
from av.container import InputContainer

from media.ingest.encode import EncoderSettings
from media.ingest.pull import InputOpener, PullSettings
from media.sessions import SessionStreams

log = logging.getLogger(__name__)


@dataclass
class WhipSettings:
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    answer_timeout: float = 10.0
    """Seconds the child may take to answer the offer (ICE gathering included)."""
    idle_timeout: float = 10.0
    """Seconds without media after which a publisher counts as gone."""
    stop_timeout: float = 5.0
    """Seconds the child has to finish the FLV stream after being told to stop, before it is killed."""
    probe: PullSettings = field(default_factory=PullSettings)


class WhipRefused(Exception):
    """The offer cannot be served; ``reason`` is for the publisher's operator."""

    def __init__(self, reason: str, busy: bool = False) -> None:
        super().__init__(reason)
        self.busy = busy


@dataclass(frozen=True)
class WhipAnswer:
    resource_id: str
    sdp: str


class _Publisher:
    """One child process and the pipe its FLV comes through."""

    def __init__(self, session_key: str, resource_id: str, process: asyncio.subprocess.Process, read_fd: int) -> None:
        self.session_key = session_key
        self.resource_id = resource_id
        self.process = process
        self.read_fd: int | None = read_fd
        self.exited: asyncio.Task[None] | None = None
        self._pipe_lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"whip:{self.resource_id}"

    def take_pipe(self) -> int | None:
        """The read end, once: the stream's thread takes it, or the loop closes it if the thread never came."""
        with self._pipe_lock:
            fd, self.read_fd = self.read_fd, None
        return fd

    def close_pipe(self) -> None:
        fd = self.take_pipe()
        if fd is not None:
            os.close(fd)


@contextlib.contextmanager
def _flv_pipe(fd: int, probe: PullSettings) -> Iterator[InputContainer]:
    options = {"analyzeduration": str(int(probe.probe_seconds * 1_000_000)), "probesize": "65536"}
    with open(fd, "rb", buffering=0) as pipe, av.open(pipe, "r", format="flv", options=options) as container:
        yield container


class WhipIngest:
    def __init__(self, sessions: SessionStreams, settings: WhipSettings | None = None) -> None:
        self.sessions = sessions
        self.settings = settings or WhipSettings()
        self._publishers: dict[str, _Publisher] = {}
        """resource id -> publisher."""

    async def publish(self, session_key: str, offer: str, publisher: str = "") -> WhipAnswer:
        """Start a publisher for ``session_key`` from an SDP offer; raises :class:`WhipRefused`."""
        resource_id = secrets.token_urlsafe(12)
        async with self.sessions.lock:
            worker = await self.sessions.arm(session_key)
            if not self.sessions.claim(session_key, f"whip:{resource_id}"):
                raise WhipRefused("the session already has a publisher", busy=True)
        try:
            child = await self._spawn(session_key, resource_id, offer)
        except BaseException:
            self.sessions.release(session_key, f"whip:{resource_id}")
            raise
        try:
            sdp = await self._answer(child)
        except BaseException:
            await self._stop(child)
            raise
        self._publishers[resource_id] = child
        child.exited = asyncio.create_task(self._watch(child), name=f"whip-{resource_id}")
        worker.publish_input(self._opener(child), publisher)
        log.info("WHIP publish from %s accepted for session %s", publisher or "?", session_key)
        return WhipAnswer(resource_id, sdp)

    async def stop(self, session_key: str, resource_id: str) -> bool:
        """End one publish (the WHIP ``DELETE``); False if there is no such resource for the session."""
        child = self._publishers.get(resource_id)
        if child is None or child.session_key != session_key:
            return False
        await self._stop(child)
        return True

    async def drop(self, session_key: str) -> None:
        """Cut the session's WHIP publisher, if any (its key was revoked or its stream ended)."""
        children = [child for child in self._publishers.values() if child.session_key == session_key]
        await asyncio.gather(*(self._stop(child) for child in children))

    async def close(self) -> None:
        await asyncio.gather(*(self._stop(child) for child in list(self._publishers.values())))

    async def _spawn(self, session_key: str, resource_id: str, offer: str) -> _Publisher:
        read_fd, write_fd = os.pipe()
        try:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "media.whip_process", str(write_fd),
                stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
                pass_fds=(write_fd,),
            )  # fmt: skip
        except BaseException:
            os.close(read_fd)
            raise
        finally:
            os.close(write_fd)
        child = _Publisher(session_key, resource_id, process, read_fd)
        request = {
            "offer": offer,
            "encoder": self.settings.encoder.as_dict(),
            "idle_timeout": self.settings.idle_timeout,
        }
        assert process.stdin is not None
        process.stdin.write(json.dumps(request).encode() + b"\n")
        await process.stdin.drain()
        return child

    async def _answer(self, child: _Publisher) -> str:
        assert child.process.stdout is not None
        try:
            line = await asyncio.wait_for(child.process.stdout.readline(), self.settings.answer_timeout)
        except TimeoutError:
            raise WhipRefused("no answer to the offer in time") from None
        try:
            message = json.loads(line or b"{}")
        except ValueError:
            message = {}
        if "answer" not in message:
            raise WhipRefused(message.get("error") or "the offer could not be answered")
        return str(message["answer"])

    def _opener(self, child: _Publisher) -> InputOpener:
        def open_pipe(should_stop: Callable[[], bool]) -> contextlib.AbstractContextManager[InputContainer] | None:
            fd = child.take_pipe()
            if fd is None:
                return None
            return _flv_pipe(fd, self.settings.probe)

        return open_pipe

    async def _watch(self, child: _Publisher) -> None:
        """When the child ends (stopped, connection lost, idle), release the session for the next publisher."""
        assert child.process.stderr is not None
        errors = (await child.process.stderr.read()).decode(errors="replace").strip()
        await child.process.wait()
        if errors:
            log.warning("WHIP publisher %s of session %s: %s", child.resource_id, child.session_key, errors[-500:])
        self._publishers.pop(child.resource_id, None)
        self.sessions.release(child.session_key, child.name)

    async def _stop(self, child: _Publisher) -> None:
        process = child.process
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), self.settings.stop_timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
        if child.exited is not None:
            await child.exited
        else:
            self.sessions.release(child.session_key, child.name)
        # A pipe the stream's thread never took (the worker was closed first) is closed here.
        child.close_pipe()
