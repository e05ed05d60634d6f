"""Chapters from the event log, placed on the archived video's timeline by wall clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from media.outputs.recording import RecordingManifest, RecordingPart
from session_server.archive.chapters import AGENDA, SPEECH, RecordedPart, VideoClock, chapters_of, recorded_parts
from session_server.archive.record import read_record

T0 = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass
class Logged:
    type: str
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)


def session_log() -> list[Logged]:
    return [
        Logged("session.opened", at(0)),
        Logged("agenda.current", at(10), {"item_id": 1}),
        Logged(
            "speakers.granted", at(20), {"request_id": 7, "member_id": 3, "kind": "discussion", "agenda_item_id": 1}
        ),
        Logged("speakers.granted", at(50), {"request_id": 8, "member_id": 4, "kind": "question", "agenda_item_id": 1}),
        Logged("speakers.ended", at(50), {"request_id": 7}),
        Logged("speakers.ended", at(80), {"request_id": 8}),
        Logged("agenda.current", at(90), {"item_id": 2}),
        Logged("speakers.granted", at(95), {"request_id": 9, "member_id": 3, "kind": "debate", "agenda_item_id": 2}),
        Logged("session.closed", at(120)),
    ]


def test_the_record_gives_agenda_spans_and_speeches_with_their_times() -> None:
    record = read_record(session_log())

    assert (record.opened_at, record.closed_at) == (at(0), at(120))
    assert [(s.item_id, s.started_at, s.ended_at) for s in record.items] == [(1, at(10), at(90)), (2, at(90), at(120))]
    speeches = [(s.request_id, s.kind, s.started_at, s.ended_at) for s in record.speeches]
    assert speeches == [
        (7, "discussion", at(20), at(50)),
        (8, "question", at(50), at(80)),
        (9, "debate", at(95), at(120)),
    ], "a speech still going at the close ends with the session"


def test_one_recording_part_shifts_every_chapter_by_its_wall_clock_start() -> None:
    clock = VideoClock([RecordedPart(at(5), 0.0, None)])
    marks = chapters_of(
        read_record(session_log()), clock, {1: "1. Khai mạc", 2: "2. Báo cáo"}, {3: "Hoàng Thu Lan", 4: "Lê Văn Khoa"}
    )

    assert [(m.kind, m.start, m.end, m.title) for m in marks] == [
        (AGENDA, 5.0, 85.0, "1. Khai mạc"),
        (SPEECH, 15.0, 45.0, "Hoàng Thu Lan — thảo luận"),
        (SPEECH, 45.0, 75.0, "Lê Văn Khoa — chất vấn"),
        (AGENDA, 85.0, 115.0, "2. Báo cáo"),
        (SPEECH, 90.0, 115.0, "Hoàng Thu Lan — tranh luận"),
    ]
    assert [m.speech_id for m in marks if m.kind == SPEECH] == [7, 8, 9]


def test_a_dropped_encoder_closes_the_gap_so_later_moments_map_past_the_first_part() -> None:
    # Part 1 recorded 0-30 s of wall clock, nothing until 60 s, then part 2 from video second 30.
    clock = VideoClock([RecordedPart(at(0), 0.0, 30.0), RecordedPart(at(60), 30.0, None)])

    assert clock.at(at(-5)) == 0.0
    assert clock.at(at(12)) == 12.0
    assert clock.at(at(45)) == 30.0, "a moment in the gap maps to where the next part starts"
    assert clock.at(at(70)) == 40.0


def test_a_part_left_unclosed_by_a_crash_runs_until_the_next_part() -> None:
    clock = VideoClock([RecordedPart(at(0), 0.0, None), RecordedPart(at(100), 20.0, 5.0)])

    assert clock.at(at(50)) == 20.0
    assert clock.at(at(102)) == 22.0


def test_parts_are_placed_from_the_first_part_of_the_manifest() -> None:
    manifest = RecordingManifest(
        "1",
        parts=[
            RecordingPart("part-0002.mp4", 2, at(60).isoformat(), timeline_start=30.5, duration=10.0),
            RecordingPart("part-0001.mp4", 1, at(0).isoformat(), timeline_start=0.5, duration=30.0),
        ],
    )

    assert recorded_parts(manifest) == [RecordedPart(at(0), 0.0, 30.0), RecordedPart(at(60), 30.0, 10.0)]


@pytest.mark.parametrize("recording_starts", [200.0, 130.0])
def test_spans_the_video_missed_entirely_are_left_out(recording_starts: float) -> None:
    clock = VideoClock([RecordedPart(at(recording_starts), 0.0, 10.0)])

    assert chapters_of(read_record(session_log()), clock, {1: "1", 2: "2"}, {}) == []
