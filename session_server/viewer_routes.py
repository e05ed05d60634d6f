"""Serves the browser apps from the `viewer` package and the npm-installed browser libraries."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

import viewer

APPS = ("login", "tablet", "chair", "public", "staff")
VENDOR = {
    "socket.io-client": "socket.io-client/dist",
    "hls.js": "hls.js/dist",
}


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
    app.router.add_static("/static/", viewer.STATIC_DIR, append_version=False)
    for name, folder in VENDOR.items():
        path = viewer.NODE_MODULES / folder
        if path.is_dir():
            app.router.add_static(f"/vendor/{name}/", path)
