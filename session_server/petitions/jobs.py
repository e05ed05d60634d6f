"""The petitions' background work: deadline reminders, checked every hour while mail is on."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.mail.sender import Periodic
from session_server.petitions.reminders import remind
from session_server.petitions.service import today
from session_server.settings import Settings

HOUR = 3600


def reminder_job(settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> Periodic:
    async def run() -> None:
        async with sessionmaker() as db:
            await remind(db, settings, today())
            await db.commit()

    return Periodic("petition-reminders", HOUR, run)
