"""The public archive, without signing in: a council's published sessions with a folded search, and each session's
page (video with chapters, vote results, signed minutes, public documents). What shows is decided in `public`."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.archive import storage
from session_server.archive.files import file_response
from session_server.archive.minutes import compose
from session_server.archive.public import public_votes
from session_server.archive.public_record import CHAIN_HEAD, public_record
from session_server.archive.schemas import (
    PublicArchiveOut,
    PublicMinutesOut,
    PublicRecordOut,
    PublicSessionOut,
    VoteOut,
)
from session_server.archive.views import chapters_of_session, signatures_out, video_of
from session_server.auth.roles import Permission
from session_server.db.models import Council, CouncilSession, Minutes, MinutesStatus, SessionArchive
from session_server.documents.access import PUBLIC, current_documents
from session_server.documents.schemas import PublicDocumentOut
from session_server.errors import ApiError, invalid, not_found
from session_server.inputs import DB_INT_MAX
from session_server.public.views import session_url
from session_server.text import terms

PUBLIC_CACHE = "public, max-age=60"
FILE_CACHE = "public, max-age=3600"
MAX_TERMS = 8


def _not_published() -> ApiError:
    return not_found("Kỳ họp này chưa được công bố.", "This session is not in the public archive.")


def _summary(
    council: Council, session: CouncilSession, archive: SessionArchive, minutes: Minutes | None
) -> dict[str, object]:
    opened_at = (minutes.content["session"]["opened_at"]) if minutes else None
    return {
        "id": session.id,
        "url": session_url(council, session),
        "council_id": session.council_id,
        "title": session.title,
        "kind": session.kind.value,
        "public": session.public,
        "place": session.place if session.public else "",
        "opened_at": opened_at,
        "has_video": bool(archive.video) and session.public,
        "published_at": archive.published_at,
    }


async def _published(db: AsyncSession, session_id: int) -> tuple[CouncilSession, SessionArchive, Minutes]:
    session = await db.get(CouncilSession, session_id)
    archive = await db.get(SessionArchive, session_id)
    minutes = await db.get(Minutes, session_id)
    if session is None or archive is None or archive.published_at is None or minutes is None:
        raise _not_published()
    return session, archive, minutes


async def _public_session(db: AsyncSession, session_id: int) -> tuple[CouncilSession, SessionArchive, Minutes]:
    """A published session that is not closed (họp kín): only these show their video, minutes and documents."""
    session, archive, minutes = await _published(db, session_id)
    if not session.public:
        raise _not_published()
    return session, archive, minutes


@api.route(
    "GET",
    "/api/public/councils/{council_id}/archive",
    permission=Permission.PUBLIC,
    response=list[PublicSessionOut],
    summary="A council's published sessions, newest first; ?q= searches without diacritics (?limit=, ?offset=)",
)
async def public_archive_list(ctx: Context) -> web.Response:
    words = terms(ctx.request.query.get("q", ""))[:MAX_TERMS]
    try:
        limit = min(100, max(1, int(ctx.request.query.get("limit", "50"))))
        offset = min(DB_INT_MAX, max(0, int(ctx.request.query.get("offset", "0"))))
    except ValueError as exc:
        raise invalid("limit và offset phải là số.", "limit and offset must be numbers.") from exc
    async with ctx.sessionmaker() as db:
        council_id = int_param(ctx, "council_id")
        council = await db.get(Council, council_id)
        if council is None:
            raise not_found("Không có hội đồng này.", "No such council.")
        query = (
            select(CouncilSession, SessionArchive, Minutes)
            .join(SessionArchive, SessionArchive.session_id == CouncilSession.id)
            .join(Minutes, Minutes.session_id == CouncilSession.id)
            .where(CouncilSession.council_id == council_id, SessionArchive.published_at.is_not(None))
        )
        for word in words:
            query = query.where((" " + SessionArchive.folded).contains(f" {word}", autoescape=True))
        rows = await db.execute(query.order_by(CouncilSession.id.desc()).limit(limit).offset(offset))
        found = [PublicSessionOut(**_summary(council, *row)) for row in rows]
    response = json_response(found)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@api.route(
    "GET",
    "/api/public/archive/{session_id}",
    permission=Permission.PUBLIC,
    response=PublicArchiveOut,
    summary="A published session: video and chapters, vote results, signed minutes, public documents",
)
async def public_archive_session(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session, archive, minutes = await _published(db, int_param(ctx, "session_id"))
        council = await db.get(Council, session.council_id)
        assert council is not None
        composed = compose(minutes.content, minutes.edits)
        base = f"/api/public/archive/{session.id}"
        details: dict[str, object] = {
            "council_name": council.name,
            "closed_at": composed["session"]["closed_at"],
            "votes": [VoteOut(**vote) for vote in public_votes(composed, session.public)],
            "video": None,
            "chapters": [],
            "minutes": None,
            "documents": [],
        }
        if session.public:
            rows = await db.execute(current_documents(session.id, PUBLIC))
            details |= {
                "video": video_of(archive, base),
                "chapters": await chapters_of_session(db, session.id) if archive.video else [],
                "minutes": PublicMinutesOut(
                    pdf_url=f"{base}/minutes.pdf", signatures=signatures_out(minutes), approved_at=minutes.approved_at
                )
                if minutes.status is MinutesStatus.PUBLISHED
                else None,
                "documents": [PublicDocumentOut.of(document, version) for document, version in rows],
                "record": PublicRecordOut(
                    url=f"{base}/record.jsonl",
                    anchored_head=composed.get(CHAIN_HEAD) if minutes.status is MinutesStatus.PUBLISHED else None,
                ),
            }
        page = PublicArchiveOut(**_summary(council, session, archive, minutes), **details)
    response = json_response(page)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@api.route(
    "GET",
    "/api/public/archive/{session_id}/video",
    permission=Permission.PUBLIC,
    summary="A published session's video (MP4, byte ranges for seeking)",
)
async def public_video(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session, _archive, _minutes = await _public_session(db, int_param(ctx, "session_id"))
    return await file_response(storage.video_path(ctx.settings, session.id), FILE_CACHE)


@api.route(
    "GET",
    "/api/public/archive/{session_id}/chapters.vtt",
    permission=Permission.PUBLIC,
    summary="A published session's video chapters as WebVTT",
)
async def public_chapters(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session, _archive, _minutes = await _public_session(db, int_param(ctx, "session_id"))
    return await file_response(storage.chapters_vtt_path(ctx.settings, session.id), FILE_CACHE)


@api.route(
    "GET",
    "/api/public/archive/{session_id}/poster.jpg",
    permission=Permission.PUBLIC,
    summary="A published session's video poster",
)
async def public_poster(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session, _archive, _minutes = await _public_session(db, int_param(ctx, "session_id"))
    return await file_response(storage.poster_path(ctx.settings, session.id), FILE_CACHE)


@api.route(
    "GET",
    "/api/public/archive/{session_id}/minutes.pdf",
    permission=Permission.PUBLIC,
    summary="A published session's signed minutes (PDF)",
)
async def public_minutes(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session, _archive, minutes = await _public_session(db, int_param(ctx, "session_id"))
    if minutes.status is not MinutesStatus.PUBLISHED:
        raise _not_published()
    path = storage.signed_minutes_path(ctx.settings, session.id)
    # Cached briefly: reopened minutes are withdrawn until approved again, and caches must let go of them soon.
    return await file_response(path, PUBLIC_CACHE, f"bien-ban-{session.id}.pdf")


@api.route(
    "GET",
    "/api/public/archive/{session_id}/record.jsonl",
    permission=Permission.PUBLIC,
    summary="A published session's public record (JSON lines): every public event with its place in the audit chain, "
    "the others by their digest, secret ballots only as receipts and results; `hopso verify --file` checks it",
)
async def public_record_file(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session, _archive, _minutes = await _public_session(db, int_param(ctx, "session_id"))
        body = await public_record(db, session)
    return web.Response(
        body=body,
        headers={
            "Content-Type": "application/jsonl; charset=utf-8",
            "Content-Disposition": f'attachment; filename="ban-ghi-ky-hop-{session.id}.jsonl"',
            "Cache-Control": PUBLIC_CACHE,
        },
    )
