"""One route table for the REST API: each route names its permission, its body schema and its answer.

The table registers the aiohttp handlers, writes the OpenAPI document and drives the role-table tests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from session_server.api.context import Context, context_of
from session_server.auth.roles import Permission, allows
from session_server.errors import (
    ApiError,
    forbidden,
    from_validation_error,
    invalid,
    not_found,
    too_large,
    unauthenticated,
)
from session_server.inputs import MAX_JSON_DEPTH, clean, parse_id, too_deep

log = logging.getLogger(__name__)
Handler = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    permission: Permission
    summary: str
    body: type[BaseModel] | None = None
    response: Any = None
    status: int = 200
    raw_body: str | None = None

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


class RouteTable:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        permission: Permission,
        summary: str,
        body: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        raw_body: str | None = None,
    ) -> Callable[[Handler], Handler]:
        """Declare a route. `raw_body` names a media type read by the handler itself (CSV, PDF)."""

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method, path, handler, permission, summary, body, response, status, raw_body))
            return handler

        return register

    def install(self, app: web.Application) -> None:
        for route in self.routes:
            app.router.add_route(route.method, route.path, _wrap(route), name=_route_name(route))


def _route_name(route: Route) -> str:
    return f"{route.handler.__module__.rsplit('.', 1)[-1]}.{route.handler.__name__}"


async def read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, however it arrives in pieces; `too_large` as soon as it passes `limit` bytes."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


async def read_json(request: web.Request, limit: int) -> Any:
    """The body parsed, bounded in size and depth before parsing, its text cleaned (`inputs.clean`)."""
    raw = await read_body(request, limit)
    if not raw.strip():
        raise invalid("Thiếu nội dung JSON.", "The request body is empty; JSON was expected.")
    try:
        text = raw.decode()
        if too_deep(text):
            log.warning(
                "%s %s: JSON nested deeper than %d levels refused", request.method, request.path, MAX_JSON_DEPTH
            )
            raise invalid("Dữ liệu JSON lồng nhau quá sâu.", f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
        return clean(json.loads(text))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid("Nội dung không phải JSON hợp lệ.", f"The request body is not valid JSON: {exc}.") from exc


def _wrap(route: Route) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        ctx = context_of(request)
        if route.permission is not Permission.PUBLIC:
            if ctx.user is None:
                raise unauthenticated()
            if not allows(ctx.user.role, route.permission):
                raise forbidden()
        args: list[Any] = [ctx]
        if route.body is not None:
            payload = await read_json(request, ctx.settings.max_json_kb * 1024)
            try:
                args.append(route.body.model_validate(payload))
            except ValidationError as exc:
                raise from_validation_error(exc) from exc
        result = await route.handler(*args)
        if isinstance(result, web.StreamResponse):
            return result
        return json_response(result, route.status)

    return handle


def to_jsonable(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [to_jsonable(item) for item in value]
    return value


def json_response(value: Any, status: int = 200) -> web.Response:
    return web.json_response(to_jsonable(value), status=status, dumps=lambda v: json.dumps(v, ensure_ascii=False))


def error_response(error: ApiError, lang: str) -> web.Response:
    response = json_response(error.body(lang), error.status)
    if error.status == 429 and error.details:
        response.headers["Retry-After"] = str(error.details[0].get("retry_after", 1))
    return response


api = RouteTable()


def int_param(ctx: Context, name: str) -> int:
    """A numeric id from the path; anything else is simply not found."""
    value = parse_id(ctx.request.match_info[name])
    if value is None:
        raise not_found("Không tìm thấy.", "Not found.")
    return value
