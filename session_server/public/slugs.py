"""Short readable addresses: a council's and a session's slug ("hdnd-xa-hoa-binh", "ky-hop-thu-muoi"), made once
from the name when the row is first stored and never recomputed, so a shared link keeps working after a rename."""

from __future__ import annotations

from collections.abc import Callable

from session_server.text import terms

MAX_LENGTH = 60
# Addresses under /public/ that are pages of their own, not councils.
RESERVED = frozenset({"petitions", "search", "static"})


def slugify(text: str, fallback: str) -> str:
    """'HĐND xã Hòa Bình' → 'hdnd-xa-hoa-binh': folded words joined by hyphens, cut at a word, at most 60 long."""
    slug = ""
    for word in terms(text):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_LENGTH:
            break
        slug = longer
    return slug or fallback


def first_free(base: str, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is neither taken nor one of the public pages' own names."""
    candidate, number = base, 1
    while taken(candidate) or candidate in RESERVED:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
