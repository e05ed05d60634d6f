"""A secret vote's running tally, sealed, and the purge of its old versions at close.

A secret vote keeps no row per ballot. Each ballot's transaction writes the delegate's receipt and rewrites the
vote's one tally row whole: every counter, as fixed-width integers, encrypted again (AES-256-GCM, a fresh nonce)
under a key derived from the server's secret key for this vote alone. So no row, version or length says which
option a ballot changed, and whoever reads the database while the vote is open learns no choice without the
server's secret key. At close the row is written once more with the final count, in the close's transaction, and
the tally's old versions are purged: `VACUUM FULL` of the table on PostgreSQL (the table is rewritten into a new
file, the old one removed); on SQLite every connection runs with `secure_delete` (what a rewrite frees is zeroed)
and a truncating checkpoint empties the WAL of the old pages.
"""

from __future__ import annotations

import asyncio
import logging
import os
import struct
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import voting
from session_server.db.models import Base, Motion, SecretTally
from session_server.votes.choices import form_of

if TYPE_CHECKING:
    from session_server.live.dispatcher import CommandResult

log = logging.getLogger(__name__)
TALLIES = Base.metadata.tables[SecretTally.__tablename__]
NONCE_BYTES = 12
# How long a purge waits for older readers: at most PURGE_ATTEMPTS pauses.
PURGE_ATTEMPTS = 600
PURGE_PAUSE_SECONDS = 0.05


class TallyError(Exception):
    """A sealed tally that does not open with this server's key, or does not fit its motion."""


@lru_cache(maxsize=256)
def vote_key(secret_key: str, motion_id: int) -> bytes:
    """The key that seals one vote's tally: HKDF-SHA256 of the server's secret key, bound to the motion."""
    if not secret_key:
        raise TallyError("the server's secret key is not set")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"hopso secret tally", info=f"motion {motion_id}".encode())
    return hkdf.derive(secret_key.encode())


def _aad(motion_id: int) -> bytes:
    return f"hopso secret tally, motion {motion_id}".encode()


def seal(secret_key: str, motion_id: int, counters: Sequence[int]) -> bytes:
    """The counters, fixed width, encrypted for this vote: nonce then ciphertext and tag."""
    nonce = os.urandom(NONCE_BYTES)
    plain = struct.pack(f">{len(counters)}Q", *counters)
    return nonce + AESGCM(vote_key(secret_key, motion_id)).encrypt(nonce, plain, _aad(motion_id))


def unseal(secret_key: str, motion_id: int, sealed: bytes) -> tuple[int, ...]:
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plain = AESGCM(vote_key(secret_key, motion_id)).decrypt(nonce, body, _aad(motion_id))
    except InvalidTag:
        raise TallyError(f"the tally of motion {motion_id} does not open with this server's secret key") from None
    return struct.unpack(f">{len(plain) // 8}Q", plain)


def empty_counters(motion: Motion) -> tuple[int, ...]:
    return (0,) * len(voting.counter_names(form_of(motion)))


async def start_tally(db: AsyncSession, motion: Motion, secret_key: str) -> None:
    """The vote's tally at zero, when the vote opens."""
    db.add(SecretTally(motion_id=motion.id, sealed=seal(secret_key, motion.id, empty_counters(motion))))
    await db.flush()


async def _counters(db: AsyncSession, motion: Motion, secret_key: str) -> tuple[int, ...]:
    sealed = await db.scalar(select(TALLIES.c.sealed).where(TALLIES.c.motion_id == motion.id))
    if sealed is None:
        raise TallyError(f"motion {motion.id} is a secret vote without a tally")
    return unseal(secret_key, motion.id, sealed)


async def _rewrite(db: AsyncSession, motion: Motion, secret_key: str, counters: Sequence[int]) -> None:
    await db.execute(
        update(TALLIES).where(TALLIES.c.motion_id == motion.id).values(sealed=seal(secret_key, motion.id, counters))
    )


async def add_to_tally(db: AsyncSession, motion: Motion, secret_key: str, written: Sequence[str]) -> None:
    """Add a group of ballots (their written forms) to the vote's tally, rewriting it whole."""
    counters = await _counters(db, motion, secret_key)
    await _rewrite(db, motion, secret_key, voting.add_ballots(form_of(motion), counters, written))


async def tally_counts(db: AsyncSession, motion: Motion, secret_key: str) -> voting.Counts:
    """What the vote's tally holds."""
    try:
        return voting.counts_from_counters(form_of(motion), await _counters(db, motion, secret_key))
    except voting.InvalidChoiceError as error:
        raise TallyError(f"the tally of motion {motion.id} does not fit its ballot: {error}") from None


async def final_counts(db: AsyncSession, motion: Motion, secret_key: str) -> voting.Counts:
    """The count at close; the tally is written once more, so its last version belongs to the close, not to the
    last ballot."""
    counts = await tally_counts(db, motion, secret_key)
    await _rewrite(db, motion, secret_key, voting.counters_of(form_of(motion), counts))
    return counts


# Transactions of this database whose snapshot is older than `:horizon`: while one runs, `VACUUM FULL` must keep
# the versions it might still read.
_OLDER_SNAPSHOTS = text(
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_xmin IS NOT NULL AND age(backend_xmin) >= age(CAST(:horizon AS xid))"
)


async def purge_old_tallies(engine: AsyncEngine) -> None:
    """Remove what storage keeps of the tallies' earlier versions (after a close has committed)."""
    async with engine.connect() as connection:
        connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        if engine.dialect.name == "postgresql":
            horizon = int(await connection.scalar(text("SELECT pg_current_xact_id()::xid::text")))
            for _ in range(PURGE_ATTEMPTS):
                if not await connection.scalar(_OLDER_SNAPSHOTS, {"horizon": horizon}):
                    break
                await asyncio.sleep(PURGE_PAUSE_SECONDS)
            else:
                log.warning("old secret tallies purged while older transactions still run: some versions may stay")
            await connection.execute(text(f"VACUUM FULL {TALLIES.name}"))
            return
        for _ in range(PURGE_ATTEMPTS):
            busy, _log, _done = (await connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))).one()
            if not busy:
                return
            # Another connection is reading: the checkpoint cannot reset the WAL until it ends.
            await asyncio.sleep(PURGE_PAUSE_SECONDS)
        log.warning("the WAL could not be truncated after a secret vote closed: readers kept it busy")


class TallyPurge:
    """After a batch that closed a secret vote, purge the tallies' old versions in the background (a dispatcher
    observer: the session's next commands do not wait for it); at start, purge once, in case the process stopped
    between a close and its purge."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._lock = asyncio.Lock()
        self._running: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._in_background()

    async def close(self) -> None:
        await asyncio.gather(*self._running, return_exceptions=True)

    async def observe(self, _session_id: int, result: CommandResult) -> None:
        if any(e.type == "vote.closed" and e.live_data.get("ballot_type") == "secret" for e in result.events):
            self._in_background()

    def _in_background(self) -> None:
        task = asyncio.create_task(self._purge())
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _purge(self) -> None:
        async with self._lock:
            try:
                await purge_old_tallies(self.engine)
            except Exception as exc:
                # The database may be down for now: the next close, or the next start, purges.
                log.warning("the purge of old secret tallies failed: %r", exc)
