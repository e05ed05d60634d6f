"""What the public sees of a session's documents, without signing in: public documents of public sessions only."""

from __future__ import annotations

from aiohttp import web

from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.auth.roles import Permission
from session_server.db.models import CouncilSession
from session_server.documents import storage
from session_server.documents.access import PUBLIC, current_documents, public_document, shown_to_public, version_of
from session_server.documents.cache import PageKey
from session_server.documents.refusals import no_session
from session_server.documents.rendering import Audience, negotiated_format, page_image, requested_page, requested_width
from session_server.documents.schemas import PublicDocumentOut
from session_server.documents.views import pdf_file
from session_server.documents.workers import workers_of

PUBLIC_CACHE = Audience.PUBLIC.value


@api.route(
    "GET",
    "/api/public/sessions/{session_id}/documents",
    permission=Permission.PUBLIC,
    response=list[PublicDocumentOut],
    summary="Public documents of a public session (nothing of a closed session)",
)
async def public_documents(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session = await db.get(CouncilSession, int_param(ctx, "session_id"))
        if session is None or not shown_to_public(session):
            raise no_session()
        rows = await db.execute(current_documents(session.id, PUBLIC))
        documents = [PublicDocumentOut.of(document, version) for document, version in rows]
    response = json_response(documents)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@api.route(
    "GET",
    "/api/public/documents/{document_id}/pages/{page}",
    permission=Permission.PUBLIC,
    summary="Page image of a public document (?w= as for signed-in readers)",
)
async def public_page_picture(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        document = await public_document(db, int_param(ctx, "document_id"))
        version = await version_of(db, document)
    key = PageKey(
        document.id,
        document.version,
        requested_page(ctx.request, document.page_count),
        requested_width(ctx.request),
        negotiated_format(ctx.request),
    )
    path = storage.version_path(ctx.settings.data_dir, document.id, document.version)
    return await page_image(ctx.request, workers_of(ctx.request.app), path, version, key, Audience.PUBLIC)


@api.route(
    "GET",
    "/api/public/documents/{document_id}/file",
    permission=Permission.PUBLIC,
    summary="Download a public document's PDF",
)
async def public_download(ctx: Context) -> web.StreamResponse:
    async with ctx.sessionmaker() as db:
        document = await public_document(db, int_param(ctx, "document_id"))
        version = await version_of(db, document)
    return pdf_file(ctx, document.id, version, PUBLIC_CACHE)
