"""Storing the rows of a checked workbook: every row or none, in one transaction, with bulk inserts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Dialect, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from session_server.db.bulk import DriverRows
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
    # The rows go in through the driver, bypassing the ORM and SQLAlchemy's parameter handling, which would cost as
    # much again in Python. Their ids are taken first, so a worker thread builds the next chunk's rows of every
    # table while the database writes this chunk (in its own thread or process, without holding Python's lock).
    connection = await db.connection()
    dialect = connection.dialect
    petition_ids = await _new_ids(connection, Petition.__table__, len(rows))
    source_ids = await _new_ids(connection, PetitionSource.__table__, len(rows))
    context = _Context(council, batch, actor, channel, term, meeting_id, agencies, utcnow(), dialect)
    starts = range(0, len(rows), BATCH)

    def build(start: int) -> list[DriverRows]:
        end = start + BATCH
        return context.chunk(rows[start:end], petition_ids[start:end], source_ids[start:end])

    preparing = asyncio.ensure_future(asyncio.to_thread(build, starts[0]))
    for number, start in enumerate(starts):
        chunk = await preparing
        if number + 1 < len(starts):
            preparing = asyncio.ensure_future(asyncio.to_thread(build, starts[number + 1]))
        for records in chunk:
            await records.write(connection)
        if dialect.name == "sqlite":
            first, last = petition_ids[start], petition_ids[min(start + BATCH, len(rows)) - 1]
            await connection.execute(_INDEX_IMPORTED, {"id": batch.id, "first": first, "last": last})
    batch.rows = len(rows)
    return len(rows)


async def _new_ids(connection: AsyncConnection, table: Table, count: int) -> list[int]:
    """Ids for `count` rows about to be inserted: from the table's sequence on PostgreSQL; on SQLite after the
    largest, which no other writer can take, since this transaction already holds the database's write lock."""
    if connection.dialect.name == "postgresql":
        taken = await connection.execute(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)"),
            {"table": table.name, "count": count},
        )
        return list(taken.scalars())
    largest = await connection.scalar(select(func.max(table.c.id))) or 0
    return list(range(largest + 1, largest + count + 1))


@dataclass
class _Context:
    """What every row of one import shares."""

    council: Council
    batch: PetitionImport
    actor: User
    channel: Channel
    term: str
    meeting_id: int | None
    agencies: dict[str, int]
    now: datetime
    dialect: Dialect

    def chunk(self, rows: list[Row], petition_ids: list[int], source_ids: list[int]) -> list[DriverRows]:
        """A chunk's rows of every table, in the order their foreign keys need."""
        batch = self.batch
        petitions = [{"id": pid, **self.petition(row)} for pid, row in zip(petition_ids, rows, strict=True)]
        sources = [
            {
                "id": sid,
                "petition_id": pid,
                "channel": row.channel or self.channel,
                "meeting_id": self.meeting_id,
                "received_on": row.received_on,
                "content": row.content,
                "reference": "; ".join(filter(None, [row.group, f"{batch.file_name}, dòng {row.line}", row.note]))[
                    :300
                ],
                "voter_count": row.voter_count or max(len(row.voters), 1),
                "created_at": self.now,
            }
            for pid, sid, row in zip(petition_ids, source_ids, rows, strict=True)
        ]
        voters = [
            {
                "petition_id": pid,
                "source_id": sid,
                "full_name": name,
                "folded_name": fold(name).strip(),
                "address": "",
                "contact": "",
            }
            for pid, sid, row in zip(petition_ids, source_ids, rows, strict=True)
            for name in row.voters
        ]
        assignments = [
            {
                "petition_id": pid,
                "agency_id": self.agencies[fold(row.agency).strip()],
                "deadline": row.deadline,
                "active": True,
                "assigned_by_user_id": self.actor.id,
                "assigned_at": self.now,
            }
            for pid, row in zip(petition_ids, rows, strict=True)
            if row.agency
        ]
        return [
            DriverRows.of(table, table_rows, self.dialect)
            for table, table_rows in (
                (Petition.__table__, petitions),
                (PetitionSource.__table__, sources),
                (PetitionVoter.__table__, voters),
                (Assignment.__table__, assignments),
            )
        ]

    def petition(self, row: Row) -> dict[str, object]:
        agency_id = self.agencies.get(fold(row.agency).strip()) if row.agency else None
        if agency_id is not None:
            status = PetitionStatus.FORWARDED
        elif row.sector and row.level:
            status = PetitionStatus.CLASSIFIED
        else:
            status = PetitionStatus.RECEIVED
        return {
            "council_id": self.council.id,
            "content": row.content,
            "folded": searchable(row.content, row.sector, row.locality),
            "field": row.sector,
            "locality": row.locality,
            "channel": row.channel or self.channel,
            "level": row.level,
            "agency_id": agency_id,
            "deadline": row.deadline if agency_id is not None else None,
            "status": status,
            "return_reason": "",
            "voter_count": row.voter_count or max(len(row.voters), 1),
            "term": self.term or self.council.term,
            "received_on": row.received_on,
            "meeting_id": self.meeting_id,
            "import_id": self.batch.id,
            "published": False,
            "rating_note": "",
            "created_by_user_id": self.actor.id,
            "created_at": self.now,
            "updated_at": self.now,
        }
