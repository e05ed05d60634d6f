"""When a document page was on the hall's screen, as a time in the session's archived video: a search hit on that
page links to the moment it was presented."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media.outputs.recording import MANIFEST_NAME, RecordingManifest
from session_server.archive import storage
from session_server.archive.chapters import VideoClock, recorded_parts
from session_server.db.models import Event, SessionArchive
from session_server.settings import Settings

SHOWN = ("doc.shown", "doc.page")


def _manifest(settings: Settings, session_id: int) -> RecordingManifest | None:
    path = storage.recording_dir(settings, session_id) / MANIFEST_NAME
    return RecordingManifest.load(path) if path.exists() else None


async def shown_at(db: AsyncSession, settings: Settings, session_id: int, document_id: int, page: int) -> float | None:
    """Seconds into the published video when `page` of the document was first shown, or None (never shown, or the
    session has no published video)."""
    archive = await db.get(SessionArchive, session_id)
    if archive is None or archive.published_at is None or not archive.video:
        return None
    events = await db.execute(
        select(Event.at, Event.data).where(Event.session_id == session_id, Event.type.in_(SHOWN)).order_by(Event.seq)
    )
    when = next(
        (at for at, data in events if data.get("document_id") == document_id and data.get("page") == page), None
    )
    if when is None:
        return None
    manifest = await asyncio.to_thread(_manifest, settings, session_id)
    if manifest is None or not manifest.parts:
        return None
    return VideoClock(recorded_parts(manifest)).at(when)
