"""A closed vote's result: counted from the stored ballots, decided by the rules in `voting`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import Ballot, BallotReceipt, BallotType, Member, Motion, MotionKind, SecretChoice


async def stored_choices(db: AsyncSession, motion: Motion) -> list[str]:
    table = SecretChoice if motion.ballot_type is BallotType.SECRET else Ballot
    return list(await db.scalars(select(table.choice).where(table.motion_id == motion.id)))


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


def decide(motion: Motion, choices: list[str], total: int) -> dict[str, Any]:
    """The result as data: counts, what passes or who is elected, and the text the chair reads aloud."""
    counts = Counter(choices)
    result: dict[str, Any] = {"total": total, "participating": len(choices), "rule": motion.rule}
    if motion.kind is MotionKind.ELECTION:
        votes = {str(o["key"]): 0 for o in motion.options}
        for ballot in choices:
            for key in filter(None, ballot.split(",")):
                votes[key] += 1
        outcome = voting.elect(votes, total, motion.seats, rule=motion.rule)
        names = {str(o["key"]): o["name"] for o in motion.options}
        result |= {
            "votes": votes,
            "elected": list(outcome.elected),
            "new_round": list(outcome.new_round),
            "required": outcome.required,
            "passed": bool(outcome.elected),
            "text_vi": "; ".join(
                f"{names[k]}: {v} phiếu ({voting.percent_of_total(v, total)})" for k, v in votes.items()
            ),
            "text_en": "; ".join(
                f"{names[k]}: {v} votes ({voting.percent_of_total(v, total, 'en')})" for k, v in votes.items()
            ),
        }
    elif motion.kind is MotionKind.CONFIDENCE_VOTE:
        outcome = voting.confidence_vote(counts["confidence"], counts["no_confidence"], total, rule=motion.rule)
        result |= {
            "counts": {"confidence": counts["confidence"], "no_confidence": counts["no_confidence"]},
            "required": outcome.required,
            "passed": outcome.propose_relief,
            "propose_relief": outcome.propose_relief,
            "text_vi": f"Tín nhiệm {counts['confidence']} ({voting.percent_of_total(counts['confidence'], total)}); "
            f"không tín nhiệm {counts['no_confidence']} ({voting.percent_of_total(counts['no_confidence'], total)})",
            "text_en": f"Confidence {counts['confidence']}; no confidence {counts['no_confidence']}",
        }
    elif motion.kind is MotionKind.CONFIDENCE_POLL:
        outcome = voting.confidence_poll(counts["high"], counts["medium"], counts["low"], total)
        result |= {
            "counts": {"high": counts["high"], "medium": counts["medium"], "low": counts["low"]},
            "outcome": outcome.outcome.value,
            "passed": outcome.outcome is not voting.PollOutcome.NO_ACTION,
            "text_vi": f"Tín nhiệm cao {counts['high']} ({voting.percent_of_total(counts['high'], total)}); "
            f"tín nhiệm {counts['medium']} ({voting.percent_of_total(counts['medium'], total)}); "
            f"tín nhiệm thấp {counts['low']} ({voting.percent_of_total(counts['low'], total)})",
            "text_en": f"High confidence {counts['high']}; confidence {counts['medium']}; low confidence {counts['low']}",
        }
    else:
        tally = voting.Tally(yes=counts["yes"], no=counts["no"], abstain=counts["abstain"])
        decision = voting.decide(tally, total, motion.rule)
        result |= {
            "counts": {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain},
            "required": decision.required,
            "passed": decision.passed,
            "text_vi": voting.result_text(tally.yes, tally.no, tally.abstain, total, "vi"),
            "text_en": voting.result_text(tally.yes, tally.no, tally.abstain, total, "en"),
        }
    return result


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
