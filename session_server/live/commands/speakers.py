"""The speaker queue: request and withdraw the floor; the chair grants, ends, extends, reorders and removes.

A point of order (kiến nghị thủ tục) goes to the front of the queue. A speech's time limit depends on its kind and
on how many times the delegate already spoke on the item; it is stored as a deadline, not as a running counter.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from sqlalchemy import func, select

from session_server.db.models import Member, SpeakerRequest, SpeakerStatus, SpeechKind
from session_server.errors import ApiError, conflict, invalid, not_found
from session_server.inputs import Id
from session_server.live.context import CommandContext
from session_server.live.events import (
    SpeakerEnded,
    SpeakerExtended,
    SpeakerGranted,
    SpeakerRemoved,
    SpeakerReordered,
    SpeakerRequested,
    SpeakerWithdrawn,
)
from session_server.live.guards import require_running
from session_server.live.registry import NoPayload, Payload, command
from session_server.live.session_rules import speech_limit

ACTIVE = (SpeakerStatus.QUEUED, SpeakerStatus.SPEAKING)
MAX_EXTENSION_SECONDS = 30 * 60


class RequestFloor(Payload):
    kind: SpeechKind = SpeechKind.DISCUSSION


class AddSpeaker(Payload):
    member_id: Id
    kind: SpeechKind = SpeechKind.DISCUSSION


class RequestRef(Payload):
    request_id: Id


class Reorder(Payload):
    request_id: Id
    position: Id = Field(description="1 = first in the queue")


class Extend(Payload):
    seconds: int = Field(ge=10, le=MAX_EXTENSION_SECONDS)


def _current_item(ctx: CommandContext) -> int | None:
    return (ctx.state.get("agenda") or {}).get("current_item_id")


async def _queued(ctx: CommandContext) -> list[SpeakerRequest]:
    rows = await ctx.db.scalars(
        select(SpeakerRequest)
        .where(SpeakerRequest.session_id == ctx.session.id, SpeakerRequest.status == SpeakerStatus.QUEUED)
        .order_by(SpeakerRequest.position, SpeakerRequest.id)
    )
    return list(rows)


def _renumber(queue: list[SpeakerRequest]) -> None:
    for position, request in enumerate(queue, start=1):
        request.position = position


async def _enqueue(ctx: CommandContext, member: Member, kind: SpeechKind) -> SpeakerRequest:
    active = await ctx.db.scalar(
        select(SpeakerRequest.id).where(
            SpeakerRequest.session_id == ctx.session.id,
            SpeakerRequest.member_id == member.id,
            SpeakerRequest.status.in_(ACTIVE),
        )
    )
    if active is not None:
        raise conflict(
            f"{member.full_name} đã đăng ký phát biểu hoặc đang phát biểu.",
            f"{member.full_name} has already asked for the floor or is speaking.",
        )
    queue = await _queued(ctx)
    request = SpeakerRequest(
        session_id=ctx.session.id,
        agenda_item_id=_current_item(ctx),
        member_id=member.id,
        kind=kind,
        status=SpeakerStatus.QUEUED,
        position=0,
        requested_at=ctx.now,
    )
    ctx.db.add(request)
    if kind is SpeechKind.POINT_OF_ORDER:
        firsts = [r for r in queue if r.kind is SpeechKind.POINT_OF_ORDER]
        queue.insert(len(firsts), request)
    else:
        queue.append(request)
    _renumber(queue)
    await ctx.db.flush()
    ctx.record(SpeakerRequested(request_id=request.id, member_id=member.id, kind=kind.value))
    return request


async def _request(ctx: CommandContext, request_id: int, *statuses: SpeakerStatus) -> SpeakerRequest:
    request = await ctx.db.get(SpeakerRequest, request_id)
    if request is None or request.session_id != ctx.session.id:
        raise not_found("Không có lượt đăng ký phát biểu này.", "No such request for the floor.")
    if request.status not in statuses:
        raise conflict("Lượt đăng ký này đã được xử lý.", "This request for the floor was already dealt with.")
    return request


async def _speaking(ctx: CommandContext) -> SpeakerRequest | None:
    return await ctx.db.scalar(
        select(SpeakerRequest).where(
            SpeakerRequest.session_id == ctx.session.id, SpeakerRequest.status == SpeakerStatus.SPEAKING
        )
    )


async def finish_current(ctx: CommandContext) -> bool:
    """End the speech in progress, if any; its end time goes into the record."""
    current = await _speaking(ctx)
    if current is None:
        return False
    current.status, current.ended_at = SpeakerStatus.DONE, ctx.now
    overrun = max(0, int((ctx.now - current.deadline).total_seconds())) if current.deadline else 0
    ctx.record(SpeakerEnded(request_id=current.id, member_id=current.member_id, overrun_seconds=overrun))
    return True


@command("speakers.request", RequestFloor)
async def request_floor(ctx: CommandContext, payload: RequestFloor) -> None:
    require_running(ctx.session)
    if payload.kind is SpeechKind.EXPLANATION:
        raise invalid(
            "Phần giải trình do chủ tọa mời, đại biểu không tự đăng ký.",
            "Explanations are given at the chair's invitation, not requested by delegates.",
        )
    await _enqueue(ctx, ctx.require_member(), payload.kind)


@command("speakers.add", AddSpeaker)
async def add_speaker(ctx: CommandContext, payload: AddSpeaker) -> None:
    require_running(ctx.session)
    member = await ctx.db.get(Member, payload.member_id)
    if member is None or member.council_id != ctx.session.council_id:
        raise not_found("Không có đại biểu này trong hội đồng.", "No such member in this council.")
    await _enqueue(ctx, member, payload.kind)


@command("speakers.withdraw")
async def withdraw(ctx: CommandContext, _payload: NoPayload) -> None:
    member = ctx.require_member()
    request = await ctx.db.scalar(
        select(SpeakerRequest).where(
            SpeakerRequest.session_id == ctx.session.id,
            SpeakerRequest.member_id == member.id,
            SpeakerRequest.status == SpeakerStatus.QUEUED,
        )
    )
    if request is None:
        raise not_found("Bạn không có lượt đăng ký nào đang chờ.", "You have no request for the floor waiting.")
    request.status = SpeakerStatus.WITHDRAWN
    _renumber([r for r in await _queued(ctx) if r.id != request.id])
    ctx.record(SpeakerWithdrawn(request_id=request.id, member_id=member.id))


@command("speakers.grant", RequestRef)
async def grant(ctx: CommandContext, payload: RequestRef) -> None:
    require_running(ctx.session)
    request = await _request(ctx, payload.request_id, SpeakerStatus.QUEUED)
    await finish_current(ctx)
    earlier = await ctx.db.scalar(
        select(func.count(SpeakerRequest.id)).where(
            SpeakerRequest.session_id == ctx.session.id,
            SpeakerRequest.member_id == request.member_id,
            SpeakerRequest.agenda_item_id.is_(None)
            if request.agenda_item_id is None
            else SpeakerRequest.agenda_item_id == request.agenda_item_id,
            SpeakerRequest.kind == request.kind,
            SpeakerRequest.status == SpeakerStatus.DONE,
        )
    )
    limit = speech_limit(ctx.rules, request.kind, earlier or 0)
    request.status = SpeakerStatus.SPEAKING
    request.started_at = ctx.now
    request.limit_seconds = limit
    request.deadline = ctx.now + timedelta(seconds=limit)
    _renumber([r for r in await _queued(ctx) if r.id != request.id])
    granted = SpeakerGranted(
        request_id=request.id,
        member_id=request.member_id,
        kind=request.kind.value,
        agenda_item_id=request.agenda_item_id,
        limit_seconds=limit,
        deadline=request.deadline.isoformat(),
    )
    ctx.record(granted)


@command("speakers.end")
async def end(ctx: CommandContext, _payload: NoPayload) -> None:
    if not await finish_current(ctx):
        raise ApiError(409, "conflict", "Không có ai đang phát biểu.", "Nobody has the floor.")


@command("speakers.extend", Extend)
async def extend(ctx: CommandContext, payload: Extend) -> None:
    current = await _speaking(ctx)
    if current is None or current.deadline is None:
        raise ApiError(409, "conflict", "Không có ai đang phát biểu.", "Nobody has the floor.")
    current.deadline += timedelta(seconds=payload.seconds)
    current.limit_seconds = (current.limit_seconds or 0) + payload.seconds
    ctx.record(SpeakerExtended(request_id=current.id, seconds=payload.seconds, deadline=current.deadline.isoformat()))


@command("speakers.reorder", Reorder)
async def reorder(ctx: CommandContext, payload: Reorder) -> None:
    request = await _request(ctx, payload.request_id, SpeakerStatus.QUEUED)
    queue = [r for r in await _queued(ctx) if r.id != request.id]
    queue.insert(min(payload.position, len(queue) + 1) - 1, request)
    _renumber(queue)
    ctx.record(SpeakerReordered(request_id=request.id, position=request.position))


@command("speakers.remove", RequestRef)
async def remove(ctx: CommandContext, payload: RequestRef) -> None:
    request = await _request(ctx, payload.request_id, SpeakerStatus.QUEUED)
    request.status = SpeakerStatus.REMOVED
    _renumber([r for r in await _queued(ctx) if r.id != request.id])
    ctx.record(SpeakerRemoved(request_id=request.id, member_id=request.member_id))
