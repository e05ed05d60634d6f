import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import (
    CONTENT_CHAIN,
    GENESIS_HASH,
    AuditError,
    canonical_content,
    event_digest,
    event_hash,
    link_hash,
    verify_chain,
)

AT = datetime(2026, 12, 10, 8, 30, tzinfo=UTC)


@dataclass(frozen=True)
class Event:
    session_id: int | str
    seq: int
    type: str
    data: object
    actor: int | str | None
    at: datetime | str
    prev_hash: str = ""
    hash: str = ""
    salt: str = ""


def build_chain(contents: list[tuple[str, object]], session_id: int = 7) -> list[Event]:
    events: list[Event] = []
    prev = GENESIS_HASH
    for seq, (event_type, data) in enumerate(contents, start=1):
        event = Event(session_id, seq, event_type, data, actor=3, at=AT + timedelta(seconds=seq), prev_hash=prev)
        event = dataclasses.replace(event, hash=event_hash(prev, event))
        events.append(event)
        prev = event.hash
    return events


SESSION = [
    ("session.open", {}),
    ("vote.open", {"motion_id": 1}),
    ("vote.cast", {"motion_id": 1, "choice": "yes"}),
    ("vote.close", {"motion_id": 1, "result": "Có 1/35 đại biểu tham gia biểu quyết"}),
]


def test_canonical_content_is_sorted_compact_utf8_json():
    """Canonical JSON: sorted keys, no whitespace, ensure_ascii=False, UTF-8."""
    event = Event(7, 1, "checkin", {"tên": "Nguyễn Văn An", "b": 1, "a": [1, 2]}, actor="u1", at="2026-12-10T08:30:00Z")
    assert (
        canonical_content(event)
        == (
            '{"actor":"u1","at":"2026-12-10T08:30:00Z","data":{"a":[1,2],"b":1,"tên":"Nguyễn Văn An"},'
            '"seq":1,"session_id":7,"type":"checkin"}'
        ).encode()
    )


def test_event_hash_is_sha256_of_previous_hash_then_the_digest_of_the_canonical_content():
    """Audit chain: each event stores the hash of the previous one; the first's previous hash is 64 zeros; an event
    is hashed through its digest, so a public copy can carry an omitted event as its digest alone."""
    event = Event(7, 1, "session.open", {}, actor=None, at="2026-12-10T08:30:00Z")
    digest = hashlib.sha256(canonical_content(event)).hexdigest()
    expected = hashlib.sha256(b"0" * 64 + digest.encode()).hexdigest()
    assert GENESIS_HASH == "0" * 64
    assert event_digest(event) == digest
    assert event_hash(GENESIS_HASH, event) == expected == link_hash(GENESIS_HASH, digest)


def test_sessions_recorded_before_digests_hash_the_canonical_content_itself():
    event = Event(7, 1, "session.open", {}, actor=None, at="2026-12-10T08:30:00Z")
    expected = hashlib.sha256(b"0" * 64 + canonical_content(event)).hexdigest()
    assert event_hash(GENESIS_HASH, event, CONTENT_CHAIN) == expected
    events = [dataclasses.replace(event, prev_hash=GENESIS_HASH, hash=expected)]
    assert verify_chain(events, CONTENT_CHAIN) is None
    assert verify_chain(events) == 0


def test_event_hash_depends_on_the_previous_hash():
    """Audit chain: the same event after a different predecessor has a different hash."""
    event = Event(7, 2, "vote.open", {"motion_id": 1}, actor=3, at=AT)
    assert event_hash(GENESIS_HASH, event) != event_hash("f" * 64, event)


def test_naive_utc_and_aware_times_of_the_same_instant_hash_alike():
    """The record must verify after a database round trip that drops or keeps the time zone."""
    naive = Event(7, 1, "session.open", {}, actor=None, at=datetime(2026, 12, 10, 8, 30))
    aware_utc = dataclasses.replace(naive, at=datetime(2026, 12, 10, 8, 30, tzinfo=UTC))
    aware_hanoi = dataclasses.replace(naive, at=datetime(2026, 12, 10, 15, 30, tzinfo=timezone(timedelta(hours=7))))
    assert (
        event_hash(GENESIS_HASH, naive) == event_hash(GENESIS_HASH, aware_utc) == event_hash(GENESIS_HASH, aware_hanoi)
    )
    assert b'"at":"2026-12-10T08:30:00.000000Z"' in canonical_content(naive)


@pytest.mark.parametrize("prev_hash", ["", "0" * 63, "G" * 64, "A" * 64, None])
def test_event_hash_refuses_a_malformed_previous_hash(prev_hash):
    """Audit chain: a previous hash is 64 lowercase hex characters."""
    with pytest.raises(AuditError, match="previous hash must be 64 lowercase hex characters"):
        event_hash(prev_hash, Event(7, 1, "x", {}, actor=None, at=AT))


@pytest.mark.parametrize("data", [{"when": datetime(2026, 1, 1)}, {"ratio": float("nan")}, {1, 2}])
def test_event_hash_refuses_content_that_is_not_plain_json(data):
    """Canonical JSON: only plain JSON values can be hashed reproducibly."""
    with pytest.raises(AuditError, match="event 1 of session 7 is not plain JSON"):
        event_hash(GENESIS_HASH, Event(7, 1, "x", data, actor=None, at=AT))


def test_intact_chain_verifies():
    """verify_chain: every link holds → None."""
    assert verify_chain(build_chain(SESSION)) is None


def test_empty_chain_verifies():
    """verify_chain: a session with no events has nothing broken."""
    assert verify_chain([]) is None


def test_verify_chain_accepts_any_iterable():
    """verify_chain works over an iterable of records, e.g. rows streamed from the database."""
    assert verify_chain(iter(build_chain(SESSION))) is None


def test_edited_data_breaks_the_chain_at_that_event():
    """The record cannot be edited without breaking the chain: a changed vote is found at its index."""
    events = build_chain(SESSION)
    events[2] = dataclasses.replace(events[2], data={"motion_id": 1, "choice": "no"})
    assert verify_chain(events) == 2


def test_edit_with_recomputed_hash_breaks_the_next_link():
    """Each event stores the hash of the previous one: rehashing an edited event breaks its successor."""
    events = build_chain(SESSION)
    edited = dataclasses.replace(events[1], actor=99)
    events[1] = dataclasses.replace(edited, hash=event_hash(edited.prev_hash, edited))
    assert verify_chain(events) == 2


def test_deleted_event_breaks_the_chain():
    """The record cannot be edited without breaking the chain: a removed event is found."""
    events = build_chain(SESSION)
    del events[1]
    assert verify_chain(events) == 1


def test_reordered_events_break_the_chain():
    """verify_chain expects seq to rise by one."""
    events = build_chain(SESSION)
    events[1], events[2] = events[2], events[1]
    assert verify_chain(events) == 1


def test_first_event_must_follow_the_genesis_hash():
    """The first event's previous hash is 64 zeros."""
    events = build_chain(SESSION)
    assert verify_chain(events[1:]) == 0


def test_event_from_another_session_breaks_the_chain():
    """One chain per session: an event with another session_id is a break."""
    events = build_chain(SESSION)
    foreign = dataclasses.replace(events[3], session_id=8)
    events[3] = dataclasses.replace(foreign, hash=event_hash(foreign.prev_hash, foreign))
    assert verify_chain(events) == 3


def test_malformed_stored_data_is_a_break_not_a_crash():
    """verify_chain reports the index of the first break, even when stored data cannot be hashed."""
    events = build_chain(SESSION)
    events[1] = dataclasses.replace(events[1], data={"bad": float("inf")})
    assert verify_chain(events) == 1


FIELDS = {
    "session_id": 8,
    "seq": 9,
    "type": "vote.change",
    "data": {"motion_id": 2},
    "actor": 4,
    "at": "2026-12-10T09:00:00Z",
    "prev_hash": "1" * 64,
    "hash": "2" * 64,
}


@given(index=st.integers(0, len(SESSION) - 1), field=st.sampled_from(sorted(FIELDS)))
def test_changing_any_field_of_any_event_is_detected_at_that_event(index, field):
    """The record cannot be edited without breaking the chain: any changed field is reported at its event."""
    events = build_chain(SESSION)
    events[index] = dataclasses.replace(events[index], **{field: FIELDS[field]})
    assert verify_chain(events) == index
