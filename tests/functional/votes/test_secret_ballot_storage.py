"""Bỏ phiếu kín: thirty delegates vote one after another with choices the test knows; whoever reads the storage, with
SQL or from the files, during the vote or after it, links no delegate to a choice better than a blind guess."""

from __future__ import annotations

import asyncio
import itertools
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select, text, update
from sqlalchemy.engine import make_url

from session_server.db.engine import make_engine
from session_server.db.models import BallotType, Motion, SecretTally
from session_server.services import services_of
from session_server.votes.sealed import TallyError, unseal
from tests.factories import make_large_council
from tests.functional.votes import storage_attacks as attacks
from tests.live_clients import connect
from tests.support import TEST_SECRET_KEY

VOTERS = 30
CHOICES = ("yes", "no", "abstain")
# A blind guess names a third of the 30 ballots right; 18 or more right by chance has a probability under 0.001.
CHANCE_BOUND = 17


@dataclass
class SecretVote:
    url: str
    motion_id: int
    truth: dict[int, str]
    order: list[int]
    versions: list[bytes]
    """The sealed tally as a watcher reads it: at the opening, after each ballot, and after the close."""


async def _sealed(server: TestServer, motion_id: int) -> bytes:
    async with services_of(server.app).sessionmaker() as db:
        found = await db.scalar(select(SecretTally.sealed).where(SecretTally.motion_id == motion_id))
    assert found is not None
    return found


async def _generation(server: TestServer) -> object:
    """What changes when the tallies' old versions are purged: the table's file on PostgreSQL, the WAL's size on
    SQLite (a truncating checkpoint empties it)."""
    engine = services_of(server.app).engine
    if engine.dialect.name == "postgresql":
        async with engine.connect() as connection:
            return await connection.scalar(text("SELECT pg_relation_filenode('secret_tallies')"))
    return _size(Path(f"{make_url(str(engine.url)).database}-wal"))


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


async def _purged(server: TestServer, before: object) -> None:
    sqlite = services_of(server.app).engine.dialect.name == "sqlite"
    for _ in range(800):
        now = await _generation(server)
        if now != before and not (sqlite and now != 0):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the tallies' old versions were not purged within 40 s of the close")


@asynccontextmanager
async def _reader_with_an_older_snapshot(server: TestServer) -> AsyncIterator[None]:
    """A report running across the close (PostgreSQL: a repeatable-read transaction; SQLite: a read transaction):
    while it may still read them, the old versions cannot go, and the purge must wait for it."""
    engine = services_of(server.app).engine
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection = await connection.execution_options(isolation_level="REPEATABLE READ")
        else:
            await connection.exec_driver_sql("BEGIN")
        await connection.execute(text("SELECT count(*) FROM secret_tallies"))
        yield
        await connection.rollback()


@pytest.fixture
async def secret_vote(server: TestServer) -> SecretVote:
    sessionmaker = services_of(server.app).sessionmaker
    council = await make_large_council(sessionmaker, VOTERS + 1)
    async with sessionmaker() as db:
        await db.execute(update(Motion).where(Motion.id == council.motion_id).values(ballot_type=BallotType.SECRET))
        await db.commit()
    url = str(server.make_url("/"))
    chair = await connect(url, token=council.chair_token)
    await chair.join(council.session_id)
    await chair.ok("vote.open", {"motion_id": council.motion_id})
    versions = [await _sealed(server, council.motion_id)]
    choices = [CHOICES[i % len(CHOICES)] for i in range(VOTERS)]
    random.Random(18).shuffle(choices)
    truth: dict[int, str] = {}
    order = []
    for token, choice in zip(council.delegate_tokens[1:], choices, strict=True):
        tablet = await connect(url, token=token)
        member_id = (await tablet.join(council.session_id))["me"]["member_id"]
        await tablet.ok("vote.cast", {"motion_id": council.motion_id, "choice": choice})
        await tablet.close()
        truth[member_id] = choice
        order.append(member_id)
        versions.append(await _sealed(server, council.motion_id))
    before = await _generation(server)
    async with _reader_with_an_older_snapshot(server):
        await chair.ok("vote.close", {"motion_id": council.motion_id, "confirm": True})
        await asyncio.sleep(0.5)
    await _purged(server, before)
    await chair.close()
    versions.append(await _sealed(server, council.motion_id))
    return SecretVote(
        str(services_of(server.app).engine.url.render_as_string(False)), council.motion_id, truth, order, versions
    )


async def test_sql_after_the_close_links_no_delegate_to_a_choice_by_xmin_ctid_ids_or_times(
    secret_vote: SecretVote,
) -> None:
    engine = make_engine(secret_vote.url)
    try:
        async with engine.connect() as connection:
            rows = await attacks.choice_rows(connection, secret_vote.motion_id, CHOICES)
            receipts = await attacks.receipts(connection, secret_vote.motion_id)
    finally:
        await engine.dispose()

    assert sorted(r["member_id"] for r in receipts) == sorted(secret_vote.truth)
    guesses = dict(attacks.by_order(receipts, rows))
    guesses["xmin join"] = attacks.by_xmin(receipts, rows)
    guesses["member and choice in one row"] = attacks.named_in_rows(rows)
    scores = {name: attacks.score(guess, secret_vote.truth) for name, guess in guesses.items()}
    assert all(found <= CHANCE_BOUND for found in scores.values()), scores


async def test_the_files_after_the_close_keep_no_choice_in_page_order_and_no_earlier_tally(
    secret_vote: SecretVote, tmp_path: Path
) -> None:
    database, wal = await attacks.database_files(secret_vote.url, tmp_path)

    earlier = attacks.versions_found(database + wal, secret_vote.versions[:-1])
    assert earlier == [], f"earlier versions of the tally left in the files: {earlier}"
    assert attacks.versions_found(database + wal, secret_vote.versions[-1:]) == [0], "the scan must see the tally"
    if make_url(secret_vote.url).get_backend_name() == "sqlite":
        assert wal == b"", "the WAL is emptied at the close"
        cells = list(attacks.sqlite_cells(database, wal))
        receipt_ids = [
            (values[0], values[2]) for values in cells if len(values) == 3 and values[1] == secret_vote.motion_id
        ]
        guess = attacks.by_page_order(cells, receipt_ids, CHOICES)
        assert attacks.score(guess, secret_vote.truth) <= CHANCE_BOUND


async def test_a_watcher_of_the_open_vote_sees_only_sealed_tallies_of_one_length_that_no_other_key_opens(
    secret_vote: SecretVote,
) -> None:
    versions = secret_vote.versions
    assert len({len(v) for v in versions}) == 1
    assert len({v[:20] for v in versions}) == len(versions)
    for version in versions:
        with pytest.raises(TallyError):
            unseal("another server's key", secret_vote.motion_id, version)

    # With the server's secret key the tallies do tell each ballot while the vote is open (the limit the README
    # states): this is what the key protects.
    counters = [unseal(TEST_SECRET_KEY, secret_vote.motion_id, v) for v in versions]
    added = [next(CHOICES[i - 1] for i in range(1, 4) if b[i] > a[i]) for a, b in itertools.pairwise(counters[:-1])]
    assert added == [secret_vote.truth[m] for m in secret_vote.order]
    assert counters[-1] == (VOTERS, 10, 10, 10)
