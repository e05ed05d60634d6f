"""Encoding decoded WebRTC frames to H.264/AAC in FLV, on a thread of its own, for :mod:`media.whip_process`.

aiortc hands over decoded frames whose timestamps count from a random RTP origin per track, and audio and
video origins are unrelated; both are placed on one clock that starts at the first frame to arrive (each
track at the wall-clock offset of its own first frame), so audio and video stay together within the jitter
buffer's delay. Encoding releases the GIL, but it runs on its own thread so the process's event loop (ICE,
DTLS, RTP) keeps its pace.
"""

import logging
import queue
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction
from typing import BinaryIO

import av
from av.audio.stream import AudioStream
from av.container import OutputContainer
from av.video.frame import PictureType
from av.video.stream import VideoStream

log = logging.getLogger(__name__)

VIDEO_TIME_BASE = Fraction(1, 90000)


@dataclass
class EncoderSettings:
    video_bitrate: int = 2_500_000
    """Bits per second; x264 keeps to it with a one-second VBV buffer."""
    preset: str = "veryfast"
    keyframe_seconds: float = 1.0
    audio_bitrate: int = 128_000
    audio_rate: int = 48_000
    start_wait: float = 2.0
    """Seconds to wait for a first frame of every track before starting without the missing ones."""
    queue_frames: int = 120
    """Frames waiting for the encoder (4 s of 30 fps video) before new ones are dropped."""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class _Arrival:
    kind: str
    frame: av.VideoFrame | av.AudioFrame
    at: float


class _Clock:
    """Seconds on the publish's timeline for each track's frames."""

    def __init__(self) -> None:
        self.start: float | None = None
        self.origin: dict[str, tuple[float, float]] = {}
        """kind -> (frame time of its first frame, its timeline offset)."""

    def seconds(self, arrival: _Arrival) -> float | None:
        frame = arrival.frame
        if frame.pts is None or frame.time_base is None:
            return None
        at = float(frame.pts * frame.time_base)
        if self.start is None:
            self.start = arrival.at
        if arrival.kind not in self.origin:
            self.origin[arrival.kind] = (at, arrival.at - self.start)
        first, offset = self.origin[arrival.kind]
        return offset + at - first


class FlvEncoder:
    """Takes decoded frames from any thread, writes H.264 + AAC as FLV to ``sink`` from its own thread."""

    def __init__(self, sink: BinaryIO, kinds: Collection[str], settings: EncoderSettings) -> None:
        self.settings = settings
        self.kinds = frozenset(kinds)
        self.frames = 0
        self.dropped = 0
        self.failed: str | None = None
        self._sink = sink
        self._queue: queue.Queue[_Arrival | None] = queue.Queue(settings.queue_frames)
        self._clock = _Clock()
        self._container: OutputContainer | None = None
        self._video: VideoStream | None = None
        self._audio: AudioStream | None = None
        self._last_pts: dict[str, int] = {}
        self._next_keyframe = 0.0
        self._thread = threading.Thread(target=self._run, name="whip-encoder", daemon=True)
        self._thread.start()

    def put(self, kind: str, frame: av.VideoFrame | av.AudioFrame) -> None:
        try:
            self._queue.put_nowait(_Arrival(kind, frame, time.monotonic()))
        except queue.Full:
            self.dropped += 1

    def close(self, timeout: float = 5.0) -> None:
        """Encode what is queued, flush the encoders and end the FLV stream."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        try:
            pending = self._wait_for_tracks()
            if pending:
                self._open(pending)
                for arrival in pending:
                    self._encode(arrival)
                while (arrival := self._queue.get()) is not None:
                    self._encode(arrival)
            self._flush()
        except (av.FFmpegError, OSError, ValueError) as exc:
            self.failed = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            log.error("encoder stopped: %s", self.failed)
        finally:
            if self._container is not None:
                try:
                    self._container.close()
                except (av.FFmpegError, OSError, ValueError):
                    log.warning("closing the FLV output failed")

    def _wait_for_tracks(self) -> list[_Arrival]:
        """Frames until one of every track has come (or ``start_wait`` passed); empty if closed before any."""
        pending: list[_Arrival] = []
        deadline: float | None = None
        while {arrival.kind for arrival in pending} != self.kinds:
            timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                arrival = self._queue.get(timeout=timeout)
            except queue.Empty:
                break
            if arrival is None:
                self._queue.put(None)
                break
            pending.append(arrival)
            if deadline is None:
                deadline = time.monotonic() + self.settings.start_wait
        return pending

    def _open(self, pending: list[_Arrival]) -> None:
        settings = self.settings
        container = av.open(
            self._sink, "w", format="flv", options={"flush_packets": "1", "flvflags": "no_duration_filesize"}
        )
        self._container = container
        first_video = next((a.frame for a in pending if isinstance(a.frame, av.VideoFrame)), None)
        if first_video is not None:
            video = container.add_stream(
                "libx264",
                rate=30,
                options={"preset": settings.preset, "tune": "zerolatency", "forced-idr": "1"},
            )
            video.width, video.height = (
                first_video.width - first_video.width % 2,
                first_video.height - first_video.height % 2,
            )
            video.pix_fmt = "yuv420p"
            video.bit_rate = settings.video_bitrate
            video.codec_context.time_base = VIDEO_TIME_BASE
            video.codec_context.gop_size = 10 * 30
            video.codec_context.options |= {
                "maxrate": str(settings.video_bitrate),
                "bufsize": str(settings.video_bitrate),
            }
            self._video = video
        if any(a.kind == "audio" for a in pending):
            audio = container.add_stream("aac", rate=settings.audio_rate)
            audio.layout = "stereo"
            audio.bit_rate = settings.audio_bitrate
            self._audio = audio

    def _encode(self, arrival: _Arrival) -> None:
        at = self._clock.seconds(arrival)
        if at is None or at < 0:
            return
        frame = arrival.frame
        assert self._container is not None
        if isinstance(frame, av.VideoFrame) and self._video is not None:
            stream = self._video
            pts = round(at / VIDEO_TIME_BASE)
            if pts <= self._last_pts.get("video", -1):
                return
            if frame.width != stream.width or frame.height != stream.height or frame.format.name != "yuv420p":
                frame = frame.reformat(stream.width, stream.height, "yuv420p")
            frame.pts, frame.time_base = pts, VIDEO_TIME_BASE
            frame.pict_type = PictureType.NONE
            if at >= self._next_keyframe:
                frame.pict_type = PictureType.I
                self._next_keyframe = at + self.settings.keyframe_seconds
        elif isinstance(frame, av.AudioFrame) and self._audio is not None:
            stream = self._audio
            pts = round(at * frame.sample_rate)
            if pts <= self._last_pts.get("audio", -1):
                return
            frame.pts, frame.time_base = pts, Fraction(1, frame.sample_rate)
        else:
            return
        self._last_pts[arrival.kind] = pts
        self.frames += 1
        for packet in stream.encode(frame):
            self._container.mux(packet)

    def _flush(self) -> None:
        if self._container is None:
            return
        for stream in (self._video, self._audio):
            if stream is not None:
                for packet in stream.encode(None):
                    self._container.mux(packet)
