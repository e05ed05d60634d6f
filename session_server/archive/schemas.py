"""Bodies and answers of the archive and minutes routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr

from session_server.auth.schemas import Strict
from session_server.db.models import ArchiveChapter
from session_server.documents.schemas import PublicDocumentOut

Text = Annotated[str, Field(max_length=4000)]


class MinutesEdit(Strict):
    """Staff's text: speech summaries by speech id, notes by agenda item id, closing notes, and the minutes' number
    in the office's register ("Số: 05/BB-HĐND"); an empty text removes, a null number clears. `sources` says per
    speech whether the minutes carry its transcript or its summary."""

    summaries: dict[int, Text] = Field(default_factory=dict, max_length=2000)
    sources: dict[int, Literal["transcript", "summary", ""]] = Field(default_factory=dict, max_length=2000)
    item_notes: dict[int, Text] = Field(default_factory=dict, max_length=500)
    notes: str | None = Field(None, max_length=20000)
    number: int | None = Field(None, ge=1, le=999999)


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
    """One signature on the minutes: who (their role in the session, the certificate's name), how, when (the
    signer's clock and the timestamp server's), and the check: intact, valid, chaining to a trusted root, and what
    changed after it ("none", "signatures": only later signatures and validation data, "other")."""

    role: str
    mode: str
    field: str
    signer: str
    signed_at: str | None
    timestamp: str | None
    timestamp_valid: bool
    intact: bool
    valid: bool
    trusted: bool
    changed_after: str
    ok: bool
    problem: str = ""


class PendingOut(BaseModel):
    role: str
    signer: str
    prepared_at: datetime


class SigningOut(BaseModel):
    """Where the signing stands: who signs next, whether the caller is that person, the ways they can sign."""

    next_role: str | None
    """"secretary", then "chair"; None before approval and once both have signed."""
    secretary: str
    chair: str
    your_role: str | None
    token_signing: bool
    """The server has a PKCS#11 token or HSM to sign with."""
    timestamp: bool
    """Signatures get an RFC 3161 timestamp."""
    seal_allowed: bool
    pending: PendingOut | None


class TokenSign(Strict):
    """Sign with a key on the server's token or HSM; the PIN is used for this signature only and never kept."""

    token_label: str = Field(min_length=1, max_length=32)
    key_label: str = Field(min_length=1, max_length=200)
    pin: SecretStr = Field(min_length=1, max_length=64)


class ExternalPrepare(Strict):
    """The signer's certificate (PEM, or base64 DER) and optionally its chain, as their signing tool gives them."""

    certificate: str = Field(min_length=20, max_length=20000)
    chain: list[Annotated[str, Field(max_length=20000)]] = Field(default_factory=list, max_length=5)


class ExternalPrepared(BaseModel):
    """What the signer's tool signs: the SHA-256 digest of the prepared PDF's byte range (for tools that make a
    CMS signature), or the DER of the CMS signed attributes (for tools that sign raw data), both base64."""

    role: str
    algorithm: str
    digest: str
    digest_hex: str
    signed_attributes: str
    prepared_at: datetime


class ExternalFinish(Strict):
    """What the signer's tool returned: a detached CMS/PKCS#7 signature (base64 DER or PEM), or a raw signature
    (base64) over the signed attributes; exactly one."""

    cms: str | None = Field(None, min_length=8, max_length=200000)
    signature: str | None = Field(None, min_length=8, max_length=20000)


class ToSignOut(BaseModel):
    """Minutes the caller signs as their session's secretary or chair, and whose turn it is."""

    session_id: int
    title: str
    council_name: str
    your_role: str
    next_role: str | None
    approved_at: datetime | None


class TokenKeyOut(BaseModel):
    label: str
    signer: str
    not_after: str


class TokenOut(BaseModel):
    label: str
    manufacturer: str
    model: str
    keys: list[TokenKeyOut]


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
    signatures: list[SignatureOut]
    signing: SigningOut
    approved_at: datetime | None
    published_at: datetime | None
    pdf_url: str
    docx_url: str
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
    verdict_vi: str
    verdict_en: str
    named: list[dict[str, str]]


class PublicMinutesOut(BaseModel):
    pdf_url: str
    signatures: list[SignatureOut]
    approved_at: datetime | None


class ChainHeadOut(BaseModel):
    seq: int
    hash: str


class PublicRecordOut(BaseModel):
    """The session's public record to download and check, and the head of its chain the signed minutes anchor."""

    url: str
    anchored_head: ChainHeadOut | None


class PublicSessionOut(BaseModel):
    id: int
    url: str
    """The session's short public address."""
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
    record: PublicRecordOut | None = None
