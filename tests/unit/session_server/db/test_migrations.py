"""The Alembic migrations and the SQLAlchemy models describe the same schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import secrets
from pathlib import Path
from types import SimpleNamespace

from alembic import command
from sqlalchemy import JSON, column, insert, inspect, select, table, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

import voting
from session_server.archive.public_record import public_record
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.migrate import alembic_config, upgrade
from session_server.db.models import (
    AgendaItem,
    BallotReceipt,
    BallotType,
    Base,
    Classification,
    Council,
    CouncilSession,
    Document,
    DocumentPage,
    DocumentVersion,
    Motion,
    MotionStatus,
    SessionStatus,
    UTCDateTime,
    utcnow,
)
from session_server.documents.search import search
from session_server.live.audit import verify_session
from session_server.text import index_form
from session_server.votes.sealed import purge_old_tallies, tally_counts
from tests.factories import make_council, make_member
from tests.functional.votes.storage_attacks import database_files
from tests.support import TEST_SECRET_KEY
from voting import Kind


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


def _check(url: str) -> None:
    """Alembic's autogenerate compare (`alembic check`, through env.py): raises if models and migrations differ."""
    command.check(alembic_config(url))


async def test_after_upgrade_head_autogenerate_finds_no_difference_from_the_models(database_url: str) -> None:
    await asyncio.to_thread(_check, database_url)

    assert set(Base.metadata.tables) <= await _tables(database_url)


async def test_downgrade_to_base_and_upgrade_to_head_again_restores_the_schema(database_url: str) -> None:
    migrated = await _tables(database_url)

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "base")
    assert await _tables(database_url) == {"alembic_version"}
    upgrade(database_url)

    assert await _tables(database_url) == migrated


# The session row as the schemas of earlier revisions have it: the model's later columns are not there yet.
OLD_SESSIONS = table(
    "sessions",
    *(column(n) for n in ("id", "council_id", "title", "kind", "status", "public", "place", "snapshot", "last_seq")),
    column("created_at"),
)


async def _old_session(
    db: AsyncSession | AsyncConnection, council_id: int, status: SessionStatus, title: str = "Kỳ họp thứ Mười"
) -> int:
    values = {"council_id": council_id, "title": title, "kind": "regular", "status": status.value}
    values |= {"public": True, "place": "", "snapshot": "{}", "last_seq": 0, "created_at": utcnow()}
    session_id = await db.scalar(insert(OLD_SESSIONS).values(values).returning(OLD_SESSIONS.c.id))
    assert session_id is not None
    return session_id


async def _store_page(url: str, text: str) -> int:
    """A one-page document of a new council, written as an upload writes it; the council's id."""
    engine = make_engine(url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db:
            # Core inserts: the models have columns added by later migrations.
            council_id = await db.scalar(
                insert(Council.__table__)
                .values(name="Hội đồng nhân dân xã Thử Nghiệm", short_name="", term="", total_delegates=35)
                .returning(Council.__table__.c.id)
            )
            assert council_id is not None
            session_id = await _old_session(db, council_id, SessionStatus.SCHEDULED)
            document = Document(
                session_id=session_id, title="Tờ trình", classification=Classification.PUBLIC, page_count=1
            )
            db.add(document)
            await db.flush()
            version = DocumentVersion(
                document_id=document.id,
                version=1,
                file_name="to-trinh.pdf",
                size_bytes=1,
                sha256="0" * 64,
                page_count=1,
            )
            db.add(version)
            await db.flush()
            await db.execute(
                insert(DocumentPage),
                [{"version_id": version.id, "number": 1, "text": text, "folded": index_form(text)}],
            )
            await db.commit()
            assert council_id is not None
            return council_id
    finally:
        await engine.dispose()


async def test_upgrading_postgresql_makes_the_pages_already_stored_searchable(postgres_database: str) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(postgres_database), "0006")
    council_id = await _store_page(postgres_database, "Nghị quyết về dự toán ngân sách năm 2027")

    upgrade(postgres_database)

    engine = make_engine(postgres_database)
    try:
        async with make_sessionmaker(engine)() as db:
            hits = await search(db, ["nghi", "quyet", "ngan", "sa"], council_id, list(Classification), None, 20)
    finally:
        await engine.dispose()
    assert [(hit.title, hit.page) for hit in hits] == [("Tờ trình", 1)]


async def _slugs(url: str) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            councils = list(await connection.scalars(select(Council.__table__.c.slug).order_by(Council.__table__.c.id)))
            sessions = list(
                await connection.scalars(
                    select(CouncilSession.__table__.c.slug).order_by(CouncilSession.__table__.c.id)
                )
            )
        return councils, sessions
    finally:
        await engine.dispose()


async def test_upgrading_gives_the_councils_and_sessions_already_stored_their_addresses(database_url: str) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "i23_petitions")
    engine = make_engine(database_url)
    try:
        async with engine.begin() as connection:
            councils = Council.__table__
            for name, short in (("Hội đồng nhân dân xã Hòa Bình", "HĐND xã Hòa Bình"), ("HĐND xã Hòa Bình", "")):
                council_id = await connection.scalar(
                    insert(councils)
                    .values(name=name, short_name=short, term="", total_delegates=5)
                    .returning(councils.c.id)
                )
            for title in ("Kỳ họp thứ Mười", "Kỳ họp thứ Mười", "Petitions"):
                await _old_session(connection, council_id, SessionStatus.SCHEDULED, title)
    finally:
        await engine.dispose()

    upgrade(database_url)

    assert await _slugs(database_url) == (
        ["hdnd-xa-hoa-binh", "hdnd-xa-hoa-binh-2"],
        ["ky-hop-thu-muoi", "ky-hop-thu-muoi-2", "petitions-2"],
    )


async def _store_secret_vote_the_old_way(url: str, choices: list[str]) -> tuple[int, list[str]]:
    """A closed secret vote as stored before sealed tallies: a receipt and a choice row (random id) per ballot;
    the motion's id and the choice rows' ids."""
    engine = make_engine(url)
    try:
        async with make_sessionmaker(engine)() as db:
            council = await make_council(db)
            members = [await make_member(db, council, f"DB{i:02d}") for i in range(len(choices))]
            session_id = await _old_session(db, council.id, SessionStatus.ENDED)
            item = AgendaItem(session_id=session_id, position=1, title="Bầu cử")
            db.add(item)
            await db.flush()
            motion = Motion(
                agenda_item_id=item.id,
                position=1,
                title="Bỏ phiếu tín nhiệm",
                kind=Kind.CONFIDENCE_VOTE,
                ballot_type=BallotType.SECRET,
                status=MotionStatus.CLOSED,
            )
            db.add(motion)
            await db.flush()
            ids = [secrets.token_hex(16) for _ in choices]
            await db.execute(
                insert(table("secret_choices", column("id"), column("motion_id"), column("choice"))),
                [{"id": i, "motion_id": motion.id, "choice": c} for i, c in zip(ids, choices, strict=True)],
            )
            await db.execute(insert(BallotReceipt), [{"motion_id": motion.id, "member_id": m.id} for m in members])
            await db.commit()
            return motion.id, ids
    finally:
        await engine.dispose()


async def test_upgrading_seals_the_secret_votes_already_stored_and_purges_their_choice_rows(
    database_url: str, tmp_path: Path
) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "i21_public_slugs")
    choices = ["confidence", "no_confidence", "no_confidence", "confidence", "no_confidence"]
    motion_id, row_ids = await _store_secret_vote_the_old_way(database_url, choices)

    upgrade(database_url, secret_key=TEST_SECRET_KEY)

    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            motion = await db.get(Motion, motion_id)
            assert motion is not None
            tally = await tally_counts(db, motion, TEST_SECRET_KEY)
        await purge_old_tallies(engine)
    finally:
        await engine.dispose()
    assert (tally.ballots, tally.choices) == (5, {"confidence": 2, "no_confidence": 3})
    assert "secret_choices" not in await _tables(database_url)
    database, wal = await database_files(database_url, tmp_path)
    assert [i for i in row_ids if i.encode() in database + wal] == []


async def test_a_session_recorded_before_digests_still_verifies_in_the_database_and_from_its_public_record(
    database_url: str,
) -> None:
    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "i21_public_slugs")
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            council = await make_council(db)
            session_id = await _old_session(db, council.id, SessionStatus.ENDED)
            prev, rows = voting.GENESIS_HASH, []
            for seq, (type_, data) in enumerate(
                [("session.opened", {"status": "live"}), ("checkin", {"member_id": 1}), ("session.closed", {})], 1
            ):
                event = SimpleNamespace(
                    session_id=session_id, seq=seq, type=type_, data=data, actor=None, at=utcnow(), salt=""
                )
                digest = voting.event_hash(prev, event, voting.CONTENT_CHAIN)
                rows.append({**vars(event), "prev_hash": prev, "hash": digest})
                prev = digest
            names = ("session_id", "seq", "type", "prev_hash", "hash")
            events = table("events", *(column(n) for n in names), column("data", JSON), column("at", UTCDateTime()))
            await db.execute(
                insert(events), [{k: v for k, v in row.items() if k not in ("actor", "salt")} for row in rows]
            )
            await db.execute(update(OLD_SESSIONS).where(OLD_SESSIONS.c.id == session_id).values(last_seq=3))
            await db.commit()
    finally:
        await engine.dispose()

    upgrade(database_url)

    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            report = await verify_session(db, session_id, TEST_SECRET_KEY)
            session = await db.get(CouncilSession, session_id)
            assert session is not None
            record = (await public_record(db, session)).decode().splitlines()
    finally:
        await engine.dispose()
    assert report.ok, report.problems
    check = voting.check_record(record, prev)
    assert check.ok and check.head_seq == 3, check.problems
    assert [json.loads(line).get("omitted", False) for line in record[1:]] == [False, True, False]
