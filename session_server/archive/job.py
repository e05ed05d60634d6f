"""The archive job of a closed session: the recording as one MP4 with chapters, the minutes' draft, the search text.

Started when a `session.closed` event is committed, and again at start-up for any job a crash or a restart left
unfinished. Each step records itself as done in `session_archives.steps`, writes its files atomically and replaces
what an earlier attempt left, so running a step again gives the same result; a lease keeps two processes off one job.
Blocking work (the remux, PyAV, PyMuPDF) runs in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from aiohttp import web
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media.archive import Archive, make_archive
from media.outputs.recording import MANIFEST_NAME, RecordingManifest
from session_server.archive import storage
from session_server.archive.chapters import ChapterMark, VideoClock, chapters_of, recorded_parts
from session_server.archive.minutes import draft_minutes, member_names, session_record
from session_server.archive.public import search_text
from session_server.archive.transcripts.job import TranscriptJobs
from session_server.db.models import (
    AgendaItem,
    ArchiveChapter,
    ArchiveStatus,
    CouncilSession,
    Minutes,
    MinutesStatus,
    SessionArchive,
    SessionStatus,
    utcnow,
)
from session_server.live.dispatcher import CommandResult
from session_server.settings import Settings

log = logging.getLogger(__name__)

STEPS = ("video", "minutes", "index")
LEASE = timedelta(minutes=30)
RECORDING_WAIT_SECONDS = 60.0
"""How long the job waits for the media worker to close the recording after the session closed."""
ENDED = (SessionStatus.ENDED, SessionStatus.ARCHIVED)


class ArchiveJobs:
    """Runs archive jobs in the background of this process: at most one task per session."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        recording_wait: float = RECORDING_WAIT_SECONDS,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.recording_wait = recording_wait
        self.tasks: dict[int, asyncio.Task[ArchiveStatus | None]] = {}
        self.transcripts = TranscriptJobs(settings, sessionmaker)

    async def start(self) -> None:
        """Resume what is unfinished: jobs not done, ended sessions whose job never started, and transcripts."""
        async with self.sessionmaker() as db:
            unfinished = await db.scalars(
                select(SessionArchive.session_id).where(SessionArchive.status != ArchiveStatus.DONE)
            )
            never_started = await db.scalars(
                select(CouncilSession.id)
                .outerjoin(SessionArchive, SessionArchive.session_id == CouncilSession.id)
                .where(CouncilSession.status.in_(ENDED), SessionArchive.session_id.is_(None))
            )
            for session_id in {*unfinished, *never_started}:
                self.launch(session_id)
        await self.transcripts.start()

    async def close(self) -> None:
        await self.transcripts.close()
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.tasks.clear()

    async def observe(self, session_id: int, result: CommandResult) -> None:
        if any(event.type == "session.closed" for event in result.events):
            self.launch(session_id)

    def launch(self, session_id: int, redo: bool = False) -> asyncio.Task[ArchiveStatus | None]:
        running = self.tasks.get(session_id)
        if running is not None and not running.done():
            return running
        task = asyncio.create_task(self.run(session_id, redo), name=f"archive-{session_id}")
        self.tasks[session_id] = task
        task.add_done_callback(
            lambda done: self.tasks.pop(session_id, None) if self.tasks.get(session_id) is done else None
        )
        return task

    async def run(self, session_id: int, redo: bool = False) -> ArchiveStatus | None:
        """Run the session's job to its end; None if the session is not over or another process holds the job."""
        steps = await self._claim(session_id, redo)
        if steps is None:
            return None
        actions: dict[str, Callable[[int], Awaitable[None]]] = {
            "video": self._video,
            "minutes": self._minutes,
            "index": self._index,
        }
        try:
            for step in STEPS:
                if step in steps:
                    continue
                await actions[step](session_id)
                steps[step] = utcnow().isoformat()
                await self._save(session_id, steps=dict(steps), lease_until=utcnow() + LEASE)
        except asyncio.CancelledError:
            await asyncio.shield(self._save(session_id, status=ArchiveStatus.PENDING, lease_until=None))
            raise
        except Exception as exc:
            log.exception("archive job of session %s failed", session_id)
            await self._save(
                session_id, status=ArchiveStatus.FAILED, error=f"{type(exc).__name__}: {exc}", lease_until=None
            )
            return ArchiveStatus.FAILED
        await self._save(session_id, status=ArchiveStatus.DONE, error="", lease_until=None)
        self.transcripts.launch(session_id)
        return ArchiveStatus.DONE

    async def register(self, db: AsyncSession, session_id: int) -> None:
        """Make sure the session has its job row (pending until a process claims it)."""
        if await db.get(SessionArchive, session_id) is None:
            db.add(SessionArchive(session_id=session_id))
            try:
                await db.commit()
            except IntegrityError:
                await db.rollback()

    async def _claim(self, session_id: int, redo: bool) -> dict[str, str] | None:
        now = utcnow()
        async with self.sessionmaker() as db:
            session = await db.get(CouncilSession, session_id)
            if session is None or session.status not in ENDED:
                return None
            await self.register(db, session_id)
            values: dict[str, object] = {
                "status": ArchiveStatus.RUNNING,
                "lease_until": now + LEASE,
                "attempts": SessionArchive.attempts + 1,
                "updated_at": now,
            }
            claim = update(SessionArchive).where(
                SessionArchive.session_id == session_id,
                or_(SessionArchive.lease_until.is_(None), SessionArchive.lease_until < now),
            )
            if redo:
                values["steps"] = {}
            else:
                claim = claim.where(SessionArchive.status != ArchiveStatus.DONE)
            claimed = await db.execute(claim.values(**values))
            await db.commit()
            if claimed.rowcount != 1:
                return None
            row = await db.get(SessionArchive, session_id, populate_existing=True)
            assert row is not None
            return dict(row.steps or {})

    async def _save(self, session_id: int, **values: object) -> None:
        async with self.sessionmaker() as db:
            await db.execute(
                update(SessionArchive)
                .where(SessionArchive.session_id == session_id)
                .values(**values, updated_at=utcnow())
            )
            await db.commit()

    async def _finished_recording(self, directory: Path) -> RecordingManifest | None:
        """The recording's manifest once media has closed it (or the wait is over); None if nothing was recorded."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.recording_wait
        while True:
            recorded, manifest = await asyncio.to_thread(_load_manifest, directory)
            if not recorded:
                return None
            over = loop.time() >= deadline
            if manifest is not None and (manifest.ended or over):
                return manifest if manifest.parts else None
            if over:
                return None
            await asyncio.sleep(0.25)

    async def _video(self, session_id: int) -> None:
        manifest = await self._finished_recording(storage.recording_dir(self.settings, session_id))
        marks: list[ChapterMark] = []
        made: Archive | None = None
        if manifest is not None:
            async with self.sessionmaker() as db:
                session = await db.get(CouncilSession, session_id)
                assert session is not None
                record = await session_record(db, session_id)
                items = await db.execute(
                    select(AgendaItem.id, AgendaItem.position, AgendaItem.title).where(
                        AgendaItem.session_id == session_id
                    )
                )
                titles = {item_id: f"{position}. {title}" for item_id, position, title in items}
                names = await member_names(db, session.council_id)
            marks = chapters_of(record, VideoClock(recorded_parts(manifest)), titles, names)
            # No transaction stays open during the remux: on SQLite it would hold the database's write lock.
            made = await asyncio.to_thread(
                make_archive,
                storage.recording_dir(self.settings, session_id),
                storage.archive_dir(self.settings, session_id),
                [mark.as_chapter() for mark in marks],
                name=storage.VIDEO_NAME,
            )
        async with self.sessionmaker() as db:
            await db.execute(delete(ArchiveChapter).where(ArchiveChapter.session_id == session_id))
            archive = await db.get(SessionArchive, session_id)
            assert archive is not None
            archive.video, archive.duration_ms, archive.poster = "", 0, False
            if made is not None:
                for number, mark in enumerate(marks, start=1):
                    db.add(
                        ArchiveChapter(
                            session_id=session_id,
                            number=number,
                            kind=mark.kind,
                            start_ms=round(min(mark.start, made.duration) * 1000),
                            end_ms=round(min(mark.end, made.duration) * 1000),
                            title=mark.title,
                            agenda_item_id=mark.agenda_item_id,
                            speech_id=mark.speech_id,
                        )
                    )
                archive.video = made.video.name
                archive.duration_ms = round(made.duration * 1000)
                archive.poster = made.poster is not None
            await db.commit()

    async def _minutes(self, session_id: int) -> None:
        """Draft the minutes from the record; staff's edits are kept, and approved minutes are never redrafted."""
        async with self.sessionmaker() as db:
            minutes = await db.get(Minutes, session_id)
            if minutes is not None and minutes.status is not MinutesStatus.DRAFT:
                return
            content = await draft_minutes(db, session_id)
            if minutes is None:
                db.add(Minutes(session_id=session_id, content=content, edits={}))
            else:
                minutes.content, minutes.updated_at = content, utcnow()
            await db.commit()

    async def _index(self, session_id: int) -> None:
        async with self.sessionmaker() as db:
            minutes = await db.get(Minutes, session_id)
            archive = await db.get(SessionArchive, session_id)
            assert minutes is not None and archive is not None
            archive.folded = search_text(minutes.content)
            await db.commit()


def _load_manifest(directory: Path) -> tuple[bool, RecordingManifest | None]:
    """Whether the session was ever armed for recording, and the recording's manifest if one is written yet."""
    if not directory.exists():
        return False, None
    path = directory / MANIFEST_NAME
    return True, RecordingManifest.load(path) if path.exists() else None


ARCHIVE_KEY = web.AppKey("hopso.archive", ArchiveJobs)


def archive_jobs_of(app: web.Application) -> ArchiveJobs:
    return app[ARCHIVE_KEY]
