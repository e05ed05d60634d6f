"""Live HLS: MPEG-TS segments cut at keyframes and a sliding playlist written by HopSo.

Writing the playlist ourselves (rather than FFmpeg's hls muxer) keeps one playlist across
publisher reconnects: media sequence numbers continue, ``EXT-X-DISCONTINUITY`` marks each
reconnect and every segment carries its wall-clock ``EXT-X-PROGRAM-DATE-TIME``.
"""

import json
import math
import os
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import av
from av.container import OutputContainer
from av.stream import Stream

from media.names import check_session_key
from media.outputs.base import Clock, Publish, Resume

# Keyframe timestamps jitter by a few milliseconds; cutting at 90% of the wanted length keeps a
# 1 s keyframe interval from producing 2 s segments.
_CUT_SLACK = 0.9


@dataclass
class HlsSettings:
    root: Path
    """Each session writes under ``root/<session_key>/``."""
    segment_seconds: float = 1.0
    """A segment is cut at the first keyframe after this long."""
    window: int = 6
    """Segments listed in the live playlist."""
    keep_after_window: int = 6
    """Segments kept on disk after leaving the playlist, for clients still fetching them."""
    target_duration: int = 2
    """Announced ``EXT-X-TARGETDURATION``; raised if the encoder's keyframes are further apart."""
    playlist_name: str = "index.m3u8"


@dataclass
class HlsSegment:
    sequence: int
    file: str
    duration: float
    program_date_time: str
    """ISO 8601 with milliseconds and offset."""
    discontinuity: bool = False


def render_playlist(
    segments: list[HlsSegment],
    *,
    target_duration: int,
    discontinuity_sequence: int,
    ended: bool,
) -> str:
    """The m3u8 text for ``segments`` (oldest first; the first one's sequence is the media sequence)."""
    media_sequence = segments[0].sequence if segments else 0
    lines = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{target_duration}",
        f"#EXT-X-MEDIA-SEQUENCE:{media_sequence}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{discontinuity_sequence}",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    for segment in segments:
        if segment.discontinuity:
            lines.append("#EXT-X-DISCONTINUITY")
        lines.append(f"#EXT-X-PROGRAM-DATE-TIME:{segment.program_date_time}")
        lines.append(f"#EXTINF:{segment.duration:.3f},")
        lines.append(segment.file)
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


class _OpenSegment:
    def __init__(
        self,
        container: OutputContainer,
        streams: dict[int, Stream],
        sequence: int,
        start: float,
        wallclock: datetime,
        discontinuity: bool,
    ) -> None:
        self.container = container
        self.streams = streams
        self.sequence = sequence
        self.start = start
        self.end = start
        self.wallclock = wallclock
        self.discontinuity = discontinuity


class HlsOutput:
    """The live playlist of one session; its state survives a HopSo restart (``hls.json`` beside the playlist)."""

    def __init__(self, settings: HlsSettings, session_key: str) -> None:
        self.settings = settings
        self.directory = settings.root / check_session_key(session_key)
        self._segments: list[HlsSegment] = []
        self._expired: deque[str] = deque()
        self._next_sequence = 0
        self._discontinuity_sequence = 0
        self._target_duration = settings.target_duration
        self._ended = False
        self._publish: Publish | None = None
        self._clock = Clock({}, None)
        self._segment: _OpenSegment | None = None
        self._pending_discontinuity = False
        self._timeline_end = 0.0
        self._publishes = 0

    @property
    def playlist_path(self) -> Path:
        return self.directory / self.settings.playlist_name

    @property
    def _state_path(self) -> Path:
        return self.directory / "hls.json"

    def start(self) -> Resume:
        self.directory.mkdir(parents=True, exist_ok=True)
        try:
            state = json.loads(self._state_path.read_text())
        except FileNotFoundError:
            return Resume()
        self._segments = [HlsSegment(**segment) for segment in state["segments"]]
        self._expired = deque(state["expired"])
        self._next_sequence = state["next_sequence"]
        self._discontinuity_sequence = state["discontinuity_sequence"]
        self._target_duration = max(self._target_duration, state["target_duration"])
        self._timeline_end = state["timeline_end"]
        self._publishes = state["publishes"]
        return Resume(self._timeline_end, self._publishes)

    def begin(self, publish: Publish) -> None:
        self._publish = publish
        self._clock = Clock.of(publish)
        self._pending_discontinuity = self._next_sequence > 0
        self._publishes = publish.number
        self._ended = False

    def write(self, packet: av.Packet) -> None:
        ticks = packet.pts
        if ticks is None:
            ticks = packet.dts
            if ticks is None:
                return
        index = packet.stream_index
        num, den = self._clock.time_bases[index]
        time = ticks * num / den
        video = self._clock.video
        cut_point = packet.is_keyframe if index == video else video is None
        segment = self._segment
        if segment is None:
            if not cut_point:
                return
            segment = self._open_segment(time)
        elif cut_point and time - segment.start >= self.settings.segment_seconds * _CUT_SLACK:
            self._close_segment(time)
            segment = self._open_segment(time)
        duration = packet.duration
        end = (ticks + duration) * num / den if duration else time
        if end > segment.end:
            segment.end = end
        packet.stream = segment.streams[index]
        segment.container.mux_one(packet)

    def end(self) -> None:
        if self._segment is not None:
            self._close_segment(self._segment.end)
        self._publish = None

    def close(self, final: bool) -> None:
        self.end()
        self._ended = final
        if self._segments:
            self._save()

    def _open_segment(self, start: float) -> _OpenSegment:
        assert self._publish is not None
        sequence = self._next_sequence
        self._next_sequence += 1
        container = av.open(str(self.directory / f"seg{sequence:06d}.ts"), "w", format="mpegts")
        streams = {stream.index: container.add_stream_from_template(stream) for stream in self._publish.streams}
        self._segment = _OpenSegment(
            container, streams, sequence, start, self._publish.wallclock(start), self._pending_discontinuity
        )
        self._pending_discontinuity = False
        return self._segment

    def _close_segment(self, end: float) -> None:
        segment, self._segment = self._segment, None
        assert segment is not None
        segment.container.close()
        duration = max(end - segment.start, 0.001)
        self._timeline_end = max(self._timeline_end, end)
        self._target_duration = max(self._target_duration, math.floor(duration + 0.5))
        self._segments.append(
            HlsSegment(
                sequence=segment.sequence,
                file=f"seg{segment.sequence:06d}.ts",
                duration=duration,
                program_date_time=segment.wallclock.isoformat(timespec="milliseconds"),
                discontinuity=segment.discontinuity,
            )
        )
        while len(self._segments) > self.settings.window:
            gone = self._segments.pop(0)
            if gone.discontinuity:
                self._discontinuity_sequence += 1
            self._expired.append(gone.file)
        while len(self._expired) > self.settings.keep_after_window:
            (self.directory / self._expired.popleft()).unlink(missing_ok=True)
        self._save()

    def _save(self) -> None:
        state = {
            # Written at every segment, so plainly: a segment's fields as they are, no indentation.
            "segments": [vars(segment) for segment in self._segments],
            "expired": list(self._expired),
            "next_sequence": self._next_sequence,
            "discontinuity_sequence": self._discontinuity_sequence,
            "target_duration": self._target_duration,
            "timeline_end": self._timeline_end,
            "publishes": self._publishes,
        }
        _write_atomically(self._state_path, json.dumps(state))
        playlist = render_playlist(
            self._segments,
            target_duration=self._target_duration,
            discontinuity_sequence=self._discontinuity_sequence,
            ended=self._ended,
        )
        _write_atomically(self.playlist_path, playlist)
