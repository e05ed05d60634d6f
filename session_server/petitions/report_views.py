"""The compiled petitions report as PDF and Word, and the session's report on answers stored as a session document."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import (
    AgendaItem,
    Classification,
    Council,
    CouncilSession,
    Document,
    DocumentKind,
)
from session_server.documents import storage
from session_server.documents.ingest import commit_version
from session_server.documents.schemas import DocumentOut
from session_server.documents.upload import Received
from session_server.documents.views import ready_for_tablets
from session_server.documents.workers import workers_of
from session_server.errors import invalid, not_found
from session_server.paperwork import AdministrativeDocument, render_docx, render_pdf
from session_server.petitions import present, service
from session_server.petitions.access import council_of
from session_server.petitions.models import Petition
from session_server.petitions.report import Entry, compiled_report, session_report
from session_server.petitions.search import ListQuery, conditions, matching

REPORT_ROWS = 3000
SESSION_REPORT_TITLE = "Báo cáo kết quả giải quyết ý kiến, kiến nghị cử tri"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _entries(db: AsyncSession, petitions: list[Petition], council: Council) -> list[Entry]:
    rows = await present.rows(db, petitions, service.today(council.timezone))
    answers = await present.latest_answers(db, [p.id for p in petitions])
    return [Entry(row, answers.get(row.id)) for row in rows]


def _now(council: Council) -> datetime:
    return datetime.now(ZoneInfo(council.timezone))


async def _compiled(ctx: Context) -> AdministrativeDocument:
    query = ListQuery.of(dict(ctx.request.query))
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        statement = select(Petition).where(*conditions(query, council.id, service.today(council.timezone)))
        if query.words:
            statement = matching(db.bind.dialect.name, statement, query.words)
        petitions = list(await db.scalars(statement.order_by(Petition.id).limit(REPORT_ROWS + 1)))
        if len(petitions) > REPORT_ROWS:
            raise invalid(
                f"Báo cáo quá dài (hơn {REPORT_ROWS} kiến nghị); hãy lọc theo nhiệm kỳ, lĩnh vực hoặc tình trạng.",
                f"The report would be too long (over {REPORT_ROWS} petitions); filter by term, field or status.",
            )
        entries = await _entries(db, petitions, council)
    now = _now(council)
    return compiled_report(council.name, query.term or council.term, now.date(), entries, now)


def _attachment(data: bytes, media_type: str, name: str) -> web.Response:
    return web.Response(
        body=data,
        content_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions/report.pdf",
    permission=Permission.PETITION_READ,
    summary="The compiled report on voters' petitions (the list's filters apply) as PDF, Decree 30/2020 layout",
)
async def report_pdf(ctx: Context) -> web.Response:
    document = await _compiled(ctx)
    rendered = await asyncio.to_thread(render_pdf, document)
    return _attachment(rendered.data, "application/pdf", "bao-cao-tong-hop-kien-nghi-cu-tri.pdf")


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions/report.docx",
    permission=Permission.PETITION_READ,
    summary="The same report as a Word document",
)
async def report_docx(ctx: Context) -> web.Response:
    document = await _compiled(ctx)
    data = await asyncio.to_thread(render_docx, document)
    return _attachment(data, DOCX, "bao-cao-tong-hop-kien-nghi-cu-tri.docx")


@api.route(
    "POST",
    "/api/sessions/{session_id}/petition-report",
    permission=Permission.PETITION_WRITE,
    response=DocumentOut,
    status=201,
    summary="Generate the session's report on the answers to the petitions taken up in it, as a public session "
    "document (a new version when it exists)",
)
async def generate_session_report(ctx: Context) -> DocumentOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        session = await db.get(CouncilSession, int_param(ctx, "session_id"))
        if session is None:
            raise not_found("Không có kỳ họp này.", "No such session.")
        council = await council_of(ctx, db, session.council_id)
        petitions = list(
            await db.scalars(
                select(Petition)
                .join(AgendaItem, AgendaItem.id == Petition.agenda_item_id)
                .where(AgendaItem.session_id == session.id, Petition.merged_into_id.is_(None))
                .order_by(AgendaItem.position, Petition.id)
            )
        )
        if not petitions:
            raise invalid(
                "Kỳ họp chưa có kiến nghị nào được đưa vào chương trình.",
                "No petition has been taken up in this session yet.",
            )
        entries = await _entries(db, petitions, council)
        item_id = petitions[0].agenda_item_id
    now = _now(council)
    rendered = await asyncio.to_thread(
        render_pdf, session_report(council.name, session.title, now.date(), entries, now)
    )
    return await _store(ctx, session, item_id, rendered.data)


async def _store(ctx: Context, session: CouncilSession, item_id: int | None, data: bytes) -> DocumentOut:
    assert ctx.user is not None
    path = await asyncio.to_thread(storage.incoming_path, ctx.settings.data_dir)
    await asyncio.to_thread(path.write_bytes, data)
    received = Received(
        path=path,
        file_name="bao-cao-ket-qua-giai-quyet-kien-nghi-cu-tri.pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        head=data[:1024],
        has_file=True,
    )
    try:
        facts, first_page = await workers_of(ctx.request.app).inspect_upload(path, True)
        async with ctx.sessionmaker() as db:
            document = await db.scalar(
                select(Document).where(
                    Document.session_id == session.id,
                    Document.title == SESSION_REPORT_TITLE,
                    Document.deleted_at.is_(None),
                )
            )
            if document is None:
                document = Document(
                    session_id=session.id,
                    agenda_item_id=item_id,
                    title=SESSION_REPORT_TITLE,
                    kind=DocumentKind.REPORT,
                    classification=Classification.PUBLIC,
                    version=1,
                    page_count=facts.page_count,
                    created_by_user_id=ctx.user.id,
                )
            version = await commit_version(db, document, received, facts, ctx.user.id, ctx.settings.data_dir)
    finally:
        received.discard()
    await workers_of(ctx.request.app).drop(document.id)
    await ready_for_tablets(ctx, document, first_page)
    return DocumentOut.of(document, version)
