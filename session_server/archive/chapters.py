"""Chapters of the archived video: one per agenda item and one per speech, placed by wall clock.

The recording is a list of parts, each with the wall-clock time of its first frame; the archive lays the parts end
to end, so a moment of the session maps to a time in the video through the part that was recording then. A moment
while nothing was recording (the encoder dropped) maps to where the next part starts.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from media.archive import Chapter
from media.outputs.recording import RecordingManifest
from session_server.archive.labels import speech_title
from session_server.archive.record import SessionRecord

AGENDA = "agenda"
SPEECH = "speech"


@dataclass(frozen=True)
class RecordedPart:
    wall_start: datetime
    video_start: float
    duration: float | None
    """None for a part HopSo could not close: it runs until the next part, or to the end of the video."""


def recorded_parts(manifest: RecordingManifest) -> list[RecordedPart]:
    """The manifest's parts on the video's timeline: the archive starts the video with the first part."""
    ordered = sorted(manifest.parts, key=lambda part: part.timeline_start)
    origin = ordered[0].timeline_start if ordered else 0.0
    return [
        RecordedPart(datetime.fromisoformat(part.started_at), part.timeline_start - origin, part.duration)
        for part in ordered
    ]


class VideoClock:
    """Seconds into the archived video for a wall-clock time of the session."""

    def __init__(self, parts: Sequence[RecordedPart]) -> None:
        self.parts = list(parts)
        self._starts = [part.wall_start for part in self.parts]

    def at(self, when: datetime) -> float:
        if not self.parts:
            return 0.0
        index = bisect.bisect_right(self._starts, when) - 1
        if index < 0:
            return self.parts[0].video_start
        part = self.parts[index]
        into = (when - part.wall_start).total_seconds()
        following = self.parts[index + 1] if index + 1 < len(self.parts) else None
        length = part.duration
        if following is not None:
            length = min(length if length is not None else float("inf"), following.video_start - part.video_start)
        return part.video_start + (into if length is None else min(into, length))


@dataclass(frozen=True)
class ChapterMark:
    kind: str
    start: float
    end: float
    title: str
    agenda_item_id: int | None
    speech_id: int | None

    def as_chapter(self) -> Chapter:
        return Chapter(round(self.start, 3), round(self.end, 3), self.title)


def chapters_of(
    record: SessionRecord,
    clock: VideoClock,
    item_titles: Mapping[int, str],
    speaker_names: Mapping[int, str],
) -> list[ChapterMark]:
    """Agenda items and speeches in video order (an item before the speeches it holds); spans the video missed
    entirely are left out."""
    marks = [
        ChapterMark(
            AGENDA, clock.at(span.started_at), clock.at(span.ended_at), item_titles[span.item_id], span.item_id, None
        )
        for span in record.items
        if span.item_id in item_titles
    ]
    marks += [
        ChapterMark(
            SPEECH,
            clock.at(speech.started_at),
            clock.at(speech.ended_at),
            speech_title(speaker_names.get(speech.member_id, f"Đại biểu #{speech.member_id}"), speech.kind),
            speech.agenda_item_id,
            speech.request_id,
        )
        for speech in record.speeches
    ]
    kept = [mark for mark in marks if mark.end > mark.start]
    return sorted(kept, key=lambda mark: (mark.start, mark.kind != AGENDA, -mark.end))
