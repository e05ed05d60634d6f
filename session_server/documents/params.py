"""Reading ids from the path and the query string of a document route."""

from __future__ import annotations

from session_server.api.context import Context
from session_server.errors import invalid, not_found

MAX_DIGITS = 12


def path_id(ctx: Context, name: str) -> int:
    value = ctx.request.match_info[name]
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS:
        raise not_found("Không tìm thấy.", "Not found.")
    return int(value)


def query_int(ctx: Context, name: str, default: int | None = None, maximum: int = 10**MAX_DIGITS) -> int | None:
    raw = ctx.request.query.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_DIGITS or not 1 <= int(raw) <= maximum:
        raise invalid(
            f"Tham số '{name}' phải là số nguyên từ 1 đến {maximum}.",
            f"The parameter '{name}' must be a whole number from 1 to {maximum}.",
            [{"field": name, "problem": f"a whole number from 1 to {maximum}"}],
        )
    return int(raw)
