"""One snapshot build shared by every tablet that joins at the same moment (a hall of 500 opening its tablets).

Keyed by the session's last seq, so a command makes the next join rebuild; kept two seconds at most, so a change
made outside the live commands (a member renamed by staff) shows up promptly.
"""

from __future__ import annotations

import asyncio
import time

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.db.models import CouncilSession
from session_server.live import snapshot

LIFETIME_SECONDS = 2.0


class SnapshotCache:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._builds: dict[tuple[int, int], tuple[float, asyncio.Task[snapshot.State]]] = {}

    async def get(self, session: CouncilSession) -> snapshot.State:
        key = (session.id, session.last_seq)
        now = time.monotonic()
        found = self._builds.get(key)
        if found is None or now - found[0] > LIFETIME_SECONDS or (found[1].done() and found[1].exception()):
            for stale in [k for k, (at, _) in self._builds.items() if now - at > LIFETIME_SECONDS]:
                del self._builds[stale]
            found = (now, asyncio.create_task(self._build(session.id)))
            self._builds[key] = found
        return await asyncio.shield(found[1])

    async def _build(self, session_id: int) -> snapshot.State:
        async with self.sessionmaker() as db:
            session = await db.get(CouncilSession, session_id)
            assert session is not None
            return await snapshot.full_state(db, session)
