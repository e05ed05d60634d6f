"""Figures for the standing committee: petitions by field, agency, level, status and term, answered and overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.petitions.models import Agency, Petition, PetitionStatus
from session_server.petitions.schemas import StatRow, StatsOut

DONE = (PetitionStatus.ANSWERED, PetitionStatus.CLOSED)


def _measures(today: date) -> tuple[ColumnElement[int], ColumnElement[int], ColumnElement[int]]:
    answered = func.sum(case((Petition.status.in_(DONE), 1), else_=0))
    overdue = func.sum(case(((Petition.status == PetitionStatus.FORWARDED) & (Petition.deadline < today), 1), else_=0))
    return func.count(Petition.id), answered, overdue


async def _by(
    db: AsyncSession, key: ColumnElement[object], where: list[ColumnElement[bool]], today: date
) -> list[StatRow]:
    total, answered, overdue = _measures(today)
    rows = await db.execute(select(key, total, answered, overdue).where(*where).group_by(key).order_by(total.desc()))
    return [StatRow(key=_key(k), total=t, answered=a or 0, overdue=o or 0) for k, t, a, o in rows]


def _key(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


async def figures(db: AsyncSession, council_id: int, term: str, today: date) -> StatsOut:
    where: list[ColumnElement[bool]] = [Petition.council_id == council_id, Petition.merged_into_id.is_(None)]
    if term:
        where.append(Petition.term == term)
    total, answered, overdue = _measures(today)
    all_total, all_answered, all_overdue = (await db.execute(select(total, answered, overdue).where(*where))).one()
    by_agency = await _by(db, Petition.agency_id, where, today)
    names = {
        str(i): n for i, n in await db.execute(select(Agency.id, Agency.name).where(Agency.council_id == council_id))
    }
    for row in by_agency:
        row.key = names.get(row.key, "")
    return StatsOut(
        total=all_total,
        answered=all_answered or 0,
        overdue=all_overdue or 0,
        by_field=await _by(db, Petition.field, where, today),
        by_agency=by_agency,
        by_level=await _by(db, Petition.level, where, today),
        by_status=await _by(db, Petition.status, where, today),
        by_term=await _by(db, Petition.term, where, today),
    )
