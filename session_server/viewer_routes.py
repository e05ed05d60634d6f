"""Serves the browser apps from the `viewer` package and the npm-installed browser libraries."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from aiohttp import web

import viewer

# The public app is served at its short addresses by session_server.public.pages.
APPS = ("login", "tablet", "chair", "staff", "sign")
# Pages of an app beyond its index: the office's and agencies' petitions, the public petitions page.
PAGES = {
    "staff/petitions": "staff/petitions.html",
    "public/petitions": "public/petitions.html",
}
VENDOR = {
    "socket.io-client": "socket.io-client/dist",
    "hls.js": "hls.js/dist",
    "chart.js": "chart.js/dist",
    "@kurkle/color": "@kurkle/color/dist",
}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


def inline_script_hashes() -> list[str]:
    """The CSP sources (`'sha256-…'`) of the inline scripts of our pages (an import map), so the policy allows those
    and no other inline script."""
    pages = [viewer.STATIC_DIR / name / "index.html" for name in APPS]
    pages += [viewer.STATIC_DIR / file for file in PAGES.values()]
    found = []
    for page in pages:
        for script in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            found.append(f"'sha256-{digest}'")
    return sorted(set(found))


def _page(path: Path) -> web.RequestHandler:
    async def serve(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    return serve


async def _home(_request: web.Request) -> web.Response:
    raise web.HTTPFound("/public/")


def install(app: web.Application) -> None:
    app.router.add_get("/", _home)
    for name in APPS:
        index = viewer.STATIC_DIR / name / "index.html"
        app.router.add_get(f"/{name}/", _page(index))
        app.router.add_get(f"/{name}", _page(index))
    for name, file in PAGES.items():
        page = viewer.STATIC_DIR / file
        app.router.add_get(f"/{name}/", _page(page))
        app.router.add_get(f"/{name}", _page(page))
    app.router.add_static("/static/", viewer.STATIC_DIR, append_version=False)
    for name, folder in VENDOR.items():
        path = viewer.NODE_MODULES / folder
        if path.is_dir():
            app.router.add_static(f"/vendor/{name}/", path)
