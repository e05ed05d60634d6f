"""Điểm danh: delegates check in from their tablet; the chair or staff mark anyone present or absent."""

from __future__ import annotations

from pydantic import Field, model_validator

from session_server.db.models import Attendance, AttendanceStatus, Member, SessionStatus
from session_server.errors import invalid, not_found
from session_server.live.dispatcher import CommandContext
from session_server.live.guards import require_status
from session_server.live.registry import NoPayload, Payload, command

OPEN_FOR_ATTENDANCE = (SessionStatus.SCHEDULED, SessionStatus.LIVE, SessionStatus.PAUSED)


class MarkAttendance(Payload):
    member_id: int = Field(ge=1)
    status: AttendanceStatus
    reason: str = Field("", max_length=300)

    @model_validator(mode="after")
    def _reason_for_excused_absence(self) -> MarkAttendance:
        if self.status is AttendanceStatus.ABSENT_WITH_REASON and not self.reason:
            raise ValueError("an absence with reason needs the reason")
        return self


async def _set(ctx: CommandContext, member_id: int, status: AttendanceStatus, reason: str) -> None:
    row = await ctx.db.get(Attendance, (ctx.session.id, member_id))
    if row is None:
        row = Attendance(session_id=ctx.session.id, member_id=member_id)
        ctx.db.add(row)
    row.status, row.reason, row.at = status, reason, ctx.now
    data = {"member_id": member_id, "status": status.value, "reason": reason}
    ctx.record("attendance.marked", data, changed=("attendance", "quorum"))


@command("checkin", reads_state=False)
async def check_in(ctx: CommandContext, _payload: NoPayload) -> None:
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    member = ctx.require_member()
    await _set(ctx, member.id, AttendanceStatus.PRESENT, "")


@command("attendance.mark", MarkAttendance)
async def mark(ctx: CommandContext, payload: MarkAttendance) -> None:
    require_status(ctx.session, *OPEN_FOR_ATTENDANCE)
    member = await ctx.db.get(Member, payload.member_id)
    if member is None or member.council_id != ctx.session.council_id:
        raise not_found("Không có đại biểu này trong hội đồng.", "No such member in this council.")
    if not member.in_office:
        raise invalid("Đại biểu này không còn đương nhiệm.", "This member is no longer in office.")
    await _set(ctx, member.id, payload.status, payload.reason)
