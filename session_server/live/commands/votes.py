"""Biểu quyết: the chair opens a vote, delegates cast their ballots, the chair (or the countdown) closes it.

Open and named ballots keep one row per delegate (a unique constraint, not a Python check, settles races); secret
ballots write a receipt (who voted) and a choice (what, under a random id) in the same transaction, and nothing links
the two. Tablets never see another delegate's choice before the close; named results list names afterwards.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from pydantic import Field
from sqlalchemy import select

from session_server.db.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Ballot,
    BallotReceipt,
    BallotType,
    Motion,
    MotionKind,
    MotionStatus,
    SecretChoice,
)
from session_server.errors import ApiError, conflict, not_found
from session_server.live.dispatcher import CommandContext
from session_server.live.guards import require_running
from session_server.live.registry import Payload, command
from session_server.live.snapshot import motion_view
from session_server.votes.choices import normalize_choice
from session_server.votes.results import ballots_cast, decide, named_list, stored_choices

ALWAYS_SECRET = (MotionKind.ELECTION, MotionKind.CONFIDENCE_VOTE, MotionKind.CONFIDENCE_POLL)


class MotionRef(Payload):
    motion_id: int = Field(ge=1)


class Cast(Payload):
    motion_id: int = Field(ge=1)
    choice: str | list[str]


async def _motion(ctx: CommandContext, motion_id: int) -> Motion:
    """The motion, looked up once per batch (500 ballots in one batch name the same motion)."""
    key = ("motion", motion_id)
    if key not in ctx.memo:
        ctx.memo[key] = await _load_motion(ctx, motion_id)
    return ctx.memo[key]


async def _load_motion(ctx: CommandContext, motion_id: int) -> Motion:
    motion = await ctx.db.get(Motion, motion_id)
    item = await ctx.db.get(AgendaItem, motion.agenda_item_id) if motion else None
    if motion is None or item is None or item.session_id != ctx.session.id:
        raise not_found("Không có nội dung biểu quyết này trong kỳ họp.", "No such motion in this session.")
    return motion


def _closed(motion: Motion) -> ApiError:
    return ApiError(409, "closed", "Biểu quyết đã kết thúc.", f"Voting on motion {motion.id} is closed.")


@command("vote.open", MotionRef)
async def open_vote(ctx: CommandContext, payload: MotionRef) -> None:
    require_running(ctx.session)
    motion = await _motion(ctx, payload.motion_id)
    if motion.status is not MotionStatus.PENDING:
        raise conflict("Nội dung này đã được biểu quyết.", "This motion has already been voted on.")
    if (ctx.state.get("vote") or {}).get("current"):
        raise conflict("Đang có một biểu quyết khác chưa kết thúc.", "Another vote is still open.")
    if motion.kind in ALWAYS_SECRET and motion.ballot_type is not BallotType.SECRET:
        motion.ballot_type = BallotType.SECRET
    quorum = ctx.state.get("quorum") or {}
    if motion.requires_quorum and not quorum.get("met"):
        raise ApiError(
            409,
            "no_quorum",
            f"Chưa đủ đại biểu có mặt để biểu quyết: {quorum.get('present', 0)}/{quorum.get('total', 0)}, "
            f"cần ít nhất {quorum.get('required', 0)}.",
            f"No quorum: {quorum.get('present', 0)} of {quorum.get('total', 0)} present, "
            f"{quorum.get('required', 0)} needed.",
        )
    motion.status = MotionStatus.OPEN
    motion.opened_at = ctx.now
    if motion.countdown_seconds:
        motion.deadline = ctx.now + timedelta(seconds=motion.countdown_seconds)
    ctx.record("vote.opened", motion_view(motion), changed=("vote", "agenda"), public=True)


@command("vote.cast", Cast, reads_state=False, duplicate=("Bạn đã biểu quyết.", "You have already voted."))
async def cast(ctx: CommandContext, payload: Cast) -> None:
    member = ctx.require_member()
    motion = await _motion(ctx, payload.motion_id)
    if motion.status is not MotionStatus.OPEN or (motion.deadline is not None and ctx.now >= motion.deadline):
        raise _closed(motion)
    attendance = await ctx.db.get(Attendance, (ctx.session.id, member.id))
    if attendance is None or attendance.status is not AttendanceStatus.PRESENT:
        raise ApiError(409, "not_present", "Hãy điểm danh trước khi biểu quyết.", "Check in before voting.")
    choice = normalize_choice(motion, payload.choice)
    shown = {"motion_id": motion.id, "member_id": member.id}
    if motion.ballot_type is BallotType.SECRET:
        ctx.db.add(BallotReceipt(motion_id=motion.id, member_id=member.id))
        ctx.db.add(SecretChoice(id=secrets.token_hex(16), motion_id=motion.id, choice=choice))
        ctx.record("vote.receipt", {**shown, "receipt": True}, changed=("vote",), live_data=shown)
        return
    ballot = None
    if motion.allow_change:
        ballot = await ctx.db.scalar(select(Ballot).where(Ballot.motion_id == motion.id, Ballot.member_id == member.id))
    if ballot is None:
        # A second ballot on a vote that cannot be changed is refused by the unique constraint (see `duplicate`).
        ctx.db.add(Ballot(motion_id=motion.id, member_id=member.id, choice=choice, cast_at=ctx.now))
        ctx.record("vote.cast", {**shown, "choice": choice}, changed=("vote",), live_data=shown)
    else:
        ballot.choice, ballot.changed_at = choice, ctx.now
        ctx.record("vote.changed", {**shown, "choice": choice}, changed=("vote",), live_data=shown)


async def close_motion(ctx: CommandContext, motion: Motion) -> None:
    if motion.status is not MotionStatus.OPEN:
        raise (
            _closed(motion)
            if motion.status is MotionStatus.CLOSED
            else conflict("Biểu quyết chưa mở.", "This vote has not been opened.")
        )
    await ctx.db.flush()
    result = decide(motion, await stored_choices(ctx.db, motion), ctx.council.total_delegates)
    result["ballots"] = await ballots_cast(ctx.db, motion)
    if motion.ballot_type is BallotType.NAMED:
        result["named"] = await named_list(ctx.db, motion)
    motion.status, motion.closed_at, motion.result = MotionStatus.CLOSED, ctx.now, result
    data = {"motion_id": motion.id, "title": motion.title, "ballot_type": motion.ballot_type.value, "result": result}
    ctx.record("vote.closed", data, changed=("vote", "agenda"), public=True)


@command("vote.close", MotionRef)
async def close_vote(ctx: CommandContext, payload: MotionRef) -> None:
    await close_motion(ctx, await _motion(ctx, payload.motion_id))
