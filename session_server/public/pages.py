"""The public pages under their short addresses, rendered on the server with what a link preview needs.

`/public/` is the front door, `/public/<council>/` a council's page, `/public/<council>/<session>` a session (live,
then its record), `…/embed` the same for a portal's iframe. Each page is the public app's HTML with the page's Open
Graph and Twitter card tags and the ids the script follows written into its head, so a crawler that runs no script
still sees the title, the council, the date and a picture. The old `?session=ID`, `?archive=ID` and `?council=ID`
links redirect here. Each council also has an Atom feed and an iCalendar feed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from html import escape

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

import viewer
from session_server.archive import storage
from session_server.db.models import Council, CouncilSession, Minutes, SessionArchive, SessionStatus
from session_server.live.events import public_stream
from session_server.middleware import EMBEDDABLE
from session_server.public import feeds
from session_server.public.printed import card_png
from session_server.public.views import council_url, session_url, shown_sessions, when_text
from session_server.services import services_of

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
TEMPLATE = viewer.STATIC_DIR / "public" / "index.html"
PRODUCT = "HopSo"
FRONT_TITLE = "Theo dõi kỳ họp Hội đồng nhân dân"
FRONT_DESCRIPTION = "Tìm hội đồng nhân dân của bạn: xem trực tiếp kỳ họp, chương trình, tài liệu, kết quả biểu quyết."
HLS_MODULE = "/vendor/hls.js/hls.light.min.mjs"
PAGE_CACHE = "no-cache"
CARD_CACHE = "public, max-age=3600"


@dataclass
class Preview:
    title: str
    description: str
    path: str
    image: str
    ids: dict[str, str] = field(default_factory=dict)
    embed: bool = False
    preload: list[str] = field(default_factory=list)


@cache
def _template(mtime: float) -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def render(preview: Preview, base: str) -> str:
    """The public app's HTML with this page's title, preview tags and ids."""
    html = _template(TEMPLATE.stat().st_mtime)
    url, image = f"{base}{preview.path}", f"{base}{preview.image}"
    tags = {
        "description": preview.description,
        "og:type": "website",
        "og:site_name": PRODUCT,
        "og:locale": "vi_VN",
        "og:title": preview.title,
        "og:description": preview.description,
        "og:url": url,
        "og:image": image,
        "og:image:width": "1200",
        "og:image:height": "630",
        "og:image:alt": preview.title,
        "twitter:card": "summary_large_image",
        "twitter:title": preview.title,
        "twitter:description": preview.description,
        "twitter:image": image,
        **{f"hopso:{name}": value for name, value in preview.ids.items()},
    }
    head = [f'<link rel="canonical" href="{escape(url)}">']
    for name, value in tags.items():
        key = "property" if name.startswith("og:") else "name"
        head.append(f'<meta {key}="{name}" content="{escape(value)}">')
    head += [f'<link rel="modulepreload" href="{path}">' for path in preview.preload]
    if "council" in preview.ids:
        atom = f"/public/{preview.ids['council_slug']}/feed.atom"
        head.append(f'<link rel="alternate" type="application/atom+xml" title="{escape(preview.title)}" href="{atom}">')
    start, end = html.index("<title"), html.index("</title>") + len("</title>")
    html = f"{html[:start]}<title>{escape(preview.title)}</title>{html[end:]}"
    html = html.replace("</head>", "  " + "\n  ".join(head) + "\n</head>", 1)
    if preview.embed:
        html = html.replace('<body class="app-public">', '<body class="app-public app-embed">', 1)
    return html


def _page(request: web.Request, preview: Preview, status: int = 200) -> web.Response:
    base = services_of(request.app).settings.effective_public_url
    return web.Response(
        text=render(preview, base), content_type="text/html", status=status, headers={"Cache-Control": PAGE_CACHE}
    )


def _front(view: str = "front") -> Preview:
    return Preview(f"{FRONT_TITLE} — {PRODUCT}", FRONT_DESCRIPTION, "/public/", "/public/card.png", {"view": view})


def _or_front_door(handler: Handler) -> Handler:
    """A page whose council or session is not there answers 404 with the front door, saying so."""

    async def page(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return _page(request, _front("missing"), status=404)

    return page


async def _council(db: AsyncSession, slug: str) -> Council:
    council = await db.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        raise web.HTTPNotFound
    return council


async def _session(db: AsyncSession, council: Council, slug: str) -> tuple[CouncilSession, bool]:
    """The session at this address and whether its record is published; a closed or unannounced one is not found
    (a closed session's published record shows what the archive shows of it)."""
    session = await db.scalar(
        select(CouncilSession).where(CouncilSession.council_id == council.id, CouncilSession.slug == slug)
    )
    if session is None:
        raise web.HTTPNotFound
    archive = await db.get(SessionArchive, session.id)
    published = (
        archive is not None and archive.published_at is not None and await db.get(Minutes, session.id) is not None
    )
    if not published and (not session.public or session.status is SessionStatus.DRAFT):
        raise web.HTTPNotFound
    return session, published


def _council_preview(council: Council) -> Preview:
    return Preview(
        title=council.name,
        description=f"Kỳ họp trực tiếp, lịch họp, tài liệu, kết quả biểu quyết và biên bản của {council.name}.",
        path=council_url(council),
        image=f"{council_url(council)}card.png",
        ids={"view": "council", "council": str(council.id), "council_slug": council.slug},
    )


def _session_preview(council: Council, session: CouncilSession, published: bool, has_poster: bool) -> Preview:
    status = {
        SessionStatus.LIVE: "Đang phát trực tiếp",
        SessionStatus.PAUSED: "Đang phát trực tiếp",
        SessionStatus.SCHEDULED: "Sắp diễn ra",
    }.get(session.status, "Biên bản, video và kết quả biểu quyết" if published else "Đã bế mạc")
    description = " · ".join(part for part in (status, when_text(session, council)) if part)
    path = session_url(council, session)
    image = f"/api/public/archive/{session.id}/poster.jpg" if has_poster else f"{path}/card.png"
    ids = {
        "view": "archive" if published else "live",
        "council": str(council.id),
        "council_slug": council.slug,
        "session": str(session.id),
    }
    return Preview(f"{session.title} — {council.name}", description, path, image, ids)


async def front_door(request: web.Request) -> web.Response:
    """The front door; an old `?session=`, `?archive=` or `?council=` link is sent on to its short address."""
    for name in ("session", "archive", "council"):
        value = request.query.get(name, "")
        if value.isdigit() and len(value) <= 12:
            raise web.HTTPMovedPermanently(await _old_link(request, name, int(value)))
    return _page(request, _front())


async def _old_link(request: web.Request, name: str, record_id: int) -> str:
    async with services_of(request.app).sessionmaker() as db:
        if name == "council":
            council = await db.get(Council, record_id)
            if council is None:
                raise web.HTTPNotFound
            return council_url(council)
        session = await db.get(CouncilSession, record_id)
        council = await db.get(Council, session.council_id) if session is not None else None
        if session is None or council is None:
            raise web.HTTPNotFound
        return session_url(council, session)


async def council_page(request: web.Request) -> web.Response:
    async with services_of(request.app).sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
    return _page(request, _council_preview(council))


async def _session_page(request: web.Request, embed: bool) -> web.Response:
    services = services_of(request.app)
    async with services.sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
        session, published = await _session(db, council, request.match_info["session"])
    has_poster = published and session.public and storage.poster_path(services.settings, session.id).exists()
    preview = _session_preview(council, session, published, has_poster)
    preview.embed = embed
    stream = public_stream(session.snapshot.get("stream") or {})
    if not published and session.public and stream["status"] == "live" and stream.get("hls_url"):
        # The stream is on: the player starts on it, and hls.js loads, while the page connects for the rest.
        preview.ids["hls"] = stream["hls_url"]
        preview.preload.append(HLS_MODULE)
    if embed:
        preview.ids["embed"] = "1"
    return _page(request, preview)


async def session_page(request: web.Request) -> web.Response:
    return await _session_page(request, embed=False)


async def embed_page(request: web.Request) -> web.Response:
    response = await _session_page(request, embed=True)
    response[EMBEDDABLE] = True
    return response


async def _card(title: str, council: str, when: str) -> web.Response:
    png = await asyncio.to_thread(card_png, council, title, when)
    return web.Response(body=png, content_type="image/png", headers={"Cache-Control": CARD_CACHE})


async def front_card(_request: web.Request) -> web.Response:
    return await _card(FRONT_TITLE, PRODUCT, "")


async def council_card(request: web.Request) -> web.Response:
    async with services_of(request.app).sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
    return await _card("Kỳ họp, kết quả, biên bản", council.name, "")


async def session_card(request: web.Request) -> web.Response:
    async with services_of(request.app).sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
        session, _published = await _session(db, council, request.match_info["session"])
    return await _card(session.title, council.name, when_text(session, council))


async def atom_feed(request: web.Request) -> web.Response:
    services = services_of(request.app)
    async with services.sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
        sessions = list(await db.scalars(shown_sessions(council.id).order_by(CouncilSession.id)))
        published = {
            archive.session_id: (archive, minutes)
            for archive, minutes in await db.execute(
                select(SessionArchive, Minutes)
                .join(Minutes, Minutes.session_id == SessionArchive.session_id)
                .where(
                    SessionArchive.session_id.in_([s.id for s in sessions]), SessionArchive.published_at.is_not(None)
                )
            )
        }
    body = feeds.atom(council, sessions, published, services.settings.effective_public_url, datetime.now(UTC))
    return web.Response(
        body=body,
        content_type="application/atom+xml",
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


async def calendar_feed(request: web.Request) -> web.Response:
    services = services_of(request.app)
    async with services.sessionmaker() as db:
        council = await _council(db, request.match_info["council"])
        sessions = list(
            await db.scalars(
                shown_sessions(council.id)
                .where(CouncilSession.starts_at.is_not(None))
                .options(selectinload(CouncilSession.agenda))
                .order_by(CouncilSession.starts_at)
            )
        )
    body = feeds.icalendar(council, sessions, services.settings.effective_public_url, datetime.now(UTC))
    return web.Response(
        body=body, content_type="text/calendar", charset="utf-8", headers={"Cache-Control": "public, max-age=300"}
    )


async def _with_slash(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently(f"{request.path}/")


def install(app: web.Application) -> None:
    router = app.router
    router.add_get("/public/", _or_front_door(front_door))
    router.add_get("/public", _with_slash)
    router.add_get("/public/card.png", front_card)
    router.add_get("/public/{council}/feed.atom", atom_feed)
    router.add_get("/public/{council}/calendar.ics", calendar_feed)
    router.add_get("/public/{council}/card.png", council_card)
    router.add_get("/public/{council}/", _or_front_door(council_page))
    router.add_get("/public/{council}", _with_slash)
    router.add_get("/public/{council}/{session}/card.png", session_card)
    router.add_get("/public/{council}/{session}/embed", _or_front_door(embed_page))
    router.add_get("/public/{council}/{session}", _or_front_door(session_page))
