"""Sends a command's events to a session's rooms: everything to /live, the public part to /public."""

from __future__ import annotations

from typing import Any

import socketio

from session_server.live.dispatcher import CommandResult
from session_server.live.snapshot import State, public_view


def live_room(session_id: int) -> str:
    return f"live:{session_id}"


def public_room(session_id: int) -> str:
    return f"public:{session_id}"


BALLOTS = frozenset({"vote.cast", "vote.changed", "vote.receipt"})


def envelopes(result: CommandResult, public: bool) -> list[dict[str, Any]]:
    """One envelope per event; the changed state slices ride on the last one.

    Ballots are not sent one by one (a tablet never sees another delegate's choice, and 500 ballots would mean
    250,000 messages): a batch of them becomes one `vote.progress` carrying the vote's state with its count.
    """
    if public:
        chosen = [e for e in result.events if e.public_data is not None]
    else:
        chosen = [e for e in result.events if e.type not in BALLOTS]
        if not chosen and result.events:
            last = result.events[-1]
            return [{"seq": last.seq, "type": "vote.progress", "data": {}, "at": last.at, "state": result.state}]
    state: State = public_view(result.state) if public else result.state
    out = []
    for index, event in enumerate(chosen):
        last = index == len(chosen) - 1
        out.append(
            {
                "seq": event.seq,
                "type": event.type,
                "data": event.public_data if public else event.live_data,
                "at": event.at,
                "state": state if last else {},
            }
        )
    return out


async def broadcast(sio: socketio.AsyncServer, session_id: int, result: CommandResult, session_public: bool) -> None:
    for envelope in envelopes(result, public=False):
        await sio.emit("event", envelope, room=live_room(session_id), namespace="/live")
    if session_public:
        for envelope in envelopes(result, public=True):
            await sio.emit("event", envelope, room=public_room(session_id), namespace="/public")


class Broadcaster:
    """The dispatcher's observer that sends every committed command's events to the session's rooms."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio

    async def publish(self, session_id: int, result: CommandResult) -> None:
        await broadcast(self.sio, session_id, result, result.session_public)
