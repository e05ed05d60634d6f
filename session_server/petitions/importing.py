"""Storing the rows of a checked workbook: every row or none, in one transaction, with bulk inserts."""

from __future__ import annotations

import asyncio
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from session_server.db.models import Council, User, utcnow
from session_server.petitions.models import (
    Agency,
    Assignment,
    Channel,
    Level,
    Petition,
    PetitionImport,
    PetitionSource,
    PetitionStatus,
    PetitionVoter,
)
from session_server.petitions.service import searchable
from session_server.petitions.workbook import Row
from session_server.text import fold

BATCH = 2000
# SQLite's insert trigger leaves an import's petitions to the import (migration i25): one statement indexes them all.
_INDEX_IMPORTED = text(
    "INSERT INTO petitions_fts(rowid, folded) SELECT id, folded FROM petitions "
    "WHERE import_id = :id AND id BETWEEN :first AND :last"
)


async def _agencies(db: AsyncSession, council: Council, rows: list[Row]) -> dict[str, int]:
    """The council's agencies by folded name; those the workbook names and HopSo does not know yet are added."""
    known = {
        fold(a.name).strip(): a.id for a in await db.scalars(select(Agency).where(Agency.council_id == council.id))
    }
    for row in rows:
        key = fold(row.agency).strip()
        if key and key not in known:
            agency = Agency(council_id=council.id, name=row.agency, level=row.level or Level.COMMUNE)
            db.add(agency)
            await db.flush()
            known[key] = agency.id
    return known


async def store(
    db: AsyncSession,
    council: Council,
    rows: list[Row],
    batch: PetitionImport,
    actor: User,
    channel: Channel,
    term: str,
    meeting_id: int | None,
) -> int:
    db.add(batch)
    await db.flush()
    agencies = await _agencies(db, council, rows)
    # Core inserts on the session's connection: the ORM's bulk path would cost as much again in Python. The next
    # chunk's petitions are prepared in a worker thread while this chunk is written (the database works in its own
    # thread or process, without holding Python's lock).
    connection = await db.connection()
    sqlite = connection.dialect.name == "sqlite"
    now = utcnow()
    last = 0
    chunks = [rows[start : start + BATCH] for start in range(0, len(rows), BATCH)]
    context = (council, batch, actor, channel, term, meeting_id, agencies, now)
    preparing = asyncio.ensure_future(asyncio.to_thread(_petitions, chunks[0], *context))
    for number, chunk in enumerate(chunks):
        petitions = await preparing
        if number + 1 < len(chunks):
            preparing = asyncio.ensure_future(asyncio.to_thread(_petitions, chunks[number + 1], *context))
        ids = await _inserted(db, Petition, petitions, Petition.import_id == batch.id, Petition.id > last)
        first, last = ids[0], ids[-1]
        sources = [
            {
                "petition_id": pid,
                "channel": row.channel or channel,
                "meeting_id": meeting_id,
                "received_on": row.received_on,
                "content": row.content,
                "reference": "; ".join(filter(None, [row.group, f"{batch.file_name}, dòng {row.line}", row.note]))[
                    :300
                ],
                "voter_count": row.voter_count or max(len(row.voters), 1),
                "created_at": now,
            }
            for pid, row in zip(ids, chunk, strict=True)
        ]
        source_ids = await _inserted(db, PetitionSource, sources, PetitionSource.petition_id.between(first, last))
        voters = [
            {
                "petition_id": pid,
                "source_id": sid,
                "full_name": name,
                "folded_name": fold(name).strip(),
                "address": "",
                "contact": "",
            }
            for pid, sid, row in zip(ids, source_ids, chunk, strict=True)
            for name in row.voters
        ]
        if voters:
            await _insert(connection, PetitionVoter.__table__, voters)
        assignments = [
            {
                "petition_id": pid,
                "agency_id": agencies[fold(row.agency).strip()],
                "deadline": row.deadline,
                "active": True,
                "assigned_by_user_id": actor.id,
                "assigned_at": now,
            }
            for pid, row in zip(ids, chunk, strict=True)
            if row.agency
        ]
        if assignments:
            await _insert(connection, Assignment.__table__, assignments)
        if sqlite:
            await connection.execute(_INDEX_IMPORTED, {"id": batch.id, "first": first, "last": last})
    batch.rows = len(rows)
    return len(rows)


async def _inserted(db: AsyncSession, model: type[Any], rows: list[dict[str, Any]], *mine: Any) -> list[int]:
    """Insert `rows` and read back their ids in insertion order: rows inserted one after the other in one
    transaction get rising ids, and `mine` selects exactly these."""
    connection = await db.connection()
    await _insert(connection, model.__table__, rows)
    ids = list((await connection.execute(select(model.id).where(*mine).order_by(model.id))).scalars())
    assert len(ids) == len(rows), "every inserted row is read back"
    return ids


async def _insert(connection: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` with their columns' Python-side defaults where they leave a column out: a plain executemany, or
    on PostgreSQL one COPY, since its executemany runs an INSERT per row, several times slower for thousands of rows.
    The COPY gets each value as the INSERT would, through the column type's bind processing."""
    dialect = connection.dialect
    if dialect.name != "postgresql":
        await connection.execute(insert(table), rows)
        return
    given = rows[0].keys()
    columns = [c for c in table.columns if c.name in given or (c.default is not None and not c.primary_key)]
    defaults = {
        c.name: c.default.arg(None) if c.default.is_callable else c.default.arg for c in columns if c.name not in given
    }
    names = [c.name for c in columns]
    values_of = itemgetter(*names)
    processing = [
        (index, process)
        for index, process in enumerate(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
        if process is not None
    ]
    records = []
    for row in rows:
        values = list(values_of({**defaults, **row} if defaults else row))
        for index, process in processing:
            values[index] = process(values[index])
        records.append(tuple(values))
    raw = (await connection.get_raw_connection()).driver_connection
    await raw.copy_records_to_table(table.name, records=records, columns=names, schema_name=table.schema)


def _petitions(rows: list[Row], *context: Any) -> list[dict[str, object]]:
    return [_petition(row, *context) for row in rows]


def _petition(
    row: Row,
    council: Council,
    batch: PetitionImport,
    actor: User,
    channel: Channel,
    term: str,
    meeting_id: int | None,
    agencies: dict[str, int],
    now: object,
) -> dict[str, object]:
    agency_id = agencies.get(fold(row.agency).strip()) if row.agency else None
    if agency_id is not None:
        status = PetitionStatus.FORWARDED
    elif row.sector and row.level:
        status = PetitionStatus.CLASSIFIED
    else:
        status = PetitionStatus.RECEIVED
    return {
        "council_id": council.id,
        "content": row.content,
        "folded": searchable(row.content, row.sector, row.locality),
        "field": row.sector,
        "locality": row.locality,
        "channel": row.channel or channel,
        "level": row.level,
        "agency_id": agency_id,
        "deadline": row.deadline if agency_id is not None else None,
        "status": status,
        "return_reason": "",
        "voter_count": row.voter_count or max(len(row.voters), 1),
        "term": term or council.term,
        "received_on": row.received_on,
        "meeting_id": meeting_id,
        "import_id": batch.id,
        "published": False,
        "rating_note": "",
        "created_by_user_id": actor.id,
        "created_at": now,
        "updated_at": now,
    }
