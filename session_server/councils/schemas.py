"""Bodies of the council, member and session routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from session_server.auth.schemas import Strict
from session_server.db.models import AgendaKind, BallotType, MotionKind, MotionStatus, SessionKind, SessionStatus


class CouncilIn(Strict):
    name: str = Field(min_length=3, max_length=200)
    short_name: str = Field("", max_length=100)
    term: str = Field("", max_length=20)
    total_delegates: int = Field(ge=1, le=1000)
    timezone: str = Field("Asia/Ho_Chi_Minh", max_length=64)


class CouncilPatch(Strict):
    name: str | None = Field(None, min_length=3, max_length=200)
    short_name: str | None = Field(None, max_length=100)
    term: str | None = Field(None, max_length=20)
    total_delegates: int | None = Field(None, ge=1, le=1000)
    timezone: str | None = Field(None, max_length=64)


class CouncilOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    short_name: str
    term: str
    total_delegates: int
    timezone: str


class MemberIn(Strict):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[\w.-]+$")
    full_name: str = Field(min_length=2, max_length=200)
    title: str = Field("", max_length=200)
    group: str = Field("", max_length=200)
    committee: str = Field("", max_length=200)
    in_office: bool = True


class MemberPatch(Strict):
    full_name: str | None = Field(None, min_length=2, max_length=200)
    title: str | None = Field(None, max_length=200)
    group: str | None = Field(None, max_length=200)
    committee: str | None = Field(None, max_length=200)
    in_office: bool | None = None


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    council_id: int
    code: str
    full_name: str
    title: str
    group: str
    committee: str
    in_office: bool


class ImportResult(BaseModel):
    created: int
    updated: int


class OptionOut(BaseModel):
    key: Annotated[str, BeforeValidator(str)]
    name: str
    title: str = ""


class MotionSettingsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: MotionKind
    ballot_type: BallotType
    rule: str
    options: list[OptionOut]
    seats: int
    countdown_seconds: int | None
    allow_change: bool
    requires_quorum: bool


class BallotTemplateOut(MotionSettingsOut):
    id: int
    council_id: int
    name: str


class MotionOut(MotionSettingsOut):
    id: int
    agenda_item_id: int
    position: int
    title: str
    status: MotionStatus


class AgendaItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    position: int
    title: str
    kind: AgendaKind
    presenter: str
    motions: list[MotionOut]


class SessionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    council_id: int
    title: str
    kind: SessionKind
    status: SessionStatus
    public: bool
    starts_at: datetime | None
    place: str
    chair_member_id: int | None
    secretary_member_id: int | None


class SessionDetailOut(SessionOut):
    agenda: list[AgendaItemOut]
