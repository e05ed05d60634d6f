"""Reopening approved minutes to correct them: the session's audit chain records who, when and why.

The entry goes at the end of the session's event log, chained like the live session's own events, so the record
of a correction can no more be edited unnoticed than a vote (`hopso verify` checks it with the rest).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.archive.schemas import ReopeningOut
from session_server.db.models import CouncilSession, Event, User
from session_server.live.chain import EVENTS, ChainLink, last_hash

REOPENED = "minutes.reopened"


async def log_event(
    db: AsyncSession, session_id: int, type: str, data: dict[str, Any], actor_user_id: int, at: datetime
) -> ChainLink:
    """Append an event to a session's chain, in the caller's transaction."""
    # Touching the row first takes its write lock, as the live dispatcher does, so no other writer takes this seq.
    await db.execute(
        update(CouncilSession).where(CouncilSession.id == session_id).values(last_seq=CouncilSession.last_seq)
    )
    session = await db.scalar(select(CouncilSession).where(CouncilSession.id == session_id))
    assert session is not None
    # A correction of the minutes is part of the public record, reason included.
    link = ChainLink.after(
        await last_hash(db, session),
        session_id,
        session.last_seq + 1,
        type,
        data,
        actor_user_id,
        at,
        session.chain_form,
        public=True,
    )
    await db.execute(insert(EVENTS), [link.row()])
    session.last_seq = link.seq
    return link


async def last_reopening(db: AsyncSession, session_id: int) -> ReopeningOut | None:
    row = (
        await db.execute(
            select(Event.at, Event.data, User.display_name)
            .outerjoin(User, User.id == Event.actor_user_id)
            .where(Event.session_id == session_id, Event.type == REOPENED)
            .order_by(Event.seq.desc())
            .limit(1)
        )
    ).first()
    if row is None:
        return None
    at, data, name = row
    return ReopeningOut(at=at, by=name or "", reason=data["reason"])
