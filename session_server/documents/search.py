"""Full-text search over the current pages of a council's documents, diacritics folded, on SQLite FTS5 and PostgreSQL.

Both engines index `document_pages.folded` (session_server.text.index_form): plain folded words separated by spaces,
so both see the same words: SQLite in the FTS5 table `document_pages_fts`, PostgreSQL in the generated column
`document_pages.folded_fts` with its GIN index. A query matches pages holding every query word, the last one also as a
prefix ("ngan sa" finds "ngân sách"); hits come best first, then by document and page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, column, func, literal_column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import (
    TEXT_SEARCH_CONFIG,
    Classification,
    CouncilSession,
    Document,
    DocumentPage,
    DocumentVersion,
)
from session_server.text import fold, fold_with_origins

SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 220
FTS_TABLE = table("document_pages_fts", column("rowid"))


@dataclass(frozen=True)
class Hit:
    document_id: int
    title: str
    classification: Classification
    session_id: int
    session_title: str
    page: int
    text: str


def fts5_query(words: list[str]) -> str:
    return " ".join(f'"{word}"' for word in words) + "*"


def tsquery(words: list[str]) -> str:
    return " & ".join(words) + ":*"


async def search(
    db: AsyncSession,
    words: list[str],
    council_id: int,
    classifications: Collection[Classification],
    session_id: int | None,
    limit: int,
) -> list[Hit]:
    rows = await db.execute(statement(db.bind.dialect.name, words, council_id, classifications, session_id, limit))
    return [Hit(*row) for row in rows]


def statement(
    dialect: str,
    words: list[str],
    council_id: int,
    classifications: Collection[Classification],
    session_id: int | None,
    limit: int,
) -> Select:
    """The search as one SELECT for the database `dialect` ("sqlite" or "postgresql")."""
    query = (
        select(
            Document.id,
            Document.title,
            Document.classification,
            CouncilSession.id,
            CouncilSession.title,
            DocumentPage.number,
            DocumentPage.text,
        )
        .join(DocumentVersion, DocumentVersion.id == DocumentPage.version_id)
        .join(Document, and_(Document.id == DocumentVersion.document_id, Document.version == DocumentVersion.version))
        .join(CouncilSession, CouncilSession.id == Document.session_id)
        .where(
            CouncilSession.council_id == council_id,
            Document.deleted_at.is_(None),
            Document.classification.in_(list(classifications)),
        )
    )
    if session_id is not None:
        query = query.where(CouncilSession.id == session_id)
    ranked = _sqlite(query, words) if dialect == "sqlite" else _postgres(query, words)
    return ranked.order_by(Document.id, DocumentPage.number).limit(limit)


def _sqlite(query: Select, words: list[str]) -> Select:
    fts = literal_column("document_pages_fts")
    return (
        query.join(FTS_TABLE, FTS_TABLE.c.rowid == DocumentPage.id)
        .where(fts.op("MATCH")(fts5_query(words)))
        .order_by(func.bm25(fts))
    )


def _postgres(query: Select, words: list[str]) -> Select:
    wanted = func.to_tsquery(literal_column(TEXT_SEARCH_CONFIG), tsquery(words))
    matching = DocumentPage.folded_fts.op("@@")(wanted)
    return query.where(matching).order_by(func.ts_rank(DocumentPage.folded_fts, wanted).desc())


@functools.lru_cache(maxsize=4096)
def _folded_char(char: str) -> str:
    return fold(char)


def _fold_with_origins(text: str) -> tuple[str, Sequence[int]]:
    """`fold_with_origins`, at C speed when every character folds to one (Vietnamese text does): 20 pages of 2,000
    characters cost tens of milliseconds a character at a time."""
    table = {ord(char): _folded_char(char) for char in set(text)}
    if all(len(piece) == 1 for piece in table.values()):
        return text.translate(table), range(len(text))
    return fold_with_origins(text)


def snippet(text: str, words: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A stretch of the original text around the first match, and where the query words are in it."""
    folded, origins = _fold_with_origins(text)
    alternatives = [re.escape(word) for word in words[:-1]] + [re.escape(words[-1]) + r"[^\W_]*"]
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")
    matches = [(origins[m.start()], origins[m.end() - 1] + 1) for m in pattern.finditer(folded)]
    first = matches[0][0] if matches else 0
    start = max(0, first - SNIPPET_BEFORE)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shown = prefix + text[start:end].replace("\n", " ") + suffix
    shift = len(prefix) - start
    highlights = [(a + shift, b + shift) for a, b in matches if a >= start and b <= end]
    return shown, highlights
