"""Where the archive's files live: `data_dir/archive/<session_id>/`; recordings are where media writes them."""

from __future__ import annotations

from pathlib import Path

from session_server.settings import Settings

VIDEO_NAME = "session"
SIGNED_MINUTES = "minutes.pdf"
MINUTES_JSON = "minutes.json"


def archive_dir(settings: Settings, session_id: int) -> Path:
    return settings.data_dir / "archive" / str(session_id)


def recording_dir(settings: Settings, session_id: int) -> Path:
    """The recording media's RTMP ingest writes (see media.ingest.rtmp.RtmpIngestSettings.for_data_dir)."""
    return settings.data_dir / "recordings" / str(session_id)


def video_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / f"{VIDEO_NAME}.mp4"


def chapters_vtt_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / f"{VIDEO_NAME}.chapters.vtt"


def chapters_json_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / f"{VIDEO_NAME}.chapters.json"


def poster_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / f"{VIDEO_NAME}.jpg"


def signed_minutes_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / SIGNED_MINUTES


def minutes_json_path(settings: Settings, session_id: int) -> Path:
    return archive_dir(settings, session_id) / MINUTES_JSON


def prepared_minutes_path(settings: Settings, session_id: int) -> Path:
    """The minutes prepared for an external signature, waiting for the signer's tool to return it."""
    return archive_dir(settings, session_id) / "minutes-prepared.pdf"


def withdrawn_minutes_path(settings: Settings, session_id: int, seq: int) -> Path:
    """Signed minutes taken back by the reopening logged as event `seq`: kept, never served."""
    return archive_dir(settings, session_id) / f"minutes-withdrawn-{seq}.pdf"
