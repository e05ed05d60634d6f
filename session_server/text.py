"""Vietnamese text folded for search: no diacritics, đ as d, lower case ("Nghị quyết" and "nghi quyet" meet)."""

from __future__ import annotations

import re
import unicodedata

_TERM = re.compile(r"[^\W_]+")


class _Marks(dict[int, int | None]):
    """For str.translate: a combining mark maps to None (dropped), any other character to itself; each character's
    answer is looked up once, so folding runs at C speed."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


_MARKS = _Marks()


def fold(text: str) -> str:
    """'Nghị quyết Đà Nẵng' → 'nghi quyet da nang': NFD, combining marks dropped, đ → d, lower case."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return decomposed.translate(_MARKS).lower()


def terms(text: str) -> list[str]:
    """The folded words of `text`, split at anything that is not a letter or a digit."""
    return _TERM.findall(fold(text))


def index_form(text: str) -> str:
    """The folded words joined by single spaces: SQLite FTS5 and PostgreSQL's parser then see the same words."""
    return " ".join(terms(text))


def fold_with_origins(text: str) -> tuple[str, list[int]]:
    """`fold(text)`, and for each of its characters the index in `text` of the character it came from."""
    folded: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            origins.append(index)
    return "".join(folded), origins
