"""Bodies of the session-setup routes (staff prepare a session, its agenda and motions before it opens)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

import voting
from session_server.auth.schemas import Strict
from session_server.db.models import AgendaKind, BallotType, MotionKind, SessionKind
from session_server.errors import invalid
from session_server.inputs import Id

RuleName = Literal["more_than_half_of_total", "two_thirds_of_total"]
DEFAULT_RULE: dict[MotionKind, RuleName] = {MotionKind.DISMISSAL: "two_thirds_of_total"}


class SessionIn(Strict):
    title: str = Field(min_length=3, max_length=300)
    kind: SessionKind = SessionKind.REGULAR
    public: bool = True
    starts_at: datetime | None = None
    place: str = Field("", max_length=300)
    chair_member_id: Id | None = None
    secretary_member_id: Id | None = None


class SessionPatch(Strict):
    title: str | None = Field(None, min_length=3, max_length=300)
    kind: SessionKind | None = None
    public: bool | None = None
    starts_at: datetime | None = None
    place: str | None = Field(None, max_length=300)
    chair_member_id: Id | None = None
    secretary_member_id: Id | None = None
    status: Literal["draft", "scheduled"] | None = None


class AgendaItemIn(Strict):
    title: str = Field(min_length=3, max_length=500)
    kind: AgendaKind = AgendaKind.OTHER
    presenter: str = Field("", max_length=200)
    position: Id | None = Field(None, description="where to insert; the end if left out")


class AgendaItemPatch(Strict):
    title: str | None = Field(None, min_length=3, max_length=500)
    kind: AgendaKind | None = None
    presenter: str | None = Field(None, max_length=200)
    position: Id | None = None


class OptionIn(Strict):
    """A candidate of an election, or an official whose confidence is voted on (with their title)."""

    name: str = Field(min_length=2, max_length=200)
    title: str = Field("", max_length=200)


class MotionSettings(Strict):
    """How a motion is voted: its kind and ballot, the rule, the candidates or officials, the countdown, and whether
    a delegate may change their vote before the close. Left out, the ballot and the rule follow the kind: elections
    and confidence votes are secret, a dismissal needs two thirds of all delegates."""

    kind: MotionKind = MotionKind.RESOLUTION
    ballot_type: BallotType | None = None
    rule: RuleName | None = None
    options: list[OptionIn] = Field(default_factory=list, max_length=100)
    seats: int = Field(1, ge=1, le=50, description="an election: how many are elected, so how many a ballot may name")
    countdown_seconds: int | None = Field(None, ge=10, le=3600)
    allow_change: bool = False
    requires_quorum: bool = True

    def checked(self) -> MotionSettings:
        """These settings with the ballot and rule the kind implies; a refusal saying what does not fit the kind."""
        kind = self.kind
        secret = kind in voting.ALWAYS_SECRET
        if secret and self.ballot_type not in (None, BallotType.SECRET):
            raise invalid(
                "Bầu cử và bỏ phiếu tín nhiệm phải bỏ phiếu kín.", "Elections and confidence votes are secret."
            )
        if self.allow_change and (secret or self.ballot_type is BallotType.SECRET):
            raise invalid(
                "Bỏ phiếu kín không cho đổi lựa chọn sau khi đã bỏ phiếu.",
                "A secret ballot cannot be changed once cast.",
            )
        names = [option.name.casefold() for option in self.options]
        if len(set(names)) != len(names):
            raise invalid("Mỗi người chỉ có tên một lần trong danh sách.", "Each person is listed once.")
        if kind is voting.Kind.ELECTION:
            if not self.options:
                raise invalid("Hãy nhập danh sách người ứng cử.", "An election needs at least one candidate.")
            if self.seats > len(self.options):
                raise invalid(
                    f"Số người được bầu ({self.seats}) nhiều hơn số người ứng cử ({len(self.options)}).",
                    "An election cannot fill more seats than it has candidates.",
                )
        elif self.seats != 1:
            raise invalid("Chỉ bầu cử mới có nhiều hơn một chức danh cần bầu.", "Only an election has several seats.")
        if kind in voting.WITH_OFFICIALS:
            if not self.options:
                raise invalid(
                    "Hãy nhập danh sách người được lấy phiếu tín nhiệm.",
                    "A confidence vote needs its list of officials.",
                )
            if not all(option.title for option in self.options):
                raise invalid("Hãy nhập chức vụ của từng người.", "Give each official's title.")
        elif kind is not voting.Kind.ELECTION and self.options:
            raise invalid(
                "Chỉ bầu cử và bỏ phiếu tín nhiệm mới có danh sách người.",
                "Only elections and confidence votes list candidates or officials.",
            )
        default_ballot = BallotType.SECRET if secret else BallotType.OPEN
        rule = self.rule or DEFAULT_RULE.get(self.kind, "more_than_half_of_total")
        return self.model_copy(update={"ballot_type": self.ballot_type or default_ballot, "rule": rule})

    def stored_options(self) -> list[dict[str, Any]]:
        """The options as a motion keeps them, each with the key a ballot names it by."""
        return [{"key": str(n), "name": o.name, "title": o.title} for n, o in enumerate(self.options, start=1)]

    def motion_fields(self) -> dict[str, Any]:
        """The checked settings as the columns of a motion or a template."""
        checked = self.checked()
        return checked.model_dump(include=set(MotionSettings.model_fields) - {"options"}) | {
            "options": checked.stored_options()
        }


class MotionIn(MotionSettings):
    title: str = Field(min_length=3, max_length=500)


class BallotTemplateIn(MotionSettings):
    name: str = Field(min_length=3, max_length=200)
