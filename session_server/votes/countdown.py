"""Closes a vote when its countdown ends; deadlines live in the database, so a restart picks them up again."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.db.models import AgendaItem, Motion, MotionStatus, utcnow
from session_server.errors import ApiError
from session_server.live.dispatcher import CommandResult, Dispatcher

log = logging.getLogger(__name__)


class VoteCountdown:
    def __init__(self, dispatcher: Dispatcher, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.dispatcher = dispatcher
        self.sessionmaker = sessionmaker
        self.timers: dict[int, asyncio.Task[None]] = {}

    async def start(self) -> None:
        async with self.sessionmaker() as db:
            rows = await db.execute(
                select(AgendaItem.session_id, Motion.id, Motion.deadline)
                .join(AgendaItem, AgendaItem.id == Motion.agenda_item_id)
                .where(Motion.status == MotionStatus.OPEN, Motion.deadline.is_not(None))
            )
            for session_id, motion_id, deadline in rows:
                self.schedule(session_id, motion_id, deadline)

    async def close(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        await asyncio.gather(*self.timers.values(), return_exceptions=True)
        self.timers.clear()

    async def observe(self, session_id: int, result: CommandResult) -> None:
        for event in result.events:
            if event.type == "vote.opened" and event.live_data.get("deadline"):
                self.schedule(
                    session_id, event.live_data["motion_id"], datetime.fromisoformat(event.live_data["deadline"])
                )

    def schedule(self, session_id: int, motion_id: int, deadline: datetime) -> None:
        if motion_id not in self.timers:
            self.timers[motion_id] = asyncio.create_task(self._close_at(session_id, motion_id, deadline))

    async def _close_at(self, session_id: int, motion_id: int, deadline: datetime) -> None:
        try:
            await asyncio.sleep(max(0.0, (deadline - utcnow()).total_seconds()))
            await self.dispatcher.run_system(session_id, "vote.close", {"motion_id": motion_id, "confirm": True})
        except ApiError as error:
            if error.code != "closed":
                log.warning("countdown of motion %s: %s", motion_id, error.en)
        except Exception:
            log.exception("countdown of motion %s failed", motion_id)
        finally:
            self.timers.pop(motion_id, None)
