"""The voter petitions domain (DESIGN.md §10): voter meetings, petitions with their voters and sources, the agencies
that resolve them, assignments, answers with attachments, and an event log per petition.

Voters' names, addresses and contacts live only in `petition_voters` and `petition_submissions`: staff read them,
agencies and the public never do (Decree 13/2023/NĐ-CP).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from session_server.db.models import Base, _enum, utcnow


class PetitionStatus(enum.StrEnum):
    """received → classified → forwarded → answered → closed, or returned with a reason."""

    RECEIVED = "received"
    CLASSIFIED = "classified"
    FORWARDED = "forwarded"
    ANSWERED = "answered"
    CLOSED = "closed"
    RETURNED = "returned"


class Channel(enum.StrEnum):
    MEETING = "meeting"
    ONLINE = "online"
    LETTER = "letter"
    HOTLINE = "hotline"


class Level(enum.StrEnum):
    """Which level of government must resolve it (two-level local government since 2025)."""

    COMMUNE = "commune"
    PROVINCE = "province"
    CENTRAL = "central"


class MeetingMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"


class Rating(enum.StrEnum):
    """How the voters rated the answer."""

    SATISFIED = "satisfied"
    PARTLY = "partly"
    NOT_SATISFIED = "not_satisfied"


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Agency(Base):
    """A body that resolves petitions (cơ quan giải quyết): the people's committee, a department, a utility."""

    __tablename__ = "petition_agencies"
    __table_args__ = (UniqueConstraint("council_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    level: Mapped[Level] = mapped_column(_enum(Level), default=Level.COMMUNE)
    email: Mapped[str] = mapped_column(String(320), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgencyAccount(Base):
    """An agency user's agency: the petitions it sees and answers are those assigned to this agency."""

    __tablename__ = "petition_agency_accounts"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("petition_agencies.id", ondelete="CASCADE"), index=True)


class VoterMeeting(Base):
    """A meeting of delegates with voters (tiếp xúc cử tri)."""

    __tablename__ = "voter_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300))
    group: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[MeetingMode] = mapped_column(_enum(MeetingMode), default=MeetingMode.IN_PERSON)
    voter_count: Mapped[int] = mapped_column(Integer, default=0)
    member_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    term: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PetitionImport(Base):
    """One imported compilation workbook: the file's name and hash, how many petitions it made."""

    __tablename__ = "petition_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Petition(Base):
    """A voters' petition (ý kiến, kiến nghị cử tri). `agency_id` and `deadline` are those of the current assignment;
    `folded` is the searchable text (session_server.text.index_form of content, field and locality)."""

    __tablename__ = "petitions"
    __table_args__ = (
        # A list shows a council's petitions that were not merged away, newest first, filtered by one of these:
        # each index gives the filter and the order at once, so a page and its count read only what they show.
        Index("ix_petitions_listed", "council_id", "merged_into_id", "id"),
        Index("ix_petitions_by_status", "council_id", "merged_into_id", "status", "id"),
        Index("ix_petitions_by_field", "council_id", "merged_into_id", "field", "id"),
        Index("ix_petitions_by_locality", "council_id", "merged_into_id", "locality", "id"),
        Index("ix_petitions_by_published", "council_id", "merged_into_id", "published", "id"),
        Index("ix_petitions_by_deadline", "council_id", "merged_into_id", "status", "deadline"),
        Index("ix_petitions_agency_deadline", "agency_id", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    content: Mapped[str] = mapped_column(Text)
    folded: Mapped[str] = mapped_column(Text, default="")
    field: Mapped[str] = mapped_column(String(100), default="")
    locality: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.MEETING)
    level: Mapped[Level | None] = mapped_column(_enum(Level))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("petition_agencies.id", ondelete="SET NULL"))
    deadline: Mapped[date | None] = mapped_column(Date)
    status: Mapped[PetitionStatus] = mapped_column(_enum(PetitionStatus), default=PetitionStatus.RECEIVED)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    voter_count: Mapped[int] = mapped_column(Integer, default=1)
    term: Mapped[str] = mapped_column(String(100), default="")
    received_on: Mapped[date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("voter_meetings.id", ondelete="SET NULL"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("petition_imports.id", ondelete="SET NULL"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id", ondelete="SET NULL"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None]
    rating: Mapped[Rating | None] = mapped_column(_enum(Rating))
    rating_note: Mapped[str] = mapped_column(Text, default="")
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PetitionSource(Base):
    """Where a petition came from: a meeting, the online form, a letter, the hotline, an imported row. Merging moves
    the merged petition's sources here, with the text as each source put it."""

    __tablename__ = "petition_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("voter_meetings.id", ondelete="SET NULL"))
    received_on: Mapped[date | None] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(300), default="")
    voter_count: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PetitionVoter(Base):
    """A voter who raised a petition: personal data, for staff only; `erased_at` once erased on request."""

    __tablename__ = "petition_voters"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("petition_sources.id", ondelete="SET NULL"))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    folded_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    erased_at: Mapped[datetime | None]


class Assignment(Base):
    """A petition forwarded to an agency, with its deadline; the latest active one is the petition's."""

    __tablename__ = "petition_assignments"
    __table_args__ = (Index("ix_petition_assignments_agency_active", "agency_id", "active"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("petition_agencies.id", ondelete="CASCADE"))
    deadline: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    assigned_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class Answer(Base):
    """An agency's answer to a petition (the latest one is current)."""

    __tablename__ = "petition_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("petition_agencies.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    answered_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attachment(Base):
    """A file sent with an answer (PDF or image), stored under `data_dir/petitions/<answer>/<id>`."""

    __tablename__ = "petition_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("petition_answers.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))


class PetitionEvent(Base):
    """The log of one petition: who did what, when. Never updated; personal data never goes into `data`."""

    __tablename__ = "petition_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(Base):
    """A petition sent through the public form, waiting for staff to accept it (as a petition) or reject it.

    `challenge` is the proof-of-work challenge it spent (unique: one challenge, one submission); `sender` is a keyed
    hash of the sender's address, kept only to limit how many one address sends.
    """

    __tablename__ = "petition_submissions"
    __table_args__ = (Index("ix_petition_submissions_sender_at", "sender", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    locality: Mapped[str] = mapped_column(String(200), default="")
    full_name: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[SubmissionStatus] = mapped_column(_enum(SubmissionStatus), default=SubmissionStatus.PENDING)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    challenge: Mapped[str] = mapped_column(String(64), unique=True)
    sender: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
