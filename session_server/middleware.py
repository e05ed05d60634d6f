"""Request middlewares: errors into the one error shape, who is asking, cross-site write refusal, metrics."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

from session_server.api.context import context_of
from session_server.api.routing import error_response
from session_server.auth import tokens
from session_server.db.engine import is_database_outage
from session_server.errors import ApiError, forbidden, not_found, too_large, unavailable

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
INTERNAL = ApiError(
    500, "internal", "Lỗi hệ thống; vui lòng thử lại hoặc báo quản trị.", "Internal error; try again or tell IT."
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


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
        if is_database_outage(exc):
            log.warning("%s %s refused, the database is unreachable: %r", request.method, request.path, exc)
            response = error_response(unavailable(), ctx.lang)
        else:
            log.exception("unexpected error on %s %s", request.method, request.path)
            response = error_response(INTERNAL, ctx.lang)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
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
    if from_cookie and ctx.user is not None and request.method in UNSAFE_METHODS:
        _refuse_cross_site(request)
    return await handler(request)


def _refuse_cross_site(request: web.Request) -> None:
    """A write carried by the cookie must come from our own pages (SameSite covers browsers; this covers the rest)."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin is None:
        return
    if urlsplit(origin).netloc != request.host:
        raise forbidden("Yêu cầu từ trang khác bị từ chối.", "A request from another site was refused.")


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
