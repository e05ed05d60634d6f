"""`hopso verify`: recompute a session's audit chain and its tallies from what is stored, and report what breaks.

The chain proves the event log was not edited (each event holds the hash of the one before); the tallies prove the
ballot tables and the announced results agree with that log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import (
    AgendaItem,
    Ballot,
    BallotReceipt,
    BallotType,
    CouncilSession,
    Event,
    Motion,
    MotionStatus,
)
from session_server.votes.results import decide, stored_counts
from session_server.votes.sealed import TallyError


@dataclass
class Verification:
    session_id: int
    events: int = 0
    motions: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


async def verify_session(db: AsyncSession, session_id: int, secret_key: str) -> Verification:
    report = Verification(session_id)
    session = await db.get(CouncilSession, session_id)
    if session is None:
        report.problems.append(f"no session {session_id}")
        return report
    events = list(await db.scalars(select(Event).where(Event.session_id == session_id).order_by(Event.seq)))
    report.events = len(events)
    broken = voting.verify_chain(events, session.chain_form)
    if broken is not None:
        report.problems.append(f"audit chain broken at event seq {events[broken].seq} ({events[broken].type})")
    if events and events[-1].seq != session.last_seq:
        report.problems.append(
            f"the session says its last event is {session.last_seq}, the log ends at {events[-1].seq}"
        )
    motions = list(
        await db.scalars(
            select(Motion)
            .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
            .where(AgendaItem.session_id == session_id, Motion.status != MotionStatus.PENDING)
        )
    )
    report.motions = len(motions)
    for motion in motions:
        await _verify_motion(db, motion, events, report, secret_key)
    return report


async def _verify_motion(
    db: AsyncSession, motion: Motion, events: list[Event], report: Verification, secret_key: str
) -> None:
    mine = [e for e in events if e.data.get("motion_id") == motion.id]
    label = f"motion {motion.id}"
    try:
        counted = await stored_counts(db, motion, secret_key)
    except TallyError as error:
        report.problems.append(f"{label}: {error}")
        return
    if motion.ballot_type is BallotType.SECRET:
        receipts_logged = sum(1 for e in mine if e.type == "vote.receipt")
        receipts = await db.scalar(
            select(func.count()).select_from(BallotReceipt).where(BallotReceipt.motion_id == motion.id)
        )
        if not receipts_logged == receipts == counted.ballots:
            report.problems.append(
                f"{label}: {receipts_logged} receipts logged, {receipts} receipts stored, "
                f"{counted.ballots} ballots in the tally"
            )
    else:
        logged: dict[int, str] = {}
        for event in mine:
            if event.type in ("vote.cast", "vote.changed"):
                logged[event.data["member_id"]] = event.data["choice"]
        stored = dict(
            (await db.execute(select(Ballot.member_id, Ballot.choice).where(Ballot.motion_id == motion.id))).all()
        )
        if logged != stored:
            changed = sorted(set(logged.items()) ^ set(stored.items()))
            report.problems.append(
                f"{label}: ballots differ from the log for members {sorted({m for m, _ in changed})}"
            )
    if motion.status is MotionStatus.CLOSED and motion.result is not None:
        recount = decide(motion, counted, motion.result["total"])
        for key in ("counts", "votes", "passed"):
            if key in recount and recount[key] != motion.result.get(key):
                report.problems.append(
                    f"{label}: announced {key} {motion.result.get(key)} but the ballots give {recount[key]}"
                )
        closed = [e for e in mine if e.type == "vote.closed"]
        if not closed or closed[-1].data.get("result", {}).get("counts") != motion.result.get("counts"):
            report.problems.append(f"{label}: the result stored differs from the result logged at close")
