"""Councils, their members (with CSV import) and their sessions."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from session_server.api.context import Context
from session_server.api.routing import api, int_param, read_body
from session_server.auth.roles import Permission
from session_server.councils.csv_import import parse_members_csv
from session_server.councils.members import upsert_members
from session_server.councils.schemas import (
    CouncilIn,
    CouncilOut,
    CouncilPatch,
    ImportResult,
    MemberIn,
    MemberOut,
    MemberPatch,
    SessionDetailOut,
    SessionOut,
)
from session_server.db.models import AgendaItem, Council, CouncilSession, Member, Role
from session_server.errors import conflict, not_found


async def _council(ctx: Context, db: AsyncSession, council_id: int) -> Council:
    ctx.require_council(council_id)
    council = await db.get(Council, council_id)
    if council is None:
        raise not_found("Không có hội đồng này.", "No such council.")
    return council


@api.route("GET", "/api/councils", permission=Permission.COUNCIL_READ, response=list[CouncilOut], summary="Councils")
async def list_councils(ctx: Context) -> list[CouncilOut]:
    assert ctx.user is not None
    query = select(Council).order_by(Council.name)
    if ctx.user.role is not Role.ADMIN:
        query = query.where(Council.id == ctx.user.council_id)
    async with ctx.sessionmaker() as db:
        return [CouncilOut.model_validate(c) for c in await db.scalars(query)]


@api.route(
    "POST",
    "/api/councils",
    permission=Permission.COUNCIL_CREATE,
    body=CouncilIn,
    response=CouncilOut,
    status=201,
    summary="Create a council",
)
async def create_council(ctx: Context, body: CouncilIn) -> CouncilOut:
    async with ctx.sessionmaker() as db:
        council = Council(**body.model_dump())
        db.add(council)
        await db.commit()
        return CouncilOut.model_validate(council)


@api.route(
    "GET", "/api/councils/{council_id}", permission=Permission.COUNCIL_READ, response=CouncilOut, summary="A council"
)
async def get_council(ctx: Context) -> CouncilOut:
    async with ctx.sessionmaker() as db:
        return CouncilOut.model_validate(await _council(ctx, db, int_param(ctx, "council_id")))


@api.route(
    "PATCH",
    "/api/councils/{council_id}",
    permission=Permission.COUNCIL_EDIT,
    body=CouncilPatch,
    response=CouncilOut,
    summary="Edit a council",
)
async def edit_council(ctx: Context, body: CouncilPatch) -> CouncilOut:
    async with ctx.sessionmaker() as db:
        council = await _council(ctx, db, int_param(ctx, "council_id"))
        for field, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
            setattr(council, field, value)
        await db.commit()
        return CouncilOut.model_validate(council)


@api.route(
    "GET",
    "/api/councils/{council_id}/members",
    permission=Permission.MEMBER_READ,
    response=list[MemberOut],
    summary="Members of a council",
)
async def list_members(ctx: Context) -> list[MemberOut]:
    async with ctx.sessionmaker() as db:
        council = await _council(ctx, db, int_param(ctx, "council_id"))
        members = await db.scalars(select(Member).where(Member.council_id == council.id).order_by(Member.code))
        return [MemberOut.model_validate(m) for m in members]


@api.route(
    "POST",
    "/api/councils/{council_id}/members",
    permission=Permission.MEMBER_WRITE,
    body=MemberIn,
    response=MemberOut,
    status=201,
    summary="Add a member",
)
async def add_member(ctx: Context, body: MemberIn) -> MemberOut:
    async with ctx.sessionmaker() as db:
        council = await _council(ctx, db, int_param(ctx, "council_id"))
        member = Member(council_id=council.id, **body.model_dump())
        db.add(member)
        try:
            await db.commit()
        except IntegrityError as exc:
            raise conflict(f"Mã đại biểu {body.code} đã có.", f"The member code {body.code} exists.") from exc
        return MemberOut.model_validate(member)


@api.route(
    "PATCH",
    "/api/members/{member_id}",
    permission=Permission.MEMBER_WRITE,
    body=MemberPatch,
    response=MemberOut,
    summary="Edit a member",
)
async def edit_member(ctx: Context, body: MemberPatch) -> MemberOut:
    async with ctx.sessionmaker() as db:
        member = await db.get(Member, int_param(ctx, "member_id"))
        if member is None:
            raise not_found("Không có đại biểu này.", "No such member.")
        ctx.require_council(member.council_id)
        for field, value in body.model_dump(exclude_unset=True, exclude_none=True).items():
            setattr(member, field, value)
        await db.commit()
        return MemberOut.model_validate(member)


@api.route(
    "POST",
    "/api/councils/{council_id}/members/import",
    permission=Permission.MEMBER_WRITE,
    response=ImportResult,
    raw_body="text/csv",
    summary="Import members from a CSV file (created or updated by code; all rows or none)",
)
async def import_members(ctx: Context) -> ImportResult:
    rows = parse_members_csv(await read_body(ctx.request, ctx.settings.max_upload_bytes))
    async with ctx.sessionmaker() as db:
        council = await _council(ctx, db, int_param(ctx, "council_id"))
        result = await upsert_members(db, council.id, (row.member for row in rows))
        await db.commit()
    return result


@api.route(
    "GET",
    "/api/councils/{council_id}/sessions",
    permission=Permission.SESSION_READ,
    response=list[SessionOut],
    summary="Sessions of a council",
)
async def list_sessions(ctx: Context) -> list[SessionOut]:
    async with ctx.sessionmaker() as db:
        council = await _council(ctx, db, int_param(ctx, "council_id"))
        query = select(CouncilSession).where(CouncilSession.council_id == council.id).order_by(CouncilSession.id)
        return [SessionOut.model_validate(s) for s in await db.scalars(query)]


@api.route(
    "GET",
    "/api/sessions/{session_id}",
    permission=Permission.SESSION_READ,
    response=SessionDetailOut,
    summary="A session with its agenda and motions",
)
async def get_session(ctx: Context) -> SessionDetailOut:
    async with ctx.sessionmaker() as db:
        session = await db.scalar(
            select(CouncilSession)
            .where(CouncilSession.id == int_param(ctx, "session_id"))
            .options(selectinload(CouncilSession.agenda).selectinload(AgendaItem.motions))
        )
        if session is None:
            raise not_found("Không có kỳ họp này.", "No such session.")
        ctx.require_council(session.council_id)
        return SessionDetailOut.model_validate(session)
