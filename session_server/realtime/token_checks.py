"""Connections' tokens checked again, many in one query: when a vote opens, hundreds of tablets need it at once."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.auth import tokens
from session_server.db.models import User


class TokenChecks:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self._waiting: dict[str, tuple[asyncio.Future[User | None], User | None]] = {}
        self._running: asyncio.Task[None] | None = None

    async def user_for(self, token: str, known: User | None = None) -> User | None:
        """The account the token still signs in, or None. `known`, the account it signed in before, comes back as
        it is when nothing about it changed (the usual case, with no account to load). Tokens asked for meanwhile
        share the next query."""
        waiting = self._waiting.get(token)
        if waiting is None:
            waiting = self._waiting[token] = (asyncio.get_running_loop().create_future(), known)
            if self._running is None:
                self._running = asyncio.create_task(self._check())
        return await asyncio.shield(waiting[0])

    async def _check(self) -> None:
        try:
            while self._waiting:
                # One turn of the loop lets the other commands that arrived with this one add their tokens.
                await asyncio.sleep(0)
                waiting, self._waiting = self._waiting, {}
                try:
                    async with self.sessionmaker() as db:
                        accounts = await tokens.accounts_for(db, list(waiting))
                        changed = {
                            token
                            for token, (_, known) in waiting.items()
                            if token in accounts and (known is None or tokens.account_of(known) != accounts[token])
                        }
                        loaded = await tokens.users_for(db, list(changed)) if changed else {}
                except Exception as exc:
                    for future, _ in waiting.values():
                        future.set_exception(exc)
                    continue
                for token, (future, known) in waiting.items():
                    # A token revoked between the two queries is not among those loaded: it signs nobody in.
                    future.set_result(loaded.get(token) if token in changed else known if token in accounts else None)
        finally:
            self._running = None
