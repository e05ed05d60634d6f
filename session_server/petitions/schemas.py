"""Bodies and answers of the petition routes. Staff answers carry voters' personal data; agency and public answers are
separate models that have no field for it, so it cannot leak by a forgotten filter."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from session_server.auth.schemas import Strict
from session_server.inputs import Id
from session_server.petitions.models import (
    Channel,
    Level,
    MeetingMode,
    PetitionStatus,
    Rating,
    SubmissionStatus,
)

Text = Field(min_length=3, max_length=20000)


class AgencyIn(Strict):
    name: str = Field(min_length=2, max_length=300)
    level: Level = Level.COMMUNE
    email: str = Field("", max_length=320, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")


class AgencyPatch(Strict):
    name: str | None = Field(None, min_length=2, max_length=300)
    level: Level | None = None
    email: str | None = Field(None, max_length=320, pattern=r"^([^@\s]+@[^@\s]+\.[^@\s]+)?$")
    active: bool | None = None


class AgencyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    council_id: int
    name: str
    level: Level
    email: str
    active: bool


class AgencyAccountIn(Strict):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=10, max_length=200)


class MeetingIn(Strict):
    held_on: date
    place: str = Field(min_length=2, max_length=300)
    group: str = Field("", max_length=200)
    mode: MeetingMode = MeetingMode.IN_PERSON
    voter_count: int = Field(0, ge=0, le=1_000_000)
    member_ids: list[Id] = Field(default_factory=list, max_length=1000)
    term: str = Field("", max_length=100)
    note: str = Field("", max_length=4000)


class MeetingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    council_id: int
    held_on: date
    place: str
    group: str
    mode: MeetingMode
    voter_count: int
    member_ids: list[int]
    term: str
    note: str


class VoterIn(Strict):
    full_name: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    contact: str = Field("", max_length=200)


class VoterOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    full_name: str
    address: str
    contact: str
    source_id: int | None
    erased: bool = False


class PetitionIn(Strict):
    content: str = Text
    field: str = Field("", max_length=100)
    locality: str = Field("", max_length=200)
    channel: Channel = Channel.MEETING
    level: Level | None = None
    voter_count: int = Field(1, ge=1, le=1_000_000)
    term: str = Field("", max_length=100)
    received_on: date | None = None
    meeting_id: Id | None = None
    voters: list[VoterIn] = Field(default_factory=list, max_length=500)


class PetitionPatch(Strict):
    content: str | None = Field(None, min_length=3, max_length=20000)
    field: str | None = Field(None, max_length=100)
    locality: str | None = Field(None, max_length=200)
    channel: Channel | None = None
    level: Level | None = None
    voter_count: int | None = Field(None, ge=1, le=1_000_000)
    term: str | None = Field(None, max_length=100)
    received_on: date | None = None


class ClassifyIn(Strict):
    field: str = Field(min_length=1, max_length=100)
    level: Level
    locality: str | None = Field(None, max_length=200)


class ForwardIn(Strict):
    agency_id: Id
    deadline: date


class ReasonIn(Strict):
    reason: str = Field(min_length=3, max_length=4000)


class AnswerIn(Strict):
    text: str = Field(min_length=3, max_length=20000)


class RatingIn(Strict):
    rating: Rating
    note: str = Field("", max_length=4000)


class PublishIn(Strict):
    published: bool


class MergeIn(Strict):
    petition_ids: list[Id] = Field(min_length=1, max_length=200)


class PetitionIds(Strict):
    petition_ids: list[Id] = Field(min_length=1, max_length=500)


class DuplicateQuery(Strict):
    content: str = Field(min_length=3, max_length=20000)


class DuplicateOut(BaseModel):
    id: int
    content: str
    status: PetitionStatus
    locality: str
    score: float


class PetitionOut(BaseModel):
    """A row of the staff list."""

    id: int
    content: str
    field: str
    locality: str
    channel: Channel
    level: Level | None
    agency_id: int | None
    agency_name: str
    deadline: date | None
    status: PetitionStatus
    voter_count: int
    term: str
    received_on: date | None
    published: bool
    overdue: bool
    agenda_item_id: int | None
    rating: Rating | None


class PetitionPage(BaseModel):
    total: int
    """For a search, counted up to 2,001: more than 2,000 reads as "more than 2,000"."""
    page: int
    per_page: int
    items: list[PetitionOut]


class SourceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: Channel
    meeting_id: int | None
    received_on: date | None
    content: str
    reference: str
    voter_count: int


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    agency_id: int
    deadline: date | None
    active: bool
    assigned_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None


class AttachmentOut(BaseModel):
    id: int
    file_name: str
    media_type: str
    size_bytes: int
    url: str


class AnswerOut(BaseModel):
    id: int
    petition_id: int
    agency_id: int | None
    agency_name: str
    text: str
    answered_at: datetime
    attachments: list[AttachmentOut]


class EventOut(BaseModel):
    type: str
    data: dict[str, object]
    actor: str
    at: datetime


class PetitionDetail(PetitionOut):
    """What staff see of one petition: everything, voters included."""

    return_reason: str
    rating_note: str
    meeting_id: int | None
    merged_into_id: int | None
    published_at: datetime | None
    voters: list[VoterOut]
    sources: list[SourceOut]
    assignments: list[AssignmentOut]
    answers: list[AnswerOut]
    events: list[EventOut]


class AssignedOut(BaseModel):
    """What an agency sees of a petition assigned to it: no voter's name, address or contact."""

    id: int
    content: str
    field: str
    locality: str
    level: Level | None
    deadline: date | None
    status: PetitionStatus
    voter_count: int
    overdue: bool
    council_name: str
    agency_name: str
    answers: list[AnswerOut]


class AssignedPage(BaseModel):
    total: int
    page: int
    per_page: int
    items: list[AssignedOut]


class SubmissionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    content: str
    locality: str
    full_name: str
    contact: str
    status: SubmissionStatus
    petition_id: int | None
    reason: str
    created_at: datetime


class SubmissionDecision(Strict):
    accept: bool
    reason: str = Field("", max_length=4000)


class ImportColumn(BaseModel):
    letter: str
    header: str
    target: str


class ImportPreview(BaseModel):
    """What the workbook looks like to HopSo: which row holds the headers, which column means what (a guess the
    secretary corrects), the first rows, and how many there are."""

    token: str
    file_name: str
    sheet: str
    header_row: int
    columns: list[ImportColumn]
    targets: list[str]
    sample: list[dict[str, object]]
    rows: int


class ImportIn(Strict):
    token: str = Field(pattern=r"^[0-9a-f]{32}$")
    mapping: dict[str, str] = Field(max_length=200)
    term: str = Field("", max_length=100)
    meeting_id: Id | None = None
    channel: Channel = Channel.MEETING


class ImportResult(BaseModel):
    import_id: int
    created: int


class DuplicateGroup(BaseModel):
    petition: DuplicateOut
    candidates: list[DuplicateOut]


class AgendaPetitionOut(BaseModel):
    id: int
    content: str
    status: PetitionStatus
    agency_name: str
    agenda_item_id: int


class StatRow(BaseModel):
    key: str
    total: int
    answered: int
    overdue: int


class StatsOut(BaseModel):
    total: int
    answered: int
    overdue: int
    by_field: list[StatRow]
    by_agency: list[StatRow]
    by_level: list[StatRow]
    by_status: list[StatRow]
    by_term: list[StatRow]


class VoterRecord(BaseModel):
    kind: str
    id: int
    petition_id: int | None
    full_name: str
    address: str
    contact: str
    content: str
    created_at: datetime | None


class VoterDataOut(BaseModel):
    """Everything HopSo holds about a person who raised petitions, for an access request under Decree 13/2023."""

    full_name: str
    contact: str
    records: list[VoterRecord]


class VoterDataIn(Strict):
    full_name: str = Field(min_length=2, max_length=200)
    contact: str = Field("", max_length=200)


class ErasedOut(BaseModel):
    erased: int


class PublicAttachment(BaseModel):
    id: int
    file_name: str
    url: str


class PublicDiscussion(BaseModel):
    session_id: int
    session_title: str
    agenda_title: str
    start_ms: int | None


class PublicPetition(BaseModel):
    """A published petition as anyone may read it: never a voter's name, address or contact."""

    id: int
    council_id: int
    content: str
    field: str
    locality: str
    status: PetitionStatus
    level: Level | None
    agency_name: str
    voter_count: int
    received_on: date | None
    answer: str
    answered_at: datetime | None
    attachments: list[PublicAttachment]
    discussed: PublicDiscussion | None


class PublicPage(BaseModel):
    council_name: str
    total: int
    page: int
    per_page: int
    items: list[PublicPetition]
    fields: list[str]
    localities: list[str]


class ChallengeOut(BaseModel):
    """The proof of work the public form asks for: find `nonce` so that SHA-256(challenge + ":" + nonce) starts
    with `bits` zero bits."""

    challenge: str
    bits: int


class PublicSubmissionIn(Strict):
    challenge: str = Field(min_length=10, max_length=300)
    nonce: str = Field(min_length=1, max_length=32, pattern=r"^[0-9]+$")
    content: str = Field(min_length=10, max_length=5000)
    locality: str = Field("", max_length=200)
    full_name: str = Field("", max_length=200)
    contact: str = Field("", max_length=200)
    website: str = Field("", max_length=200)


class SubmissionReceipt(BaseModel):
    received: bool
    message: str
