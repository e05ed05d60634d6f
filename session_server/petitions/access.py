"""Who reaches which petition: staff within their council, an agency only what is assigned to it now."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.db.models import Council, Role
from session_server.errors import forbidden, not_found
from session_server.petitions.models import Agency, AgencyAccount, Assignment, Petition
from session_server.petitions.service import petition_in


async def council_of(ctx: Context, db: AsyncSession, council_id: int) -> Council:
    ctx.require_council(council_id)
    council = await db.get(Council, council_id)
    if council is None:
        raise not_found("Không có hội đồng này.", "No such council.")
    return council


async def staff_petition(ctx: Context, db: AsyncSession, petition_id: int) -> Petition:
    petition = await db.get(Petition, petition_id)
    if petition is None:
        raise not_found("Không có kiến nghị này.", "No such petition.")
    ctx.require_council(petition.council_id)
    return await petition_in(db, petition_id)


async def agency_of(ctx: Context, db: AsyncSession) -> Agency | None:
    """The caller's agency if the caller is an agency account; None for staff."""
    assert ctx.user is not None
    if ctx.user.role is not Role.AGENCY:
        return None
    agency = await db.scalar(
        select(Agency)
        .join(AgencyAccount, AgencyAccount.agency_id == Agency.id)
        .where(AgencyAccount.user_id == ctx.user.id)
    )
    if agency is None:
        raise forbidden("Tài khoản này chưa gắn với cơ quan giải quyết nào.", "This account belongs to no agency.")
    return agency


def not_assigned() -> Exception:
    return forbidden(
        "Kiến nghị này không được giao cho cơ quan của bạn.", "This petition is not assigned to your agency."
    )


async def answerable(ctx: Context, db: AsyncSession, petition_id: int) -> tuple[Petition, Agency | None]:
    """A petition the caller may answer or return: staff of its council, or the agency it is assigned to now."""
    agency = await agency_of(ctx, db)
    if agency is None:
        return await staff_petition(ctx, db, petition_id), None
    petition = await db.get(Petition, petition_id)
    if petition is None:
        raise not_found("Không có kiến nghị này.", "No such petition.")
    assigned = await db.scalar(
        select(Assignment.id).where(
            Assignment.petition_id == petition.id, Assignment.agency_id == agency.id, Assignment.active
        )
    )
    if assigned is None or petition.merged_into_id is not None:
        raise not_assigned()
    return petition, agency
