"""The public record as a file: built line by line from the chain, checked without any database."""

import dataclasses
import json
from datetime import UTC, datetime, timedelta

from voting import GENESIS_HASH, check_record, event_hash, record_header, record_line

AT = datetime(2026, 12, 10, 8, 30, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Event:
    session_id: int
    seq: int
    type: str
    data: object
    actor: int | None
    at: datetime
    prev_hash: str = ""
    hash: str = ""
    salt: str = ""


def _secret_vote(receipts: int, counts: dict[str, int], passed: bool) -> list[tuple[str, dict, bool]]:
    result = {"counts": counts, "participating": sum(counts.values()), "total": 5, "rule": "more_than_half_of_total"}
    return [
        ("vote.opened", {"motion_id": 9}, True),
        *[("vote.receipt", {"motion_id": 9, "member_id": m, "receipt": True}, True) for m in range(receipts)],
        ("speakers.requested", {"member_id": 3}, False),
        ("vote.closed", {"motion_id": 9, "ballot_type": "secret", "result": result | {"passed": passed}}, True),
    ]


def _record(events: list[tuple[str, dict, bool]]) -> list[str]:
    lines, prev = [], GENESIS_HASH
    for seq, (type_, data, public) in enumerate(events, 1):
        event = Event(7, seq, type_, data, actor=2, at=AT + timedelta(seconds=seq), prev_hash=prev)
        event = dataclasses.replace(event, hash=event_hash(prev, event))
        lines.append(record_line(event, public, 2))
        prev = event.hash
    header = record_header(7, "Kỳ họp thứ Năm", "HĐND xã", 2, {"seq": len(events), "hash": prev})
    return [json.dumps(line, ensure_ascii=False) for line in [header, *lines]]


def test_a_record_with_an_event_left_out_by_its_digest_verifies_to_its_head():
    lines = _record(_secret_vote(3, {"yes": 2, "no": 1, "abstain": 0}, passed=False))
    head = json.loads(lines[-1])["hash"]

    check = check_record(lines, head)

    assert check.ok, check.problems
    assert (check.events, check.head_seq, check.votes) == (6, 6, 1)
    assert json.loads(lines[5]) == {
        "seq": 5,
        "omitted": True,
        "digest": json.loads(lines[5])["digest"],
        "prev_hash": json.loads(lines[4])["hash"],
        "hash": json.loads(lines[5])["hash"],
    }


def test_a_changed_digest_breaks_the_chain_at_that_event():
    lines = _record(_secret_vote(3, {"yes": 2, "no": 1, "abstain": 0}, passed=False))
    omitted = json.loads(lines[5])
    lines[5] = json.dumps(omitted | {"digest": "f" * 64})

    check = check_record(lines)

    assert check.broken_at == 5
    assert check.problems == ["chain broken at event seq 5 (omitted): its content does not give its hash"]


def test_a_secret_vote_counting_more_ballots_than_receipts_is_reported():
    lines = _record(_secret_vote(2, {"yes": 2, "no": 1, "abstain": 0}, passed=False))

    assert check_record(lines).problems == ["motion 9 (event seq 5): 2 receipts, but 3 ballots counted"]


def test_a_result_its_counts_contradict_is_reported():
    """Ordinary resolution: yes × 2 > N; 3 of 5 pass, so a result saying it failed is wrong."""
    lines = _record(_secret_vote(3, {"yes": 3, "no": 0, "abstain": 0}, passed=False))

    assert check_record(lines).problems == ["motion 9 (event seq 6): its counts pass by its rule"]


def test_a_head_other_than_the_anchored_one_is_reported():
    lines = _record(_secret_vote(3, {"yes": 2, "no": 1, "abstain": 0}, passed=False))

    check = check_record(lines, "a" * 64)

    assert check.problems == [
        f"the record ends at event seq 6 with hash {json.loads(lines[-1])['hash']}, "
        f"not with the anchored head {'a' * 64}"
    ]


def test_a_file_that_is_not_a_record_is_refused():
    assert check_record(["{}"]).problems == ["the file is not a HopSo session record"]
    assert check_record(["not json"]).problems[0].startswith("the file is not JSON lines")
