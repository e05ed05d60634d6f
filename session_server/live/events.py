"""The live contract's events: one typed model per event type, the state slices it changes, and what /public sees.

A handler records an event by building its model; the model says once, for every command that records it, which
slices of the live state it changes (`slices`), which fields stay in the audit chain and never reach a screen
(`hidden`), and which fields /public may see (`public`: None means the event never reaches /public). `for_public`
gives exactly that part; the broadcast sends nothing else to /public (tests/unit/session_server/live/test_events.py
checks every event type). The AsyncAPI document (session_server/api/asyncapi.py) is generated from these models.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict


class Slice(StrEnum):
    """A slice of a session's live state; clients replace the slices an envelope's `state` carries."""

    SESSION = "session"
    MEMBERS = "members"
    AGENDA = "agenda"
    ATTENDANCE = "attendance"
    QUORUM = "quorum"
    SPEAKERS = "speakers"
    PRESENTATION = "presentation"
    VOTE = "vote"
    STREAM = "stream"


EVENT_TYPES: dict[str, type[LiveEvent]] = {}
"""Every event type, by its wire name."""


class LiveEvent(BaseModel):
    """An event of a live session. Its data is the model's fields as given (a field left out stays out)."""

    model_config = ConfigDict(extra="forbid")

    type: ClassVar[str]
    slices: ClassVar[tuple[Slice, ...]]
    hidden: ClassVar[frozenset[str]] = frozenset()
    public: ClassVar[frozenset[str] | None] = None
    whole_in_record: ClassVar[bool] = False
    """Shown whole in the downloadable public record even though /public is not sent it live (a secret ballot's
    receipt); otherwise an event is shown whole there only if /public sees all of it, else by its digest."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            EVENT_TYPES[cls.type] = cls

    def stored(self) -> dict[str, Any]:
        """What the audit chain keeps."""
        return self.model_dump(mode="json", exclude_unset=True)

    def live(self, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        """What tablets and the chair receive: the stored fields but the hidden ones (`stored` when the caller has
        it already, saving a second dump)."""
        stored = self.stored() if stored is None else stored
        return {name: value for name, value in stored.items() if name not in self.hidden}

    def in_public_record(self, stored: dict[str, Any]) -> bool:
        """Whether the public record shows the event whole (else only its digest)."""
        return self.whole_in_record or self.for_public(stored) == stored

    def for_public(self, stored: dict[str, Any] | None = None) -> dict[str, Any] | None:
        """What /public receives of the event, or None if it is not told of it."""
        if self.public is None:
            return None
        stored = self.stored() if stored is None else stored
        return {name: value for name, value in stored.items() if name in self.public}


class AgendaCurrent(LiveEvent):
    type = "agenda.current"
    slices = (Slice.AGENDA,)
    public = frozenset({"item_id", "position", "title"})

    item_id: int
    position: int
    title: str


class SessionMoved(LiveEvent):
    slices = (Slice.SESSION,)
    public = frozenset({"status"})

    status: str


class SessionOpened(SessionMoved):
    type = "session.opened"


class SessionPaused(SessionMoved):
    type = "session.paused"


class SessionResumed(SessionMoved):
    type = "session.resumed"


class SessionClosed(SessionMoved):
    type = "session.closed"


PUBLIC_STREAM_STATUS = {"reconnecting": "paused"}
"""The public sees a dropped encoder as "paused": the same playlist continues when it comes back."""


class StreamStatus(LiveEvent):
    """The livestream's state as the media worker reports it; viewers see its status, playlist and picture size."""

    type = "stream.status"
    slices = (Slice.STREAM,)
    public = frozenset({"status", "hls_url", "width", "height", "bitrate_kbps"})

    status: Literal["off", "waiting", "live", "reconnecting", "ended"]
    since: str | None = None
    hls_url: str | None = None
    video_codec: str | None = None
    width: int | None = None
    height: int | None = None
    frame_rate: float | None = None
    audio_codec: str | None = None
    sample_rate: int | None = None
    channels: int | None = None
    bitrate_kbps: float | None = None
    publishes: int | None = None
    reason: str | None = None

    def for_public(self, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        return public_stream(self.stored() if stored is None else stored)


def public_stream(stream: Mapping[str, Any]) -> dict[str, Any]:
    """What viewers see of the stream (of its event, and of the stream slice): its state, the playlist while there
    is one, the picture size."""
    status = stream.get("status", "off")
    view: dict[str, Any] = {"status": PUBLIC_STREAM_STATUS.get(status, status)}
    if stream.get("hls_url") and status in ("live", "reconnecting"):
        view["hls_url"] = stream["hls_url"]
    for key in ("width", "height", "bitrate_kbps"):
        if stream.get(key) is not None:
            view[key] = stream[key]
    return view


class SpeakerRequested(LiveEvent):
    type = "speakers.requested"
    slices = (Slice.SPEAKERS,)

    request_id: int
    member_id: int
    kind: str


class SpeakerWithdrawn(LiveEvent):
    type = "speakers.withdrawn"
    slices = (Slice.SPEAKERS,)

    request_id: int
    member_id: int


class SpeakerRemoved(SpeakerWithdrawn):
    type = "speakers.removed"


class SpeakerReordered(LiveEvent):
    type = "speakers.reordered"
    slices = (Slice.SPEAKERS,)

    request_id: int
    position: int


class SpeakerGranted(LiveEvent):
    type = "speakers.granted"
    slices = (Slice.SPEAKERS,)
    public = frozenset({"request_id", "member_id", "kind", "agenda_item_id", "limit_seconds", "deadline"})

    request_id: int
    member_id: int
    kind: str
    agenda_item_id: int | None
    limit_seconds: int
    deadline: str


class SpeakerExtended(LiveEvent):
    type = "speakers.extended"
    slices = (Slice.SPEAKERS,)
    public = frozenset({"request_id", "seconds", "deadline"})

    request_id: int
    seconds: int
    deadline: str


class SpeakerEnded(LiveEvent):
    type = "speakers.ended"
    slices = (Slice.SPEAKERS,)
    public = frozenset({"request_id", "member_id", "overrun_seconds"})

    request_id: int
    member_id: int
    overrun_seconds: int


class Presentation(LiveEvent):
    """What every following tablet shows; /public is told of every change, but sees the document only when it is
    public (an empty event otherwise)."""

    slices = (Slice.PRESENTATION,)
    public = frozenset({"document_id", "title", "version", "page", "page_count"})

    document_id: int | None = None
    title: str | None = None
    classification: str | None = None
    version: int | None = None
    page: int | None = None
    page_count: int | None = None
    presenter_member_id: int | None = None

    def for_public(self, stored: dict[str, Any] | None = None) -> dict[str, Any]:
        if self.classification != "public":
            return {}
        return self.model_dump(mode="json", include=set(self.public or ()))


class DocShown(Presentation):
    type = "doc.shown"


class DocPage(Presentation):
    type = "doc.page"


class DocHidden(Presentation):
    type = "doc.hidden"


class DocPresenter(LiveEvent):
    type = "doc.presenter"
    slices = (Slice.PRESENTATION,)

    member_id: int | None


class Standing(BaseModel):
    status: str
    reason: str


class AttendanceMarked(LiveEvent):
    type = "attendance.marked"
    slices = (Slice.ATTENDANCE, Slice.QUORUM)

    member_id: int
    status: str
    reason: str
    previous: Standing | None


class AttendanceCheckedIn(LiveEvent):
    type = "attendance.checked_in"
    slices = (Slice.ATTENDANCE,)

    member_id: int
    status: str


class AttendanceUndone(LiveEvent):
    type = "attendance.undone"
    slices = (Slice.ATTENDANCE, Slice.QUORUM)

    member_id: int
    status: str | None
    reason: str
    undone: Standing | None


class MotionView(LiveEvent):
    """A motion as screens draw it, with its ballot form (shape, choices and labels from `voting`)."""

    slices = (Slice.VOTE, Slice.AGENDA)
    public = frozenset(
        {
            "motion_id",
            "agenda_item_id",
            "title",
            "kind",
            "ballot_type",
            "status",
            "options",
            "seats",
            "allow_change",
            "countdown_seconds",
            "deadline",
            "ballot",
        }
    )

    motion_id: int
    agenda_item_id: int
    title: str
    kind: str
    ballot_type: str
    status: str
    options: list[dict[str, Any]]
    seats: int
    allow_change: bool
    countdown_seconds: int | None
    deadline: str | None
    ballot: dict[str, Any]


class MotionAdded(MotionView):
    type = "motion.added"


class VoteOpened(MotionView):
    type = "vote.opened"


class VoteCast(LiveEvent):
    """A delegate's ballot: its choice is kept in the audit chain only (tablets see that the delegate voted)."""

    type = "vote.cast"
    slices = (Slice.VOTE,)
    hidden = frozenset({"choice"})

    motion_id: int
    member_id: int
    choice: str


class VoteChanged(VoteCast):
    type = "vote.changed"


class VoteReceipt(LiveEvent):
    """A secret ballot's receipt: who voted, never what."""

    type = "vote.receipt"
    slices = (Slice.VOTE,)
    hidden = frozenset({"receipt"})
    whole_in_record = True

    motion_id: int
    member_id: int
    receipt: bool


class VoteClosed(LiveEvent):
    type = "vote.closed"
    slices = (Slice.VOTE, Slice.AGENDA)
    public = frozenset({"motion_id", "title", "ballot_type", "result"})

    motion_id: int
    title: str
    ballot_type: str
    result: dict[str, Any]
