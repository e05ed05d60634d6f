"""The public's REST answers: the councils of the deployment (searched without diacritics), a council's front page
(its live session, then what is coming), search across its public record; and for staff, how to share a session."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.archive.minutes import compose
from session_server.archive.public import public_votes
from session_server.auth.roles import Permission
from session_server.db.models import (
    AgendaItem,
    Council,
    CouncilSession,
    Minutes,
    SessionArchive,
    SessionStatus,
)
from session_server.documents import search as document_search
from session_server.documents.access import PUBLIC, council_session
from session_server.documents.qr import qr_svg
from session_server.documents.refusals import closed_session
from session_server.errors import ApiError, not_found
from session_server.public.moments import shown_at
from session_server.public.printed import Sign, poster_pdf
from session_server.public.schemas import (
    CouncilFrontOut,
    PublicCouncilOut,
    PublicLinkOut,
    PublicSearchHitOut,
    PublicSearchOut,
    PublicSessionLinkOut,
)
from session_server.text import fold, terms

PUBLIC_CACHE = "public, max-age=30"
MAX_TERMS = 8
SEARCH_LIMIT = 30
LIVE = (SessionStatus.LIVE, SessionStatus.PAUSED)
COMING = (SessionStatus.SCHEDULED,)


def council_url(council: Council) -> str:
    return f"/public/{council.slug}/"


def session_url(council: Council, session: CouncilSession) -> str:
    return f"/public/{council.slug}/{session.slug}"


def local_date(moment: datetime | None, timezone: str) -> str:
    """'07/12/2026' in the council's own time."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d/%m/%Y") if moment else ""


def matches(words: Sequence[str], text: str) -> bool:
    """Every query word begins a word of `text`, diacritics folded ("hoa bin" finds "Hòa Bình")."""
    have = terms(text)
    return all(any(word.startswith(query) for word in have) for query in words)


def no_council() -> ApiError:
    return not_found("Không có hội đồng này.", "No such council.")


def council_out(council: Council, live: int) -> PublicCouncilOut:
    return PublicCouncilOut(
        id=council.id,
        slug=council.slug,
        name=council.name,
        short_name=council.short_name,
        url=council_url(council),
        live=live,
    )


def shown_sessions(council_id: int) -> Select[tuple[CouncilSession]]:
    """A council's sessions the public may know of: public ones that are announced (not drafts)."""
    return select(CouncilSession).where(
        CouncilSession.council_id == council_id,
        CouncilSession.public.is_(True),
        CouncilSession.status != SessionStatus.DRAFT,
    )


def _cached(value: Any) -> web.Response:
    response = json_response(value)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@api.route(
    "GET",
    "/api/public/councils",
    permission=Permission.PUBLIC,
    response=list[PublicCouncilOut],
    summary="The deployment's councils, by name; ?q= finds them without diacritics ('hoa binh' finds 'Hòa Bình')",
)
async def public_councils(ctx: Context) -> web.Response:
    words = terms(ctx.request.query.get("q", ""))[:MAX_TERMS]
    async with ctx.sessionmaker() as db:
        counted = await db.execute(
            select(CouncilSession.council_id, func.count())
            .where(CouncilSession.public.is_(True), CouncilSession.status.in_(LIVE))
            .group_by(CouncilSession.council_id)
        )
        live: dict[int, int] = {council_id: count for council_id, count in counted}
        councils = list(await db.scalars(select(Council)))
    found = [c for c in councils if matches(words, f"{c.name} {c.short_name}")]
    found.sort(key=lambda c: (-live.get(c.id, 0), fold(c.name)))
    return _cached([council_out(c, live.get(c.id, 0)) for c in found])


async def _agendas(db: AsyncSession, session_ids: list[int]) -> dict[int, list[str]]:
    rows = await db.execute(
        select(AgendaItem.session_id, AgendaItem.title)
        .where(AgendaItem.session_id.in_(session_ids))
        .order_by(AgendaItem.session_id, AgendaItem.position)
    )
    agendas: dict[int, list[str]] = {}
    for session_id, title in rows:
        agendas.setdefault(session_id, []).append(title)
    return agendas


@api.route(
    "GET",
    "/api/public/councils/{council_id}",
    permission=Permission.PUBLIC,
    response=CouncilFrontOut,
    summary="A council's front page: its live sessions, then upcoming ones with date and agenda, and its feeds",
)
async def public_council(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        council = await db.get(Council, int_param(ctx, "council_id"))
        if council is None:
            raise no_council()
        sessions = list(
            await db.scalars(
                shown_sessions(council.id)
                .where(CouncilSession.status.in_(LIVE + COMING))
                .order_by(CouncilSession.starts_at.is_(None), CouncilSession.starts_at, CouncilSession.id)
            )
        )
        agendas = await _agendas(db, [s.id for s in sessions])

    def link(session: CouncilSession) -> PublicSessionLinkOut:
        return PublicSessionLinkOut(
            id=session.id,
            slug=session.slug,
            title=session.title,
            status=session.status.value,
            starts_at=session.starts_at,
            place=session.place,
            url=session_url(council, session),
            agenda=agendas.get(session.id, []),
        )

    live = [link(s) for s in sessions if s.status in LIVE]
    return _cached(
        CouncilFrontOut(
            council=council_out(council, len(live)),
            live=live,
            upcoming=[link(s) for s in sessions if s.status in COMING],
            atom_url=f"{council_url(council)}feed.atom",
            calendar_url=f"{council_url(council)}calendar.ics",
        )
    )


async def _document_hits(
    db: AsyncSession, ctx: Context, council: Council, words: list[str], sessions: dict[int, CouncilSession]
) -> list[PublicSearchHitOut]:
    found = await document_search.search(db, words, council.id, PUBLIC, None, SEARCH_LIMIT)
    hits = []
    for hit in found:
        session = sessions.get(hit.session_id)
        if session is None:
            continue
        shown, _ = document_search.snippet(hit.text, words)
        page_url = f"/api/public/documents/{hit.document_id}/pages/{hit.page}?w=1600"
        moment = await shown_at(db, ctx.settings, session.id, hit.document_id, hit.page)
        hits.append(
            PublicSearchHitOut(
                kind="document",
                title=hit.title,
                session_title=session.title,
                snippet=shown,
                url=page_url,
                page=hit.page,
                video_url=None if moment is None else f"{session_url(council, session)}#t={int(moment)}",
            )
        )
    return hits


async def _record_hits(
    db: AsyncSession, council: Council, words: list[str], sessions: dict[int, CouncilSession]
) -> list[PublicSearchHitOut]:
    """Published sessions whose public record matches, and each vote result whose motion matches."""
    rows = await db.execute(
        select(SessionArchive, Minutes)
        .join(Minutes, Minutes.session_id == SessionArchive.session_id)
        .where(SessionArchive.session_id.in_(list(sessions)), SessionArchive.published_at.is_not(None))
        .order_by(SessionArchive.session_id.desc())
    )
    hits = []
    for archive, minutes in rows:
        session = sessions[archive.session_id]
        url = session_url(council, session)
        if all(f" {word}" in f" {archive.folded}" for word in words):
            hits.append(
                PublicSearchHitOut(
                    kind="session", title=session.title, session_title=session.title, snippet="", url=url
                )
            )
        for vote in public_votes(compose(minutes.content, minutes.edits), session.public):
            if matches(words, vote["title"]):
                hits.append(
                    PublicSearchHitOut(
                        kind="result",
                        title=vote["title"],
                        session_title=session.title,
                        snippet=f"{vote['text_vi']} {vote['verdict_vi']}".strip(),
                        url=f"{url}#motion-{vote['motion_id']}",
                    )
                )
    return hits


@api.route(
    "GET",
    "/api/public/councils/{council_id}/search",
    permission=Permission.PUBLIC,
    response=PublicSearchOut,
    summary="Search a council's public record without diacritics: archived sessions, results, public documents' pages",
)
async def public_search(ctx: Context) -> web.Response:
    query = ctx.request.query.get("q", "").strip()[:200]
    words = terms(query)[:MAX_TERMS]
    async with ctx.sessionmaker() as db:
        council = await db.get(Council, int_param(ctx, "council_id"))
        if council is None:
            raise no_council()
        if not words:
            return _cached(PublicSearchOut(query=query, hits=[]))
        sessions = {s.id: s for s in await db.scalars(shown_sessions(council.id))}
        hits = await _record_hits(db, council, words, sessions)
        hits += await _document_hits(db, ctx, council, words, sessions)
    return _cached(PublicSearchOut(query=query, hits=hits[:SEARCH_LIMIT]))


def embed_html(embed_url: str, title: str) -> str:
    """The snippet a council's web portal pastes: a 16:9 player with the live panel below, as wide as its column."""
    return (
        f'<iframe src="{embed_url}" title="{title}" width="100%" height="720" '
        'style="border:0;max-width:100%" loading="lazy" allow="autoplay; fullscreen" allowfullscreen></iframe>'
    )


def when_text(session: CouncilSession, council: Council) -> str:
    """'Ngày 07/12/2026 · Hội trường UBND xã': what a poster or a preview says of when and where."""
    day = local_date(session.starts_at, council.timezone)
    parts = (f"Ngày {day}" if day else "", session.place)
    return " · ".join(part for part in parts if part)


async def _shared(ctx: Context) -> tuple[Council, CouncilSession, str]:
    """The staff member's public session, its council, and its address in full."""
    async with ctx.sessionmaker() as db:
        session = await council_session(ctx, db, int_param(ctx, "session_id"))
        if not session.public:
            raise closed_session()
        council = await db.get(Council, session.council_id)
        assert council is not None
    return council, session, f"{ctx.settings.effective_public_url}{session_url(council, session)}"


@api.route(
    "GET",
    "/api/sessions/{session_id}/public-link",
    permission=Permission.DOCUMENT_READ,
    response=PublicLinkOut,
    summary="A public session's address to share: the link, its QR code, the A4 poster and the portal's embed snippet",
)
async def public_link(ctx: Context) -> PublicLinkOut:
    council, session, url = await _shared(ctx)
    return PublicLinkOut(
        url=url,
        qr_svg=qr_svg(url).decode(),
        poster_url=f"/api/sessions/{session.id}/poster.pdf",
        embed_url=f"{url}/embed",
        embed_html=embed_html(f"{url}/embed", escape(f"{council.name}: {session.title}", quote=True)),
    )


@api.route(
    "GET",
    "/api/sessions/{session_id}/poster.pdf",
    permission=Permission.DOCUMENT_READ,
    summary="The A4 poster to print for a public session: council, session, date and place, QR code and address",
)
async def session_poster(ctx: Context) -> web.Response:
    council, session, url = await _shared(ctx)
    pdf = await asyncio.to_thread(poster_pdf, Sign(council.name, session.title, when_text(session, council), url))
    return web.Response(
        body=pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{session.slug}.pdf"'},
    )
