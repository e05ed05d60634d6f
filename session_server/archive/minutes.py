"""The minutes (biên bản) as data, drafted from the record; staff's text is kept apart and laid over it.

`draft_minutes` reads the council, the session, the attendance, the event log (speeches and their times), the
documents and the closed votes. Secret ballots bring only their totals and result text: no stored choice, no name.
A public session's minutes will be published, so they name only its public documents and count the others; a
closed session's minutes are never published and name them all. Each closed vote carries its verdict, from
`voting`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.archive.public_record import CHAIN_HEAD
from session_server.archive.record import SessionRecord, read_record
from session_server.db.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    BallotType,
    Classification,
    Council,
    CouncilSession,
    Document,
    Event,
    Member,
    Motion,
    MotionStatus,
)

Minutes = dict[str, Any]
TRANSCRIPT = "transcript"
SUMMARY = "summary"


async def session_record(db: AsyncSession, session_id: int) -> SessionRecord:
    events = await db.scalars(select(Event).where(Event.session_id == session_id).order_by(Event.seq))
    return read_record(events)


async def member_names(db: AsyncSession, council_id: int) -> dict[int, str]:
    rows = await db.execute(select(Member.id, Member.full_name).where(Member.council_id == council_id))
    return {member_id: name for member_id, name in rows}


def _local(moment: datetime | None, zone: ZoneInfo) -> str | None:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None


async def draft_minutes(db: AsyncSession, session_id: int) -> Minutes:
    session = await db.get(CouncilSession, session_id)
    assert session is not None
    council = await db.get(Council, session.council_id)
    assert council is not None
    zone = ZoneInfo(council.timezone)
    names = await member_names(db, council.id)
    record = await session_record(db, session_id)
    items = list(
        await db.scalars(select(AgendaItem).where(AgendaItem.session_id == session_id).order_by(AgendaItem.position))
    )
    spans = {span.item_id: span for span in record.items}

    def person(member_id: int | None) -> dict[str, Any] | None:
        return {"member_id": member_id, "name": names.get(member_id, "")} if member_id else None

    def speeches_of(item_id: int | None) -> list[dict[str, Any]]:
        return [
            {
                "id": speech.request_id,
                "member_id": speech.member_id,
                "speaker": names.get(speech.member_id, ""),
                "kind": speech.kind,
                "started_at": _local(speech.started_at, zone),
                "ended_at": _local(speech.ended_at, zone),
            }
            for speech in record.speeches
            if speech.agenda_item_id == item_id
        ]

    drafted_items = []
    for item in items:
        span = spans.get(item.id)
        documents, withheld = await _documents(db, item.id, session.public)
        drafted_items.append(
            {
                "id": item.id,
                "position": item.position,
                "title": item.title,
                "kind": item.kind.value,
                "presenter": item.presenter,
                "started_at": _local(span.started_at if span else None, zone),
                "ended_at": _local(span.ended_at if span else None, zone),
                "documents": documents,
                "withheld_documents": withheld,
                "speeches": speeches_of(item.id),
                "motions": await _motions(db, item.id),
            }
        )
    return {
        "council": {
            "id": council.id,
            "name": council.name,
            "short_name": council.short_name,
            "term": council.term,
            "total_delegates": council.total_delegates,
        },
        "session": {
            "id": session.id,
            "title": session.title,
            "kind": session.kind.value,
            "public": session.public,
            "place": session.place,
            "timezone": council.timezone,
            "opened_at": _local(record.opened_at, zone),
            "closed_at": _local(record.closed_at, zone),
        },
        "chair": person(session.chair_member_id),
        "secretary": person(session.secretary_member_id),
        "attendance": await _attendance(db, session, council),
        "items": drafted_items,
        "other_speeches": speeches_of(None),
    }


ATTENDED = ("present", "late", "left_early")
"""Statuses of delegates who sat in the session, for however long: they make the quorum."""
ATTENDANCE_ORDER = (*ATTENDED, "absent_with_reason", "absent")


async def _attendance(db: AsyncSession, session: CouncilSession, council: Council) -> dict[str, Any]:
    """Every delegate in office under their status (no check-in counts as absent), with reasons and the quorum."""
    rows = await db.execute(
        select(Member.id, Member.full_name, Attendance.status, Attendance.reason)
        .outerjoin(Attendance, (Attendance.member_id == Member.id) & (Attendance.session_id == session.id))
        .where(Member.council_id == council.id, Member.in_office.is_(True))
        .order_by(Member.code)
    )
    groups: dict[str, list[dict[str, Any]]] = {status: [] for status in ATTENDANCE_ORDER}
    for member_id, name, status, reason in rows:
        key = status.value if status is not None else AttendanceStatus.ABSENT.value
        groups.setdefault(key, []).append({"member_id": member_id, "name": name, "reason": reason or ""})
    attended = sum(len(groups[status]) for status in ATTENDED)
    total = council.total_delegates
    return {
        "total": total,
        "statuses": [{"status": status, "members": members} for status, members in groups.items()],
        "attended": attended,
        "quorum": asdict(voting.quorum(attended, total)),
    }


async def _documents(db: AsyncSession, item_id: int, public_session: bool) -> tuple[list[dict[str, Any]], int]:
    rows = list(
        await db.scalars(
            select(Document)
            .where(Document.agenda_item_id == item_id, Document.deleted_at.is_(None))
            .order_by(Document.id)
        )
    )
    named = [d for d in rows if not public_session or d.classification is Classification.PUBLIC]
    listed = [{"id": d.id, "title": d.title, "classification": d.classification.value} for d in named]
    return listed, len(rows) - len(named)


async def _motions(db: AsyncSession, item_id: int) -> list[dict[str, Any]]:
    motions = await db.scalars(select(Motion).where(Motion.agenda_item_id == item_id).order_by(Motion.position))
    drafted = []
    for motion in motions:
        result = motion.result or {}
        entry: dict[str, Any] = {
            "id": motion.id,
            "title": motion.title,
            "kind": motion.kind.value,
            "ballot_type": motion.ballot_type.value,
            "status": motion.status.value,
        }
        if motion.status is MotionStatus.CLOSED:
            names = {str(option["key"]): option.get("name", "") for option in motion.options if "key" in option}
            found = voting.verdict(motion.kind.value, result, names)
            entry |= {
                "passed": result.get("passed"),
                "text_vi": result.get("text_vi", ""),
                "text_en": result.get("text_en", ""),
                "carried": found.carried,
                "verdict_vi": found.text_vi,
                "verdict_en": found.text_en,
            }
            if motion.ballot_type is BallotType.NAMED:
                entry["named"] = [{"name": row["name"], "choice": row["choice"]} for row in result.get("named", [])]
        drafted.append(entry)
    return drafted


def compose(content: Minutes, edits: dict[str, Any], transcripts: Mapping[int, str] | None = None) -> Minutes:
    """The minutes as they read: the draft with staff's speech summaries, item notes, closing notes and the number
    from the office's register laid in.

    Each speech's `text` is what the minutes say it said: its transcript (`transcripts`, corrections included, or a
    `text` the record already carries) or staff's summary, as staff chose in `edits["sources"]`; without a choice,
    the summary if staff wrote one.
    """
    minutes = copy.deepcopy(content)
    summaries = edits.get("summaries", {})
    notes = edits.get("item_notes", {})
    sources = edits.get("sources", {})
    transcripts = transcripts or {}

    def lay_in(speech: dict[str, Any]) -> None:
        ref = str(speech["id"])
        speech["summary"] = summaries.get(ref, "")
        transcript = transcripts.get(speech["id"]) or speech.get("text", "")
        speech["source"] = sources.get(ref) or (SUMMARY if speech["summary"] or not transcript else TRANSCRIPT)
        speech["text"] = transcript if speech["source"] == TRANSCRIPT else speech["summary"]

    for item in minutes["items"]:
        item["note"] = notes.get(str(item["id"]), "")
        for speech in item["speeches"]:
            lay_in(speech)
    for speech in minutes["other_speeches"]:
        lay_in(speech)
    minutes["notes"] = edits.get("notes", "")
    minutes["number"] = edits.get("number")
    if edits.get(CHAIN_HEAD):
        minutes[CHAIN_HEAD] = edits[CHAIN_HEAD]
    return minutes


def apply_edits(edits: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Staff's new text over the old; an empty text removes an entry, a null number clears it."""
    merged = {
        "summaries": dict(edits.get("summaries", {})),
        "item_notes": dict(edits.get("item_notes", {})),
        "sources": dict(edits.get("sources", {})),
        "notes": edits.get("notes", ""),
        "number": edits.get("number"),
    }
    for key in ("summaries", "item_notes", "sources"):
        for ref, text in change.get(key, {}).items():
            if text:
                merged[key][str(ref)] = text
            else:
                merged[key].pop(str(ref), None)
    if change.get("notes") is not None:
        merged["notes"] = change["notes"]
    if "number" in change:
        merged["number"] = change["number"]
    return merged
