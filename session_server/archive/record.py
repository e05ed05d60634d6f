"""What happened in a session, read back from its event log: when it opened and closed, agenda spans, speeches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol


class LoggedEvent(Protocol):
    type: str
    data: dict[str, Any]
    at: datetime


@dataclass(frozen=True)
class ItemSpan:
    item_id: int
    started_at: datetime
    ended_at: datetime


@dataclass(frozen=True)
class Speech:
    request_id: int
    member_id: int
    kind: str
    agenda_item_id: int | None
    started_at: datetime
    ended_at: datetime


@dataclass
class SessionRecord:
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    items: list[ItemSpan] = field(default_factory=list)
    speeches: list[Speech] = field(default_factory=list)


def read_record(events: Iterable[LoggedEvent]) -> SessionRecord:
    """Agenda spans run from one `agenda.current` to the next (or the close); a speech from its grant to its end.

    `events` come in `seq` order. A span or speech still open when the log stops ends at the last event's time.
    """
    record = SessionRecord()
    current_item: tuple[int, datetime] | None = None
    granted: dict[int, dict[str, Any]] = {}
    last: datetime | None = None
    for event in events:
        last = event.at
        if event.type == "session.opened" and record.opened_at is None:
            record.opened_at = event.at
        elif event.type == "session.closed":
            record.closed_at = event.at
        elif event.type == "agenda.current":
            if current_item is not None:
                record.items.append(ItemSpan(current_item[0], current_item[1], event.at))
            current_item = (int(event.data["item_id"]), event.at)
        elif event.type == "speakers.granted":
            granted[int(event.data["request_id"])] = {**event.data, "at": event.at}
        elif event.type == "speakers.ended":
            started = granted.pop(int(event.data["request_id"]), None)
            if started is not None:
                record.speeches.append(_speech(started, event.at))
    end = record.closed_at or last
    if current_item is not None and end is not None:
        record.items.append(ItemSpan(current_item[0], current_item[1], end))
    if end is not None:
        record.speeches += [_speech(started, end) for started in granted.values()]
    record.speeches.sort(key=lambda speech: (speech.started_at, speech.request_id))
    return record


def _speech(granted: dict[str, Any], ended_at: datetime) -> Speech:
    return Speech(
        request_id=int(granted["request_id"]),
        member_id=int(granted["member_id"]),
        kind=str(granted["kind"]),
        agenda_item_id=granted.get("agenda_item_id"),
        started_at=granted["at"],
        ended_at=ended_at,
    )
