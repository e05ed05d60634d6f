"""The live state's slices as typed models: what session_server/live/snapshot.py builds for each `Slice`, and what
/live and /public clients receive in an envelope's `state` (the AsyncAPI document is generated from these models;
tests/functional/live/test_protocol.py checks a real session's state against them)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from session_server.live.events import MotionView, Presentation, Slice, StreamStatus


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CouncilPart(Part):
    id: int
    name: str
    short_name: str
    total_delegates: int


class Person(Part):
    member_id: int | None
    name: str


class SessionSlice(Part):
    id: int
    title: str
    kind: str
    status: str
    public: bool
    place: str
    starts_at: str | None
    council: CouncilPart
    chair: Person
    secretary: Person


class MemberPart(Part):
    id: int
    code: str
    full_name: str
    title: str
    group: str


class DocumentPart(Part):
    document_id: int
    title: str
    classification: str
    version: int
    page_count: int


class AgendaItemPart(Part):
    id: int
    position: int
    title: str
    kind: str
    presenter: str
    motions: list[MotionView]
    documents: list[DocumentPart]


class AgendaSlice(Part):
    items: list[AgendaItemPart] = []
    documents: list[DocumentPart] = []
    current_item_id: int | None


class AttendancePart(Part):
    status: str
    reason: str
    at: str | None
    checked_in_at: str | None
    counts_as_present: bool


class QuorumSlice(Part):
    present: int
    total: int
    required: int
    met: bool


class SpeakerPart(Part):
    id: int
    member_id: int
    name: str
    kind: str
    agenda_item_id: int | None
    requested_at: str | None
    started_at: str | None = None
    deadline: str | None = None
    limit_seconds: int | None = None


class SpeakersSlice(Part):
    queue: list[SpeakerPart] = []
    current: SpeakerPart | None


class OpenVote(MotionView):
    """The vote in progress; /live also gets how many have voted (`cast_count`)."""

    cast_count: int | None = None


class ClosedVote(MotionView):
    result: dict[str, Any] | None


class VoteSlice(Part):
    current: OpenVote | None
    results: list[ClosedVote]


SLICES: dict[Slice, Any] = {
    Slice.SESSION: SessionSlice,
    Slice.MEMBERS: list[MemberPart],
    Slice.AGENDA: AgendaSlice,
    Slice.ATTENDANCE: dict[str, AttendancePart],
    Slice.QUORUM: QuorumSlice,
    Slice.SPEAKERS: SpeakersSlice,
    Slice.PRESENTATION: Presentation | None,
    Slice.VOTE: VoteSlice,
    Slice.STREAM: StreamStatus,
}
"""The type of each slice; /public gets a projection of the same (no members, attendance, quorum or queue)."""
