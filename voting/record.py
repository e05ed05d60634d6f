"""A session's public record as one file anyone can check without HopSo's database.

JSON lines. The first line describes the session (``"record": "hopso.session"``, ``session_id``, ``chain_form``,
``head``); then one line per event of the audit chain, in ``seq`` order:

- an event the public may read, whole: ``seq, type, data, actor, time, salt, prev_hash, hash``;
- any other event, by its digest alone: ``seq, omitted: true, digest, prev_hash, hash``.

Secret ballots appear only as their receipts (``vote.receipt``: who voted) and the vote's final result.
``check_record`` recomputes every link of the chain and the tallies the file shows, and says where they break.
Sessions recorded before digests (``CONTENT_CHAIN``) hash each event's content itself: their omitted events carry no
digest, and the check can only see that the links around them join up.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from voting.audit import (
    CONTENT_CHAIN,
    DIGEST_CHAIN,
    GENESIS_HASH,
    ChainedEvent,
    canonical_time,
    event_digest,
    event_hash,
    is_hash,
    link_hash,
)
from voting.errors import AuditError, VotingError
from voting.results import decide
from voting.tally import Tally

RECORD_KIND = "hopso.session"


def record_header(session_id: int, title: str, council: str, form: int, head: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "record": RECORD_KIND,
        "session_id": session_id,
        "title": title,
        "council": council,
        "chain_form": form,
        "head": dict(head),
    }


def record_line(event: ChainedEvent, public: bool, form: int) -> dict[str, Any]:
    """An event as the public record carries it: whole if the public may read it, else by its digest."""
    link = {"prev_hash": event.prev_hash, "hash": event.hash}
    if public:
        shown = {"type": event.type, "data": event.data, "actor": event.actor, "time": canonical_time(event.at)}
        salt = {"salt": event.salt} if event.salt else {}
        return {"seq": event.seq, **shown, **salt, **link}
    digest = {"digest": event_digest(event)} if form == DIGEST_CHAIN else {}
    return {"seq": event.seq, "omitted": True, **digest, **link}


@dataclass(frozen=True)
class _Shown:
    session_id: int
    seq: int
    type: str
    data: object
    actor: int | str | None
    at: str
    salt: str


@dataclass
class RecordCheck:
    """What the check found: the events read, the head it recomputed, and every problem, first break first."""

    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS_HASH
    votes: int = 0
    problems: list[str] = field(default_factory=list)
    broken_at: int | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def _link(line: Mapping[str, Any], session_id: int, form: int) -> str | None:
    """The hash this line's event must have after its `prev_hash`; None where the file cannot tell (an omitted
    event of a content chain)."""
    if line.get("omitted"):
        if form == CONTENT_CHAIN:
            return None
        return link_hash(line["prev_hash"], line["digest"])
    shown = _Shown(
        session_id, line["seq"], line["type"], line["data"], line["actor"], line["time"], line.get("salt", "")
    )
    return event_hash(line["prev_hash"], shown, form)


def _check_chain(header: Mapping[str, Any], lines: list[dict[str, Any]], check: RecordCheck) -> None:
    session_id, form = header.get("session_id"), header.get("chain_form")
    if not isinstance(session_id, int) or form not in (CONTENT_CHAIN, DIGEST_CHAIN):
        check.problems.append("the first line does not describe a session's record")
        check.broken_at = 0
        return
    previous = GENESIS_HASH
    for line in lines:
        seq = line.get("seq")
        where = f"event seq {seq} ({line.get('type', 'omitted')})"
        try:
            if seq != check.head_seq + 1:
                raise AuditError(f"the record jumps from event seq {check.head_seq} to {seq}")
            if line.get("prev_hash") != previous:
                raise AuditError(f"chain broken at {where}: it does not follow the event before it")
            expected = _link(line, session_id, form)
            if expected is not None and line.get("hash") != expected:
                raise AuditError(f"chain broken at {where}: its content does not give its hash")
            if not is_hash(line.get("hash")):
                raise AuditError(f"chain broken at {where}: its hash is malformed")
        except (AuditError, KeyError, TypeError) as error:
            message = str(error) if isinstance(error, AuditError) else f"chain broken at {where}: {error!r} missing"
            check.problems.append(message)
            check.broken_at = seq if isinstance(seq, int) else check.head_seq + 1
            return
        previous = line["hash"]
        check.head_seq, check.head_hash = seq, previous
        check.events += 1


def _check_votes(lines: list[dict[str, Any]], check: RecordCheck) -> None:
    receipts = Counter(
        line["data"].get("motion_id") for line in lines if line.get("type") == "vote.receipt" and "data" in line
    )
    for line in lines:
        if line.get("type") != "vote.closed":
            continue
        data = line["data"]
        motion, result = data.get("motion_id"), data.get("result") or {}
        check.votes += 1
        label = f"motion {motion} (event seq {line['seq']})"
        counts, participating = result.get("counts"), result.get("participating")
        if isinstance(counts, dict) and sum(counts.values()) != participating:
            check.problems.append(f"{label}: its counts add up to {sum(counts.values())}, not {participating}")
        if data.get("ballot_type") == "secret" and receipts[motion] != participating:
            check.problems.append(f"{label}: {receipts[motion]} receipts, but {participating} ballots counted")
        if data.get("ballot_type") == "named" and isinstance(counts, dict):
            named = Counter(entry.get("choice") for entry in result.get("named", []))
            if any(named[choice] != count for choice, count in counts.items()):
                check.problems.append(f"{label}: the named list does not give its counts")
        if isinstance(counts, dict) and set(counts) == {"yes", "no", "abstain"}:
            try:
                decision = decide(Tally(**counts), result.get("total", 0), result.get("rule", ""))
            except (VotingError, ValueError, TypeError):
                continue
            if decision.passed != result.get("passed"):
                check.problems.append(f"{label}: its counts {'pass' if decision.passed else 'do not pass'} by its rule")


def check_record(lines: Iterable[str], anchored_head: str | None = None) -> RecordCheck:
    """Recompute a public record's chain and the tallies it shows; compare its head with ``anchored_head`` (the hash
    printed in the signed minutes and on the archive page) when given."""
    check = RecordCheck()
    try:
        parsed = [json.loads(text) for text in lines if text.strip()]
    except ValueError as error:
        check.problems.append(f"the file is not JSON lines: {error}")
        return check
    if not parsed or not isinstance(parsed[0], dict) or parsed[0].get("record") != RECORD_KIND:
        check.problems.append("the file is not a HopSo session record")
        return check
    events = [line for line in parsed[1:] if isinstance(line, dict)]
    _check_chain(parsed[0], events, check)
    if check.ok:
        _check_votes(events, check)
    if anchored_head is not None and anchored_head != check.head_hash:
        check.problems.append(
            f"the record ends at event seq {check.head_seq} with hash {check.head_hash}, "
            f"not with the anchored head {anchored_head}"
        )
    return check
