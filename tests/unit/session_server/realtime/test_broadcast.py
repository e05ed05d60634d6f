"""What tablets receive for a batch: every seq accounted for, ballots folded into vote.progress, no choice shown."""

from session_server.live.dispatcher import CommandResult, Delivered
from session_server.realtime.broadcast import Progress, live_envelopes, public_envelopes


def _event(seq: int, type: str, public: bool = False) -> Delivered:
    data = {"seq": seq}
    return Delivered(seq, type, data, f"2026-12-01T08:00:{seq:02d}", data if public else None)


def test_ballots_between_other_events_are_folded_and_every_seq_is_covered() -> None:
    result = CommandResult(
        8,
        [_event(5, "vote.cast"), _event(6, "doc.page", public=True), _event(7, "vote.cast"), _event(8, "vote.receipt")],
        {"vote": {"current": {"cast_count": 7}}},
        True,
    )

    sent = live_envelopes(result, Progress(2, 4, "2026-12-01T08:00:04", {"vote": {"current": {"cast_count": 3}}}))

    assert [(e.get("first_seq", e["seq"]), e["seq"], e["type"]) for e in sent] == [
        (2, 6, "doc.page"),
        (7, 8, "vote.progress"),
    ]
    assert sent[0]["state"] == {}
    assert sent[1]["state"] == {"vote": {"current": {"cast_count": 7}}}
    assert sent[1]["data"] == {}


def test_an_envelope_for_one_seq_has_no_first_seq() -> None:
    result = CommandResult(3, [_event(3, "doc.page", public=True)], {}, True)

    assert "first_seq" not in live_envelopes(result)[0]
    assert [e["seq"] for e in public_envelopes(result)] == [3]


def test_the_public_hears_nothing_of_ballots() -> None:
    result = CommandResult(
        2,
        [_event(1, "vote.cast"), _event(2, "vote.cast")],
        {"vote": {"current": {"cast_count": 2}, "results": []}},
        True,
    )

    assert public_envelopes(result) == []
