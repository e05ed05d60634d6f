"""Bodies of the session-setup routes (staff prepare a session, its agenda and motions before it opens)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from session_server.auth.schemas import Strict
from session_server.db.models import AgendaKind, BallotType, SessionKind

RuleName = Literal["more_than_half_of_total", "two_thirds_of_total"]


class SessionIn(Strict):
    title: str = Field(min_length=3, max_length=300)
    kind: SessionKind = SessionKind.REGULAR
    public: bool = True
    starts_at: datetime | None = None
    place: str = Field("", max_length=300)
    chair_member_id: int | None = Field(None, ge=1)
    secretary_member_id: int | None = Field(None, ge=1)


class SessionPatch(Strict):
    title: str | None = Field(None, min_length=3, max_length=300)
    kind: SessionKind | None = None
    public: bool | None = None
    starts_at: datetime | None = None
    place: str | None = Field(None, max_length=300)
    chair_member_id: int | None = Field(None, ge=1)
    secretary_member_id: int | None = Field(None, ge=1)
    status: Literal["draft", "scheduled"] | None = None


class AgendaItemIn(Strict):
    title: str = Field(min_length=3, max_length=500)
    kind: AgendaKind = AgendaKind.OTHER
    presenter: str = Field("", max_length=200)
    position: int | None = Field(None, ge=1, description="where to insert; the end if left out")


class AgendaItemPatch(Strict):
    title: str | None = Field(None, min_length=3, max_length=500)
    kind: AgendaKind | None = None
    presenter: str | None = Field(None, max_length=200)
    position: int | None = Field(None, ge=1)


class MotionIn(Strict):
    title: str = Field(min_length=3, max_length=500)
    ballot_type: BallotType = BallotType.OPEN
    rule: RuleName = "more_than_half_of_total"
