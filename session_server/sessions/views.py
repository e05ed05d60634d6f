"""Preparing a session: create and edit it, name its chair and secretary, and shape its agenda and motions.

Once a session is live its agenda is fixed here; what changes during the sitting goes through live commands.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.councils.schemas import AgendaItemOut, MotionOut, SessionDetailOut, SessionOut
from session_server.db.models import AgendaItem, Council, CouncilSession, Member, Motion, SessionStatus
from session_server.errors import ApiError, invalid, not_found
from session_server.live.guards import STATUS_VI
from session_server.sessions.schemas import AgendaItemIn, AgendaItemPatch, MotionIn, SessionIn, SessionPatch

PREPARING = (SessionStatus.DRAFT, SessionStatus.SCHEDULED)
CLEARABLE_SESSION_FIELDS = frozenset({"starts_at", "chair_member_id", "secretary_member_id"})


async def _check_members(db: AsyncSession, council_id: int, *member_ids: int | None) -> None:
    for member_id in member_ids:
        if member_id is None:
            continue
        member = await db.get(Member, member_id)
        if member is None or member.council_id != council_id:
            raise invalid(
                "Chủ tọa và thư ký phải là đại biểu của hội đồng.", "The chair and secretary must be members."
            )


def _require_preparing(session: CouncilSession) -> None:
    if session.status not in PREPARING:
        raise ApiError(
            409,
            "conflict",
            f"Kỳ họp {STATUS_VI[session.status]}; không sửa chương trình được nữa.",
            f"The session is {session.status.value}; its setup can no longer be changed.",
        )


async def _session(ctx: Context, db: AsyncSession, session_id: int) -> CouncilSession:
    session = await db.get(CouncilSession, session_id)
    if session is None:
        raise not_found("Không có kỳ họp này.", "No such session.")
    ctx.require_council(session.council_id)
    return session


async def _item(ctx: Context, db: AsyncSession, item_id: int) -> tuple[AgendaItem, CouncilSession]:
    item = await db.get(AgendaItem, item_id)
    if item is None:
        raise not_found("Không có mục chương trình này.", "No such agenda item.")
    return item, await _session(ctx, db, item.session_id)


async def _items(db: AsyncSession, session_id: int) -> list[AgendaItem]:
    rows = await db.scalars(select(AgendaItem).where(AgendaItem.session_id == session_id).order_by(AgendaItem.position))
    return list(rows)


async def _place(db: AsyncSession, items: Sequence[AgendaItem | Motion]) -> None:
    """Renumber 1..n; positions are unique, so they move out of the way first."""
    for item in items:
        item.position = -item.id
    await db.flush()
    for position, item in enumerate(items, start=1):
        item.position = position
    await db.flush()


@api.route(
    "POST",
    "/api/councils/{council_id}/sessions",
    permission=Permission.SESSION_WRITE,
    body=SessionIn,
    response=SessionOut,
    status=201,
    summary="Create a session (as a draft)",
)
async def create_session(ctx: Context, body: SessionIn) -> SessionOut:
    council_id = int_param(ctx, "council_id")
    ctx.require_council(council_id)
    async with ctx.sessionmaker() as db:
        if await db.get(Council, council_id) is None:
            raise not_found("Không có hội đồng này.", "No such council.")
        await _check_members(db, council_id, body.chair_member_id, body.secretary_member_id)
        session = CouncilSession(council_id=council_id, status=SessionStatus.DRAFT, **body.model_dump())
        db.add(session)
        await db.commit()
        return SessionOut.model_validate(session)


@api.route(
    "PATCH",
    "/api/sessions/{session_id}",
    permission=Permission.SESSION_WRITE,
    body=SessionPatch,
    response=SessionOut,
    summary="Edit a session being prepared, or move it between draft and scheduled (null clears the start, chair "
    "or secretary and leaves any other field as it is)",
)
async def edit_session(ctx: Context, body: SessionPatch) -> SessionOut:
    changes = {
        field: value
        for field, value in body.model_dump(exclude_unset=True).items()
        if value is not None or field in CLEARABLE_SESSION_FIELDS
    }
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        _require_preparing(session)
        await _check_members(db, session.council_id, changes.get("chair_member_id"), changes.get("secretary_member_id"))
        if (
            changes.get("status") == SessionStatus.SCHEDULED.value
            and session.chair_member_id is None
            and not changes.get("chair_member_id")
        ):
            raise invalid("Hãy chọn chủ tọa trước khi lên lịch kỳ họp.", "Name the chair before scheduling.")
        for field, value in changes.items():
            setattr(session, field, SessionStatus(value) if field == "status" else value)
        await db.commit()
        return SessionOut.model_validate(session)


@api.route(
    "POST",
    "/api/sessions/{session_id}/agenda",
    permission=Permission.SESSION_WRITE,
    body=AgendaItemIn,
    response=AgendaItemOut,
    status=201,
    summary="Add an agenda item",
)
async def add_agenda_item(ctx: Context, body: AgendaItemIn) -> AgendaItemOut:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        _require_preparing(session)
        items = await _items(db, session.id)
        item = AgendaItem(
            session_id=session.id, position=len(items) + 1, title=body.title, kind=body.kind, presenter=body.presenter
        )
        db.add(item)
        await db.flush()
        items.insert(min(body.position or len(items) + 1, len(items) + 1) - 1, item)
        await _place(db, items)
        await db.commit()
        return AgendaItemOut(
            id=item.id, position=item.position, title=item.title, kind=item.kind, presenter=item.presenter, motions=[]
        )


@api.route(
    "PATCH",
    "/api/agenda/{item_id}",
    permission=Permission.SESSION_WRITE,
    body=AgendaItemPatch,
    response=AgendaItemOut,
    summary="Edit or move an agenda item",
)
async def edit_agenda_item(ctx: Context, body: AgendaItemPatch) -> AgendaItemOut:
    async with ctx.sessionmaker() as db:
        item, session = await _item(ctx, db, int_param(ctx, "item_id"))
        _require_preparing(session)
        changes = body.model_dump(exclude_unset=True, exclude_none=True)
        position = changes.pop("position", None)
        for field, value in changes.items():
            setattr(item, field, value)
        if position is not None:
            items = [i for i in await _items(db, session.id) if i.id != item.id]
            items.insert(min(position, len(items) + 1) - 1, item)
            await _place(db, items)
        await db.commit()
        loaded = await db.scalar(
            select(AgendaItem).where(AgendaItem.id == item.id).options(selectinload(AgendaItem.motions))
        )
        return AgendaItemOut.model_validate(loaded)


@api.route(
    "DELETE",
    "/api/agenda/{item_id}",
    permission=Permission.SESSION_WRITE,
    summary="Remove an agenda item",
)
async def delete_agenda_item(ctx: Context) -> dict[str, bool]:
    async with ctx.sessionmaker() as db:
        item, session = await _item(ctx, db, int_param(ctx, "item_id"))
        _require_preparing(session)
        await db.delete(item)
        await db.flush()
        await _place(db, await _items(db, session.id))
        await db.commit()
    return {"ok": True}


@api.route(
    "POST",
    "/api/agenda/{item_id}/motions",
    permission=Permission.SESSION_WRITE,
    body=MotionIn,
    response=MotionOut,
    status=201,
    summary="Add a motion (what is voted on) to an agenda item: a resolution, an amendment, a procedural matter, a "
    "dismissal, an election with its candidates and seats, or a confidence vote or poll over a list of officials",
)
async def add_motion(ctx: Context, body: MotionIn) -> MotionOut:
    fields = body.motion_fields()
    async with ctx.sessionmaker() as db:
        item, session = await _item(ctx, db, int_param(ctx, "item_id"))
        _require_preparing(session)
        count = len((await db.scalars(select(Motion.id).where(Motion.agenda_item_id == item.id))).all())
        motion = Motion(agenda_item_id=item.id, position=count + 1, title=body.title, **fields)
        db.add(motion)
        await db.commit()
        return MotionOut.model_validate(motion)


async def _motion(ctx: Context, db: AsyncSession, motion_id: int) -> tuple[Motion, CouncilSession]:
    motion = await db.get(Motion, motion_id)
    if motion is None:
        raise not_found("Không có nội dung biểu quyết này.", "No such motion.")
    _item_of_motion, session = await _item(ctx, db, motion.agenda_item_id)
    return motion, session


@api.route(
    "PUT",
    "/api/motions/{motion_id}",
    permission=Permission.SESSION_WRITE,
    body=MotionIn,
    response=MotionOut,
    summary="Rewrite a motion of a session being prepared (every field, as when adding it)",
)
async def edit_motion(ctx: Context, body: MotionIn) -> MotionOut:
    fields = body.motion_fields()
    async with ctx.sessionmaker() as db:
        motion, session = await _motion(ctx, db, int_param(ctx, "motion_id"))
        _require_preparing(session)
        for field, value in (fields | {"title": body.title}).items():
            setattr(motion, field, value)
        await db.commit()
        return MotionOut.model_validate(motion)


@api.route(
    "DELETE",
    "/api/motions/{motion_id}",
    permission=Permission.SESSION_WRITE,
    summary="Remove a motion from a session being prepared",
)
async def delete_motion(ctx: Context) -> dict[str, bool]:
    async with ctx.sessionmaker() as db:
        motion, session = await _motion(ctx, db, int_param(ctx, "motion_id"))
        _require_preparing(session)
        item_id = motion.agenda_item_id
        await db.delete(motion)
        await db.flush()
        await _place(
            db, list(await db.scalars(select(Motion).where(Motion.agenda_item_id == item_id).order_by(Motion.position)))
        )
        await db.commit()
    return {"ok": True}


@api.route(
    "GET",
    "/api/sessions/{session_id}/setup",
    permission=Permission.SESSION_WRITE,
    response=SessionDetailOut,
    summary="A session with its agenda and motions, for staff preparing it",
)
async def session_setup(ctx: Context) -> SessionDetailOut:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        loaded = await db.scalar(
            select(CouncilSession)
            .where(CouncilSession.id == session.id)
            .options(selectinload(CouncilSession.agenda).selectinload(AgendaItem.motions))
        )
        return SessionDetailOut.model_validate(loaded)
