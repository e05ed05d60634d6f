"""The live state of a session, as slices built from the database; the public sees a projection of them.

Each event type names the slices it changes (live/events.py); they are rebuilt in the command's transaction, stored
in the session's snapshot and sent with the event, so a client only replaces the slices it receives. Their types are
in live/state.py.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Council,
    CouncilSession,
    Document,
    Member,
    Motion,
    MotionStatus,
    SpeakerRequest,
    SpeakerStatus,
)
from session_server.live.events import Slice, public_stream
from session_server.votes.choices import ballot_view
from session_server.votes.results import ballots_cast

State = dict[str, Any]
SliceBuilder = Callable[[AsyncSession, CouncilSession, State], Coroutine[Any, Any, Any]]


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


async def _session(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    council = await db.get(Council, session.council_id)
    assert council is not None
    names = await _member_names(db, session.council_id)
    return {
        "id": session.id,
        "title": session.title,
        "kind": session.kind.value,
        "status": session.status.value,
        "public": session.public,
        "place": session.place,
        "starts_at": iso(session.starts_at),
        "council": {
            "id": council.id,
            "name": council.name,
            "short_name": council.short_name,
            "total_delegates": council.total_delegates,
        },
        "chair": {"member_id": session.chair_member_id, "name": names.get(session.chair_member_id or 0, "")},
        "secretary": {
            "member_id": session.secretary_member_id,
            "name": names.get(session.secretary_member_id or 0, ""),
        },
    }


async def _member_names(db: AsyncSession, council_id: int) -> dict[int, str]:
    rows = await db.execute(select(Member.id, Member.full_name).where(Member.council_id == council_id))
    return {member_id: name for member_id, name in rows}


async def _members(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    members = await db.scalars(
        select(Member).where(Member.council_id == session.council_id, Member.in_office).order_by(Member.code)
    )
    return [{"id": m.id, "code": m.code, "full_name": m.full_name, "title": m.title, "group": m.group} for m in members]


def motion_view(motion: Motion) -> dict[str, Any]:
    return {
        "motion_id": motion.id,
        "agenda_item_id": motion.agenda_item_id,
        "title": motion.title,
        "kind": motion.kind.value,
        "ballot_type": motion.ballot_type.value,
        "status": motion.status.value,
        "options": motion.options,
        "seats": motion.seats,
        "allow_change": motion.allow_change,
        "countdown_seconds": motion.countdown_seconds,
        "deadline": iso(motion.deadline),
        "ballot": ballot_view(motion),
    }


async def _motions(db: AsyncSession, session: CouncilSession) -> list[Motion]:
    rows = await db.scalars(
        select(Motion)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .where(AgendaItem.session_id == session.id)
        .order_by(AgendaItem.position, Motion.position)
    )
    return list(rows)


async def _agenda(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    items = await db.scalars(
        select(AgendaItem).where(AgendaItem.session_id == session.id).order_by(AgendaItem.position)
    )
    motions = await _motions(db, session)
    documents = await db.scalars(
        select(Document)
        .where(Document.session_id == session.id, Document.deleted_at.is_(None))
        .order_by(Document.agenda_item_id, Document.id)
    )
    by_item: dict[int | None, list[dict[str, Any]]] = {}
    for d in documents:
        by_item.setdefault(d.agenda_item_id, []).append(
            {
                "document_id": d.id,
                "title": d.title,
                "classification": d.classification.value,
                "version": d.version,
                "page_count": d.page_count,
            }
        )
    current = (state.get("agenda") or {}).get("current_item_id")
    return {
        "items": [
            {
                "id": i.id,
                "position": i.position,
                "title": i.title,
                "kind": i.kind.value,
                "presenter": i.presenter,
                "motions": [motion_view(m) for m in motions if m.agenda_item_id == i.id],
                "documents": by_item.get(i.id, []),
            }
            for i in items
        ],
        "documents": by_item.get(None, []),
        "current_item_id": current,
    }


async def _vote(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    current, results = None, []
    for motion in await _motions(db, session):
        if motion.status is MotionStatus.OPEN:
            current = motion_view(motion) | {"cast_count": await ballots_cast(db, motion)}
        elif motion.status is MotionStatus.CLOSED:
            results.append(motion_view(motion) | {"result": motion.result})
    return {"current": current, "results": results}


async def _attendance(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    rows = await db.scalars(select(Attendance).where(Attendance.session_id == session.id))
    return {
        str(a.member_id): {
            "status": a.status.value,
            "reason": a.reason,
            "at": iso(a.at),
            "checked_in_at": iso(a.checked_in_at),
            "counts_as_present": a.status.counts_as_present,
        }
        for a in rows
    }


async def _quorum(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    council = await db.get(Council, session.council_id)
    assert council is not None
    attendance = state.get("attendance") or await _attendance(db, session, state)
    present = sum(1 for a in attendance.values() if AttendanceStatus(a["status"]).counts_as_present)
    return asdict(voting.quorum(present, council.total_delegates))


async def _speakers(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    names = await _member_names(db, session.council_id)
    rows = await db.scalars(
        select(SpeakerRequest)
        .where(
            SpeakerRequest.session_id == session.id,
            SpeakerRequest.status.in_([SpeakerStatus.QUEUED, SpeakerStatus.SPEAKING]),
        )
        .order_by(SpeakerRequest.position, SpeakerRequest.id)
    )
    queue, current = [], None
    for request in rows:
        entry = {
            "id": request.id,
            "member_id": request.member_id,
            "name": names.get(request.member_id, ""),
            "kind": request.kind.value,
            "agenda_item_id": request.agenda_item_id,
            "requested_at": iso(request.requested_at),
        }
        if request.status is SpeakerStatus.SPEAKING:
            current = entry | {
                "started_at": iso(request.started_at),
                "deadline": iso(request.deadline),
                "limit_seconds": request.limit_seconds,
            }
        else:
            queue.append(entry)
    return {"queue": queue, "current": current}


async def _presentation(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    return state.get("presentation")


async def _stream(db: AsyncSession, session: CouncilSession, state: State) -> Any:
    """Kept in the snapshot by the `stream.status` command; "off" until the stream is armed."""
    return state.get("stream") or {"status": "off"}


BUILDERS: dict[Slice, SliceBuilder] = {
    Slice.SESSION: _session,
    Slice.MEMBERS: _members,
    Slice.AGENDA: _agenda,
    Slice.ATTENDANCE: _attendance,
    Slice.QUORUM: _quorum,
    Slice.SPEAKERS: _speakers,
    Slice.PRESENTATION: _presentation,
    Slice.VOTE: _vote,
    Slice.STREAM: _stream,
}


async def rebuild(db: AsyncSession, session: CouncilSession, state: State, names: list[str]) -> State:
    """Rebuild the named slices into `state` (in dependency order) and return just those slices."""
    changed: State = {}
    for name, build in BUILDERS.items():
        if name in names:
            state[name.value] = changed[name.value] = await build(db, session, state)
    return changed


KEPT = (Slice.PRESENTATION, Slice.STREAM)


def kept(state: State) -> State:
    """What the session row stores: the part of the state that the tables cannot give back (what is shown, where
    the agenda stands, the stream); everything else is rebuilt from the tables."""
    stored = {name.value: state[name] for name in KEPT if name in state}
    stored["agenda"] = {"current_item_id": (state.get("agenda") or {}).get("current_item_id")}
    return stored


async def full_state(db: AsyncSession, session: CouncilSession) -> State:
    state = dict(session.snapshot or {})
    await rebuild(db, session, state, list(BUILDERS))
    return state


def _public_documents(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [d for d in documents if d["classification"] == "public"]


def _public_agenda(agenda: dict[str, Any]) -> dict[str, Any]:
    items = [{**item, "documents": _public_documents(item.get("documents", []))} for item in agenda.get("items", [])]
    return {**agenda, "items": items, "documents": _public_documents(agenda.get("documents", []))}


def public_view(state: State) -> State:
    """Only what the public may see: no attendance, no queue, no document that is not public."""
    view: State = {}
    if "session" in state:
        view["session"] = state["session"]
    if "agenda" in state:
        view["agenda"] = _public_agenda(state["agenda"])
    if "speakers" in state:
        view["speakers"] = {"current": state["speakers"]["current"]}
    if "vote" in state:
        vote = state["vote"]
        current = vote["current"] and {k: v for k, v in vote["current"].items() if k != "cast_count"}
        view["vote"] = {"current": current, "results": vote["results"]}
    if "presentation" in state:
        shown = state["presentation"]
        view["presentation"] = shown if shown and shown.get("classification") == "public" else None
    if "stream" in state:
        view["stream"] = public_stream(state["stream"])
    return view
