"""Who is present and has not voted: the chair is told before closing a vote, and the result keeps the number apart
from those who chose "không biểu quyết"."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import Attendance, AttendanceStatus, Ballot, BallotReceipt, BallotType, Member, Motion

PRESENT = [status for status in AttendanceStatus if status.counts_as_present]


async def present_not_voted(db: AsyncSession, motion: Motion, session_id: int) -> list[dict[str, Any]]:
    """The delegates present now (present or late) who have cast no ballot on `motion`, by code."""
    voted = BallotReceipt if motion.ballot_type is BallotType.SECRET else Ballot
    rows = await db.execute(
        select(Member.id, Member.code, Member.full_name)
        .join(Attendance, (Attendance.member_id == Member.id) & (Attendance.session_id == session_id))
        .where(
            Attendance.status.in_(PRESENT),
            Member.in_office.is_(True),
            Member.id.not_in(select(voted.member_id).where(voted.motion_id == motion.id)),
        )
        .order_by(Member.code)
    )
    return [{"member_id": i, "code": code, "name": name} for i, code, name in rows]
