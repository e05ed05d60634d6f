"""Deadline reminders to agencies, by mail through the queue: once when a deadline comes within
`petition_reminder_days`, and once more when it has passed; one mail per agency listing its petitions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import Council, utcnow
from session_server.mail.outbox import queue
from session_server.petitions.models import Agency, Assignment, Petition, PetitionStatus
from session_server.petitions.service import log
from session_server.settings import Settings


def _vn(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def _body(council: str, agency: str, items: list[tuple[Petition, Assignment]], today: date, url: str) -> str:
    lines = [
        f"Kính gửi: {agency}",
        "",
        f"Thường trực {council} đề nghị quý cơ quan trả lời các ý kiến, kiến nghị cử tri sau đây đúng thời hạn:",
        "",
    ]
    for number, (petition, assignment) in enumerate(items, start=1):
        late = " (ĐÃ QUÁ HẠN)" if assignment.deadline and assignment.deadline < today else ""
        lines.append(f"{number}. Số {petition.id}, hạn {_vn(assignment.deadline)}{late}: {petition.content[:300]}")
    lines += ["", f"Trả lời trực tiếp trên HopSo: {url}/staff/petitions/", "", "Trân trọng."]
    return "\n".join(lines)


async def remind(db: AsyncSession, settings: Settings, today: date, now: datetime | None = None) -> int:
    """Queue the reminders that are due (the caller commits); the number of mails queued."""
    now = now or utcnow()
    soon = today + timedelta(days=settings.petition_reminder_days)
    rows = await db.execute(
        select(Assignment, Petition, Agency)
        .join(Petition, Petition.id == Assignment.petition_id)
        .join(Agency, Agency.id == Assignment.agency_id)
        .where(
            Assignment.active,
            Assignment.answered_at.is_(None),
            Assignment.deadline.is_not(None),
            Assignment.deadline <= soon,
            Petition.status == PetitionStatus.FORWARDED,
            Petition.merged_into_id.is_(None),
            Agency.email != "",
        )
        .order_by(Agency.id, Assignment.deadline, Petition.id)
    )
    due: dict[int, list[tuple[Petition, Assignment]]] = defaultdict(list)
    agencies: dict[int, Agency] = {}
    for assignment, petition, agency in rows:
        assert assignment.deadline is not None
        first = assignment.reminded_at is None
        overdue_again = assignment.deadline < today and (
            assignment.reminded_at is None or assignment.reminded_at.date() <= assignment.deadline
        )
        if not (first or overdue_again):
            continue
        claimed = await db.execute(
            update(Assignment)
            .where(
                Assignment.id == assignment.id,
                or_(Assignment.reminded_at.is_(None), Assignment.reminded_at == assignment.reminded_at),
            )
            .values(reminded_at=now)
        )
        if claimed.rowcount == 1:
            due[agency.id].append((petition, assignment))
            agencies[agency.id] = agency
    for agency_id, items in due.items():
        agency = agencies[agency_id]
        council = await db.get(Council, agency.council_id)
        council_name = council.name if council else ""
        late = sum(1 for _p, a in items if a.deadline and a.deadline < today)
        subject = f"[{council_name}] {len(items)} kiến nghị cử tri cần trả lời" + (
            f", {late} đã quá hạn" if late else ""
        )
        queue(db, agency.email, subject, _body(council_name, agency.name, items, today, settings.effective_public_url))
        for petition, _assignment in items:
            log(db, petition.id, "reminded", None, agency_id=agency.id)
    return len(due)
