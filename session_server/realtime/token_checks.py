"""Connections' tokens checked again, many in one query: when a vote opens, hundreds of tablets need it at once."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.auth import tokens
from session_server.db.models import User


class TokenChecks:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._waiting: dict[str, asyncio.Future[User | None]] = {}
        self._running: asyncio.Task[None] | None = None

    async def user_for(self, token: str) -> User | None:
        """The account the token still signs in, or None; tokens asked for meanwhile share the next query."""
        future = self._waiting.get(token)
        if future is None:
            future = self._waiting[token] = asyncio.get_running_loop().create_future()
            if self._running is None:
                self._running = asyncio.create_task(self._check())
        return await asyncio.shield(future)

    async def _check(self) -> None:
        try:
            while self._waiting:
                # One turn of the loop lets the other commands that arrived with this one add their tokens.
                await asyncio.sleep(0)
                waiting, self._waiting = self._waiting, {}
                try:
                    async with self.sessionmaker() as db:
                        found = await tokens.users_for(db, list(waiting))
                except Exception as exc:
                    for future in waiting.values():
                        future.set_exception(exc)
                    continue
                for token, future in waiting.items():
                    future.set_result(found.get(token))
        finally:
            self._running = None
