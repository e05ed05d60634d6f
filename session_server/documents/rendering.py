"""Page images over HTTP: the width and format asked for, validators for caches, and who may keep a copy."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web

from session_server.db.models import DocumentVersion
from session_server.documents.cache import PageKey
from session_server.documents.pdf import ImageFormat
from session_server.documents.refusals import bad_width, no_page
from session_server.documents.workers import DocumentWorkers

WIDTHS = (320, 800, 1200, 1600, 2048)
DEFAULT_WIDTH = 1600
VIETNAM = timezone(timedelta(hours=7), "ICT")


class Audience(enum.Enum):
    """Who an image is for, which decides who may keep a copy of it."""

    PUBLIC = "public, max-age=300"
    MEMBERS = "private, no-cache"
    ONE_VIEWER = "private, no-store"


def requested_width(request: web.Request) -> int:
    raw = request.query.get("w", str(DEFAULT_WIDTH))
    if raw not in {str(width) for width in WIDTHS}:
        raise bad_width(WIDTHS)
    return int(raw)


def requested_page(request: web.Request, page_count: int) -> int:
    raw = request.match_info["page"]
    page = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 9 else 0
    if not 1 <= page <= page_count:
        raise no_page(page, page_count)
    return page


def negotiated_format(request: web.Request) -> ImageFormat:
    """WebP where the client says it takes it (every tablet browser does), PNG otherwise."""
    accepted = {item.split(";")[0].strip().lower() for item in request.headers.get("Accept", "").split(",")}
    return ImageFormat.WEBP if ImageFormat.WEBP.media_type in accepted else ImageFormat.PNG


def entity_tag(version: DocumentVersion, key: PageKey) -> str:
    return f'"{version.sha256[:20]}-{key.page}-{key.width}-{key.fmt}"'


def _matches(request: web.Request, tag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return any(item.strip().removeprefix("W/") in (tag, "*") for item in wanted.split(",") if item.strip())


def watermark_text(name: str, zone: str, now: datetime) -> str:
    try:
        local = now.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        local = now.astimezone(VIETNAM)
    return f"{name} · {local:%d/%m/%Y %H:%M}"


async def page_image(
    request: web.Request,
    workers: DocumentWorkers,
    pdf_path: Path,
    version: DocumentVersion,
    key: PageKey,
    audience: Audience,
    watermark: str | None = None,
) -> web.Response:
    headers = {"Cache-Control": audience.value, "Vary": "Accept"}
    if watermark is not None:
        image = await workers.watermarked(pdf_path, key, watermark)
        return web.Response(body=image, content_type=key.fmt.media_type, headers=headers)
    headers["ETag"] = entity_tag(version, key)
    if _matches(request, headers["ETag"]):
        return web.Response(status=304, headers=headers)
    image = await workers.page(pdf_path, key)
    return web.Response(body=image, content_type=key.fmt.media_type, headers=headers)
