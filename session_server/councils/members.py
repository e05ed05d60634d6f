"""Adding and updating members: shared by the REST routes, the CSV import, the CLI and the demo loader."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.councils.schemas import ImportResult, MemberIn
from session_server.db.models import Member


async def upsert_members(db: AsyncSession, council_id: int, members: Iterable[MemberIn]) -> ImportResult:
    """Create members by code, or update the ones whose code exists (the caller commits)."""
    existing = {m.code: m for m in await db.scalars(select(Member).where(Member.council_id == council_id))}
    created = updated = 0
    for data in members:
        member = existing.get(data.code)
        if member is None:
            db.add(Member(council_id=council_id, **data.model_dump()))
            created += 1
        else:
            for field, value in data.model_dump().items():
                setattr(member, field, value)
            updated += 1
    await db.flush()
    return ImportResult(created=created, updated=updated)
