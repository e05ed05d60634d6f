"""Request middlewares: errors into the one error shape, who is asking, cross-site write refusal, metrics, and the
apps' files compressed."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from session_server.api.context import context_of
from session_server.api.routing import error_response
from session_server.auth import tokens
from session_server.auth.origins import is_own_origin
from session_server.db.engine import is_database_outage
from session_server.errors import ApiError, forbidden, not_found, too_large, unavailable
from session_server.settings import Settings

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
INTERNAL = ApiError(
    500, "internal", "Lỗi hệ thống; vui lòng thử lại hoặc báo quản trị.", "Internal error; try again or tell IT."
)
CLIENT_GONE = ApiError(400, "incomplete", "Yêu cầu chưa gửi hết.", "The request was not sent in full.")
BODY_WATCH_SECONDS = 1.0


EMBEDDABLE = web.ResponseKey("embeddable", bool)
"""Set on a page any site may show in an <iframe>: a public session's embed page, for a council's own web portal."""


def content_security_policy(script_hashes: list[str], framed_by: str = "'self'") -> str:
    """The policy of every answer; config/nginx/front.conf sends the same, so `hopso serve` alone is as safe as behind
    nginx. `script_hashes` let our pages' own inline scripts (an import map) run, and no other inline script."""
    scripts = " ".join(["'self'", *script_hashes])
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; "
        f"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {framed_by}"
    )


def security_headers(
    settings: Settings, script_hashes: list[str]
) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    """An on_response_prepare hook: every answer (pages, API, errors, files, Socket.IO) carries the headers that keep
    browsers from sniffing types, leaking addresses, framing our pages or running others' scripts, and no version."""
    headers = {
        "Content-Security-Policy": content_security_policy(script_hashes),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "SAMEORIGIN",
    }
    if settings.effective_public_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    embeddable = {name: value for name, value in headers.items() if name != "X-Frame-Options"}
    embeddable["Content-Security-Policy"] = content_security_policy(script_hashes, framed_by="*")

    async def add(_request: web.Request, response: web.StreamResponse) -> None:
        for name, value in (embeddable if response.get(EMBEDDABLE) else headers).items():
            response.headers.setdefault(name, value)
        response.headers["Server"] = "HopSo"

    return add


def bearer_token(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _is_api(request: web.Request) -> bool:
    return request.path.startswith("/api/")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    ctx = context_of(request)
    try:
        response = await handler(request)
    except ApiError as error:
        response = error_response(error, ctx.lang)
    except web.HTTPRequestEntityTooLarge:
        response = error_response(too_large(ctx.settings.max_upload_bytes), ctx.lang)
    except web.HTTPNotFound:
        if not _is_api(request):
            raise
        response = error_response(not_found("Không tìm thấy địa chỉ này.", "No such address."), ctx.lang)
    except web.HTTPMethodNotAllowed as exc:
        error = ApiError(
            405, "method_not_allowed", "Phương thức không được hỗ trợ.", f"Method {exc.method} is not allowed here."
        )
        response = error_response(error, ctx.lang)
        response.headers["Allow"] = ",".join(sorted(exc.allowed_methods))
    except web.HTTPException:
        raise
    except Exception as exc:
        if request.transport is None or request.transport.is_closing():
            # The client hung up (or was cut off for sending nothing): reading its request failed, not the database.
            log.info("%s %s: the client went away: %r", request.method, request.path, exc)
            response = error_response(CLIENT_GONE, ctx.lang)
        elif is_database_outage(exc):
            log.warning("%s %s refused, the database is unreachable: %r", request.method, request.path, exc)
            response = error_response(unavailable(), ctx.lang)
        else:
            log.exception("unexpected error on %s %s", request.method, request.path)
            response = error_response(INTERNAL, ctx.lang)
    return response


STATIC_PREFIXES = ("/static/", "/vendor/")


@web.middleware
async def authenticate(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith(STATIC_PREFIXES):
        return await handler(request)
    ctx = context_of(request)
    token = bearer_token(request)
    from_cookie = token is None
    if token is None:
        token = request.cookies.get(ctx.settings.session_cookie_name)
    if token:
        async with ctx.sessionmaker() as db:
            ctx.user = await tokens.user_for(db, token)
        ctx.token = token if ctx.user else None
    if request.method in UNSAFE_METHODS and from_cookie and (ctx.user is not None or request.path in SIGN_IN_PATHS):
        _refuse_cross_site(request, ctx.settings)
    return await handler(request)


SIGN_IN_PATHS = frozenset({"/api/auth/login", "/api/auth/pair"})
"""Writes that set the cookie rather than carry it: another site must not sign a browser into an account of its
choosing either (login CSRF)."""


def _refuse_cross_site(request: web.Request, settings: Settings) -> None:
    """A write carried by the cookie must come from our own pages (SameSite covers browsers; this covers the rest)."""
    sender = request.headers.get("Origin") or request.headers.get("Referer")
    if not is_own_origin(settings, sender, request.host):
        raise forbidden("Yêu cầu từ trang khác bị từ chối.", "A request from another site was refused.")


@web.middleware
async def body_deadline(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A body that stops arriving for `body_idle_seconds` ends its connection, whoever reads it (JSON, CSV, an
    upload's form): a client cannot hold a request open by sending nothing."""
    if not request.body_exists:
        return await handler(request)
    watch = asyncio.create_task(_watch_body(request, context_of(request).settings.body_idle_seconds))
    try:
        return await handler(request)
    finally:
        watch.cancel()


async def _watch_body(request: web.Request, idle_seconds: int) -> None:
    content = request.content
    seen, quiet_since = -1, time.monotonic()
    while not content.is_eof():
        await asyncio.sleep(BODY_WATCH_SECONDS)
        if content.total_bytes != seen:
            seen, quiet_since = content.total_bytes, time.monotonic()
        elif time.monotonic() - quiet_since >= idle_seconds and request.transport is not None:
            log.info("%s %s: no body bytes for %d s, connection closed", request.method, request.path, idle_seconds)
            request.transport.close()
            return


@web.middleware
async def measure(request: web.Request, handler: Handler) -> web.StreamResponse:
    metrics = context_of(request).services.metrics
    started = time.perf_counter()
    response = await handler(request)
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    metrics.http_requests.labels(request.method, route, str(response.status)).inc()
    metrics.http_seconds.labels(request.method, route).observe(time.perf_counter() - started)
    return response


COMPRESSIBLE = (".js", ".mjs", ".css", ".svg", ".json", ".map")


@web.middleware
async def compress_assets(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The apps' scripts and styles go gzip-compressed to a browser that accepts it, as nginx sends them in production:
    on a phone's network they are most of the public page's wait before the video."""
    response = await handler(request)
    if request.path.startswith(("/static/", "/vendor/")) and request.path.endswith(COMPRESSIBLE):
        response.enable_compression()
    return response
