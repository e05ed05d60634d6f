"""Likely duplicates of a petition, for a person to confirm before merging.

A council's petitions share most of their words ("cử tri đề nghị sửa chữa đường…"), so comparing a new text with
every stored one, or with every one that shares a word, costs more the more petitions there are. Instead the few
*rarest* words of the new text are taken (how many petitions hold each word: SQLite's FTS5 vocabulary, PostgreSQL's
column statistics and a bounded count), and only petitions holding at least two of them are candidates: an index
lookup of short lists, whatever the table's size. The candidates are ordered by the database (bm25 on SQLite,
pg_trgm's trigram similarity on PostgreSQL), and the best few hundred are scored by RapidFuzz on both, so a score
means the same thing whichever database a council runs on. All of it on diacritics-folded text.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass

from rapidfuzz import fuzz
from sqlalchemy import Select, func, literal_column, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import TEXT_SEARCH_CONFIG
from session_server.petitions.models import Petition
from session_server.petitions.search import FTS_TABLE
from session_server.text import terms

THRESHOLD = 70.0
CANDIDATES = 100
COUNTS_SECONDS = 600.0
COUNTS_KEPT = 50_000
TRIGRAM_FLOOR = 0.2
RARE_WORDS = 4
PROBE_LIMIT = 200
# How many candidates the database may have to order: past this, a candidate must share three rare words, not two.
CANDIDATE_BUDGET = 1000
# Syllables every petition has ("cử tri kiến nghị đề nghị xã …"): they tell petitions apart no better than spaces.
_COMMON = (
    "cu tri kien nghi de y va cac cua co cho duoc khong da la tai tren voi nhung trong nay nhan dan xa "
    "nguoi viec can som ve se den tu o thi ma lai mot hien theo dong thoi nhu vi"
)
COMMON = frozenset(_COMMON.split(" "))


@dataclass(frozen=True)
class Suggestion:
    petition: Petition
    score: float


def telling(folded: str) -> list[str]:
    """The words of a folded text that are not among the common syllables, each once, in order."""
    return list(dict.fromkeys(word for word in folded.split() if word not in COMMON and len(word) > 1))


def _wordy(words: list[str]) -> list[str]:
    """Numbers (a hamlet's, a session's, a year) say little about what a petition asks; words do."""
    return [word for word in words if not word.isdigit()]


def score(a: str, b: str) -> float:
    """0–100: how alike two folded texts are once the syllables every petition has are left out, word order and
    extra words forgiven in part."""
    a, b = " ".join(telling(a)), " ".join(telling(b))
    return round((fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2, 1)


async def _sqlite_counts(db: AsyncSession, words: list[str]) -> tuple[dict[str, float], float]:
    """Exact counts from the FTS5 vocabulary; the highest id stands for the number of petitions."""
    rows = await db.execute(
        text("SELECT term, doc FROM petitions_fts_vocab WHERE term IN (SELECT value FROM json_each(:words))"),
        {"words": json.dumps(words)},
    )
    return {term: float(doc) for term, doc in rows}, float(await db.scalar(select(func.max(Petition.id))) or 1)


async def _postgres_counts(db: AsyncSession, words: list[str]) -> tuple[dict[str, float], float]:
    """Frequent words from the column's statistics (ANALYZE keeps the most common lexemes with their share of
    rows); the others are counted, up to PROBE_LIMIT, through the full-text index, where their lists are short."""
    stats = (
        await db.execute(
            text(
                "SELECT most_common_elems::text::text[], most_common_elem_freqs, "
                "(SELECT reltuples FROM pg_class WHERE relname = 'petitions') "
                "FROM pg_stats WHERE tablename = 'petitions' AND attname = 'folded_fts'"
            )
        )
    ).first()
    counts: dict[str, float] = {}
    rows = max(float(stats[2] or 0), 1.0) if stats is not None else 1.0
    if stats is not None and stats[0]:
        common = dict(zip(stats[0], stats[1], strict=False))
        counts = {word: common[word] * rows for word in words if word in common}
    for word in words:
        if word in counts:
            continue
        probe = (
            select(literal_column("1"))
            .select_from(Petition)
            .where(
                literal_column("petitions.folded_fts").op("@@")(
                    func.to_tsquery(literal_column(TEXT_SEARCH_CONFIG), word)
                )
            )
            .limit(PROBE_LIMIT)
            .subquery()
        )
        counts[word] = float(await db.scalar(select(func.count()).select_from(probe)) or 0)
    return counts, max(rows, *counts.values(), 1.0)


class WordCounts:
    """How many petitions hold each word, remembered for a few minutes: counting means reading the word's list, and
    a word's rarity changes slowly. A word no petition holds is never remembered: the next petition entered may
    bring it, and must be found by it at once."""

    def __init__(self, seconds: float = COUNTS_SECONDS) -> None:
        self.seconds = seconds
        self._known: dict[tuple[str, str], tuple[float, float]] = {}

    async def of(self, db: AsyncSession, words: list[str]) -> tuple[dict[str, float], float]:
        database = str(db.bind.url)
        now = time.monotonic()
        found = {w: hit[0] for w in words if (hit := self._known.get((database, w))) and hit[1] > now}
        total = self._known.get((database, ""), (0.0, 0.0))
        missing = [w for w in words if w not in found]
        if missing or total[1] <= now:
            counter = _postgres_counts if db.bind.dialect.name == "postgresql" else _sqlite_counts
            counted, rows = await counter(db, missing)
            for word in missing:
                found[word] = counted.get(word, 0.0)
                if found[word] > 0:
                    self._known[(database, word)] = (found[word], now + self.seconds)
            total = (rows, now + self.seconds)
            self._known[(database, "")] = total
            if len(self._known) > COUNTS_KEPT:
                self._known = {key: value for key, value in self._known.items() if value[1] > now}
        return found, total[0]


WORD_COUNTS = WordCounts()


async def rarest(db: AsyncSession, words: list[str], stored: int = 0) -> tuple[list[str], int]:
    """Up to RARE_WORDS of `words` that some other petition holds, rarest first (`stored`: how many of the counted
    petitions are the text's own, which hold all its words); and how many words a candidate must share with them
    (two, or three when pairs of these words are common enough to make too many candidates)."""
    words = _wordy(words) or words
    if not words:
        return [], 0
    counts, total = await WORD_COUNTS.of(db, words)
    others = [w for w in words if counts.get(w, 0) > stored]
    present = sorted(others, key=lambda w: (counts[w], -len(w)))[:RARE_WORDS]
    if len(present) < 2:
        return present, len(present)
    pairs = sum(counts[a] * counts[b] / total for a, b in itertools.combinations(present, 2))
    return present, 3 if pairs > CANDIDATE_BUDGET and len(present) > 2 else 2


def _candidates(dialect: str, council_id: int, folded: str, words: list[str], shared: int, exclude: set[int]) -> Select:
    """CANDIDATES petitions holding `shared` of `words`, read until there are that many, so the work is bounded however
    many petitions match: on SQLite the newest (FTS5 walks its lists newest first), on PostgreSQL the first the
    bitmap scan meets, then put in order by pg_trgm's trigram similarity."""
    groups = list(itertools.combinations(words, shared))
    if dialect == "postgresql":
        wanted = " | ".join("(" + " & ".join(group) + ")" for group in groups)
        matching = literal_column("petitions.folded_fts").op("@@")(
            func.to_tsquery(literal_column(TEXT_SEARCH_CONFIG), wanted)
        )
        met = select(Petition.id, Petition.folded).where(
            Petition.council_id == council_id, Petition.merged_into_id.is_(None), matching
        )
        if exclude:
            met = met.where(Petition.id.not_in(exclude))
        first = met.limit(CANDIDATES).subquery()
        # pg_trgm's trigram similarity puts the likeliest first, and leaves out those with hardly a trigram in common.
        similarity = func.similarity(first.c.folded, folded)
        return select(first.c.id, first.c.folded).where(similarity >= TRIGRAM_FLOOR).order_by(similarity.desc())
    wanted = " OR ".join("(" + " AND ".join(f'"{word}"' for word in group) + ")" for group in groups)
    fts = literal_column("petitions_fts")
    query = (
        select(Petition.id, Petition.folded)
        .join(FTS_TABLE, FTS_TABLE.c.rowid == Petition.id)
        .where(Petition.council_id == council_id, Petition.merged_into_id.is_(None), fts.op("MATCH")(wanted))
        .order_by(FTS_TABLE.c.rowid.desc())
        .limit(CANDIDATES)
    )
    return query.where(Petition.id.not_in(exclude)) if exclude else query


async def suggest(
    db: AsyncSession, council_id: int, content: str, exclude: set[int] | None = None, limit: int = 5
) -> list[Suggestion]:
    folded = " ".join(terms(content))
    words, shared = await rarest(db, telling(folded), stored=len(exclude or ()))
    if not words:
        return []
    query = _candidates(db.bind.dialect.name, council_id, folded, words, shared, exclude or set())
    scored = [(score(folded, other), pid) for pid, other in await db.execute(query)]
    best = sorted(((s, pid) for s, pid in scored if s >= THRESHOLD), key=lambda sp: (-sp[0], -sp[1]))[:limit]
    if not best:
        return []
    found = {p.id: p for p in await db.scalars(select(Petition).where(Petition.id.in_([pid for _s, pid in best])))}
    return [Suggestion(found[pid], s) for s, pid in best]
