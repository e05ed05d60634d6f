"""The transcript of an archived session, made after the archive job in a child process at low priority.

It starts when the archive job is done, and again at start-up for any transcript a restart left unfinished. The
plan (the pieces of each turn, with who had the floor) is stored first; each piece's segments and its key in `done`
are then committed together, so a restart carries on with the first piece not done. Its failure is its own: the
archive, the minutes and publication go on without it. Without a model setting it says so and does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from media.outputs.recording import MANIFEST_NAME, RecordingManifest
from media.speech import Piece as SpeechPiece
from media.speech import PieceText, Progress, SpeechSettings, model_problem, transcribe
from session_server.archive import storage
from session_server.archive.chapters import VideoClock, recorded_parts
from session_server.archive.minutes import session_record
from session_server.archive.transcripts.turns import PlannedPiece, pieces_of, split_by_turns, turns_of
from session_server.db.models import (
    ArchiveStatus,
    CouncilSession,
    SessionArchive,
    SessionTranscript,
    TranscriptSegment,
    TranscriptStatus,
    utcnow,
)
from session_server.settings import Settings
from session_server.text import index_form

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=30)
PROGRESS_EVERY = 2.0
"""Seconds between two saves of the progress within a piece."""
UNFINISHED = (TranscriptStatus.PENDING, TranscriptStatus.RUNNING)


class TranscriptJobs:
    """Runs transcripts in the background of this process: at most one task per session."""

    def __init__(self, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.tasks: dict[int, asyncio.Task[TranscriptStatus | None]] = {}

    async def start(self) -> None:
        async with self.sessionmaker() as db:
            unfinished = await db.scalars(
                select(SessionTranscript.session_id).where(SessionTranscript.status.in_(UNFINISHED))
            )
            for session_id in list(unfinished):
                self.launch(session_id)

    async def close(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        self.tasks.clear()

    async def again(self, session_id: int) -> None:
        """Put a failed transcript, or one that had no model, back in line and start it where it stopped (without a
        model it says so again at once)."""
        configured = bool(self.settings.asr_model)
        async with self.sessionmaker() as db:
            await db.execute(
                update(SessionTranscript)
                .where(
                    SessionTranscript.session_id == session_id,
                    SessionTranscript.status.in_((TranscriptStatus.FAILED, TranscriptStatus.UNCONFIGURED)),
                )
                .values(
                    status=TranscriptStatus.PENDING if configured else TranscriptStatus.UNCONFIGURED,
                    error="",
                    updated_at=utcnow(),
                )
            )
            await db.commit()
            known = await db.get(SessionTranscript, session_id) is not None
        if configured or not known:
            self.launch(session_id)

    def launch(self, session_id: int) -> asyncio.Task[TranscriptStatus | None]:
        running = self.tasks.get(session_id)
        if running is not None and not running.done():
            return running
        task = asyncio.create_task(self.run(session_id), name=f"transcript-{session_id}")
        self.tasks[session_id] = task
        task.add_done_callback(
            lambda done: self.tasks.pop(session_id, None) if self.tasks.get(session_id) is done else None
        )
        return task

    def speech_settings(self) -> SpeechSettings:
        return SpeechSettings(
            model=Path(self.settings.asr_model),
            language=self.settings.asr_language,
            threads=self.settings.asr_threads,
            compute_type=self.settings.asr_compute_type,
            nice=self.settings.asr_nice,
        )

    async def run(self, session_id: int) -> TranscriptStatus | None:
        """Transcribe the session's video to the end; None if it is not archived yet, is finished, or another
        process has it."""
        row = await self._claim(session_id)
        if row is None:
            return None
        if not self.settings.asr_model:
            await self._save(session_id, status=TranscriptStatus.UNCONFIGURED, error="", lease_until=None)
            return TranscriptStatus.UNCONFIGURED
        speech = self.speech_settings()
        problem = await asyncio.to_thread(model_problem, speech.model)
        if problem:
            await self._save(session_id, status=TranscriptStatus.FAILED, error=problem, lease_until=None)
            return TranscriptStatus.FAILED
        try:
            pieces, done = await self._plan(session_id, row, speech)
            await self._transcribe(session_id, pieces, done, speech)
        except asyncio.CancelledError:
            await asyncio.shield(self._save(session_id, status=TranscriptStatus.PENDING, lease_until=None))
            raise
        except Exception as exc:
            log.exception("transcript of session %s failed", session_id)
            error = str(exc) or type(exc).__name__
            await self._save(session_id, status=TranscriptStatus.FAILED, error=error, lease_until=None)
            return TranscriptStatus.FAILED
        await self._save(session_id, status=TranscriptStatus.DONE, error="", lease_until=None)
        return TranscriptStatus.DONE

    async def _claim(self, session_id: int) -> SessionTranscript | None:
        now = utcnow()
        async with self.sessionmaker() as db:
            archive = await db.get(SessionArchive, session_id)
            if archive is None or archive.status is not ArchiveStatus.DONE:
                return None
            if await db.get(SessionTranscript, session_id) is None:
                db.add(SessionTranscript(session_id=session_id))
                try:
                    await db.commit()
                except IntegrityError:
                    await db.rollback()
            claimed = await db.execute(
                update(SessionTranscript)
                .where(
                    SessionTranscript.session_id == session_id,
                    SessionTranscript.status.in_(UNFINISHED),
                    or_(SessionTranscript.lease_until.is_(None), SessionTranscript.lease_until < now),
                )
                .values(
                    status=TranscriptStatus.RUNNING,
                    lease_until=now + LEASE,
                    attempts=SessionTranscript.attempts + 1,
                    error="",
                    updated_at=now,
                )
            )
            await db.commit()
            if claimed.rowcount != 1:
                return None
            return await db.get(SessionTranscript, session_id, populate_existing=True)

    async def _plan(
        self, session_id: int, row: SessionTranscript, speech: SpeechSettings
    ) -> tuple[list[PlannedPiece], set[str]]:
        """The stored plan, or a new one from the speaker log and the recording: a new model or language starts
        over, unless staff have corrected some of the text already (that is never thrown away)."""
        async with self.sessionmaker() as db:
            corrected = await db.scalar(
                select(TranscriptSegment.id)
                .where(TranscriptSegment.session_id == session_id, TranscriptSegment.corrected.is_not(None))
                .limit(1)
            )
        same = row.model == str(speech.model) and row.language == speech.language
        if row.pieces and (same or corrected is not None):
            return [PlannedPiece.of(piece) for piece in row.pieces], set(row.done)
        async with self.sessionmaker() as db:
            session = await db.get(CouncilSession, session_id)
            archive = await db.get(SessionArchive, session_id)
            assert session is not None and archive is not None
            record = await session_record(db, session_id)
            chair, duration = session.chair_member_id, archive.duration_ms / 1000
        pieces: list[PlannedPiece] = []
        if archive.video:
            manifest = await asyncio.to_thread(
                RecordingManifest.load, storage.recording_dir(self.settings, session_id) / MANIFEST_NAME
            )
            clock = VideoClock(recorded_parts(manifest))
            pieces = pieces_of(turns_of(record, clock, chair, duration), speech.piece_seconds)
        async with self.sessionmaker() as db:
            await db.execute(delete(TranscriptSegment).where(TranscriptSegment.session_id == session_id))
            await db.execute(
                update(SessionTranscript)
                .where(SessionTranscript.session_id == session_id)
                .values(
                    model=str(speech.model),
                    language=speech.language,
                    pieces=[piece.as_dict() for piece in pieces],
                    done=[],
                    total_ms=round(sum(piece.end - piece.start for piece in pieces) * 1000),
                    done_ms=0,
                    updated_at=utcnow(),
                )
            )
            await db.commit()
        return pieces, set()

    async def _transcribe(
        self, session_id: int, pieces: list[PlannedPiece], done: set[str], speech: SpeechSettings
    ) -> None:
        remaining = [piece for piece in pieces if piece.key not in done]
        if not remaining:
            return
        by_key = {piece.key: piece for piece in remaining}
        done_seconds = sum(piece.end - piece.start for piece in pieces if piece.key in done)
        loop = asyncio.get_running_loop()
        saved_at = loop.time()
        video = storage.video_path(self.settings, session_id)
        work = [SpeechPiece(piece.key, piece.start, piece.end) for piece in remaining]
        async with contextlib.aclosing(transcribe(video, work, speech)) as events:
            async for event in events:
                if isinstance(event, Progress):
                    if loop.time() - saved_at >= PROGRESS_EVERY:
                        saved_at = loop.time()
                        into = min(
                            max(event.at - by_key[event.key].start, 0.0),
                            by_key[event.key].end - by_key[event.key].start,
                        )
                        done_ms = round((done_seconds + into) * 1000)
                        await self._save(session_id, done_ms=done_ms, lease_until=utcnow() + LEASE)
                elif isinstance(event, PieceText):
                    piece = by_key[event.key]
                    done_seconds += piece.end - piece.start
                    done.add(piece.key)
                    await self._store(session_id, piece, event, sorted(done), round(done_seconds * 1000))

    async def _store(
        self, session_id: int, piece: PlannedPiece, text: PieceText, done: list[str], done_ms: int
    ) -> None:
        async with self.sessionmaker() as db:
            await db.execute(
                delete(TranscriptSegment).where(
                    TranscriptSegment.session_id == session_id, TranscriptSegment.piece == piece.key
                )
            )
            for segment in text.segments:
                for turn, said in split_by_turns(segment, piece.turns):
                    db.add(
                        TranscriptSegment(
                            session_id=session_id,
                            piece=piece.key,
                            speech_id=turn.speech_id,
                            member_id=turn.member_id,
                            chair=turn.chair,
                            start_ms=round(said.start * 1000),
                            end_ms=round(said.end * 1000),
                            text=said.text,
                            confidence=said.confidence,
                            words=said.as_dict()["words"],
                            folded=index_form(said.text),
                        )
                    )
            await db.execute(
                update(SessionTranscript)
                .where(SessionTranscript.session_id == session_id)
                .values(done=done, done_ms=done_ms, lease_until=utcnow() + LEASE, updated_at=utcnow())
            )
            await db.commit()

    async def _save(self, session_id: int, **values: object) -> None:
        async with self.sessionmaker() as db:
            await db.execute(
                update(SessionTranscript)
                .where(SessionTranscript.session_id == session_id)
                .values(**values, updated_at=utcnow())
            )
            await db.commit()
