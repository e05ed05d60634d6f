"""One session's stream: each publish is demuxed once, in its own thread, and copied to every output.

The event loop only starts and stops threads and forwards status reports; all blocking PyAV work
(network reads, muxing, file writes) runs in the stream's thread, so a stuck stream cannot stall it.
"""

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import av
from av.stream import Stream

from media.events import MediaEvents, StreamInfo, StreamStatus
from media.ingest.pull import InputOpener, PullFailed, PullSettings, describe_error, open_input
from media.names import check_session_key
from media.outputs.base import PacketOutput, Publish

log = logging.getLogger(__name__)


@dataclass
class WorkerSettings:
    pull: PullSettings
    stats_interval: float = 5.0
    """Seconds between LIVE reports with fresh bitrate figures."""


def describe_streams(streams: Sequence[Stream], publisher: str, publishes: int) -> StreamInfo:
    video = next((stream for stream in streams if stream.type == "video"), None)
    audio = next((stream for stream in streams if stream.type == "audio"), None)
    rate = (video.average_rate or video.guessed_rate) if video else None
    return StreamInfo(
        video_codec=video.codec_context.name if video else None,
        width=video.codec_context.width if video else None,
        height=video.codec_context.height if video else None,
        frame_rate=round(float(rate), 3) if rate else None,
        audio_codec=audio.codec_context.name if audio else None,
        sample_rate=audio.codec_context.sample_rate if audio else None,
        channels=audio.codec_context.channels if audio else None,
        publisher=publisher or None,
        publishes=publishes,
    )


class _Rebase:
    """Moves one publish's timestamps onto the session timeline and drops what outputs would refuse.

    Runs for every packet, so it keeps integer ticks per stream and leaves the conversion to seconds to the end.
    """

    def __init__(self, streams: Sequence[Stream], origin: float, timeline_start: float) -> None:
        self.shift = {stream.index: round((timeline_start - origin) / stream.time_base) for stream in streams}
        self.time_base = {stream.index: stream.time_base for stream in streams}
        self.last_dts = dict.fromkeys(self.shift, -1)
        self.last_end = dict.fromkeys(self.shift, 0)
        self.timeline_start = timeline_start
        self.dropped = 0

    def apply(self, packet: av.Packet) -> tuple[int, int, int | None] | None:
        """Shift ``packet`` in place and answer its ``(pts, dts, duration)``; None if it must be dropped (no
        timestamp, before the start, or out of order)."""
        dts = packet.dts
        if dts is None:
            return None
        index = packet.stream_index
        shift = self.shift[index]
        dts += shift
        pts = packet.pts
        pts = dts if pts is None else pts + shift
        if dts < 0 or pts < dts or dts <= self.last_dts[index]:
            self.dropped += 1
            return None
        self.last_dts[index] = dts
        packet.dts = dts
        packet.pts = pts
        duration = packet.duration
        end = dts + duration if duration else dts
        if end > self.last_end[index]:
            self.last_end[index] = end
        return pts, dts, duration

    @property
    def end(self) -> float:
        """Where the publish ends on the session timeline: the end of its last packet."""
        ends = [float(end * self.time_base[index]) for index, end in self.last_end.items() if end]
        return max([self.timeline_start, *ends])


class StreamWorker:
    """Copies a session's publishes to its outputs and reports the stream's status to ``events``."""

    def __init__(
        self,
        session_key: str,
        outputs: Sequence[PacketOutput],
        events: MediaEvents,
        settings: WorkerSettings,
    ) -> None:
        self.session_key = check_session_key(session_key)
        self.outputs = tuple(outputs)
        self.events = events
        self.settings = settings
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reports: asyncio.Queue[tuple[StreamStatus, StreamInfo]] = asyncio.Queue()
        self._reporter: asyncio.Task[None] | None = None
        self._timeline_end = 0.0
        self._publishes = 0
        self._thread_done: asyncio.Event = asyncio.Event()
        self._thread_done.set()
        self._stop = threading.Event()
        self._publisher_gone = threading.Event()
        self._pending: asyncio.Task[None] | None = None
        self._closed = False

    async def start(self) -> None:
        """Prepare the outputs (continuing what an earlier run left) and report WAITING."""
        self._loop = asyncio.get_running_loop()
        self._reporter = asyncio.create_task(self._report_loop(), name=f"media-report-{self.session_key}")
        resumes = await asyncio.to_thread(lambda: [output.start() for output in self.outputs])
        self._timeline_end = max((resume.timeline_end for resume in resumes), default=0.0)
        self._publishes = max((resume.publishes for resume in resumes), default=0)
        self._report(StreamStatus.WAITING, StreamInfo(publishes=self._publishes))

    def publish(self, url: str, publisher: str = "") -> None:
        """A publish was accepted: pull ``url`` once the previous publish, if any, has finished."""
        self.publish_input(lambda should_stop: open_input(url, self.settings.pull, should_stop), publisher)

    def publish_input(self, opener: InputOpener, publisher: str = "") -> None:
        """A publish was accepted: read what ``opener`` opens once the previous publish, if any, has finished."""
        if self._closed:
            raise RuntimeError(f"stream {self.session_key} is closed")
        previous = self._pending
        self._pending = asyncio.create_task(self._start_pull(previous, opener, publisher))

    def publish_done(self) -> None:
        """The publisher left; a pull still trying to connect gives up (a connected one reads to the end)."""
        self._publisher_gone.set()

    async def close(self, final: bool = True) -> None:
        """Stop pulling, close the outputs; ``final`` ends the playlist and recording and reports ENDED."""
        self._closed = True
        self._stop.set()
        if self._pending is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._pending
        timeout = self.settings.pull.open_timeout + self.settings.pull.read_timeout + 2.0
        try:
            await asyncio.wait_for(self._thread_done.wait(), timeout)
        except TimeoutError:
            log.error(
                "stream %s: the pull thread did not stop within %.0f s; outputs left open", self.session_key, timeout
            )
        else:
            await asyncio.to_thread(self._close_outputs, final)
        if final:
            self._report(StreamStatus.ENDED, StreamInfo(publishes=self._publishes))
        if self._reporter is not None:
            await self._reports.join()
            self._reporter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reporter

    async def _start_pull(self, previous: asyncio.Task[None] | None, opener: InputOpener, publisher: str) -> None:
        if previous is not None:
            await previous
        await self._thread_done.wait()
        if self._stop.is_set():
            return
        self._publisher_gone.clear()
        self._thread_done.clear()
        thread = threading.Thread(
            target=self._pull, args=(opener, publisher), name=f"media-pull-{self.session_key}", daemon=True
        )
        thread.start()

    def _report(self, status: StreamStatus, info: StreamInfo) -> None:
        """Queue a report; callable from the event loop only."""
        self._reports.put_nowait((status, info))

    def _report_from_thread(self, status: StreamStatus, info: StreamInfo) -> None:
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._reports.put_nowait, (status, info))

    async def _report_loop(self) -> None:
        while True:
            status, info = await self._reports.get()
            try:
                await self.events.stream_status(self.session_key, status, info)
            except Exception:
                log.exception("stream %s: reporting %s failed", self.session_key, status)
            finally:
                self._reports.task_done()

    def _pull(self, opener: InputOpener, publisher: str) -> None:
        try:
            self._pull_publish(opener, publisher)
        except Exception as exc:
            log.exception("stream %s: pull failed", self.session_key)
            self._report_from_thread(
                StreamStatus.RECONNECTING, StreamInfo(publishes=self._publishes, reason=describe_error(exc))
            )
        finally:
            assert self._loop is not None
            self._loop.call_soon_threadsafe(self._thread_done.set)

    def _pull_publish(self, opener: InputOpener, publisher: str) -> None:
        try:
            opened = opener(lambda: self._stop.is_set() or self._publisher_gone.is_set())
        except PullFailed as exc:
            self._report_from_thread(StreamStatus.RECONNECTING, StreamInfo(publishes=self._publishes, reason=str(exc)))
            return
        if opened is None:
            return
        with opened as container:
            video = next(iter(container.streams.video), None)
            audio = next(iter(container.streams.audio), None)
            streams = tuple(stream for stream in (video, audio) if stream is not None)
            if not streams:
                self._report_from_thread(
                    StreamStatus.RECONNECTING, StreamInfo(publishes=self._publishes, reason="no audio or video")
                )
                return
            reason = self._copy(container.demux(streams), streams, video, publisher)
            # Streams are only valid while their container is open.
            info = describe_streams(streams, publisher, self._publishes)
        if not self._stop.is_set():
            self._report_from_thread(StreamStatus.RECONNECTING, replace(info, reason=reason))

    def _copy(
        self, packets: Iterator[av.Packet], streams: tuple[Stream, ...], video: Stream | None, publisher: str
    ) -> str:
        """Copy one publish to the outputs until it ends; return why it ended.

        The loop runs for every packet: what it needs is bound to locals and nothing is allocated per output.
        """
        rebase: _Rebase | None = None
        active: tuple[PacketOutput, ...] = ()
        stopped = self._stop.is_set
        monotonic = time.monotonic
        interval = self.settings.stats_interval
        window_bytes, window_start = 0, monotonic()
        info = StreamInfo()
        reason = "publisher disconnected"
        try:
            for packet in packets:
                if stopped():
                    break
                if rebase is None:
                    # Start on a video keyframe so every output's first piece is decodable on its own.
                    if packet.dts is None or (
                        video is not None and (packet.stream is not video or not packet.is_keyframe)
                    ):
                        continue
                    self._publishes += 1
                    origin = float(packet.dts * packet.time_base)
                    rebase = _Rebase(streams, origin, self._timeline_end)
                    publish = Publish(self._publishes, streams, datetime.now(UTC), self._timeline_end)
                    active = tuple(self._begin_outputs(publish))
                    info = describe_streams(streams, publisher, self._publishes)
                    self._report_from_thread(StreamStatus.LIVE, info)
                stream = packet.stream
                stamp = rebase.apply(packet)
                if stamp is None:
                    continue
                pts, dts, duration = stamp
                time_base = rebase.time_base[packet.stream_index]
                for output in active:
                    # Muxing rescales the packet to the output's time base and retargets its stream.
                    packet.stream = stream
                    packet.time_base = time_base
                    packet.pts = pts
                    packet.dts = dts
                    packet.duration = duration
                    try:
                        output.write(packet)
                    except (av.FFmpegError, OSError) as exc:
                        active = tuple(other for other in active if other is not output)
                        self._fail_output(output, exc)
                window_bytes += packet.size
                now = monotonic()
                if now - window_start >= interval:
                    bitrate = round(window_bytes * 8 / (now - window_start) / 1000, 1)
                    self._report_from_thread(StreamStatus.LIVE, replace(info, bitrate_kbps=bitrate))
                    window_bytes, window_start = 0, now
        except (av.FFmpegError, OSError) as exc:
            # A publisher that vanishes can end the input with a read error instead of end-of-stream.
            if rebase is None:
                reason = f"input error: {describe_error(exc)}"
        finally:
            for output in active:
                self._end_output(output)
            if rebase is not None:
                self._timeline_end = rebase.end
                if rebase.dropped:
                    log.warning(
                        "stream %s: dropped %d packets with unusable timestamps", self.session_key, rebase.dropped
                    )
        return reason

    def _begin_outputs(self, publish: Publish) -> list[PacketOutput]:
        active = []
        for output in self.outputs:
            try:
                output.begin(publish)
            except (av.FFmpegError, OSError) as exc:
                self._fail_output(output, exc)
            else:
                active.append(output)
        return active

    def _fail_output(self, output: PacketOutput, exc: Exception) -> None:
        log.error("stream %s: %s failed: %s", self.session_key, type(output).__name__, exc)
        self._end_output(output)
        self._report_from_thread(
            StreamStatus.LIVE,
            StreamInfo(publishes=self._publishes, reason=f"{type(output).__name__} stopped: {describe_error(exc)}"),
        )

    def _end_output(self, output: PacketOutput) -> None:
        try:
            output.end()
        except (av.FFmpegError, OSError):
            log.exception("stream %s: closing %s failed", self.session_key, type(output).__name__)

    def _close_outputs(self, final: bool) -> None:
        for output in self.outputs:
            try:
                output.close(final)
            except (av.FFmpegError, OSError):
                log.exception("stream %s: closing %s failed", self.session_key, type(output).__name__)
