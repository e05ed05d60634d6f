"""Stream keys: random, shown to staff once, stored only as a SHA-256 (like sign-in tokens)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.db.models import CouncilSession, SessionStatus, StreamKey, utcnow

FINISHED = (SessionStatus.ENDED, SessionStatus.ARCHIVED)


def new_stream_key() -> str:
    """48 hex digits (192 bits): safe as the last part of an RTMP URL, as a file name and as a bearer token."""
    return secrets.token_hex(24)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class KeyOwner:
    session_id: int
    public: bool


@dataclass(frozen=True)
class KeyHolder:
    """Whoever presents a key that was issued for a session, revoked or not (WHIP tells these cases apart)."""

    session_id: int
    public: bool
    session_status: SessionStatus
    revoked: bool


async def issue(db: AsyncSession, session_id: int, user_id: int | None) -> tuple[str, StreamKey]:
    """Revoke the session's keys and make a new one; the caller commits."""
    await revoke_all(db, session_id)
    key = new_stream_key()
    row = StreamKey(session_id=session_id, key_hash=key_hash(key), hint=key[-4:], created_by_user_id=user_id)
    db.add(row)
    await db.flush()
    return key, row


async def revoke_all(db: AsyncSession, session_id: int) -> int:
    result = await db.execute(
        update(StreamKey)
        .where(StreamKey.session_id == session_id, StreamKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return result.rowcount


async def active_key(db: AsyncSession, session_id: int) -> StreamKey | None:
    return await db.scalar(
        select(StreamKey)
        .where(StreamKey.session_id == session_id, StreamKey.revoked_at.is_(None))
        .order_by(StreamKey.id.desc())
    )


async def owner_of(sessionmaker: async_sessionmaker[AsyncSession], key: str) -> KeyOwner | None:
    """The session a key publishes to: the key is not revoked and the session is not over; else None."""
    async with sessionmaker() as db:
        row = await db.execute(
            select(CouncilSession.id, CouncilSession.public, CouncilSession.status)
            .join(StreamKey, StreamKey.session_id == CouncilSession.id)
            .where(StreamKey.key_hash == key_hash(key), StreamKey.revoked_at.is_(None))
        )
        found = row.first()
    if found is None or found.status in FINISHED:
        return None
    return KeyOwner(found.id, found.public)


async def holder_of(sessionmaker: async_sessionmaker[AsyncSession], key: str) -> KeyHolder | None:
    """The session a key was issued for, and whether it still works; None for a key never issued."""
    async with sessionmaker() as db:
        row = await db.execute(
            select(CouncilSession.id, CouncilSession.public, CouncilSession.status, StreamKey.revoked_at)
            .join(StreamKey, StreamKey.session_id == CouncilSession.id)
            .where(StreamKey.key_hash == key_hash(key))
        )
        found = row.first()
    if found is None:
        return None
    return KeyHolder(found.id, found.public, found.status, found.revoked_at is not None)
