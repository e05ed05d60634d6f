"""The component that empties the mail queue while HopSo runs (only when an SMTP server is configured)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.mail.outbox import deliver_due
from session_server.settings import Settings

log = logging.getLogger(__name__)


class Periodic:
    """Runs `work()` every `seconds` until closed; a failure is logged and the next round comes anyway."""

    def __init__(self, name: str, seconds: float, work: Callable[[], Awaitable[object]]) -> None:
        self.name = name
        self.seconds = seconds
        self.work = work
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self.name)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                await self.work()
            except Exception:
                log.exception("%s failed; trying again in %s s", self.name, self.seconds)
            await asyncio.sleep(self.seconds)


def mail_sender(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Periodic:
    return Periodic("mail-sender", 15, lambda: deliver_due(settings, sessionmaker))
