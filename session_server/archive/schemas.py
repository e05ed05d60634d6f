"""Bodies and answers of the archive and minutes routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from session_server.auth.schemas import Strict
from session_server.db.models import ArchiveChapter
from session_server.documents.schemas import PublicDocumentOut

Text = Annotated[str, Field(max_length=4000)]


class MinutesEdit(Strict):
    """Staff's text: speech summaries by speech id, notes by agenda item id, closing notes; an empty text removes."""

    summaries: dict[int, Text] = Field(default_factory=dict, max_length=2000)
    item_notes: dict[int, Text] = Field(default_factory=dict, max_length=500)
    notes: str | None = Field(None, max_length=20000)


class MinutesReopen(Strict):
    """Why approved minutes go back to draft: kept in the session's audit log with who reopened them and when."""

    reason: str = Field(min_length=3, max_length=2000)


class ChapterOut(BaseModel):
    number: int
    kind: str
    start: float
    end: float
    title: str
    agenda_item_id: int | None
    speech_id: int | None

    @classmethod
    def of(cls, chapter: ArchiveChapter) -> ChapterOut:
        return cls(
            number=chapter.number,
            kind=chapter.kind,
            start=chapter.start_ms / 1000,
            end=chapter.end_ms / 1000,
            title=chapter.title,
            agenda_item_id=chapter.agenda_item_id,
            speech_id=chapter.speech_id,
        )


class VideoOut(BaseModel):
    url: str
    poster_url: str | None
    chapters_vtt_url: str
    duration: float


class ArchiveOut(BaseModel):
    session_id: int
    status: str
    steps: dict[str, str]
    attempts: int
    error: str
    video: VideoOut | None
    chapters: list[ChapterOut]
    minutes_status: str | None
    published_at: datetime | None


class SignatureOut(BaseModel):
    ok: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: str | None
    coverage: str
    problem: str = ""


class ReopeningOut(BaseModel):
    at: datetime
    by: str
    reason: str


class MinutesOut(BaseModel):
    session_id: int
    status: str
    revision: int
    minutes: dict[str, Any]
    edits: dict[str, Any]
    signature: SignatureOut | None
    approved_at: datetime | None
    published_at: datetime | None
    pdf_url: str
    reopened: ReopeningOut | None = None
    """The latest reopening of approved minutes, if they were ever reopened."""


class VoteOut(BaseModel):
    agenda_item_id: int
    motion_id: int
    title: str
    ballot_type: str
    passed: bool
    text_vi: str
    text_en: str
    named: list[dict[str, str]]


class PublicMinutesOut(BaseModel):
    pdf_url: str
    signature: SignatureOut | None
    approved_at: datetime | None


class PublicSessionOut(BaseModel):
    id: int
    council_id: int
    title: str
    kind: str
    public: bool
    place: str
    opened_at: str | None
    has_video: bool
    published_at: datetime | None


class PublicArchiveOut(PublicSessionOut):
    council_name: str
    closed_at: str | None
    video: VideoOut | None
    chapters: list[ChapterOut]
    votes: list[VoteOut]
    minutes: PublicMinutesOut | None
    documents: list[PublicDocumentOut]
