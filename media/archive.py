"""The archive copy of a session's recording: one MP4 (moov first), chapters, a poster; no re-encoding.

Blocking PyAV work: the archive (its caller) runs :func:`make_archive` in a worker thread.
"""

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av

if TYPE_CHECKING:
    from av.container.core import Chapter as AvChapter

from media.outputs.recording import MANIFEST_NAME, RecordingManifest
from media.webvtt import vtt_text, vtt_time

log = logging.getLogger(__name__)

CHAPTER_TIME_BASE = Fraction(1, 1000)


class ArchiveError(RuntimeError):
    """The recording cannot be joined (no manifest, no parts, unreadable media)."""


@dataclass(frozen=True)
class Chapter:
    """A span of the recording, in seconds from its start, named for an agenda item or a speech."""

    start: float
    end: float
    title: str


@dataclass(frozen=True)
class Archive:
    video: Path
    chapters_vtt: Path
    chapters_json: Path
    poster: Path | None
    duration: float
    packets: int


def make_archive(
    recording_dir: Path,
    output_dir: Path,
    chapters: Sequence[tuple[float, float, str] | Chapter] = (),
    *,
    name: str = "session",
    poster_at: float | None = None,
) -> Archive:
    """Join the recording's parts into ``output_dir/<name>.mp4`` and write its chapters and poster beside it."""
    manifest_path = recording_dir / MANIFEST_NAME
    if not manifest_path.exists():
        raise ArchiveError(f"no recording manifest in {recording_dir}")
    manifest = RecordingManifest.load(manifest_path)
    parts = [recording_dir / part.file for part in manifest.parts if (recording_dir / part.file).exists()]
    if not parts:
        raise ArchiveError(f"the recording in {recording_dir} has no parts")
    output_dir.mkdir(parents=True, exist_ok=True)
    marks = [chapter if isinstance(chapter, Chapter) else Chapter(*chapter) for chapter in chapters]
    video = output_dir / f"{name}.mp4"
    duration, count = join_parts(parts, video, marks)
    vtt = output_dir / f"{name}.chapters.vtt"
    _write_atomically(vtt, chapters_webvtt(marks))
    chapters_json = output_dir / f"{name}.chapters.json"
    _write_atomically(chapters_json, json.dumps([asdict(mark) for mark in marks], ensure_ascii=False, indent=1))
    poster = output_dir / f"{name}.jpg"
    at = poster_at if poster_at is not None else min(5.0, duration / 10)
    took = take_poster(video, poster, at)
    return Archive(video, vtt, chapters_json, poster if took else None, duration, count)


def join_parts(parts: Sequence[Path], output: Path, chapters: Sequence[Chapter] = ()) -> tuple[float, int]:
    """Copy every packet of ``parts``, one after the other, into one faststart MP4; return (seconds, packets).

    Each part starts at zero (see :mod:`media.outputs.recording`); it is placed where the previous one ended.
    """
    tmp = output.with_name(f".{output.name}.tmp")
    offset = 0.0
    count = 0
    with av.open(str(parts[0])) as first:
        templates = _streams(first)
        if not templates:
            raise ArchiveError(f"{parts[0].name} has no audio or video")
        kinds = [stream.type for stream in templates]
        out = av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"})
        streams = [out.add_stream_from_template(stream) for stream in templates]
    try:
        last_dts: list[int | None] = [None] * len(streams)
        for path in parts:
            with av.open(str(path)) as part:
                inputs = _streams(part)
                if [stream.type for stream in inputs] != kinds:
                    log.warning("%s has other streams than the first part; left out of the archive", path.name)
                    continue
                offset, copied = _copy_part(part, inputs, out, streams, offset, last_dts)
                count += copied
        out.set_chapters(_av_chapters(chapters, offset))
    finally:
        out.close()
    os.replace(tmp, output)
    return offset, count


def chapters_webvtt(chapters: Sequence[Chapter]) -> str:
    lines = ["WEBVTT", ""]
    for number, chapter in enumerate(chapters, start=1):
        lines += [str(number), f"{vtt_time(chapter.start)} --> {vtt_time(chapter.end)}", vtt_text(chapter.title), ""]
    return "\n".join(lines)


def take_poster(video: Path, poster: Path, at: float, width: int = 1280) -> bool:
    """Save the first frame at or after ``at`` seconds as a JPEG no wider than ``width``; False without video."""
    with av.open(str(video)) as container:
        if not container.streams.video:
            return False
        stream = container.streams.video[0]
        if at > 0:
            container.seek(round(at / stream.time_base), stream=stream, backward=True)
        frame = next((f for f in container.decode(stream) if f.time is None or f.time >= at), None)
        if frame is None:
            container.seek(0, stream=stream)
            frame = next(container.decode(stream), None)
        if frame is None:
            return False
    scale = min(1.0, width / frame.width)
    image = frame.to_image()
    if scale < 1.0:
        image = image.resize((round(frame.width * scale), round(frame.height * scale)))
    tmp = poster.with_name(f".{poster.name}.tmp")
    image.save(tmp, format="JPEG", quality=85)
    os.replace(tmp, poster)
    return True


def _streams(container: av.container.InputContainer) -> list[av.stream.Stream]:
    video = next(iter(container.streams.video), None)
    audio = next(iter(container.streams.audio), None)
    return [stream for stream in (video, audio) if stream is not None]


def _copy_part(
    part: av.container.InputContainer,
    inputs: Sequence[av.stream.Stream],
    out: av.container.OutputContainer,
    outputs: Sequence[av.stream.Stream],
    offset: float,
    last_dts: list[int | None],
) -> tuple[float, int]:
    """Mux one part's packets, shifted by ``offset`` seconds, into ``outputs``; return (its end in seconds, packets).

    ``last_dts`` holds each output stream's last DTS, carried from part to part.
    """
    # Fractions per packet cost twice ffmpeg's CPU: timestamps stay integer ticks of each stream's time base
    # (a demuxed packet's time base is its stream's), converted to seconds once per part.
    position_of: list[int] = [-1] * len(part.streams)
    for position, stream in enumerate(inputs):
        position_of[stream.index] = position
    shifts = [round(offset / stream.time_base) for stream in inputs]
    ends = [0] * len(inputs)
    count = 0
    for packet in part.demux(inputs):
        dts = packet.dts
        if dts is None:
            continue
        position = position_of[packet.stream.index]
        shift = shifts[position]
        dts += shift
        previous = last_dts[position]
        if previous is not None and dts <= previous:
            continue
        last_dts[position] = dts
        pts = packet.pts
        packet.dts = dts
        packet.pts = pts + shift if pts is not None else dts
        end = dts + (packet.duration or 0)
        if end > ends[position]:
            ends[position] = end
        packet.stream = outputs[position]
        out.mux(packet)
        count += 1
    return max(offset, *(float(end * stream.time_base) for end, stream in zip(ends, inputs, strict=True))), count


def _av_chapters(chapters: Sequence[Chapter], duration: float) -> "list[AvChapter]":
    result: list[AvChapter] = []
    for number, chapter in enumerate(chapters, start=1):
        start = max(0.0, min(chapter.start, duration))
        end = max(start, min(chapter.end, duration))
        result.append(
            {
                "id": number,
                "start": round(start / CHAPTER_TIME_BASE),
                "end": round(end / CHAPTER_TIME_BASE),
                "time_base": CHAPTER_TIME_BASE,
                "metadata": {"title": chapter.title},
            }
        )
    return result


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
