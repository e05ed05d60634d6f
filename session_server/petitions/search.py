"""Listing and searching a council's petitions: filters, diacritics-insensitive words, newest first, one page.

The words are matched as in document search (session_server.documents.search): every word, the last also as a
prefix, over `petitions.folded`, indexed by SQLite FTS5 (`petitions_fts`) or PostgreSQL's `folded_fts` column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import ColumnElement, Select, and_, column, func, literal_column, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import TEXT_SEARCH_CONFIG
from session_server.documents.search import fts5_query, tsquery
from session_server.errors import from_validation_error
from session_server.petitions.models import Agency, Channel, Level, Petition, PetitionStatus
from session_server.text import terms

FTS_TABLE = table("petitions_fts", column("rowid"))
MAX_WORDS = 12
COUNT_LIMIT = 2000


class ListQuery(BaseModel):
    """The query string of a petition list; unknown parameters are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    q: str = Field("", max_length=200)
    status: PetitionStatus | None = None
    field: str = Field("", max_length=100)
    locality: str = Field("", max_length=200)
    level: Level | None = None
    channel: Channel | None = None
    agency_id: int | None = Field(None, ge=1)
    term: str = Field("", max_length=100)
    overdue: bool = False
    published: bool | None = None
    import_id: int | None = Field(None, ge=1)
    page: int = Field(1, ge=1, le=100000)
    per_page: int = Field(50, ge=1, le=200)

    @classmethod
    def of(cls, query: dict[str, str]) -> ListQuery:
        try:
            return cls.model_validate({key: value for key, value in query.items() if value != ""})
        except ValidationError as exc:
            raise from_validation_error(exc) from exc

    @property
    def words(self) -> list[str]:
        return terms(self.q)[:MAX_WORDS]


@dataclass(frozen=True)
class Listing:
    items: Select
    count: Select


def conditions(query: ListQuery, council_id: int, today: date) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = [Petition.council_id == council_id, Petition.merged_into_id.is_(None)]
    if query.status is not None:
        found.append(Petition.status == query.status)
    if query.field:
        found.append(Petition.field == query.field)
    if query.locality:
        found.append(Petition.locality == query.locality)
    if query.level is not None:
        found.append(Petition.level == query.level)
    if query.channel is not None:
        found.append(Petition.channel == query.channel)
    if query.agency_id is not None:
        found.append(Petition.agency_id == query.agency_id)
    if query.term:
        found.append(Petition.term == query.term)
    if query.overdue:
        found += [Petition.status == PetitionStatus.FORWARDED, Petition.deadline < today]
    if query.published is not None:
        found.append(Petition.published == query.published)
    if query.import_id is not None:
        found.append(Petition.import_id == query.import_id)
    return found


def listing(dialect: str, query: ListQuery, where: list[ColumnElement[bool]]) -> Listing:
    """The page's rows and the total, as two statements for the database `dialect`. The page's ids are chosen first
    and only those rows are read and joined to their agency."""
    ids = select(Petition.id).where(*where)
    count = select(func.count()).select_from(Petition).where(*where)
    words = query.words
    newest_first = Petition.id.desc()
    if words:
        ids = matching(dialect, ids, words)
        # A search for a word every petition has would count them all: past COUNT_LIMIT it says "more than".
        counted = matching(dialect, select(Petition.id).where(*where), words).limit(COUNT_LIMIT + 1).subquery()
        count = select(func.count()).select_from(counted)
        if dialect == "sqlite":
            # The FTS5 table yields its matches newest first by itself and stops at the page's end.
            newest_first = FTS_TABLE.c.rowid.desc()
    page = ids.order_by(newest_first).offset((query.page - 1) * query.per_page).limit(query.per_page).subquery()
    items = (
        select(Petition, Agency.name)
        .join(page, page.c.id == Petition.id)
        .outerjoin(Agency, Agency.id == Petition.agency_id)
        .order_by(Petition.id.desc())
    )
    return Listing(items, count)


def matching(dialect: str, statement: Select, words: list[str]) -> Select:
    if dialect == "sqlite":
        fts = literal_column("petitions_fts")
        return statement.join(FTS_TABLE, FTS_TABLE.c.rowid == Petition.id).where(fts.op("MATCH")(fts5_query(words)))
    wanted = func.to_tsquery(literal_column(TEXT_SEARCH_CONFIG), tsquery(words))
    return statement.where(literal_column("petitions.folded_fts").op("@@")(wanted))


async def run(db: AsyncSession, listing_: Listing) -> tuple[list[tuple[Petition, str | None]], int]:
    """The page's petitions, each with its agency's name, and the total (for a search, at most COUNT_LIMIT + 1:
    "more than COUNT_LIMIT")."""
    rows = [(petition, name) for petition, name in await db.execute(listing_.items)]
    total = await db.scalar(listing_.count) or 0
    return rows, total


def distinct_values(council_id: int, name: str, *extra: ColumnElement[bool]) -> Select:
    column_ = getattr(Petition, name)
    return (
        select(column_)
        .where(and_(Petition.council_id == council_id, Petition.merged_into_id.is_(None), column_ != "", *extra))
        .group_by(column_)
        .order_by(column_)
        .limit(500)
    )
