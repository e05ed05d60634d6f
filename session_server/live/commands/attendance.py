"""Điểm danh: delegates check in from their tablet; the chair or staff set each delegate's status, undo a change,
and mark present at once everyone who checked in while marked otherwise.

A check-in sets the status of a delegate who has none yet: present before the session opens, late after. It does
not overrule a status the chair or staff set (absent with a reason, left early): it is kept beside it
(`checked_in_at`), the chair sees it, and "mark present everyone who checked in" takes the delegates whose check-in
is newer than their status. Present and late count for the quorum and may vote (`AttendanceStatus`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator
from sqlalchemy import select

from session_server.db.models import Attendance, AttendanceStatus, Event, Member, SessionStatus
from session_server.errors import conflict, invalid, not_found
from session_server.inputs import Id
from session_server.live.context import CommandContext, held_or_get
from session_server.live.events import AttendanceCheckedIn, AttendanceMarked, AttendanceUndone
from session_server.live.guards import require_status
from session_server.live.registry import NoPayload, Payload, command

OPEN_FOR_ATTENDANCE = (SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.PAUSED)
MARKED, UNDONE = AttendanceMarked.type, AttendanceUndone.type


class MarkAttendance(Payload):
    member_id: Id
    status: AttendanceStatus
    reason: str = Field("", max_length=300)

    @model_validator(mode="after")
    def _reason_for_excused_absence(self) -> MarkAttendance:
        if self.status is AttendanceStatus.ABSENT_WITH_REASON and not self.reason:
            raise ValueError("an absence with reason needs the reason")
        return self


class MemberRef(Payload):
    member_id: Id


def _standing(row: Attendance | None) -> dict[str, str] | None:
    return {"status": row.status.value, "reason": row.reason} if row else None


async def _set(ctx: CommandContext, member_id: int, status: AttendanceStatus, reason: str) -> Attendance:
    """Set a status, recording what it replaces so that it can be undone."""
    row = await held_or_get(ctx.db, Attendance, (ctx.session.id, member_id))
    previous = _standing(row)
    if row is None:
        row = Attendance(session_id=ctx.session.id, member_id=member_id)
        ctx.db.add(row)
    row.status, row.reason, row.at = status, reason, ctx.now
    ctx.record(AttendanceMarked(member_id=member_id, status=status.value, reason=reason, previous=previous))
    return row


async def _council_member(ctx: CommandContext, member_id: int) -> Member:
    member = await ctx.db.get(Member, member_id)
    if member is None or member.council_id != ctx.session.council_id:
        raise not_found("Không có đại biểu này trong hội đồng.", "No such member in this council.")
    if not member.in_office:
        raise invalid("Đại biểu này không còn đương nhiệm.", "This member is no longer in office.")
    return member


@command("checkin", reads_state=False)
async def check_in(ctx: CommandContext, _payload: NoPayload) -> None:
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    member = ctx.require_member()
    row = await held_or_get(ctx.db, Attendance, (ctx.session.id, member.id))
    if row is None:
        opened = ctx.session.status is not SessionStatus.SCHEDULED
        row = await _set(ctx, member.id, AttendanceStatus.LATE if opened else AttendanceStatus.PRESENT, "")
    else:
        ctx.record(AttendanceCheckedIn(member_id=member.id, status=row.status.value))
    row.checked_in_at = ctx.now


@command("attendance.mark", MarkAttendance)
async def mark(ctx: CommandContext, payload: MarkAttendance) -> None:
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    member = await _council_member(ctx, payload.member_id)
    await _set(ctx, member.id, payload.status, payload.reason)


@command("attendance.mark_checked_in")
async def mark_checked_in(ctx: CommandContext, _payload: NoPayload) -> None:
    """Mark present every delegate whose own check-in came after the status staff had given them."""
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    rows = await ctx.db.scalars(
        select(Attendance).where(Attendance.session_id == ctx.session.id, Attendance.checked_in_at.is_not(None))
    )
    waiting = [
        row.member_id
        for row in rows
        if not row.status.counts_as_present and row.checked_in_at is not None and row.checked_in_at >= row.at
    ]
    if not waiting:
        raise conflict(
            "Không có đại biểu nào đã điểm danh mà chưa được ghi nhận có mặt.",
            "Every delegate who checked in is already marked present.",
        )
    for member_id in sorted(waiting):
        await _set(ctx, member_id, AttendanceStatus.PRESENT, "")


@command("attendance.undo", MemberRef)
async def undo(ctx: CommandContext, payload: MemberRef) -> None:
    """Put back the status a delegate had before their last change that is not undone yet."""
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    member = await _council_member(ctx, payload.member_id)
    history = await ctx.db.execute(
        select(Event.type, Event.data)
        .where(Event.session_id == ctx.session.id, Event.type.in_((MARKED, UNDONE)))
        .order_by(Event.seq)
    )
    replaced: list[dict[str, Any] | None] = []
    for event_type, data in history:
        if data.get("member_id") != member.id:
            continue
        if event_type == MARKED:
            replaced.append(data.get("previous"))
        elif replaced:
            replaced.pop()
    if not replaced:
        raise conflict(
            "Điểm danh của đại biểu này không có thay đổi nào để hoàn tác.",
            "This delegate's attendance has no change to undo.",
        )
    back = replaced[-1]
    row = await ctx.db.get(Attendance, (ctx.session.id, member.id))
    undone = _standing(row)
    if back is None:
        if row is not None:
            await ctx.db.delete(row)
    else:
        if row is None:
            row = Attendance(session_id=ctx.session.id, member_id=member.id)
            ctx.db.add(row)
        row.status, row.reason, row.at = AttendanceStatus(back["status"]), back["reason"], ctx.now
    status, reason = (back["status"], back["reason"]) if back else (None, "")
    ctx.record(AttendanceUndone(member_id=member.id, status=status, reason=reason, undone=undone))
