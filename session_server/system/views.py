"""Health, metrics and the API description."""

from __future__ import annotations

import hmac
from typing import Any

from aiohttp import web
from sqlalchemy import text

from session_server.api.context import Context
from session_server.api.routing import api, json_response
from session_server.auth.roles import Permission
from session_server.errors import ApiError, forbidden, unauthenticated
from session_server.middleware import bearer_token
from session_server.system.asyncapi import asyncapi_document
from session_server.system.openapi import openapi_document

PLAIN_PATHS: dict[str, Any] = {
    "/socket.io/": {
        "get": {"summary": "Socket.IO (namespaces /live and /public)", "responses": {"200": {"description": "ok"}}}
    },
}


@api.route("GET", "/healthz", permission=Permission.PUBLIC, summary="Liveness and database check")
async def healthz(ctx: Context) -> web.Response:
    try:
        async with ctx.services.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise ApiError(
            503, "unavailable", "Không kết nối được cơ sở dữ liệu.", "The database does not answer."
        ) from exc
    return json_response({"status": "ok", "database": "ok"})


@api.route(
    "GET",
    "/metrics",
    permission=Permission.PUBLIC,
    summary="Prometheus metrics (text format): for an admin, or a scraper sending the metrics_token as its bearer",
)
async def metrics(ctx: Context) -> web.Response:
    scrape_token = ctx.settings.metrics_token
    presented = bearer_token(ctx.request) or ""
    if not (scrape_token and hmac.compare_digest(presented.encode(), scrape_token.encode())):
        if ctx.user is None:
            raise unauthenticated()
        if not ctx.can(Permission.METRICS_READ):
            raise forbidden()
    return web.Response(body=ctx.services.metrics.render(), headers={"Content-Type": ctx.services.metrics.content_type})


@api.route("GET", "/api/openapi.json", permission=Permission.PUBLIC, summary="This API's OpenAPI document")
async def openapi(ctx: Context) -> web.Response:
    return json_response(openapi_document(api.routes, PLAIN_PATHS))


@api.route(
    "GET", "/api/asyncapi.json", permission=Permission.PUBLIC, summary="The Socket.IO protocol's AsyncAPI document"
)
async def asyncapi(ctx: Context) -> web.Response:
    return json_response(asyncapi_document())
