"""The session's audit chain: each event carries the hash of the one before it.

An event's canonical content is the JSON object of ``session_id, seq, type, data, actor, at`` and, for events
written since digests, ``salt`` (random, so the digest of an event left out of a public copy cannot be found by
trying the few contents it could have, such as an open ballot's three choices) with sorted keys, no whitespace,
``ensure_ascii=False``, encoded as UTF-8; its digest is the SHA-256 hex digest of that content.
An event's hash is the SHA-256 hex digest of the previous event's hash (64 ASCII hex characters; 64 zeros for the
first event) followed by the event's digest (``DIGEST_CHAIN``), so an event left out of a public copy of the
record can stand in it by its digest alone. Sessions recorded before digests (``CONTENT_CHAIN``) hashed the
previous hash followed by the canonical content itself.
"""

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Protocol

from voting.errors import AuditError

GENESIS_HASH = "0" * 64
CONTENT_CHAIN = 1
DIGEST_CHAIN = 2
CHAIN_FORMS = (CONTENT_CHAIN, DIGEST_CHAIN)

_HASH_PATTERN = re.compile(r"[0-9a-f]{64}")


class EventContent(Protocol):
    """The fields of a session event that its hash covers."""

    @property
    def session_id(self) -> int | str: ...
    @property
    def seq(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def data(self) -> object: ...
    @property
    def actor(self) -> int | str | None: ...
    @property
    def at(self) -> datetime | str: ...
    @property
    def salt(self) -> str: ...


class ChainedEvent(EventContent, Protocol):
    """A stored session event with its link in the chain."""

    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


@lru_cache(maxsize=256)
def canonical_time(at: datetime | str) -> str:
    """An event's time as its hash covers it: UTC ``...T...Z`` with microseconds (remembered: a batch's events share
    one)."""
    if isinstance(at, str):
        return at
    # SQLite hands datetimes back naive and PostgreSQL aware: both must hash alike, so naive means UTC.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds") + "Z"


def canonical_content(event: EventContent) -> bytes:
    """The event's hashed content as canonical JSON bytes; datetimes become UTC ``...T...Z`` strings."""
    content = {
        "session_id": event.session_id,
        "seq": event.seq,
        "type": event.type,
        "data": event.data,
        "actor": event.actor,
        "at": canonical_time(event.at),
    }
    if event.salt:
        content["salt"] = event.salt
    try:
        text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise AuditError(f"event {event.seq} of session {event.session_id} is not plain JSON: {error}") from None
    return text.encode("utf-8")


def is_hash(value: object) -> bool:
    """Whether ``value`` is a hash as the chain writes them: 64 lowercase hex characters."""
    return isinstance(value, str) and _HASH_PATTERN.fullmatch(value) is not None


def event_digest(event: EventContent) -> str:
    """The SHA-256 hex digest of the event's canonical content."""
    return hashlib.sha256(canonical_content(event)).hexdigest()


def link_hash(prev_hash: str, digest: str) -> str:
    """The hash of the event whose digest is ``digest``, chained after the one whose hash is ``prev_hash``."""
    if not is_hash(prev_hash) or not is_hash(digest):
        raise AuditError(f"hashes are 64 lowercase hex characters, got {prev_hash!r} and {digest!r}")
    return _chained(prev_hash, digest)


def _chained(prev_hash: str, digest: str) -> str:
    return hashlib.sha256((prev_hash + digest).encode("ascii")).hexdigest()


def event_hash(prev_hash: str, event: EventContent, form: int = DIGEST_CHAIN) -> str:
    """The hash of ``event`` chained after the event whose hash is ``prev_hash``, in the chain's ``form``."""
    if not is_hash(prev_hash):
        raise AuditError(f"previous hash must be 64 lowercase hex characters, got {prev_hash!r}")
    if form == DIGEST_CHAIN:
        return _chained(prev_hash, event_digest(event))
    if form == CONTENT_CHAIN:
        return hashlib.sha256(prev_hash.encode("ascii") + canonical_content(event)).hexdigest()
    raise AuditError(f"unknown chain form {form!r}")


def _breaks_chain(event: ChainedEvent, previous: ChainedEvent | None, form: int) -> bool:
    if previous is None:
        expected_prev = GENESIS_HASH
    else:
        if event.session_id != previous.session_id or event.seq != previous.seq + 1:
            return True
        expected_prev = previous.hash
    if event.prev_hash != expected_prev:
        return True
    try:
        return event.hash != event_hash(event.prev_hash, event, form)
    except AuditError:
        return True


def verify_chain(events: Iterable[ChainedEvent], form: int = DIGEST_CHAIN) -> int | None:
    """The index of the first event that breaks the chain, or ``None`` if every link holds.

    ``events`` are one session's events in ``seq`` order, from its first; ``seq`` must rise by one each time;
    ``form`` is how the session's chain was written.
    """
    previous: ChainedEvent | None = None
    for index, event in enumerate(events):
        if _breaks_chain(event, previous, form):
            return index
        previous = event
    return None
