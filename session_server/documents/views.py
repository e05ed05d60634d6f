"""Session documents for staff and delegates: upload, versions, metadata, pages for tablets, text, search, QR code."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import PurePosixPath
from typing import TypeVar
from urllib.parse import quote

from aiohttp import web
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.db.models import (
    AgendaItem,
    Classification,
    Council,
    Document,
    DocumentPage,
    DocumentVersion,
    SessionStatus,
    utcnow,
)
from session_server.documents import storage
from session_server.documents.access import (
    council_session,
    current_documents,
    readable,
    readable_document,
    refuse_copy,
    version_of,
)
from session_server.documents.cache import PageKey
from session_server.documents.ingest import commit_version
from session_server.documents.params import query_int
from session_server.documents.pdf import PdfFacts, PdfProblem, PdfRefused
from session_server.documents.qr import public_page_url, qr_png, qr_svg
from session_server.documents.refusals import (
    STATE_SECRET_EN,
    STATE_SECRET_VI,
    closed_session,
    damaged_pdf,
    encrypted_pdf,
    no_page,
    state_secret_not_confirmed,
)
from session_server.documents.rendering import (
    WIDTHS,
    Audience,
    negotiated_format,
    page_image,
    requested_page,
    requested_width,
    watermark_text,
)
from session_server.documents.schemas import (
    CLASSIFICATION_LABELS,
    KIND_LABELS,
    DocumentDetailOut,
    DocumentForm,
    DocumentOut,
    DocumentPatch,
    Label,
    OutlineEntry,
    PageTextOut,
    SearchHitOut,
    SearchOut,
    UploadRulesOut,
    VersionForm,
    VersionOut,
    WordBox,
)
from session_server.documents.search import search, snippet
from session_server.documents.upload import Received, receive, sniff
from session_server.documents.workers import workers_of
from session_server.errors import conflict, from_validation_error, invalid, not_found
from session_server.text import terms

MULTIPART = "multipart/form-data"
M = TypeVar("M", bound=BaseModel)
SEARCH_LIMIT = 100


@api.route(
    "GET",
    "/api/documents/upload-rules",
    permission=Permission.DOCUMENT_WRITE,
    response=UploadRulesOut,
    summary="What the upload form accepts, and the notice that state-secret documents do not belong in HopSo",
)
async def upload_rules(ctx: Context) -> UploadRulesOut:
    workers_of(ctx.request.app).warm_up()  # the upload form is open: a file may follow
    return UploadRulesOut(
        state_secret_notice_vi=STATE_SECRET_VI,
        state_secret_notice_en=STATE_SECRET_EN,
        media_type="application/pdf",
        max_upload_bytes=ctx.settings.max_upload_bytes,
        page_widths=list(WIDTHS),
        classifications=[Label(value=c, vi=vi, en=en) for c, (vi, en) in CLASSIFICATION_LABELS.items()],
        kinds=[Label(value=k, vi=vi, en=en) for k, (vi, en) in KIND_LABELS.items()],
    )


@api.route(
    "GET",
    "/api/sessions/{session_id}/documents",
    permission=Permission.DOCUMENT_READ,
    response=list[DocumentOut],
    summary="Documents of a session, current versions",
)
async def list_documents(ctx: Context) -> list[DocumentOut]:
    async with ctx.sessionmaker() as db:
        session = await council_session(ctx, db, int_param(ctx, "session_id"))
        rows = await db.execute(current_documents(session.id, readable(ctx.user)))
        return [DocumentOut.of(document, version) for document, version in rows]


@api.route(
    "POST",
    "/api/sessions/{session_id}/documents",
    permission=Permission.DOCUMENT_WRITE,
    response=DocumentOut,
    status=201,
    raw_body=MULTIPART,
    summary=(
        "Upload a PDF to a session: fields file, title, kind, classification, agenda_item_id and "
        "not_state_secret=true (state-secret documents, tài liệu mật, do not belong in HopSo)"
    ),
)
async def upload_document(ctx: Context) -> DocumentOut:
    assert ctx.user is not None
    session_id = int_param(ctx, "session_id")
    async with ctx.sessionmaker() as db:
        await council_session(ctx, db, session_id)
    received = await receive(ctx.request, ctx.settings.data_dir, ctx.settings.max_upload_bytes)
    try:
        form = _form(DocumentForm, received.fields)
        if not form.not_state_secret:
            raise state_secret_not_confirmed()
        facts, first_page = await _checked_pdf(ctx, received, form.classification)
        async with ctx.sessionmaker() as db:
            session = await council_session(ctx, db, session_id)
            if form.agenda_item_id is not None:
                await _check_agenda_item(db, session.id, form.agenda_item_id)
            document = Document(
                session_id=session.id,
                agenda_item_id=form.agenda_item_id,
                title=form.title or PurePosixPath(received.file_name).stem or received.file_name,
                kind=form.kind,
                classification=form.classification,
                version=1,
                created_by_user_id=ctx.user.id,
            )
            version = await commit_version(db, document, received, facts, ctx.user.id, ctx.settings.data_dir)
    finally:
        received.discard()
    await ready_for_tablets(ctx, document, first_page)
    return DocumentOut.of(document, version)


@api.route(
    "POST",
    "/api/documents/{document_id}/versions",
    permission=Permission.DOCUMENT_WRITE,
    response=DocumentOut,
    status=201,
    raw_body=MULTIPART,
    summary="Replace a document's file with a new version (fields file, not_state_secret=true); the old one is kept",
)
async def replace_document(ctx: Context) -> DocumentOut:
    assert ctx.user is not None
    document_id = int_param(ctx, "document_id")
    async with ctx.sessionmaker() as db:
        current, _session = await readable_document(ctx, db, document_id)
    received = await receive(ctx.request, ctx.settings.data_dir, ctx.settings.max_upload_bytes)
    try:
        if not _form(VersionForm, received.fields).not_state_secret:
            raise state_secret_not_confirmed()
        facts, first_page = await _checked_pdf(ctx, received, current.classification)
        async with ctx.sessionmaker() as db:
            document, _session = await readable_document(ctx, db, document_id)
            version = await commit_version(db, document, received, facts, ctx.user.id, ctx.settings.data_dir)
    finally:
        received.discard()
    await workers_of(ctx.request.app).drop(document.id)
    await ready_for_tablets(ctx, document, first_page)
    return DocumentOut.of(document, version)


@api.route(
    "GET",
    "/api/documents/{document_id}",
    permission=Permission.DOCUMENT_READ,
    response=DocumentDetailOut,
    summary="A document with its outline and versions",
)
async def get_document(ctx: Context) -> DocumentDetailOut:
    async with ctx.sessionmaker() as db:
        document, _session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        versions = list(
            await db.scalars(
                select(DocumentVersion)
                .where(DocumentVersion.document_id == document.id)
                .order_by(DocumentVersion.version)
            )
        )
    current = next(v for v in versions if v.version == document.version)
    return DocumentDetailOut(
        **DocumentOut.of(document, current).model_dump(),
        outline=[OutlineEntry(level=level, title=title, page=page) for level, title, page in current.outline],
        versions=[VersionOut.model_validate(v) for v in versions],
    )


@api.route(
    "PATCH",
    "/api/documents/{document_id}",
    permission=Permission.DOCUMENT_WRITE,
    body=DocumentPatch,
    response=DocumentOut,
    summary="Edit a document's title, kind, classification or agenda item (null detaches it)",
)
async def edit_document(ctx: Context, body: DocumentPatch) -> DocumentOut:
    changes = body.model_dump(exclude_unset=True)
    async with ctx.sessionmaker() as db:
        document, session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        if changes.get("agenda_item_id") is not None:
            await _check_agenda_item(db, session.id, changes["agenda_item_id"])
        for field, value in changes.items():
            if value is not None or field == "agenda_item_id":
                setattr(document, field, value)
        document.updated_at = utcnow()
        version = await version_of(db, document)
        await db.commit()
    if document.classification is Classification.RESTRICTED:
        await workers_of(ctx.request.app).drop(document.id)
    return DocumentOut.of(document, version)


@api.route(
    "DELETE",
    "/api/documents/{document_id}",
    permission=Permission.DOCUMENT_WRITE,
    status=204,
    summary="Withdraw a document before its session opens (it leaves tablets and search; its files and rows stay in "
    "the record); once the session has opened, a new version replaces it instead",
)
async def delete_document(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        document, session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        if session.status not in (SessionStatus.DRAFT, SessionStatus.SCHEDULED):
            raise conflict(
                "Kỳ họp đã khai mạc: tài liệu không gỡ được nữa; hãy tải lên phiên bản mới nếu cần sửa.",
                "The session has opened: its documents can no longer be withdrawn; upload a new version instead.",
            )
        document.deleted_at = utcnow()
        await db.commit()
    await workers_of(ctx.request.app).drop(document.id)
    return web.Response(status=204)


@api.route(
    "GET",
    "/api/documents/{document_id}/file",
    permission=Permission.DOCUMENT_READ,
    summary="Download the PDF (current version, or ?version=N); restricted documents have no download",
)
async def download_document(ctx: Context) -> web.StreamResponse:
    async with ctx.sessionmaker() as db:
        document, _session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        refuse_copy(document)
        version = await version_of(db, document, query_int(ctx, "version"))
    return pdf_file(ctx, document.id, version, "private, no-cache")


@api.route(
    "GET",
    "/api/documents/{document_id}/pages/{page}",
    permission=Permission.DOCUMENT_READ,
    summary=(
        f"Page image ?w= one of {', '.join(map(str, WIDTHS))} (320 is the thumbnail); WebP if accepted, else PNG; "
        "restricted documents are watermarked with the viewer's name and the time and never cached"
    ),
)
async def page_picture(ctx: Context) -> web.Response:
    assert ctx.user is not None
    stamp = None
    async with ctx.sessionmaker() as db:
        document, session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        version = await version_of(db, document)
        if document.classification is Classification.RESTRICTED:
            council = await db.get(Council, session.council_id)
            assert council is not None
            stamp = watermark_text(ctx.user.display_name, council.timezone, utcnow())
    key = PageKey(
        document.id,
        document.version,
        requested_page(ctx.request, document.page_count),
        requested_width(ctx.request),
        negotiated_format(ctx.request),
    )
    path = storage.version_path(ctx.settings.data_dir, document.id, document.version)
    audience = Audience.MEMBERS if stamp is None else Audience.ONE_VIEWER
    return await page_image(ctx.request, workers_of(ctx.request.app), path, version, key, audience, stamp)


@api.route(
    "GET",
    "/api/documents/{document_id}/pages/{page}/text",
    permission=Permission.DOCUMENT_READ,
    response=PageTextOut,
    summary=(
        "The text of a page; with ?words=1 also each word's box in PDF points (origin top left); "
        "none for restricted documents"
    ),
)
async def page_text(ctx: Context) -> PageTextOut:
    async with ctx.sessionmaker() as db:
        document, _session = await readable_document(ctx, db, int_param(ctx, "document_id"))
        refuse_copy(document)
        version = await version_of(db, document)
        page = requested_page(ctx.request, document.page_count)
        text = await db.scalar(
            select(DocumentPage.text).where(DocumentPage.version_id == version.id, DocumentPage.number == page)
        )
    if text is None:
        raise no_page(page, document.page_count)
    answer = PageTextOut(document_id=document.id, version=document.version, page=page, text=text)
    if ctx.request.query.get("words") in ("1", "true"):
        path = storage.version_path(ctx.settings.data_dir, document.id, document.version)
        words = await workers_of(ctx.request.app).words(path, page)
        answer.width, answer.height = words.width, words.height
        answer.words = [WordBox(x0=x0, y0=y0, x1=x1, y1=y1, text=word) for x0, y0, x1, y1, word in words.words]
    return answer


@api.route(
    "GET",
    "/api/councils/{council_id}/documents/search",
    permission=Permission.DOCUMENT_READ,
    response=SearchOut,
    summary="Search the council's documents (?q=, optional ?session_id= and ?limit=); Vietnamese diacritics folded",
)
async def search_documents(ctx: Context) -> SearchOut:
    council_id = int_param(ctx, "council_id")
    ctx.require_council(council_id)
    query = ctx.request.query.get("q", "")
    words = terms(query)
    if not words:
        raise invalid("Hãy nhập từ cần tìm.", "Type the words to search for.", [{"field": "q", "problem": "no words"}])
    async with ctx.sessionmaker() as db:
        if await db.get(Council, council_id) is None:
            raise not_found("Không có hội đồng này.", "No such council.")
        hits = await search(
            db,
            words,
            council_id,
            readable(ctx.user),
            query_int(ctx, "session_id"),
            query_int(ctx, "limit", 20, SEARCH_LIMIT) or 20,
        )
    answers = []
    for hit in hits:
        # A restricted page is found and opened as its watermarked image; its words are not shown here.
        shown, highlights = ("", []) if hit.classification is Classification.RESTRICTED else snippet(hit.text, words)
        answers.append(
            SearchHitOut(
                document_id=hit.document_id,
                title=hit.title,
                classification=hit.classification,
                session_id=hit.session_id,
                session_title=hit.session_title,
                page=hit.page,
                snippet=shown,
                highlights=highlights,
            )
        )
    return SearchOut(query=query, hits=answers)


@api.route(
    "GET",
    "/api/sessions/{session_id}/qr.png",
    permission=Permission.DOCUMENT_READ,
    summary="QR code (PNG) opening the session's public documents page, for printing",
)
async def session_qr_png(ctx: Context) -> web.Response:
    return web.Response(body=qr_png(await _public_url(ctx)), content_type="image/png")


@api.route(
    "GET",
    "/api/sessions/{session_id}/qr.svg",
    permission=Permission.DOCUMENT_READ,
    summary="QR code (SVG) opening the session's public documents page, for printing",
)
async def session_qr_svg(ctx: Context) -> web.Response:
    return web.Response(body=qr_svg(await _public_url(ctx)), content_type="image/svg+xml")


def pdf_file(ctx: Context, document_id: int, version: DocumentVersion, cache_control: str) -> web.FileResponse:
    path = storage.version_path(ctx.settings.data_dir, document_id, version.version)
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "-" for c in version.file_name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(version.file_name, safe='')}"
    return web.FileResponse(
        path,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": disposition,
            "Cache-Control": cache_control,
        },
    )


async def _public_url(ctx: Context) -> str:
    async with ctx.sessionmaker() as db:
        session = await council_session(ctx, db, int_param(ctx, "session_id"))
    if not session.public:
        raise closed_session()
    return public_page_url(ctx.settings.effective_public_url, session.id)


def _form(model: type[M], fields: dict[str, str]) -> M:
    try:
        return model.model_validate({name: value for name, value in fields.items() if value != ""})
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


async def _checked_pdf(
    ctx: Context, received: Received, classification: Classification
) -> tuple[PdfFacts, bytes | None]:
    """The upload's facts, and its page 1 for tablets unless the document is restricted (never cached)."""
    sniff(received)
    first_page = classification is not Classification.RESTRICTED
    try:
        return await workers_of(ctx.request.app).inspect_upload(received.path, first_page)
    except PdfRefused as refused:
        raise encrypted_pdf() if refused.problem is PdfProblem.ENCRYPTED else damaged_pdf() from refused
    except BrokenProcessPool as exc:
        raise damaged_pdf() from exc


async def _check_agenda_item(db: AsyncSession, session_id: int, agenda_item_id: int) -> None:
    item = await db.get(AgendaItem, agenda_item_id)
    if item is None or item.session_id != session_id:
        raise invalid(
            "Mục chương trình này không thuộc kỳ họp.",
            "That agenda item is not on this session's agenda.",
            [{"field": "agenda_item_id", "problem": "not an agenda item of this session"}],
        )


async def ready_for_tablets(ctx: Context, document: Document, first_page: bytes | None) -> None:
    """Page 1 in the cache before the upload is answered, so a tablet shown the document at once gets it at once; the
    other pages in the background. Restricted pages are never cached."""
    if document.classification is Classification.RESTRICTED:
        return
    workers = workers_of(ctx.request.app)
    if first_page is not None:
        await workers.keep_first_page(document.id, document.version, first_page)
    path = storage.version_path(ctx.settings.data_dir, document.id, document.version)
    workers.prerender(path, document.id, document.version, document.page_count)
