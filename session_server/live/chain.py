"""The session's audit chain as stored: each event row carries its seq, the previous event's hash and its own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import Base, CouncilSession, Event

EVENTS = Base.metadata.tables[Event.__tablename__]
SALT_BYTES = 16


class Salts:
    """Fresh random salts for a batch's events, drawn from the OS SALTS_PER_DRAW at a time: one system call per
    event was a tenth of the cost of a burst of ballots."""

    SALTS_PER_DRAW = 64

    def __init__(self) -> None:
        self._drawn = ""
        self._at = 0

    def take(self) -> str:
        if self._at >= len(self._drawn):
            self._drawn, self._at = secrets.token_hex(SALT_BYTES * self.SALTS_PER_DRAW), 0
        self._at += 2 * SALT_BYTES
        return self._drawn[self._at - 2 * SALT_BYTES : self._at]


@dataclass(slots=True)
class ChainLink:
    """An event about to be stored, with its place in the session's audit chain (its hash set once, by `after`)."""

    session_id: int
    seq: int
    type: str
    data: dict[str, Any]
    actor: int | None
    at: datetime
    prev_hash: str
    public: bool = False
    salt: str = ""
    hash: str = ""

    @classmethod
    def after(
        cls,
        prev_hash: str,
        session_id: int,
        seq: int,
        type: str,
        data: dict[str, Any],
        actor: int | None,
        at: datetime,
        form: int,
        public: bool,
        salt: str | None = None,
    ) -> ChainLink:
        """The event chained after `prev_hash`, salted with `salt` (a fresh one when none is given)."""
        link = cls(session_id, seq, type, data, actor, at, prev_hash, public, salt or secrets.token_hex(SALT_BYTES))
        link.hash = voting.event_hash(prev_hash, link, form)
        return link

    def row(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "seq": self.seq,
            "type": self.type,
            "data": self.data,
            "actor_user_id": self.actor,
            "at": self.at,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "public": self.public,
            "salt": self.salt,
        }


async def last_hash(db: AsyncSession, session: CouncilSession) -> str:
    """The hash the session's next event chains after."""
    if not session.last_seq:
        return voting.GENESIS_HASH
    found = await db.scalar(select(Event.hash).where(Event.session_id == session.id, Event.seq == session.last_seq))
    return found or voting.GENESIS_HASH
