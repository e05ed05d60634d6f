"""Reading numbers from the query string of a document route."""

from __future__ import annotations

from session_server.api.context import Context
from session_server.errors import invalid
from session_server.inputs import DB_INT_MAX, parse_id


def query_int(ctx: Context, name: str, default: int | None = None, maximum: int = DB_INT_MAX) -> int | None:
    raw = ctx.request.query.get(name, "")
    if raw == "":
        return default
    value = parse_id(raw)
    if value is None or value > maximum:
        raise invalid(
            f"Tham số '{name}' phải là số nguyên từ 1 đến {maximum}.",
            f"The parameter '{name}' must be a whole number from 1 to {maximum}.",
            [{"field": name, "problem": f"a whole number from 1 to {maximum}"}],
        )
    return value
