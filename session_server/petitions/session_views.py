"""Petitions taken up in a session: attached to an agenda item (question time, chất vấn), listed per session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import AgendaItem, CouncilSession, utcnow
from session_server.errors import not_found
from session_server.petitions import service
from session_server.petitions.models import Petition
from session_server.petitions.present import agency_names
from session_server.petitions.schemas import AgendaPetitionOut, PetitionIds


async def _item(ctx: Context, db: AsyncSession, item_id: int) -> tuple[AgendaItem, CouncilSession]:
    item = await db.get(AgendaItem, item_id)
    session = await db.get(CouncilSession, item.session_id) if item else None
    if item is None or session is None:
        raise not_found("Không có mục chương trình này.", "No such agenda item.")
    ctx.require_council(session.council_id)
    return item, session


async def _listed(db: AsyncSession, session_id: int) -> list[AgendaPetitionOut]:
    found = list(
        await db.scalars(
            select(Petition)
            .join(AgendaItem, AgendaItem.id == Petition.agenda_item_id)
            .where(AgendaItem.session_id == session_id, Petition.merged_into_id.is_(None))
            .order_by(AgendaItem.position, Petition.id)
        )
    )
    names = await agency_names(db, (p.agency_id for p in found))
    return [
        AgendaPetitionOut(
            id=p.id,
            content=p.content,
            status=p.status,
            agency_name=names.get(p.agency_id or 0, ""),
            agenda_item_id=p.agenda_item_id or 0,
        )
        for p in found
    ]


@api.route(
    "POST",
    "/api/agenda-items/{item_id}/petitions",
    permission=Permission.PETITION_WRITE,
    body=PetitionIds,
    response=list[AgendaPetitionOut],
    summary="Take petitions up on an agenda item (question time); the session's petitions come back",
)
async def attach_petitions(ctx: Context, body: PetitionIds) -> list[AgendaPetitionOut]:
    async with ctx.sessionmaker() as db:
        item, session = await _item(ctx, db, int_param(ctx, "item_id"))
        for petition_id in sorted(set(body.petition_ids)):
            petition = await service.petition_in(db, petition_id, session.council_id)
            if petition.agenda_item_id != item.id:
                petition.agenda_item_id = item.id
                petition.updated_at = utcnow()
                service.log(db, petition.id, "taken_up", ctx.user, session_id=session.id, agenda_item_id=item.id)
        await db.commit()
        return await _listed(db, session.id)


@api.route(
    "DELETE",
    "/api/agenda-items/{item_id}/petitions/{petition_id}",
    permission=Permission.PETITION_WRITE,
    response=list[AgendaPetitionOut],
    summary="Take a petition off an agenda item",
)
async def detach_petition(ctx: Context) -> list[AgendaPetitionOut]:
    async with ctx.sessionmaker() as db:
        item, session = await _item(ctx, db, int_param(ctx, "item_id"))
        petition = await service.petition_in(db, int_param(ctx, "petition_id"), session.council_id)
        if petition.agenda_item_id == item.id:
            petition.agenda_item_id = None
            service.log(db, petition.id, "taken_off", ctx.user, session_id=session.id, agenda_item_id=item.id)
            await db.commit()
        return await _listed(db, session.id)


@api.route(
    "GET",
    "/api/sessions/{session_id}/petitions",
    permission=Permission.PETITION_READ,
    response=list[AgendaPetitionOut],
    summary="The petitions taken up in a session, by agenda item",
)
async def session_petitions(ctx: Context) -> list[AgendaPetitionOut]:
    async with ctx.sessionmaker() as db:
        session = await db.get(CouncilSession, int_param(ctx, "session_id"))
        if session is None:
            raise not_found("Không có kỳ họp này.", "No such session.")
        ctx.require_council(session.council_id)
        return await _listed(db, session.id)
