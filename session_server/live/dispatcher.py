"""The engine of the one command path of a live session: validate, check capacity, persist in one transaction, then
broadcast. Handlers never import it: they see the contract (live/context.py, live/registry.py, live/events.py).

1. the payload's schema and the caller's capacity in the session are checked (a refusal changes nothing);
2. in one transaction the session row is locked, the command changes its tables and records events, each event
   is appended with the next `seq` and the hash of the one before, and the snapshot is updated;
3. after commit the caller is acknowledged and the events go to the session's rooms.
Two processes racing for the same `seq` collide on the events' primary key; the loser runs the command again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from session_server.auth.capacities import capacities_for, not_in_session
from session_server.auth.roles import Capacity, may_command
from session_server.db.bulk import DriverRows
from session_server.db.engine import is_database_outage
from session_server.db.models import Attendance, Council, CouncilSession, Member, User, utcnow
from session_server.errors import ApiError, forbidden, from_validation_error, invalid, not_found, unavailable
from session_server.live import snapshot
from session_server.live.chain import EVENTS, ChainLink, Salts, last_hash
from session_server.live.context import CommandContext, held_or_get
from session_server.live.registry import COMMANDS

log = logging.getLogger(__name__)
SESSIONS = CouncilSession.__table__
MAX_ATTEMPTS = 5
# Built once: constructing these statements cost more than running them. Touching the row first takes the write
# lock (PostgreSQL: row lock; SQLite: the database's), so the batches of one session run one after the other, across
# processes too, and read what the last one left.
_LOCK_SESSION = select(CouncilSession).from_statement(
    update(SESSIONS)
    .where(SESSIONS.c.id == bindparam("session_id"))
    .values(last_seq=SESSIONS.c.last_seq)
    .returning(*SESSIONS.c)
)
_SAVE_SESSION = (
    update(SESSIONS)
    .where(SESSIONS.c.id == bindparam("session_id"))
    .values(
        snapshot=bindparam("new_snapshot", type_=SESSIONS.c.snapshot.type),
        last_seq=bindparam("new_seq", type_=SESSIONS.c.last_seq.type),
    )
)


@dataclass
class Delivered:
    seq: int
    type: str
    live_data: dict[str, Any]
    at: str
    public_data: dict[str, Any] | None


@dataclass
class CommandResult:
    seq: int
    events: list[Delivered]
    state: snapshot.State
    session_public: bool


Observer = Callable[[int, CommandResult], Awaitable[None]]
SYSTEM = frozenset({Capacity.STAFF, Capacity.SYSTEM})
# The ballots of the largest council (the National Assembly's 500) fit in one batch: two batches in a row would each
# pay the round trips and the commit, one after the other.
MAX_BATCH = 1024
GATHER_TURNS = 3
# The live state is rebuilt from the tables at least this often, so a change made outside the commands (a member
# renamed by staff) reaches it; in between, a batch starts from the state the previous batch of this process left.
# For a session that had commands in the last REFRESH_FOR_SECONDS the rebuild runs in the background, every half
# of FULL_REBUILD_SECONDS, so a chair's page change after a quiet minute does not wait for it.
FULL_REBUILD_SECONDS = 10.0
REFRESH_FOR_SECONDS = 3600.0


@dataclass
class CachedState:
    """What the last batch of a session left, good for the next one while `seq` matches and it is young: the live
    state, the chain's last hash, and the council and members it loaded (detached, reattached without a query)."""

    seq: int
    last_hash: str
    state: snapshot.State
    built: float
    council: Council
    members: dict[int, Member] = field(default_factory=dict)


@dataclass
class Pending:
    user: User | None
    name: str
    payload: Any
    done: asyncio.Future[CommandResult]


class Dispatcher:
    """Runs commands, a session's one after another; commands that arrive together share one transaction.

    Each command in a batch runs in its own savepoint (a refusal changes nothing) and gets its own events and
    `seq`; the batch commits once, its callers are acknowledged, and then the observers (the broadcast, the vote
    countdown) see the batch's result, in order.
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], secret_key: str = "") -> None:
        self.sessionmaker = sessionmaker
        self.secret_key = secret_key
        self.observers: list[Observer] = []
        self._queues: dict[int, list[Pending]] = {}
        self._drains: dict[int, asyncio.Task[None]] = {}
        self._cache: dict[int, CachedState] = {}
        self._last_batch: dict[int, float] = {}
        self._refreshers: dict[int, asyncio.Task[None]] = {}
        self._last_done = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last batch of commands ended, in any session; 0 while one runs or waits."""
        return 0.0 if self._queues else time.monotonic() - self._last_done

    async def close(self) -> None:
        """Stop the background rebuilds (at shutdown)."""
        for task in list(self._refreshers.values()):
            task.cancel()
        await asyncio.gather(*self._refreshers.values(), return_exceptions=True)

    async def run(self, user: User, session_id: int, name: str, raw_payload: Any) -> CommandResult:
        return await self._dispatch(user, session_id, name, raw_payload)

    async def run_system(self, session_id: int, name: str, raw_payload: Any) -> CommandResult:
        """A command of HopSo itself (a countdown ending, the stream's status): no user, acting as staff."""
        return await self._dispatch(None, session_id, name, raw_payload)

    async def _dispatch(self, user: User | None, session_id: int, name: str, raw_payload: Any) -> CommandResult:
        command = COMMANDS.get(name)
        if command is None:
            raise invalid(f"Lệnh không tồn tại: {name}.", f"Unknown command: {name}.")
        try:
            payload = command.payload.model_validate(raw_payload if raw_payload is not None else {})
        except ValidationError as exc:
            raise from_validation_error(exc) from exc
        pending = Pending(user, name, payload, asyncio.get_running_loop().create_future())
        self._queues.setdefault(session_id, []).append(pending)
        if session_id not in self._drains:
            self._drains[session_id] = asyncio.create_task(self._drain(session_id))
        return await pending.done

    async def _drain(self, session_id: int) -> None:
        queue = self._queues[session_id]
        try:
            while queue:
                # A few turns of the event loop let the commands already read from the sockets join this batch:
                # when 500 ballots arrive, a few large batches cost far less than many small ones.
                for _ in range(GATHER_TURNS):
                    await asyncio.sleep(0)
                batch = queue[:MAX_BATCH]
                del queue[: len(batch)]
                await self._run_batch(session_id, batch)
        finally:
            self._last_done = time.monotonic()
            self._drains.pop(session_id, None)
            if not queue:
                self._queues.pop(session_id, None)
            elif session_id not in self._drains:
                self._drains[session_id] = asyncio.create_task(self._drain(session_id))

    async def _run_batch(self, session_id: int, batch: list[Pending]) -> None:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                outcomes, combined = await self._run_once(session_id, batch)
                break
            except IntegrityError:
                if attempt == MAX_ATTEMPTS:
                    outcomes, combined = [_internal_error()] * len(batch), None
                    log.exception("session %s: %d commands failed after %d attempts", session_id, len(batch), attempt)
                    break
                log.info("seq race on session %s, attempt %d", session_id, attempt)
            except ApiError as error:
                outcomes, combined = [error] * len(batch), None
                break
            except Exception as exc:
                if is_database_outage(exc):
                    log.warning(
                        "session %s: %d commands refused, the database is unreachable: %r", session_id, len(batch), exc
                    )
                    outcomes, combined = [unavailable()] * len(batch), None
                    break
                if len(batch) > 1:
                    # One caller's command broke the shared transaction: nothing of the batch was written, so
                    # each runs again on its own, and only the one that fails is answered with the failure.
                    log.warning("session %s: a batch of %d commands failed, running each alone", session_id, len(batch))
                    for pending in batch:
                        await self._run_batch(session_id, [pending])
                    return
                log.exception("session %s: a command failed", session_id)
                outcomes, combined = [_internal_error()], None
                break
        for pending, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                pending.done.set_exception(outcome)
            else:
                pending.done.set_result(outcome)
        if combined is not None and combined.events:
            for observer in self.observers:
                try:
                    await observer(session_id, combined)
                except Exception:
                    log.exception("observer %s failed on session %s", observer, session_id)

    async def _run_once(
        self, session_id: int, batch: list[Pending]
    ) -> tuple[list[CommandResult | ApiError], CommandResult]:
        async with self.sessionmaker() as db:
            session = await db.scalar(_LOCK_SESSION, {"session_id": session_id})
            if session is None:
                raise not_found("Không có kỳ họp này.", "No such session.")
            cached = self._cache.pop(session_id, None)
            if cached and cached.seq == session.last_seq and time.monotonic() - cached.built < FULL_REBUILD_SECONDS:
                state, prev_hash, built = dict(cached.state), cached.last_hash, cached.built
                council, members = await db.merge(cached.council, load=False), cached.members
            else:
                found = await db.get(Council, session.council_id)
                assert found is not None
                council, members = found, {}
                state, built = await snapshot.full_state(db, session), time.monotonic()
                prev_hash = await last_hash(db, session)
            now = utcnow()
            seq = session.last_seq
            outcomes: list[CommandResult | ApiError] = []
            all_events: list[Delivered] = []
            changed: set[str] = set()
            dirty: set[str] = set()
            prefetched = await self._prefetch(db, session, batch)
            fetched = {row.id: row for row in prefetched if isinstance(row, Member)}
            members.update(fetched)
            salts = Salts()
            memo: dict[Any, Any] = {("members",): members, ("fetched",): fetched}
            lone = len(batch) == 1
            for group in _groups(batch):
                if dirty and COMMANDS[group[0].name].reads_state:
                    await snapshot.rebuild(db, session, state, sorted(dirty))
                    dirty.clear()
                links: list[ChainLink] = []
                group_changed: set[str] = set()
                group_updated: set[str] = set()
                try:
                    group_ran = await self._run_group(db, session, council, group, state, now, memo, lone)
                except ApiError:
                    # A lone command's refusal: the transaction is rolled back, and the state it started from
                    # still holds (handlers replace slices, never change them in place).
                    if cached is not None:
                        self._cache[session_id] = cached
                    raise
                for ran in group_ran:
                    if isinstance(ran, ApiError):
                        outcomes.append(ran)
                        continue
                    group_changed |= ran.changed
                    group_updated |= ran.updated
                    delivered, prev_hash = _chain(ran, seq, prev_hash, links, salts)
                    seq += len(delivered)
                    all_events += delivered
                    outcomes.append(CommandResult(seq, delivered, {}, session.public))
                # A slice a handler brought up to date itself covers the whole group's changes to it.
                dirty |= group_changed - group_updated
                changed |= group_changed | group_updated
                if links:
                    events = DriverRows.of(EVENTS, [link.row() for link in links], db.get_bind().dialect)
                    await events.write(await db.connection())
            if dirty:
                await snapshot.rebuild(db, session, state, sorted(dirty))
            del prefetched
            kept = snapshot.kept(state)
            await db.execute(_SAVE_SESSION, {"session_id": session_id, "new_snapshot": kept, "new_seq": seq})
            set_committed_value(session, "snapshot", kept)
            set_committed_value(session, "last_seq", seq)
            await db.commit()
            self._cache[session_id] = CachedState(seq, prev_hash, state, built, council, members)
            self._keep_fresh(session_id)
            changed_state = {name: state[name] for name in changed if name in state}
            return outcomes, CommandResult(seq, all_events, changed_state, session.public)

    async def _run_group(
        self,
        db: AsyncSession,
        session: CouncilSession,
        council: Council,
        group: list[Pending],
        state: snapshot.State,
        now: datetime,
        memo: dict[Any, Any],
        lone: bool,
    ) -> list[CommandContext | ApiError]:
        """Run a group of commands: each caller's context or refusal, in order. A command alone runs in a savepoint,
        so its refusal (an ApiError) undoes what it wrote; a grouped handler refuses callers by its answer and writes
        nothing for them, so it needs none, and an error it raises fails the batch. The only command of its batch
        (`lone`) needs no savepoint either: its refusal is raised, and the whole transaction is rolled back."""
        ran: list[CommandContext | ApiError] = []
        for pending in group:
            try:
                ran.append(await self._context(db, session, council, pending, state, now, memo))
            except ApiError as refused:
                ran.append(refused)
        items = [
            (ctx, pending.payload) for ctx, pending in zip(ran, group, strict=True) if not isinstance(ctx, ApiError)
        ]
        if not items:
            return ran
        command = COMMANDS[group[0].name]
        if command.grouped or lone:
            refusals = await command.handler(items)
            return _answered(ran, items, refusals)
        try:
            async with db.begin_nested():
                refusals = await command.handler(items)
                await db.flush()
        except ApiError as refused:
            await db.refresh(session)
            await db.refresh(council)
            return [refused if isinstance(ctx, CommandContext) else ctx for ctx in ran]
        return _answered(ran, items, refusals)

    def _keep_fresh(self, session_id: int) -> None:
        self._last_batch[session_id] = time.monotonic()
        if session_id not in self._refreshers:
            self._refreshers[session_id] = asyncio.create_task(self._refresh(session_id))

    async def _refresh(self, session_id: int) -> None:
        """Rebuild the cached state from the tables while it ages, until the session has been quiet for an hour."""
        try:
            while time.monotonic() - self._last_batch[session_id] < REFRESH_FOR_SECONDS:
                await asyncio.sleep(FULL_REBUILD_SECONDS / 2)
                cached = self._cache.get(session_id)
                if cached is None or time.monotonic() - cached.built < FULL_REBUILD_SECONDS / 2:
                    continue
                started = time.monotonic()
                try:
                    async with self.sessionmaker() as db:
                        session = await db.get(CouncilSession, session_id)
                        if session is None:
                            return
                        state = await snapshot.full_state(db, session)
                        prev_hash = await last_hash(db, session)
                        council = await db.get(Council, session.council_id)
                except Exception as exc:
                    if not is_database_outage(exc):
                        raise
                    continue
                # A batch that ran meanwhile left a newer state (or is running and will): keep that one.
                current = self._cache.get(session_id)
                if (
                    council is not None
                    and current is not None
                    and current.seq == session.last_seq
                    and current.built < started
                ):
                    self._cache[session_id] = CachedState(session.last_seq, prev_hash, state, started, council)
        except Exception:
            log.exception("session %s: the background rebuild of the live state failed", session_id)
        finally:
            self._refreshers.pop(session_id, None)

    @staticmethod
    async def _member(
        db: AsyncSession, member_id: int, known: dict[int, Member], fetched: dict[int, Member]
    ) -> Member | None:
        """The member: loaded with the batch's others (prefetched), reattached from the session's cache when a recent
        batch loaded them, else from the table."""
        if member_id in fetched:
            return fetched[member_id]
        if db.identity_map.get(db.identity_key(Member, member_id)) is None and member_id in known:
            return await db.merge(known[member_id], load=False)
        member = await held_or_get(db, Member, member_id)
        if member is not None:
            known[member_id] = member
        return member

    async def _prefetch(self, db: AsyncSession, session: CouncilSession, batch: list[Pending]) -> list[Any]:
        """Load the batch's members in one query, with their attendance when a command decides from the tables (a
        check-in; the others read it from the live state); the commands then find them in the session's identity
        map instead of asking the database once each. The rows are returned to be held, since the identity map
        keeps only weak references. A lone command (a page change) asks for what it needs itself."""
        member_ids = {p.user.member_id for p in batch if p.user is not None and p.user.member_id is not None}
        if len(member_ids) < 2:
            return []
        if all(COMMANDS[p.name].reads_state for p in batch):
            return list(await db.scalars(select(Member).where(Member.id.in_(member_ids))))
        rows = await db.execute(
            select(Member, Attendance)
            .outerjoin(Attendance, (Attendance.member_id == Member.id) & (Attendance.session_id == session.id))
            .where(Member.id.in_(member_ids))
        )
        return [row for pair in rows for row in pair if row is not None]

    async def _context(
        self,
        db: AsyncSession,
        session: CouncilSession,
        council: Council,
        pending: Pending,
        state: snapshot.State,
        now: datetime,
        memo: dict[Any, Any],
    ) -> CommandContext:
        user = pending.user
        member = (
            await self._member(db, user.member_id, memo[("members",)], memo[("fetched",)])
            if user and user.member_id
            else None
        )
        capacities = SYSTEM if user is None else capacities_for(user, member, session)
        if not capacities:
            raise not_in_session(member, session)
        if not may_command(capacities, pending.name):
            raise forbidden()
        return CommandContext(
            db, session, council, user, member, capacities, state, now, memo, secret_key=self.secret_key
        )


def _chain(
    ctx: CommandContext, seq: int, prev_hash: str, links: list[ChainLink], salts: Salts
) -> tuple[list[Delivered], str]:
    """Give the command's events the next seqs and chain their hashes; they are written with the group's others."""
    delivered = []
    actor = ctx.user.id if ctx.user else None
    for new in ctx.events:
        seq += 1
        link = ChainLink.after(
            prev_hash,
            ctx.session.id,
            seq,
            new.type,
            new.data,
            actor,
            ctx.now,
            ctx.session.chain_form,
            new.in_public_record,
            salts.take(),
        )
        prev_hash = link.hash
        links.append(link)
        delivered.append(Delivered(seq, new.type, new.live_data, ctx.now.isoformat(), new.public_data))
    return delivered, prev_hash


def _answered(
    ran: list[CommandContext | ApiError], items: list[tuple[CommandContext, Any]], refusals: list[ApiError | None]
) -> list[CommandContext | ApiError]:
    """Each caller's context, or its refusal: from the capacity check, else from the handler's answer."""
    refusal_of = {id(ctx): refusal for (ctx, _), refusal in zip(items, refusals, strict=True)}
    return [refusal_of.get(id(ctx)) or ctx for ctx in ran]


def _groups(batch: list[Pending]) -> list[list[Pending]]:
    """The batch in order, cut into groups: consecutive calls of one grouped command go together, others alone."""
    groups: list[list[Pending]] = []
    for pending in batch:
        if groups and COMMANDS[pending.name].grouped and groups[-1][0].name == pending.name:
            groups[-1].append(pending)
        else:
            groups.append([pending])
    return groups


def _internal_error() -> ApiError:
    return ApiError(500, "internal", "Lỗi hệ thống; vui lòng thử lại.", "Internal error; please try again.")
