"""Bodies and answers of the transcript routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from session_server.auth.schemas import Strict
from session_server.db.models import TranscriptSegment


class SegmentEdit(Strict):
    """Staff's text for a segment; null (or the machine's own text) goes back to the machine's."""

    text: str | None = Field(max_length=4000)


class WordOut(BaseModel):
    word: str
    start: float
    end: float
    probability: float


class SegmentOut(BaseModel):
    id: int
    start: float
    end: float
    text: str
    """What the segment reads: staff's correction if there is one, else the machine's text."""
    machine_text: str
    corrected: bool
    confidence: float
    words: list[WordOut]

    @classmethod
    def of(cls, segment: TranscriptSegment) -> SegmentOut:
        return cls(
            id=segment.id,
            start=segment.start_ms / 1000,
            end=segment.end_ms / 1000,
            text=segment.current_text,
            machine_text=segment.text,
            corrected=segment.corrected is not None,
            confidence=segment.confidence,
            words=[WordOut(**word) for word in segment.words],
        )


class BlockOut(BaseModel):
    """One turn's segments: a speech (with its id and kind) or the chair between speeches."""

    speech_id: int | None
    member_id: int | None
    speaker: str
    chair: bool
    kind: str | None
    start: float
    end: float
    segments: list[SegmentOut]


class TranscriptOut(BaseModel):
    session_id: int
    status: str
    """pending, running, done, failed, or unconfigured (no speech model is set)."""
    progress: float
    """0 to 1: the share of the turns' time transcribed."""
    error: str
    language: str
    low_confidence: float
    """Words the model gave a lower probability than this are marked for review."""
    published_at: datetime | None
    captions_url: str
    blocks: list[BlockOut]


class HitOut(BaseModel):
    """A segment of a published transcript, for the public: where it is in the video, who spoke, what was said."""

    start: float
    end: float
    speaker: str
    text: str
