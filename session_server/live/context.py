"""What a command handler works with: its context (the locked session, the caller, the live state, the clock) and
where it records the typed events of what happened. Handlers import this, the registry and the events; they never
open the engine (session_server/live/dispatcher.py) that queues, batches, persists and chains them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy.ext.asyncio import AsyncSession

from session_server.auth.roles import Capacity
from session_server.db.models import Council, CouncilSession, Member, User
from session_server.errors import forbidden
from session_server.live import snapshot
from session_server.live.events import LiveEvent, Slice
from session_server.live.session_rules import SessionRules, rules_of


@dataclass
class NewEvent:
    """A recorded event as the engine stores and sends it: the audit chain's data, the tablets' and /public's."""

    type: str
    data: dict[str, Any]
    live_data: dict[str, Any]
    public_data: dict[str, Any] | None
    in_public_record: bool = False


@dataclass
class CommandContext:
    """What a command handler sees: the locked session, the caller, and where it records what happened."""

    db: AsyncSession
    session: CouncilSession
    council: Council
    user: User | None
    member: Member | None
    capacities: frozenset[Capacity]
    state: snapshot.State
    now: datetime
    memo: dict[Any, Any] = field(default_factory=dict)
    events: list[NewEvent] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)
    secret_key: str = ""
    """The server's secret: what seals a secret vote's running tally (session_server/votes/sealed.py)."""

    @property
    def rules(self) -> SessionRules:
        return rules_of(self.council.session_rules)

    def record(self, event: LiveEvent) -> None:
        """Record an event; the slices its type changes are rebuilt and sent with it."""
        stored = event.stored()
        self.events.append(
            NewEvent(event.type, stored, event.live(stored), event.for_public(stored), event.in_public_record(stored))
        )
        self.changed.update(name.value for name in event.slices)

    def update_state(self, name: Slice, value: Any) -> None:
        """Replace a slice of the live state the handler worked out itself (a vote's count), so the batch sends it
        without rebuilding it from the tables; for a grouped command, one context's update stands for the group."""
        self.state[name.value] = value
        self.updated.add(name.value)

    def require_member(self) -> Member:
        if self.member is None:
            raise forbidden("Chỉ đại biểu mới làm được việc này.", "Only a delegate can do this.")
        return self.member


Row = TypeVar("Row")


async def held_or_get(db: AsyncSession, model: type[Row], key: Any) -> Row | None:
    """A row by primary key: from the batch's identity map when its prefetch put it there (no round through the
    async session), else from the table."""
    found = db.identity_map.get(db.identity_key(model, key))
    return cast(Row, found) if found is not None else await db.get(model, key)
