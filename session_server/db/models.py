"""The persisted domain (DESIGN.md §4). Tables for documents, ballots and media come with their features."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    select,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from session_server.public.slugs import first_free, slugify
from voting import Kind

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; SQLite keeps no zone, so what it hands back is marked UTC again."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON}  # noqa: RUF012 - read by SQLAlchemy


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda members: [m.value for m in members])


class Role(enum.StrEnum):
    ADMIN = "admin"
    SECRETARY = "secretary"
    DELEGATE = "delegate"
    AGENCY = "agency"
    """An agency that resolves voter petitions (cơ quan giải quyết): it sees and answers only what it is assigned."""


class SessionKind(enum.StrEnum):
    REGULAR = "regular"
    THEMATIC = "thematic"
    EXTRAORDINARY = "extraordinary"
    STANDING_COMMITTEE = "standing_committee"


class SessionStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    LIVE = "live"
    PAUSED = "paused"
    ENDED = "ended"
    ARCHIVED = "archived"


class AgendaKind(enum.StrEnum):
    REPORT = "report"
    DRAFT_RESOLUTION = "draft_resolution"
    QUESTIONING = "questioning"
    DISCUSSION = "discussion"
    VOTE = "vote"
    OTHER = "other"


class BallotType(enum.StrEnum):
    OPEN = "open"
    NAMED = "named"
    SECRET = "secret"


MotionKind = Kind
"""What a motion is: the kinds the voting rules know (`voting.Kind`)."""


class MotionStatus(enum.StrEnum):
    PENDING = "pending"
    OPEN = "open"
    CLOSED = "closed"


class AttendanceStatus(enum.StrEnum):
    """Where a delegate stands in a session's attendance, as the minutes record it.

    Present (có mặt) and late (đến muộn) count as present, for the quorum and for voting; a delegate who left early
    (về sớm) is no longer present, nor is one absent with a reason (vắng có lý do) or without (vắng).
    """

    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT_WITH_REASON = "absent_with_reason"
    ABSENT = "absent"

    @property
    def counts_as_present(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class SpeechKind(enum.StrEnum):
    DISCUSSION = "discussion"
    QUESTION = "question"
    DEBATE = "debate"
    POINT_OF_ORDER = "point_of_order"
    EXPLANATION = "explanation"


class SpeakerStatus(enum.StrEnum):
    QUEUED = "queued"
    SPEAKING = "speaking"
    DONE = "done"
    WITHDRAWN = "withdrawn"
    REMOVED = "removed"


class Council(Base):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The council's address under /public/, given when it is first stored (see `_give_slugs`).
    slug: Mapped[str] = mapped_column(String(80), unique=True, index=True, server_default="")
    short_name: Mapped[str] = mapped_column(String(100), default="")
    term: Mapped[str] = mapped_column(String(20), default="")
    total_delegates: Mapped[int] = mapped_column(Integer)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Ho_Chi_Minh")
    session_rules: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[Member]] = relationship(back_populates="council", order_by="Member.code")


class Member(Base):
    """A delegate (đại biểu) of a council."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("council_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    group: Mapped[str] = mapped_column(String(200), default="")
    committee: Mapped[str] = mapped_column(String(200), default="")
    in_office: Mapped[bool] = mapped_column(Boolean, default=True)

    council: Mapped[Council] = relationship(back_populates="members")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role))
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuthToken(Base):
    """A browser session (cookie) or a paired device's bearer token; only its SHA-256 is stored."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class CouncilSession(Base):
    """A sitting of a council (kỳ họp / phiên họp)."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_council_id_slug", "council_id", "slug", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    # The session's address under its council's, given when it is first stored (see `_give_slugs`).
    slug: Mapped[str] = mapped_column(String(80), server_default="")
    kind: Mapped[SessionKind] = mapped_column(_enum(SessionKind), default=SessionKind.REGULAR)
    status: Mapped[SessionStatus] = mapped_column(_enum(SessionStatus), default=SessionStatus.DRAFT)
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    starts_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(300), default="")
    chair_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    secretary_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    snapshot: Mapped[dict[str, Any]] = mapped_column(default=dict)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    # How the session's audit chain hashes its events (voting.CONTENT_CHAIN for sessions recorded before digests).
    chain_form: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agenda: Mapped[list[AgendaItem]] = relationship(order_by="AgendaItem.position", cascade="all, delete-orphan")


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("session_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[AgendaKind] = mapped_column(_enum(AgendaKind), default=AgendaKind.OTHER)
    presenter: Mapped[str] = mapped_column(String(200), default="")

    motions: Mapped[list[Motion]] = relationship(order_by="Motion.position", cascade="all, delete-orphan")


class MotionSettings:
    """How a motion is voted, shared by motions and the ballot templates they can start from."""

    kind: Mapped[MotionKind] = mapped_column(_enum(MotionKind), default=MotionKind.RESOLUTION)
    ballot_type: Mapped[BallotType] = mapped_column(_enum(BallotType), default=BallotType.OPEN)
    rule: Mapped[str] = mapped_column(String(64), default="more_than_half_of_total")
    options: Mapped[list[Any]] = mapped_column(JSON, default=list)
    seats: Mapped[int] = mapped_column(Integer, default=1)
    allow_change: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_quorum: Mapped[bool] = mapped_column(Boolean, default=True)
    countdown_seconds: Mapped[int | None] = mapped_column(Integer)


class Motion(MotionSettings, Base):
    """What is voted on (a resolution, an amendment, a procedural matter, an election, a confidence vote).

    `options` lists the candidates of an election or the officials of a confidence vote or poll; thresholds are data
    (`rule`), so a council's own session rules can differ from the defaults.
    """

    __tablename__ = "motions"
    __table_args__ = (UniqueConstraint("agenda_item_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    status: Mapped[MotionStatus] = mapped_column(_enum(MotionStatus), default=MotionStatus.PENDING)
    opened_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class BallotTemplate(MotionSettings, Base):
    """A council's reusable motion settings: the kind, ballot, rule, candidates or officials, countdown and whether
    a vote may be changed, for staff to start a motion from (the list of officials of a yearly confidence poll)."""

    __tablename__ = "ballot_templates"
    __table_args__ = (UniqueConstraint("council_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(Base):
    """Điểm danh: one row per member and session, the latest status; `checked_in_at` is the delegate's own latest
    check-in from their tablet, which the status may not follow (staff marked them otherwise before they came)."""

    __tablename__ = "attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus))
    reason: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    checked_in_at: Mapped[datetime | None]


class SpeakerRequest(Base):
    """A request for the floor and, once granted, the speech itself with its start, deadline and end."""

    __tablename__ = "speaker_requests"
    __table_args__ = (Index("ix_speaker_requests_session_status", "session_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    kind: Mapped[SpeechKind] = mapped_column(_enum(SpeechKind))
    status: Mapped[SpeakerStatus] = mapped_column(_enum(SpeakerStatus), default=SpeakerStatus.QUEUED)
    position: Mapped[int] = mapped_column(Integer)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    deadline: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    limit_seconds: Mapped[int | None] = mapped_column(Integer)


class Ballot(Base):
    """A delegate's choice in an open or named vote; one row per delegate and motion, whatever the concurrency."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("motion_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(200))
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime | None]


class BallotReceipt(Base):
    """Proof that a delegate voted in a secret ballot, at most once; it says nothing of the choice."""

    __tablename__ = "ballot_receipts"
    __table_args__ = (UniqueConstraint("motion_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))


class SecretTally(Base):
    """A secret vote's running tally: its counters sealed under a key of this vote (votes/sealed.py), rewritten
    whole by every ballot; there is no row per ballot, so nothing stored says which ballot chose what."""

    __tablename__ = "secret_tallies"

    motion_id: Mapped[int] = mapped_column(ForeignKey("motions.id", ondelete="CASCADE"), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class Event(Base):
    """The append-only log of a live session; (session_id, seq) settles races between processes."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_session_type", "session_id", "type"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    type: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # Whether the public record shows the event whole; otherwise it shows only the event's digest.
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Random, part of the hashed content (voting/audit.py); empty for events recorded before digests.
    salt: Mapped[str] = mapped_column(String(32), default="", server_default="")

    @property
    def actor(self) -> int | None:
        return self.actor_user_id


class Classification(enum.StrEnum):
    """Who may read a document. State secrets (tài liệu mật) are not stored at all: the law bars them from networks."""

    PUBLIC = "public"
    INTERNAL = "internal"
    RESTRICTED = "restricted"


class DocumentKind(enum.StrEnum):
    SUBMISSION = "submission"
    REPORT = "report"
    REVIEW_REPORT = "review_report"
    DRAFT_RESOLUTION = "draft_resolution"
    OTHER = "other"


class Document(Base):
    """A session document; `version` names its current DocumentVersion, the one tablets show."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[DocumentKind] = mapped_column(_enum(DocumentKind), default=DocumentKind.OTHER)
    classification: Mapped[Classification] = mapped_column(_enum(Classification))
    version: Mapped[int] = mapped_column(Integer, default=1)
    page_count: Mapped[int] = mapped_column(Integer)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]


class DocumentVersion(Base):
    """One uploaded file of a document; replaced versions stay in the record."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer)
    outline: Mapped[list[Any]] = mapped_column(JSON, default=list)
    uploaded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


# PostgreSQL's full-text configuration for document pages and for queries: 'simple' splits at spaces and lower-cases,
# without stemming or stop words, so it sees the words session_server.text folded and nothing else.
TEXT_SEARCH_CONFIG = "'simple'::regconfig"


class DocumentPage(Base):
    """The text of one page of one version; the full-text index reads `folded` (see session_server.text)."""

    __tablename__ = "document_pages"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("document_versions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text)
    # PostgreSQL only (migration 0007; SQLite indexes `folded` with FTS5): the words of `folded`, kept by the database.
    folded_fts: Mapped[str] = mapped_column(
        TSVECTOR, Computed(f"to_tsvector({TEXT_SEARCH_CONFIG}, folded)", persisted=True), deferred=True
    )


class PageNote(Base):
    """A private note (text, optional ink strokes) on a page of a session document; only its author reads it."""

    __tablename__ = "page_notes"
    __table_args__ = (Index("ix_page_notes_user_document", "user_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    page: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    ink: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class StreamKey(Base):
    """A session's RTMP stream key (also its WHIP bearer token); only its SHA-256 and last characters are stored."""

    __tablename__ = "stream_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(8))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class MediaStream(Base):
    """Staff's choices for a session's stream: where to relay it (a platform's RTMP or RTMPS URL with its key)."""

    __tablename__ = "media_streams"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    relay_url: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArchiveStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class SessionArchive(Base):
    """The after-session job of a closed session and what it made: one MP4, its chapters, the search text.

    `steps` maps each finished step to when it finished: a job cut short (a crash, a restart) resumes at the first
    step not in it. `lease_until` keeps two processes from running the same job at once.
    """

    __tablename__ = "session_archives"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[ArchiveStatus] = mapped_column(_enum(ArchiveStatus), default=ArchiveStatus.PENDING)
    steps: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    lease_until: Mapped[datetime | None]
    video: Mapped[str] = mapped_column(String(200), default="")
    duration_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    poster: Mapped[bool] = mapped_column(Boolean, default=False)
    folded: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ArchiveChapter(Base):
    """A span of the archived video: an agenda item or a speech, in milliseconds from the video's start."""

    __tablename__ = "archive_chapters"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    start_ms: Mapped[int] = mapped_column(BigInteger)
    end_ms: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(500))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    speech_id: Mapped[int | None] = mapped_column(ForeignKey("speaker_requests.id", ondelete="SET NULL"))


class TranscriptStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    UNCONFIGURED = "unconfigured"
    """No speech model is set in this deployment."""


class SessionTranscript(Base):
    """Speech to text of a session's archived video, turn by turn as the speaker log cut it.

    `pieces` is the plan (spans of the video with who had the floor), fixed when the work starts; `done` lists the
    pieces whose segments are stored, so a restart carries on with the next one. `done_ms` of `total_ms` is the
    progress shown to staff.
    """

    __tablename__ = "session_transcripts"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[TranscriptStatus] = mapped_column(_enum(TranscriptStatus), default=TranscriptStatus.PENDING)
    model: Mapped[str] = mapped_column(String(500), default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    pieces: Mapped[list[Any]] = mapped_column(JSON, default=list)
    done: Mapped[list[Any]] = mapped_column(JSON, default=list)
    total_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    done_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    lease_until: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranscriptSegment(Base):
    """A stretch of speech in the archived video: the machine's text and confidence, the speaker from the log, and
    staff's correction beside the machine's text. `folded` is the text as searched (the correction if any)."""

    __tablename__ = "transcript_segments"
    __table_args__ = (Index("ix_transcript_segments_session_start", "session_id", "start_ms"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    piece: Mapped[str] = mapped_column(String(64))
    speech_id: Mapped[int | None] = mapped_column(ForeignKey("speaker_requests.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    chair: Mapped[bool] = mapped_column(Boolean, default=False)
    start_ms: Mapped[int] = mapped_column(BigInteger)
    end_ms: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    words: Mapped[list[Any]] = mapped_column(JSON, default=list)
    corrected: Mapped[str | None] = mapped_column(Text)
    corrected_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime | None]
    folded: Mapped[str] = mapped_column(Text, default="")

    @property
    def current_text(self) -> str:
        return self.text if self.corrected is None else self.corrected


class MinutesStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class Minutes(Base):
    """Biên bản: `content` is drafted from the record, `edits` holds staff's text. Approval fixes the PDF; then the
    secretary and the chair sign it, each signature listed in `signatures` (who, how, its check); `signing` keeps
    where each signature goes and an external signature under way."""

    __tablename__ = "minutes"

    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[MinutesStatus] = mapped_column(_enum(MinutesStatus), default=MinutesStatus.DRAFT)
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    edits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    signed_sha256: Mapped[str] = mapped_column(String(64), default="")
    signatures: Mapped[list[Any]] = mapped_column(JSON, default=list)
    signing: Mapped[dict[str, Any]] = mapped_column(default=dict)
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


@event.listens_for(Session, "before_flush")
def _give_slugs(db: Session, _context: object, _instances: object) -> None:
    """Every new council and session gets its slug here, whichever code path stores it: the name folded, with a
    number added when another council (or another session of the same council) already has it."""
    new = [row for row in db.new if isinstance(row, Council | CouncilSession) and not row.slug]
    given: set[tuple[int | None, str]] = set()
    with db.no_autoflush:
        for row in new:
            if isinstance(row, Council):
                scope, base, column = None, slugify(row.short_name or row.name, "hoi-dong"), Council.slug
                query = select(column)
            else:
                scope, base, column = row.council_id, slugify(row.title, "ky-hop"), CouncilSession.slug
                query = select(column).where(CouncilSession.council_id == row.council_id)
            stored = set(db.scalars(query.where(column.startswith(base, autoescape=True))))
            row.slug = first_free(
                base, lambda slug, scope=scope, stored=stored: slug in stored or (scope, slug) in given
            )
            given.add((scope, row.slug))
