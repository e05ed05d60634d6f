"""Sends a command's events to a session's rooms: everything to /live, the public part to /public.

Ballots are not sent one by one (a tablet never sees another delegate's choice, and 500 ballots would mean 250,000
messages): the ballots of a batch become one `vote.progress` carrying the vote's state with its count, sent
PROGRESS_SECONDS after the first ballot it counts, folding the batches in between: a burst of ballots is acked
without a broadcast to every tablet in its midst. An envelope that stands for skipped seqs (folded ballots) says so
with `first_seq`, so a tablet sees no gap.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import socketio

from session_server.live.dispatcher import CommandResult
from session_server.live.snapshot import State, public_view

PROGRESS_SECONDS = 0.25
BALLOTS = frozenset({"vote.cast", "vote.changed", "vote.receipt"})


def live_room(session_id: int) -> str:
    return f"live:{session_id}"


def public_room(session_id: int) -> str:
    return f"public:{session_id}"


@dataclass
class Progress:
    """Ballots counted but not yet announced: the seqs they took and the state after the last of them."""

    first_seq: int
    seq: int
    at: str
    state: State

    def envelope(self) -> dict[str, Any]:
        return _envelope(self.first_seq, self.seq, "vote.progress", {}, self.at, self.state)


def _envelope(first_seq: int, seq: int, type: str, data: Any, at: str, state: State) -> dict[str, Any]:
    envelope = {"seq": seq, "type": type, "data": data, "at": at, "state": state}
    if first_seq < seq:
        envelope["first_seq"] = first_seq
    return envelope


def only_ballots(result: CommandResult) -> bool:
    return all(event.type in BALLOTS for event in result.events)


def live_envelopes(result: CommandResult, folded: Progress | None = None) -> list[dict[str, Any]]:
    """One envelope per event but ballots, the ballots (and those `folded` in from before) as vote.progress; the
    changed state slices ride on the last envelope."""
    first = folded.first_seq if folded else result.events[0].seq
    state = {**folded.state, **result.state} if folded else result.state
    out = []
    for event in result.events:
        if event.type in BALLOTS:
            continue
        out.append(_envelope(first, event.seq, event.type, event.live_data, event.at, {}))
        first = event.seq + 1
    last = result.events[-1]
    if first <= last.seq:
        out.append(_envelope(first, last.seq, "vote.progress", {}, last.at, {}))
    out[-1]["state"] = state
    return out


def public_envelopes(result: CommandResult) -> list[dict[str, Any]]:
    """The public events only (/public is told nothing of ballots until the result); gaps in seq are normal there."""
    chosen = [e for e in result.events if e.public_data is not None]
    if not chosen:
        return []
    state = public_view(result.state)
    return [
        _envelope(e.seq, e.seq, e.type, e.public_data, e.at, state if i == len(chosen) - 1 else {})
        for i, e in enumerate(chosen)
    ]


class Broadcaster:
    """The dispatcher's observer that sends every committed command's events to the session's rooms."""

    def __init__(self, sio: socketio.AsyncServer, progress_seconds: float = PROGRESS_SECONDS) -> None:
        self.sio = sio
        self.progress_seconds = progress_seconds
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._waiting: dict[int, Progress] = {}
        self._timers: dict[int, asyncio.Task[None]] = {}

    async def publish(self, session_id: int, result: CommandResult) -> None:
        async with self._locks[session_id]:
            waiting = self._waiting.pop(session_id, None)
            if only_ballots(result):
                last = result.events[-1]
                state = {**waiting.state, **result.state} if waiting else result.state
                self._waiting[session_id] = Progress(
                    waiting.first_seq if waiting else result.events[0].seq, last.seq, last.at, state
                )
                if session_id not in self._timers:
                    self._timers[session_id] = asyncio.create_task(
                        self._announce_later(session_id, self.progress_seconds)
                    )
                return
            await self._emit_live(session_id, live_envelopes(result, waiting))
            if result.session_public:
                for envelope in public_envelopes(result):
                    await self.sio.emit("event", envelope, room=public_room(session_id), namespace="/public")

    async def _announce_later(self, session_id: int, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            async with self._locks[session_id]:
                await self._announce(session_id)
        finally:
            self._timers.pop(session_id, None)

    async def _announce(self, session_id: int) -> None:
        waiting = self._waiting.pop(session_id, None)
        if waiting is not None:
            await self._emit_live(session_id, [waiting.envelope()])

    async def _emit_live(self, session_id: int, envelopes: list[dict[str, Any]]) -> None:
        for envelope in envelopes:
            await self.sio.emit("event", envelope, room=live_room(session_id), namespace="/live")
