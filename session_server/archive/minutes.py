"""The minutes (biên bản) as data, drafted from the record; staff's text is kept apart and laid over it.

`draft_minutes` reads the council, the session, the attendance, the event log (speeches and their times), the
documents and the closed votes. Secret ballots bring only their totals and result text: no stored choice, no name.
A public session's minutes will be published, so they name only its public documents and count the others; a
closed session's minutes are never published and name them all.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
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
QUORUM_RULE = "two_thirds_of_total"


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
        "council": {"id": council.id, "name": council.name, "total_delegates": council.total_delegates},
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


async def _attendance(db: AsyncSession, session: CouncilSession, council: Council) -> dict[str, Any]:
    rows = await db.execute(
        select(Member.id, Member.full_name, Attendance.status, Attendance.reason)
        .outerjoin(Attendance, (Attendance.member_id == Member.id) & (Attendance.session_id == session.id))
        .where(Member.council_id == council.id, Member.in_office.is_(True))
        .order_by(Member.code)
    )
    present: list[str] = []
    excused: list[dict[str, str]] = []
    absent: list[str] = []
    for _member_id, name, status, reason in rows:
        if status is AttendanceStatus.PRESENT:
            present.append(name)
        elif status is AttendanceStatus.ABSENT_WITH_REASON:
            excused.append({"name": name, "reason": reason})
        else:
            absent.append(name)
    total = council.total_delegates
    return {
        "total": total,
        "present": present,
        "absent_with_reason": excused,
        "absent": absent,
        "quorum": {
            "present": len(present),
            "total": total,
            "required": voting.required_votes(QUORUM_RULE, total),
            "met": voting.quorum_met(len(present), total),
        },
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
            entry |= {
                "passed": result.get("passed"),
                "text_vi": result.get("text_vi", ""),
                "text_en": result.get("text_en", ""),
            }
            if motion.ballot_type is BallotType.NAMED:
                entry["named"] = [{"name": row["name"], "choice": row["choice"]} for row in result.get("named", [])]
        drafted.append(entry)
    return drafted


def compose(content: Minutes, edits: dict[str, Any]) -> Minutes:
    """The minutes as they read: the draft with staff's speech summaries, item notes and closing notes laid in."""
    minutes = copy.deepcopy(content)
    summaries = edits.get("summaries", {})
    notes = edits.get("item_notes", {})
    for item in minutes["items"]:
        item["note"] = notes.get(str(item["id"]), "")
        for speech in item["speeches"]:
            speech["summary"] = summaries.get(str(speech["id"]), "")
    for speech in minutes["other_speeches"]:
        speech["summary"] = summaries.get(str(speech["id"]), "")
    minutes["notes"] = edits.get("notes", "")
    return minutes


def apply_edits(edits: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Staff's new text over the old; an empty text removes an entry."""
    merged = {
        "summaries": dict(edits.get("summaries", {})),
        "item_notes": dict(edits.get("item_notes", {})),
        "notes": edits.get("notes", ""),
    }
    for key in ("summaries", "item_notes"):
        for ref, text in change.get(key, {}).items():
            if text:
                merged[key][str(ref)] = text
            else:
                merged[key].pop(str(ref), None)
    if change.get("notes") is not None:
        merged["notes"] = change["notes"]
    return merged
