"""The agency's side (cơ quan giải quyết): the petitions assigned to it, answering with attachments, returning one
that is not its to resolve. Staff use the same routes to enter an answer that came on paper."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import Council, Role
from session_server.documents import storage
from session_server.documents.upload import receive
from session_server.errors import not_found
from session_server.petitions import present, service
from session_server.petitions.access import agency_of, answerable, not_assigned
from session_server.petitions.files import attachment_path, media_type
from session_server.petitions.models import (
    Answer,
    Assignment,
    Attachment,
    Petition,
    PetitionStatus,
)
from session_server.petitions.schemas import AnswerIn, AnswerOut, AssignedOut, AssignedPage, AttachmentOut, ReasonIn
from session_server.petitions.search import ListQuery


async def _council_name(db: AsyncSession, council_id: int) -> str:
    return await db.scalar(select(Council.name).where(Council.id == council_id)) or ""


@api.route(
    "GET",
    "/api/assigned-petitions",
    permission=Permission.PETITION_ANSWER,
    response=AssignedPage,
    summary="Petitions awaiting an answer: an agency's own; for staff, every forwarded one of their council "
    "(?overdue=true, ?status=, page, per_page); nearest deadline first",
)
async def list_assigned(ctx: Context) -> AssignedPage:
    assert ctx.user is not None
    query = ListQuery.of(dict(ctx.request.query))
    today = service.today()
    async with ctx.sessionmaker() as db:
        agency = await agency_of(ctx, db)
        where = [Petition.merged_into_id.is_(None)]
        if agency is not None:
            active = select(Assignment.petition_id).where(Assignment.agency_id == agency.id, Assignment.active)
            where.append(Petition.id.in_(active))
        else:
            where.append(Petition.agency_id.is_not(None))
            if ctx.user.role is not Role.ADMIN:
                where.append(Petition.council_id == ctx.user.council_id)
        if query.status is not None:
            where.append(Petition.status == query.status)
        else:
            where.append(Petition.status.in_([PetitionStatus.FORWARDED, PetitionStatus.ANSWERED]))
        if query.overdue:
            where += [Petition.status == PetitionStatus.FORWARDED, Petition.deadline < today]
        total = await db.scalar(select(func.count()).select_from(Petition).where(*where)) or 0
        found = await db.scalars(
            select(Petition)
            .where(*where)
            .order_by(Petition.deadline.is_(None), Petition.deadline, Petition.id)
            .offset((query.page - 1) * query.per_page)
            .limit(query.per_page)
        )
        names: dict[int, str] = {}
        items = []
        for petition in found:
            if petition.council_id not in names:
                names[petition.council_id] = await _council_name(db, petition.council_id)
            items.append(await present.assigned(db, petition, names[petition.council_id], today))
        return AssignedPage(total=total, page=query.page, per_page=query.per_page, items=items)


@api.route(
    "GET",
    "/api/assigned-petitions/{petition_id}",
    permission=Permission.PETITION_ANSWER,
    response=AssignedOut,
    summary="One petition as the agency sees it (no voter's personal data)",
)
async def get_assigned(ctx: Context) -> AssignedOut:
    async with ctx.sessionmaker() as db:
        petition, _agency = await answerable(ctx, db, int_param(ctx, "petition_id"))
        return await present.assigned(db, petition, await _council_name(db, petition.council_id), service.today())


@api.route(
    "POST",
    "/api/petitions/{petition_id}/answers",
    permission=Permission.PETITION_ANSWER,
    body=AnswerIn,
    response=AnswerOut,
    status=201,
    summary="Answer a petition (by the agency it is assigned to, or by staff for an answer received on paper)",
)
async def answer_petition(ctx: Context, body: AnswerIn) -> AnswerOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        petition, agency = await answerable(ctx, db, int_param(ctx, "petition_id"))
        reply = await service.answer(db, petition, body.text, ctx.user, agency.id if agency else petition.agency_id)
        await db.commit()
        found = [a for a in await present.answers(db, petition.id) if a.id == reply.id]
        return found[0]


@api.route(
    "POST",
    "/api/petitions/{petition_id}/return",
    permission=Permission.PETITION_ANSWER,
    body=ReasonIn,
    response=AssignedOut,
    summary="Return a petition with a reason (not this agency's to resolve, not a petition at all)",
)
async def return_petition(ctx: Context, body: ReasonIn) -> AssignedOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        petition, _agency = await answerable(ctx, db, int_param(ctx, "petition_id"))
        await service.return_petition(db, petition, body.reason, ctx.user)
        await db.commit()
        return await present.assigned(db, petition, await _council_name(db, petition.council_id), service.today())


async def _answer_for(ctx: Context, db: AsyncSession, answer_id: int) -> Answer:
    reply = await db.get(Answer, answer_id)
    if reply is None:
        raise not_found("Không có câu trả lời này.", "No such answer.")
    await answerable(ctx, db, reply.petition_id)
    agency = await agency_of(ctx, db)
    if agency is not None and reply.agency_id != agency.id:
        raise not_assigned()
    return reply


@api.route(
    "POST",
    "/api/petition-answers/{answer_id}/attachments",
    permission=Permission.PETITION_ANSWER,
    response=AttachmentOut,
    status=201,
    raw_body="multipart/form-data",
    summary="Attach a file (PDF, PNG or JPEG, field 'file') to an answer",
)
async def attach_file(ctx: Context) -> AttachmentOut:
    async with ctx.sessionmaker() as db:
        reply = await _answer_for(ctx, db, int_param(ctx, "answer_id"))
    received = await receive(ctx.request, ctx.settings.data_dir, ctx.settings.max_upload_bytes)
    try:
        kind = media_type(received.head)
        async with ctx.sessionmaker() as db:
            attachment = Attachment(
                answer_id=reply.id,
                file_name=received.file_name,
                media_type=kind,
                size_bytes=received.size,
                sha256=received.sha256,
            )
            db.add(attachment)
            await db.flush()
            final = attachment_path(ctx.settings.data_dir, attachment.id)
            await asyncio.to_thread(storage.place, received.path, final)
            try:
                service.log(db, reply.petition_id, "attached", ctx.user, answer_id=reply.id, file=received.file_name)
                await db.commit()
            except BaseException:
                await asyncio.to_thread(storage.remove, final)
                raise
            return AttachmentOut(
                id=attachment.id,
                file_name=attachment.file_name,
                media_type=kind,
                size_bytes=attachment.size_bytes,
                url=present.attachment_url(attachment, public=False),
            )
    finally:
        received.discard()


def file_response(ctx: Context, attachment: Attachment) -> web.FileResponse:
    path = attachment_path(ctx.settings.data_dir, attachment.id)
    if not path.is_file():
        raise not_found("Tệp đính kèm không còn trên máy chủ.", "The attachment's file is missing on the server.")
    return web.FileResponse(
        path,
        headers={
            "Content-Type": attachment.media_type,
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(attachment.file_name, safe='')}",
            "Cache-Control": "private, no-store",
        },
    )


@api.route(
    "GET",
    "/api/petition-attachments/{attachment_id}",
    permission=Permission.PETITION_ANSWER,
    summary="An answer's attachment (staff of the council, or the agency the petition is assigned to)",
)
async def get_attachment(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        attachment = await db.get(Attachment, int_param(ctx, "attachment_id"))
        if attachment is None:
            raise not_found("Không có tệp đính kèm này.", "No such attachment.")
        await _answer_for(ctx, db, attachment.answer_id)
    return file_response(ctx, attachment)
