"""Private notes on document pages: each user reads and changes only their own."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import Document, PageNote, utcnow
from session_server.documents.access import council_session, readable_document
from session_server.documents.refusals import no_page
from session_server.documents.schemas import NoteIn, NoteOut, NotePatch
from session_server.errors import ApiError, invalid, not_found


def _empty() -> ApiError:
    return invalid("Ghi chú trống.", "The note is empty.", [{"field": "text", "problem": "text or ink is needed"}])


async def _own_note(ctx: Context, db: AsyncSession) -> PageNote:
    assert ctx.user is not None
    note = await db.get(PageNote, int_param(ctx, "note_id"))
    if note is None or note.user_id != ctx.user.id:
        raise not_found("Không có ghi chú này.", "No such note.")
    return note


@api.route(
    "GET",
    "/api/documents/{document_id}/notes",
    permission=Permission.NOTE_WRITE,
    response=list[NoteOut],
    summary="My notes on a document",
)
async def list_document_notes(ctx: Context) -> list[NoteOut]:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        document, _session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        notes = await db.scalars(
            select(PageNote)
            .where(PageNote.document_id == document.id, PageNote.user_id == ctx.user.id)
            .order_by(PageNote.page, PageNote.id)
        )
        return [NoteOut.of(note) for note in notes]


@api.route(
    "GET",
    "/api/sessions/{session_id}/notes",
    permission=Permission.NOTE_WRITE,
    response=list[NoteOut],
    summary="My notes on the documents of a session",
)
async def list_session_notes(ctx: Context) -> list[NoteOut]:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        session = await council_session(ctx, db, int_param(ctx, "session_id"))
        notes = await db.scalars(
            select(PageNote)
            .join(Document, Document.id == PageNote.document_id)
            .where(PageNote.session_id == session.id, PageNote.user_id == ctx.user.id, Document.deleted_at.is_(None))
            .order_by(PageNote.document_id, PageNote.page, PageNote.id)
        )
        return [NoteOut.of(note) for note in notes]


@api.route(
    "POST",
    "/api/documents/{document_id}/notes",
    permission=Permission.NOTE_WRITE,
    body=NoteIn,
    response=NoteOut,
    status=201,
    summary="Write a private note on a page (text, and optionally ink strokes)",
)
async def add_note(ctx: Context, body: NoteIn) -> NoteOut:
    assert ctx.user is not None
    if not body.text and not body.ink:
        raise _empty()
    async with ctx.sessionmaker() as db:
        document, _session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        if body.page > document.page_count:
            raise no_page(body.page, document.page_count)
        note = PageNote(
            session_id=document.session_id,
            document_id=document.id,
            user_id=ctx.user.id,
            page=body.page,
            version=document.version,
            text=body.text,
            ink=[stroke.model_dump(mode="json") for stroke in body.ink],
        )
        db.add(note)
        await db.commit()
        return NoteOut.of(note)


@api.route(
    "PATCH",
    "/api/notes/{note_id}",
    permission=Permission.NOTE_WRITE,
    body=NotePatch,
    response=NoteOut,
    summary="Change one of my notes",
)
async def edit_note(ctx: Context, body: NotePatch) -> NoteOut:
    async with ctx.sessionmaker() as db:
        note = await _own_note(ctx, db)
        if body.text is not None:
            note.text = body.text
        if body.ink is not None:
            note.ink = [stroke.model_dump(mode="json") for stroke in body.ink]
        if not note.text and not note.ink:
            raise _empty()
        note.updated_at = utcnow()
        await db.commit()
        return NoteOut.of(note)


@api.route(
    "DELETE", "/api/notes/{note_id}", permission=Permission.NOTE_WRITE, status=204, summary="Delete one of my notes"
)
async def delete_note(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        await db.delete(await _own_note(ctx, db))
        await db.commit()
    return web.Response(status=204)
