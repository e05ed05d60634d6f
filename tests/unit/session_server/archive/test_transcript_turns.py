"""Turns cut by the speaker log on the video's timeline, their pieces, and the text each speech gives the minutes."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from media.speech import Segment, Word
from session_server.archive.chapters import RecordedPart, VideoClock
from session_server.archive.minutes import apply_edits, compose
from session_server.archive.record import read_record
from session_server.archive.transcripts.turns import Turn, pieces_of, split_by_turns, turns_of
from tests.unit.session_server.archive.test_chapters import Logged, at, session_log

CHAIR = 1


def test_each_speech_is_its_speakers_turn_and_the_time_between_is_the_chairs() -> None:
    clock = VideoClock([RecordedPart(at(-5), 0.0, None)])

    turns = turns_of(read_record(session_log()), clock, CHAIR, duration=200.0)

    assert turns == [
        Turn(5.0, 25.0, CHAIR, None),
        Turn(25.0, 55.0, 3, 7),
        Turn(55.0, 85.0, 4, 8),
        Turn(85.0, 100.0, CHAIR, None),
        Turn(100.0, 125.0, 3, 9),
    ], "from the opening to the close; nothing before the opening or after the close"


def test_turns_the_video_missed_are_cut_to_it_and_overlaps_go_to_the_earlier_speech() -> None:
    log = [
        Logged("session.opened", at(0)),
        Logged("speakers.granted", at(10), {"request_id": 1, "member_id": 5, "kind": "discussion"}),
        Logged("speakers.granted", at(15), {"request_id": 2, "member_id": 6, "kind": "debate"}),
        Logged("speakers.ended", at(20), {"request_id": 1}),
        Logged("speakers.ended", at(30), {"request_id": 2}),
        Logged("session.closed", at(60)),
    ]
    clock = VideoClock([RecordedPart(at(12), 0.0, None)])

    turns = turns_of(read_record(log), clock, CHAIR, duration=40.0)

    assert turns == [Turn(0.0, 8.0, 5, 1), Turn(8.0, 18.0, 6, 2), Turn(18.0, 40.0, CHAIR, None)]


def test_turns_share_pieces_of_at_most_the_longest_and_a_long_turn_is_cut_into_equal_parts() -> None:
    turns = [Turn(0.0, 100.0, 3, 7), Turn(100.0, 120.0, CHAIR, None), Turn(120.0, 1000.0, 4, 8)]

    pieces = pieces_of([*turns, Turn(1500.0, 1510.0, CHAIR, None)], longest=300.0)

    assert [(p.start, p.end) for p in pieces] == [
        (0.0, 120.0),
        (120.0, 413.333),
        (413.333, 706.667),
        (706.667, 1000.0),
        (1500.0, 1510.0),
    ], "a piece ends where the next turn would overfill it, or where the recording has a gap"
    assert pieces[0].turns == tuple(turns[:2])
    assert all(p.turns[0].speech_id == 8 for p in pieces[1:4])
    assert len({p.key for p in pieces}) == len(pieces)


def test_each_word_goes_to_the_turn_it_was_said_in() -> None:
    chair, speaker = Turn(0.0, 10.0, CHAIR, None), Turn(10.0, 30.0, 3, 7)
    words = (
        Word(8.0, 8.5, "Mời", 0.9),
        Word(8.5, 9.0, "đại", 0.8),
        Word(9.0, 9.9, "biểu.", 0.7),
        Word(10.2, 10.6, "Xin", 0.6),
        Word(10.6, 11.0, "cảm", 0.5),
        Word(11.0, 11.2, "ơn.", 0.4),
    )
    segment = Segment(8.0, 11.2, "Mời đại biểu. Xin cảm ơn.", 0.65, words)

    split = split_by_turns(segment, [chair, speaker])

    assert [(turn, s.start, s.end, s.text, s.confidence) for turn, s in split] == [
        (chair, 8.0, 9.9, "Mời đại biểu.", 0.8),
        (speaker, 10.2, 11.2, "Xin cảm ơn.", 0.5),
    ]
    assert split_by_turns(Segment(12.0, 14.0, "Cả câu.", 0.9, words[3:]), [chair, speaker])[0][1].text == "Cả câu."
    assert split_by_turns(Segment(31.0, 33.0, "Ngoài lượt.", 0.9), [chair, speaker]) == []


def minutes_with_two_speeches() -> dict[str, Any]:
    speech = {"member_id": 3, "speaker": "Lê Văn Khoa", "kind": "discussion", "started_at": None, "ended_at": None}
    return {
        "items": [{"id": 11, "speeches": [{**speech, "id": 21}, {**speech, "id": 22}]}],
        "other_speeches": [{**speech, "id": 23}],
    }


def test_a_speech_carries_its_transcript_unless_staff_wrote_a_summary_or_chose_otherwise() -> None:
    content = minutes_with_two_speeches()
    transcripts = {21: "Lời nói thứ nhất.", 22: "Lời nói thứ hai.", 23: "Ngoài chương trình."}
    edits = apply_edits({}, {"summaries": {22: "Tóm tắt hai", 23: "Tóm tắt ba"}, "sources": {23: "transcript"}})
    before = deepcopy(content)

    minutes = compose(content, edits, transcripts)

    speeches = [*minutes["items"][0]["speeches"], *minutes["other_speeches"]]
    assert [(s["source"], s["text"]) for s in speeches] == [
        ("transcript", "Lời nói thứ nhất."),
        ("summary", "Tóm tắt hai"),
        ("transcript", "Ngoài chương trình."),
    ]
    assert content == before
    assert [s["text"] for s in compose(content, edits)["items"][0]["speeches"]] == ["", "Tóm tắt hai"]
    cleared = apply_edits(edits, {"sources": {23: ""}})
    assert compose(content, cleared, transcripts)["other_speeches"][0]["text"] == "Tóm tắt ba"
