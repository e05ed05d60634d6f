"""A closed vote's ballots as stored, and its result as `voting` decides it; a delegate's own ballot."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import Ballot, BallotReceipt, BallotType, Member, Motion
from session_server.votes.choices import form_of
from session_server.votes.sealed import tally_counts


async def stored_counts(db: AsyncSession, motion: Motion, secret_key: str) -> voting.Counts:
    """What the stored ballots add up to: a secret vote's sealed tally, or the other votes' ballot rows."""
    if motion.ballot_type is BallotType.SECRET:
        return await tally_counts(db, motion, secret_key)
    choices = await db.scalars(select(Ballot.choice).where(Ballot.motion_id == motion.id))
    return voting.count_ballots(form_of(motion), choices)


async def ballots_cast(db: AsyncSession, motion: Motion) -> int:
    table = BallotReceipt if motion.ballot_type is BallotType.SECRET else Ballot
    return await db.scalar(select(func.count()).select_from(table).where(table.motion_id == motion.id)) or 0


async def named_list(db: AsyncSession, motion: Motion) -> list[dict[str, Any]]:
    rows = await db.execute(
        select(Member.id, Member.code, Member.full_name, Ballot.choice)
        .join(Ballot, Ballot.member_id == Member.id)
        .where(Ballot.motion_id == motion.id)
        .order_by(Member.code)
    )
    return [{"member_id": i, "code": code, "name": name, "choice": choice} for i, code, name, choice in rows]


def decide(motion: Motion, counted: voting.Counts, total: int) -> dict[str, Any]:
    """The result as data, as `voting` decides it for this motion's ballot and rule, from its counts."""
    return voting.counted_outcome(form_of(motion), counted, total, motion.rule)


async def own_ballot(
    db: AsyncSession, motion_id: int, ballot_type: BallotType, member_id: int
) -> dict[str, Any] | None:
    """What a returning tablet shows its delegate: that they voted, and their choice unless the ballot is secret."""
    if ballot_type is BallotType.SECRET:
        receipt = await db.scalar(
            select(BallotReceipt.id).where(BallotReceipt.motion_id == motion_id, BallotReceipt.member_id == member_id)
        )
        return {"motion_id": motion_id, "voted": True, "choice": None} if receipt else None
    choice = await db.scalar(select(Ballot.choice).where(Ballot.motion_id == motion_id, Ballot.member_id == member_id))
    return {"motion_id": motion_id, "voted": True, "choice": choice} if choice else None
