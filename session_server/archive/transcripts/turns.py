"""Who had the floor when, on the archived video's timeline: each speech is its speaker's turn, and the rest of
the sitting (from the opening to the close) is the chair's. Turns are grouped into pieces of a few minutes, the
units of work that a restart does not redo, and each word the model hears goes to the turn it was said in."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from media.speech import Segment, Word
from session_server.archive.chapters import VideoClock
from session_server.archive.record import SessionRecord

SHORTEST_TURN = 0.3
"""Seconds; a turn shorter than this holds no words worth a pass of the model."""
ADJOINING = 1.0
"""Seconds between two turns that still share a piece (a gap longer than this was not recorded, or not sitting)."""


@dataclass(frozen=True)
class Turn:
    start: float
    end: float
    member_id: int | None
    speech_id: int | None
    """None for the chair's turns between speeches."""

    @property
    def chair(self) -> bool:
        return self.speech_id is None


@dataclass(frozen=True)
class PlannedPiece:
    """A span of the video the model reads at once, with the turns it covers; `key` is unique within the session."""

    key: str
    start: float
    end: float
    turns: tuple[Turn, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, data: dict[str, Any]) -> PlannedPiece:
        return cls(data["key"], data["start"], data["end"], tuple(Turn(**turn) for turn in data["turns"]))


def turns_of(record: SessionRecord, clock: VideoClock, chair_member_id: int | None, duration: float) -> list[Turn]:
    """Speeches and, between them, the chair's turns, in video order within [0, duration]."""

    def clip(seconds: float) -> float:
        return min(max(seconds, 0.0), duration)

    speeches: list[Turn] = []
    for speech in sorted(record.speeches, key=lambda speech: speech.started_at):
        start, end = clip(clock.at(speech.started_at)), clip(clock.at(speech.ended_at))
        if speeches and start < speeches[-1].end:
            start = speeches[-1].end
        if end > start:
            speeches.append(Turn(start, end, speech.member_id, speech.request_id))
    turns = list(speeches)
    if record.opened_at is not None:
        sitting_start = clip(clock.at(record.opened_at))
        sitting_end = clip(clock.at(record.closed_at)) if record.closed_at is not None else duration
        cursor = sitting_start
        for speech in [*speeches, Turn(sitting_end, sitting_end, None, None)]:
            gap_end = min(speech.start, sitting_end)
            if gap_end > cursor:
                turns.append(Turn(cursor, gap_end, chair_member_id, None))
            cursor = max(cursor, speech.end)
    turns.sort(key=lambda turn: turn.start)
    return [turn for turn in turns if turn.end - turn.start >= SHORTEST_TURN]


def pieces_of(turns: list[Turn], longest: float) -> list[PlannedPiece]:
    """The turns in pieces of at most `longest` seconds: a longer turn is cut into equal parts, and consecutive turns
    share a piece while it is not full. The model then reads speech that crosses a change of floor whole, and each
    of its words goes to the turn it was said in (see :func:`split_by_turns`)."""
    parts: list[Turn] = []
    for turn in turns:
        count = max(1, math.ceil((turn.end - turn.start) / longest))
        step = (turn.end - turn.start) / count
        for index in range(count):
            end = turn.end if index == count - 1 else turn.start + (index + 1) * step
            parts.append(replace(turn, start=round(turn.start + index * step, 3), end=round(end, 3)))
    groups: list[list[Turn]] = []
    for part in parts:
        last = groups[-1] if groups else None
        if last and part.end - last[0].start <= longest and part.start - last[-1].end <= ADJOINING:
            last.append(part)
        else:
            groups.append([part])
    return [
        PlannedPiece(
            f"{round(group[0].start * 1000)}-{round(group[-1].end * 1000)}", group[0].start, group[-1].end, tuple(group)
        )
        for group in groups
    ]


def split_by_turns(segment: Segment, turns: Sequence[Turn]) -> list[tuple[Turn, Segment]]:
    """The segment's words grouped by the turn each was said in (by the word's middle), as one segment per turn;
    a segment without timed words goes whole to the turn of its middle. Words in no turn are left out."""

    def turn_at(moment: float) -> Turn | None:
        return next((turn for turn in turns if turn.start <= moment < turn.end), None)

    if not segment.words:
        turn = turn_at((segment.start + segment.end) / 2)
        return [(turn, segment)] if turn is not None else []
    runs: list[tuple[Turn, list[Word]]] = []
    for word in segment.words:
        turn = turn_at((word.start + word.end) / 2)
        if turn is None:
            continue
        if runs and runs[-1][0] == turn:
            runs[-1][1].append(word)
        else:
            runs.append((turn, [word]))
    if len(runs) == 1 and len(runs[0][1]) == len(segment.words):
        return [(runs[0][0], segment)]
    return [
        (
            turn,
            Segment(
                words[0].start,
                words[-1].end,
                " ".join(word.word for word in words),
                round(sum(word.probability for word in words) / len(words), 4),
                tuple(words),
            ),
        )
        for turn, words in runs
    ]
