"""Biểu quyết: the chair opens a vote, delegates cast their ballots, the chair (or the countdown) closes it.

Open and named ballots keep one row per delegate (a unique constraint, not a Python check, settles races); a secret
ballot writes a receipt (who voted, under the same constraint) and rewrites the vote's sealed tally whole, with no
row of its own (votes/sealed.py). Tablets never see another delegate's choice before the close; named results list
names afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import Field
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import (
    AgendaItem,
    Ballot,
    BallotReceipt,
    BallotType,
    Base,
    Motion,
    MotionKind,
    MotionStatus,
)
from session_server.errors import ApiError, confirmation_required, conflict, invalid, not_found
from session_server.inputs import Id
from session_server.live.context import CommandContext
from session_server.live.events import (
    MotionAdded,
    Slice,
    VoteCast,
    VoteChanged,
    VoteClosed,
    VoteOpened,
    VoteReceipt,
)
from session_server.live.guards import require_running
from session_server.live.registry import Items, Payload, command, grouped_command
from session_server.live.snapshot import motion_view
from session_server.votes.choices import form_of, normalize_choice
from session_server.votes.results import ballots_cast, decide, named_list, stored_counts
from session_server.votes.sealed import add_to_tally, final_counts, start_tally
from session_server.votes.turnout import present_not_voted

# Tables, not mapped classes: grouped ballots are written with Core statements, bypassing the unit of work.
BALLOTS, RECEIPTS = (Base.metadata.tables[m.__tablename__] for m in (Ballot, BallotReceipt))


class ProceduralMotion(Payload):
    """A procedural question the chair puts to the vote during the sitting (extending a debate, changing the order)."""

    title: str = Field(min_length=3, max_length=500)
    ballot_type: BallotType = BallotType.OPEN
    requires_quorum: bool = True
    agenda_item_id: Id | None = None


class MotionRef(Payload):
    motion_id: Id


class CloseVote(MotionRef):
    confirm: bool = False


class Cast(Payload):
    """`choice`: one choice; an election's chosen candidates; or, over a list of officials, each official's choice."""

    motion_id: Id
    choice: str | list[str] | dict[str, str]


async def _motion(ctx: CommandContext, motion_id: int) -> Motion:
    """The motion, looked up once per batch (500 ballots in one batch name the same motion)."""
    key = ("motion", motion_id)
    if key not in ctx.memo:
        ctx.memo[key] = await _load_motion(ctx, motion_id)
    return ctx.memo[key]


def _form(ctx: CommandContext, motion: Motion) -> voting.BallotForm:
    """The motion's ballot form, drawn once per batch."""
    key = ("form", motion.id)
    if key not in ctx.memo:
        ctx.memo[key] = form_of(motion)
    return ctx.memo[key]


async def _load_motion(ctx: CommandContext, motion_id: int) -> Motion:
    motion = await ctx.db.scalar(
        select(Motion)
        .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
        .where(Motion.id == motion_id, AgendaItem.session_id == ctx.session.id)
    )
    if motion is None:
        raise not_found("Không có nội dung biểu quyết này trong kỳ họp.", "No such motion in this session.")
    return motion


def _closed(motion: Motion) -> ApiError:
    return ApiError(409, "closed", "Biểu quyết đã kết thúc.", f"Voting on motion {motion.id} is closed.")


def _not_open(motion: Motion) -> ApiError:
    """Why a vote takes no ballot: it has ended, or it has not been opened yet."""
    if motion.status is MotionStatus.PENDING:
        return conflict("Biểu quyết chưa mở.", "This vote has not been opened.")
    return _closed(motion)


@command("motion.add", ProceduralMotion)
async def add_procedural_motion(ctx: CommandContext, payload: ProceduralMotion) -> None:
    require_running(ctx.session)
    if payload.ballot_type is BallotType.SECRET:
        raise invalid(
            "Biểu quyết thủ tục là biểu quyết công khai hoặc ghi danh.", "A procedural vote is open or named."
        )
    item_id = payload.agenda_item_id or (ctx.state.get("agenda") or {}).get("current_item_id")
    item = await ctx.db.get(AgendaItem, item_id) if item_id else None
    if item is None or item.session_id != ctx.session.id:
        raise not_found("Hãy chọn một mục trong chương trình của kỳ họp.", "Choose an agenda item of this session.")
    last = await ctx.db.scalar(select(func.max(Motion.position)).where(Motion.agenda_item_id == item.id))
    motion = Motion(
        agenda_item_id=item.id,
        position=(last or 0) + 1,
        title=payload.title,
        kind=MotionKind.PROCEDURAL,
        ballot_type=payload.ballot_type,
        requires_quorum=payload.requires_quorum,
    )
    ctx.db.add(motion)
    await ctx.db.flush()
    ctx.record(MotionAdded(**motion_view(motion)))


@command("vote.open", MotionRef)
async def open_vote(ctx: CommandContext, payload: MotionRef) -> None:
    require_running(ctx.session)
    motion = await _motion(ctx, payload.motion_id)
    if motion.status is not MotionStatus.PENDING:
        raise conflict("Nội dung này đã được biểu quyết.", "This motion has already been voted on.")
    if (ctx.state.get("vote") or {}).get("current"):
        raise conflict("Đang có một biểu quyết khác chưa kết thúc.", "Another vote is still open.")
    if motion.kind in voting.ALWAYS_SECRET and motion.ballot_type is not BallotType.SECRET:
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
    if motion.ballot_type is BallotType.SECRET:
        await start_tally(ctx.db, motion, ctx.secret_key)
    if motion.countdown_seconds:
        motion.deadline = ctx.now + timedelta(seconds=motion.countdown_seconds)
    ctx.record(VoteOpened(**motion_view(motion)))


@grouped_command("vote.cast", Cast)
async def cast(items: Items) -> list[ApiError | None]:
    """The ballots that arrived together, written with one statement per table; the unique constraints settle
    double votes (`ON CONFLICT DO NOTHING`), so a second ballot is refused whichever process it reached."""
    refusals: list[ApiError | None] = []
    accepted: dict[int, list[Casting]] = {}
    for ctx, payload in items:
        try:
            member = ctx.require_member()
            motion = await _open_motion(ctx, payload.motion_id)
            if not _present(ctx, member.id):
                raise ApiError(409, "not_present", "Hãy điểm danh trước khi biểu quyết.", "Check in before voting.")
            choice = normalize_choice(_form(ctx, motion), payload.choice)
        except ApiError as refused:
            refusals.append(refused)
            continue
        refusals.append(None)
        accepted.setdefault(motion.id, []).append(Casting(len(refusals) - 1, ctx, motion, member.id, choice))
    for casts in accepted.values():
        refused, added = await _write(casts)
        for index in refused:
            refusals[index] = conflict("Bạn đã biểu quyết.", "You have already voted.")
        _count(casts[0], added)
    return refusals


def _present(ctx: CommandContext, member_id: int) -> bool:
    """Whether the delegate counts as present, from the live state: attendance changes only by the session's
    commands, and the state is up to date with those before this one (a grouped command reads it)."""
    standing = (ctx.state.get("attendance") or {}).get(str(member_id))
    return bool(standing and standing["counts_as_present"])


def _count(first: Casting, added: int) -> None:
    """Add the group's new ballots to the open vote's count in the live state, instead of counting the table."""
    vote = first.ctx.state.get("vote") or {}
    current = vote.get("current")
    if current and current["motion_id"] == first.motion.id:
        first.ctx.update_state(
            Slice.VOTE, {**vote, "current": {**current, "cast_count": current["cast_count"] + added}}
        )


@dataclass
class Casting:
    index: int
    ctx: CommandContext
    motion: Motion
    member_id: int
    choice: str


async def _open_motion(ctx: CommandContext, motion_id: int) -> Motion:
    motion = await _motion(ctx, motion_id)
    if motion.status is not MotionStatus.OPEN or (motion.deadline is not None and ctx.now >= motion.deadline):
        raise _not_open(motion)
    return motion


async def _write(casts: list[Casting]) -> tuple[list[int], int]:
    """Store one motion's ballots and record their events: the indexes of the refused duplicates, and how many
    delegates voted for the first time."""
    motion, db, now = casts[0].motion, casts[0].ctx.db, casts[0].ctx.now
    if motion.ballot_type is BallotType.SECRET:
        firsts, duplicates = _first_per_member(casts)
        stored = await _insert_new(db, RECEIPTS, [{"motion_id": motion.id, "member_id": c.member_id} for c in firsts])
        kept = [c for c in firsts if c.member_id in stored]
        if kept:
            await add_to_tally(db, motion, casts[0].ctx.secret_key, [c.choice for c in kept])
        for c in kept:
            c.ctx.record(VoteReceipt(motion_id=motion.id, member_id=c.member_id, receipt=True))
        return duplicates + [c.index for c in firsts if c.member_id not in stored], len(kept)
    if motion.allow_change:
        return await _write_changeable(casts)
    firsts, duplicates = _first_per_member(casts)
    stored = await _insert_new(
        db,
        BALLOTS,
        [{"motion_id": motion.id, "member_id": c.member_id, "choice": c.choice, "cast_at": now} for c in firsts],
    )
    for c in firsts:
        if c.member_id in stored:
            _record_ballot(c, VoteCast)
    return duplicates + [c.index for c in firsts if c.member_id not in stored], len(stored)


async def _write_changeable(casts: list[Casting]) -> tuple[list[int], int]:
    """A vote whose ballots may change before the close: a delegate's first ballot is inserted, later ones update it."""
    motion, db, now = casts[0].motion, casts[0].ctx.db, casts[0].ctx.now
    members = {c.member_id for c in casts}
    voted = set(
        await db.scalars(select(Ballot.member_id).where(Ballot.motion_id == motion.id, Ballot.member_id.in_(members)))
    )
    final: dict[int, Casting] = {}
    new: dict[int, Casting] = {}
    for c in casts:
        if c.member_id not in voted and c.member_id not in new:
            new[c.member_id] = c
        final[c.member_id] = c
    stored = await _insert_new(
        db,
        BALLOTS,
        [{"motion_id": motion.id, "member_id": c.member_id, "choice": c.choice, "cast_at": now} for c in new.values()],
    )
    changes = [
        {"motion": motion.id, "member": member_id, "new_choice": c.choice, "at": now}
        for member_id, c in final.items()
        if new.get(member_id) is not c
    ]
    if changes:
        await db.execute(
            update(BALLOTS)
            .where(BALLOTS.c.motion_id == bindparam("motion"), BALLOTS.c.member_id == bindparam("member"))
            .values(choice=bindparam("new_choice"), changed_at=bindparam("at")),
            changes,
        )
    refused = [c.index for c in new.values() if c.member_id not in stored]
    for c in casts:
        if c.index not in refused:
            _record_ballot(c, VoteCast if new.get(c.member_id) is c else VoteChanged)
    return refused, len(stored)


def _first_per_member(casts: list[Casting]) -> tuple[list[Casting], list[int]]:
    """Each delegate's first ballot of the group, and the indexes of their later ones (refused as duplicates)."""
    firsts: dict[int, Casting] = {}
    duplicates = []
    for c in casts:
        if c.member_id in firsts:
            duplicates.append(c.index)
        else:
            firsts[c.member_id] = c
    return list(firsts.values()), duplicates


async def _insert_new(db: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> set[int]:
    """Insert the rows that break no (motion, member) constraint; the members whose row went in."""
    if not rows:
        return set()
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .on_conflict_do_nothing(index_elements=["motion_id", "member_id"])
        .returning(table.c.member_id)
    )
    return set(await db.scalars(statement, rows))


def _record_ballot(c: Casting, event: type[VoteCast]) -> None:
    c.ctx.record(event(motion_id=c.motion.id, member_id=c.member_id, choice=c.choice))


async def close_motion(ctx: CommandContext, motion: Motion, *, confirm: bool) -> None:
    """Close a vote; without `confirm` the chair is told first how many delegates present have not voted."""
    if motion.status is not MotionStatus.OPEN:
        raise _not_open(motion)
    await ctx.db.flush()
    missing = await present_not_voted(ctx.db, motion, ctx.session.id)
    present = (ctx.state.get("quorum") or {}).get("present", 0)
    if not confirm:
        raise confirmation_required(
            f'Kết thúc biểu quyết "{motion.title}": còn {len(missing)}/{present} đại biểu có mặt chưa biểu '
            "quyết; sau khi kết thúc không ai biểu quyết được nữa. Hãy xác nhận để kết thúc.",
            f'Closing the vote on "{motion.title}": {len(missing)} of {present} delegates present have not voted; '
            "nobody can vote after the close. Confirm to close it.",
        )
    if motion.ballot_type is BallotType.SECRET:
        counted = await final_counts(ctx.db, motion, ctx.secret_key)
    else:
        counted = await stored_counts(ctx.db, motion, ctx.secret_key)
    result = decide(motion, counted, ctx.council.total_delegates)
    result["ballots"] = await ballots_cast(ctx.db, motion)
    result["present"], result["present_not_voted"] = present, len(missing)
    if motion.ballot_type is BallotType.NAMED:
        result["named"] = await named_list(ctx.db, motion)
        result["named_not_voted"] = missing
    motion.status, motion.closed_at, motion.result = MotionStatus.CLOSED, ctx.now, result
    ctx.record(VoteClosed(motion_id=motion.id, title=motion.title, ballot_type=motion.ballot_type.value, result=result))


@command("vote.close", CloseVote)
async def close_vote(ctx: CommandContext, payload: CloseVote) -> None:
    await close_motion(ctx, await _motion(ctx, payload.motion_id), confirm=payload.confirm)
