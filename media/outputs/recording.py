"""The session recording: fragmented MP4 parts on disk and a JSON manifest listing them.

Each part is written as ``frag_keyframe+empty_moov``: a fragment is complete on disk at every
keyframe, so a crash (even ``kill -9``) loses at most one keyframe interval. Every publish starts
a new part of the same recording, and a long publish is split every ``part_seconds``.
"""

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av
from av.container import OutputContainer
from av.stream import Stream

from media.names import check_session_key
from media.outputs.base import Clock, Publish, Resume

MANIFEST_NAME = "recording.json"


@dataclass
class RecordingSettings:
    root: Path
    """Each session records under ``root/<session_key>/``."""
    part_seconds: float = 600.0
    """A publish longer than this is split into several parts (at a keyframe)."""


@dataclass
class RecordingPart:
    file: str
    publish: int
    started_at: str
    """Wall clock of the part's first frame, ISO 8601 with offset."""
    timeline_start: float
    """Seconds on the session timeline (publishes laid end to end) where the part begins."""
    duration: float | None = None
    """None while the part is being written, or if HopSo died before closing it."""
    streams: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RecordingManifest:
    session_key: str
    parts: list[RecordingPart] = field(default_factory=list)
    ended: bool = False
    updated_at: str = ""

    @classmethod
    def load(cls, path: Path) -> "RecordingManifest":
        data = json.loads(path.read_text())
        return cls(
            session_key=data["session_key"],
            parts=[RecordingPart(**part) for part in data["parts"]],
            ended=data["ended"],
            updated_at=data["updated_at"],
        )

    def save(self, path: Path) -> None:
        self.updated_at = datetime.now(UTC).isoformat(timespec="milliseconds")
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("w") as file:
            json.dump(asdict(self), file, indent=1)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)


def describe_stream(stream: Stream) -> dict[str, Any]:
    codec = stream.codec_context
    info: dict[str, Any] = {"type": stream.type, "codec": codec.name}
    if stream.type == "video":
        info |= {"width": codec.width, "height": codec.height}
    elif stream.type == "audio":
        info |= {"sample_rate": codec.sample_rate, "channels": codec.channels}
    return info


class _OpenPart:
    def __init__(
        self, container: OutputContainer, streams: dict[int, Stream], offsets: dict[int, int], part: RecordingPart
    ) -> None:
        self.container = container
        self.streams = streams
        self.offsets = offsets
        self.part = part
        self.end = part.timeline_start


class RecordingOutput:
    """Writes one session's recording; a restarted HopSo continues the manifest it finds."""

    def __init__(self, settings: RecordingSettings, session_key: str) -> None:
        self.settings = settings
        self.session_key = check_session_key(session_key)
        self.directory = settings.root / session_key
        self.manifest = RecordingManifest(session_key)
        self._publish: Publish | None = None
        self._clock = Clock({}, None)
        self._part: _OpenPart | None = None

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST_NAME

    def start(self) -> Resume:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not self.manifest_path.exists():
            return Resume()
        self.manifest = RecordingManifest.load(self.manifest_path)
        if not self.manifest.parts:
            return Resume()
        last = self.manifest.parts[-1]
        # A part HopSo could not close has no duration; its start is a safe lower bound for the timeline.
        return Resume(last.timeline_start + (last.duration or 0.0), last.publish)

    def begin(self, publish: Publish) -> None:
        self._publish = publish
        self._clock = Clock.of(publish)
        self.manifest.ended = False

    def write(self, packet: av.Packet) -> None:
        dts, pts = packet.dts, packet.pts
        ticks = pts if dts is None else dts
        if ticks is None:
            return
        index = packet.stream_index
        num, den = self._clock.time_bases[index]
        time = ticks * num / den
        video = self._clock.video
        cut_point = packet.is_keyframe if index == video else video is None
        part = self._part
        if part is None:
            if not cut_point:
                return
            part = self._open_part(time)
        elif cut_point and time - part.part.timeline_start >= self.settings.part_seconds:
            self._close_part()
            part = self._open_part(time)
        duration = packet.duration
        end = (ticks + duration) * num / den if duration else time
        if end > part.end:
            part.end = end
        # Each part starts at zero, so it plays on its own; the manifest places it on the timeline.
        offset = part.offsets[index]
        if dts is not None:
            packet.dts = dts - offset
        if pts is not None:
            packet.pts = pts - offset
        packet.stream = part.streams[index]
        part.container.mux_one(packet)

    def end(self) -> None:
        if self._part is not None:
            self._close_part()
        self._publish = None

    def close(self, final: bool) -> None:
        self.end()
        self.manifest.ended = final
        self.manifest.save(self.manifest_path)

    def _open_part(self, start: float) -> _OpenPart:
        assert self._publish is not None
        part = RecordingPart(
            file=f"part-{len(self.manifest.parts) + 1:04d}.mp4",
            publish=self._publish.number,
            started_at=self._publish.wallclock(start).isoformat(timespec="milliseconds"),
            timeline_start=start,
            streams=[describe_stream(stream) for stream in self._publish.streams],
        )
        container = av.open(
            str(self.directory / part.file),
            "w",
            format="mp4",
            container_options={"movflags": "frag_keyframe+empty_moov+default_base_moof", "flush_packets": "1"},
        )
        streams = {stream.index: container.add_stream_from_template(stream) for stream in self._publish.streams}
        offsets = {stream.index: round(start / stream.time_base) for stream in self._publish.streams}
        self._part = _OpenPart(container, streams, offsets, part)
        self.manifest.parts.append(part)
        self.manifest.save(self.manifest_path)
        return self._part

    def _close_part(self) -> None:
        part, self._part = self._part, None
        assert part is not None
        part.container.close()
        part.part.duration = round(part.end - part.part.timeline_start, 3)
        self.manifest.save(self.manifest_path)
