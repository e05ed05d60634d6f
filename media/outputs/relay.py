"""Relay to a streaming platform (RTMP, or RTMPS as Facebook requires) by stream copy.

A platform that is slow or unreachable must never hold up the live playlist and the recording: the stream's
thread only queues copies of the packets; the relay's thread muxes them as FLV into a pipe to a child process
(:mod:`media.relay_process`) that connects and sends. The network is in the child because PyAV keeps the GIL
while an output connects or writes. When the queue overflows or the platform fails, the relay stops until the
next publish (or a new URL).
"""

import logging
import queue
import re
import subprocess
import sys
import threading
from dataclasses import dataclass
from fractions import Fraction

import av
from av.container import OutputContainer
from av.stream import Stream

from media.ingest.pull import describe_error
from media.outputs.base import Publish, Resume

log = logging.getLogger(__name__)

_RELAY_URL = re.compile(r"rtmps?://[^\s/?#@]+(:\d{1,5})?/\S*", re.IGNORECASE)


class InvalidRelayUrl(ValueError):
    """Not an ``rtmp://`` or ``rtmps://`` URL with a host."""


def check_relay_url(url: str) -> str:
    """Return ``url`` if it is an RTMP or RTMPS URL with a host and a path, else raise :class:`InvalidRelayUrl`."""
    if len(url) > 1000 or not _RELAY_URL.fullmatch(url):
        raise InvalidRelayUrl("the relay URL must be rtmp://HOST[:PORT]/PATH or rtmps://HOST[:PORT]/PATH")
    return url


@dataclass
class RelaySettings:
    queue_packets: int = 1500
    """Packets waiting for the platform (about 20 s of 1080p30 with audio) before the relay gives up."""
    open_timeout: float = 10.0
    write_timeout: float = 10.0


@dataclass(frozen=True)
class _Copy:
    data: bytes
    index: int
    pts: int | None
    dts: int | None
    duration: int | None
    time_base: Fraction
    keyframe: bool


_STOP = object()


class _Sender:
    """One connection to the platform for one publish: a container whose streams were made from the input's."""

    def __init__(self, url: str, publish: Publish, settings: RelaySettings) -> None:
        self.url = url
        self.failed = False
        self._queue: queue.Queue[object] = queue.Queue(settings.queue_packets)
        self._settings = settings
        self._process = subprocess.Popen(
            [sys.executable, "-m", "media.relay_process", url, str(settings.open_timeout), str(settings.write_timeout)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert self._process.stdin is not None
        # Nothing is written before the first mux, so building the container here does not block.
        self._container: OutputContainer = av.open(self._process.stdin, "w", format="flv")
        self._streams: dict[int, Stream] = {
            stream.index: self._container.add_stream_from_template(stream) for stream in publish.streams
        }
        self._thread = threading.Thread(target=self._run, name="media-relay", daemon=True)
        self._thread.start()

    def put(self, packet: av.Packet) -> None:
        copy = _Copy(
            bytes(packet),
            packet.stream.index,
            packet.pts,
            packet.dts,
            packet.duration,
            packet.time_base,
            packet.is_keyframe,
        )
        try:
            self._queue.put_nowait(copy)
        except queue.Full:
            log.error("relay: the platform does not keep up; relaying stops until the next publish")
            self.failed = True
            self.stop()

    def stop(self) -> None:
        """Let the thread send what is queued and close; never blocks the caller."""
        try:
            self._queue.put_nowait(_STOP)
        except queue.Full:
            self.failed = True
            with self._queue.mutex:
                self._queue.queue.clear()
            self._queue.put_nowait(_STOP)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            while isinstance(item := self._queue.get(), _Copy):
                if not self.failed:
                    self._send(item)
        finally:
            try:
                self._container.close()
            except (av.FFmpegError, OSError, ValueError) as exc:
                log.warning("relay: closing the connection failed: %s", describe_error(exc))
            self._finish_process()

    def _finish_process(self) -> None:
        process = self._process
        if process.stdin is not None and not process.stdin.closed:
            try:
                process.stdin.close()
            except OSError:
                self.failed = True
        try:
            process.wait(self._settings.open_timeout + self._settings.write_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
        if process.returncode != 0:
            self.failed = True
            log.error("relay: %s", errors or f"exit code {process.returncode}")

    def _send(self, copy: _Copy) -> None:
        packet = av.Packet(copy.data)
        packet.pts, packet.dts, packet.duration = copy.pts, copy.dts, copy.duration
        packet.time_base = copy.time_base
        packet.is_keyframe = copy.keyframe
        packet.stream = self._streams[copy.index]
        try:
            self._container.mux(packet)
        except (av.FFmpegError, OSError) as exc:
            log.error("relay: the platform refused or dropped the stream: %s", describe_error(exc))
            self.failed = True


class RelayOutput:
    """Copies the session's stream to ``url`` while it is set; a new URL takes effect at the next keyframe."""

    def __init__(self, settings: RelaySettings | None = None, url: str | None = None) -> None:
        self.settings = settings or RelaySettings()
        self.url = check_relay_url(url) if url else None
        self._publish: Publish | None = None
        self._has_video = False
        self._sender: _Sender | None = None
        self._finished: list[_Sender] = []

    @property
    def failed(self) -> bool:
        return self._sender is not None and self._sender.failed

    def set_url(self, url: str | None) -> None:
        """Relay to ``url`` from the next keyframe on (None stops relaying); callable from any thread."""
        self.url = check_relay_url(url) if url else None

    def start(self) -> Resume:
        return Resume()

    def begin(self, publish: Publish) -> None:
        self._publish = publish
        self._has_video = any(stream.type == "video" for stream in publish.streams)

    def write(self, packet: av.Packet) -> None:
        url = self.url
        sender = self._sender
        if sender is None or sender.url != url:
            cut_point = packet.is_keyframe if packet.stream.type == "video" else not self._has_video
            if not cut_point:
                if sender is not None and url is None:
                    self._stop_sender()
                return
            self._stop_sender()
            if url is None or self._publish is None:
                return
            sender = self._sender = _Sender(url, self._publish, self.settings)
        if not sender.failed:
            sender.put(packet)

    def end(self) -> None:
        self._stop_sender()
        self._publish = None

    def close(self, final: bool) -> None:
        self.end()
        for sender in self._finished:
            sender.join(self.settings.open_timeout + self.settings.write_timeout)
        self._finished.clear()

    def _stop_sender(self) -> None:
        if self._sender is not None:
            self._sender.stop()
            self._finished = [sender for sender in self._finished if sender.alive]
            self._finished.append(self._sender)
            self._sender = None
