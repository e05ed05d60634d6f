"""What media reports to its owner: the status of each session's stream."""

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any, Protocol


class StreamStatus(StrEnum):
    WAITING = "waiting"
    """Armed: a publisher may connect."""
    LIVE = "live"
    """Media flows; repeated while live with fresh figures."""
    RECONNECTING = "reconnecting"
    """The publisher went away; the same playlist and recording continue when it comes back."""
    ENDED = "ended"
    """The session's stream is over: playlist closed, recording final."""


@dataclass(frozen=True)
class StreamInfo:
    """Figures about a stream, all optional; ``reason`` explains a drop or an error to a person."""

    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    bitrate_kbps: float | None = None
    publisher: str | None = None
    publishes: int = 0
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}


class MediaEvents(Protocol):
    """Implemented by the owner of media (session_server), which persists and broadcasts these."""

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None: ...


class NullMediaEvents:
    """Drops every report; for tools and tests that do not care."""

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        return None
