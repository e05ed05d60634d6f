"""What every input passes through before a handler sees it: integers the database can hold, JSON of bounded
depth, and text without invisible or control characters. One place, so no route or command can forget it."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import Field

DB_INT_MAX = 2**31 - 1
"""PostgreSQL's `integer`, the type of every id and count column."""
DB_BIGINT_MAX = 2**63 - 1
"""PostgreSQL's `bigint` (an event's `seq`, durations in milliseconds)."""

Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
"""A row's id, a page or a position: from 1 to what the database holds."""
Count = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
Seq = Annotated[int, Field(ge=0, le=DB_BIGINT_MAX)]
"""An event's number in a session's log."""


def parse_id(text: str) -> int | None:
    """An id written in a path or a query string ("12"), or None when it is not one the database could hold."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(DB_INT_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= DB_INT_MAX else None


MAX_JSON_DEPTH = 32
"""Deeper than any body or payload of ours; a deeper one is refused before parsing (Python's parser recurses)."""
_JSON_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text opens more than `limit` arrays and objects inside each other (strings are skipped)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for found in _JSON_NESTING.finditer(text):
        token = found.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


# C0 and C1 controls but tab, line feed and carriage return; bidi embeddings, overrides, isolates and marks;
# zero-width spaces, joiners and the byte order mark: invisible, they make one name look like another or reorder
# what a reader sees, and PostgreSQL refuses NUL outright.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def clean_text(text: str) -> str:
    """Text as stored: NFC (one encoding of each Vietnamese letter, so search and uniqueness see one word) and without
    invisible or control characters."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def clean(value: Any) -> Any:
    """Every string in parsed JSON (keys too), cleaned by `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {clean_text(key): clean(item) for key, item in value.items()}
    return value
