"""Opening, pausing, resuming and closing a session: draft → scheduled → live ⇄ paused → ended."""

from __future__ import annotations

from session_server.db.models import SessionStatus
from session_server.live.commands.speakers import finish_current
from session_server.live.dispatcher import CommandContext
from session_server.live.guards import require_status
from session_server.live.registry import NoPayload, command


def _move(ctx: CommandContext, allowed: tuple[SessionStatus, ...], to: SessionStatus, event_type: str) -> None:
    require_status(ctx.session, *allowed)
    ctx.session.status = to
    ctx.record(event_type, {"status": to.value}, changed=("session",), public=True)


@command("session.open")
async def open_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.DRAFT, SessionStatus.SCHEDULED), SessionStatus.LIVE, "session.opened")


@command("session.pause")
async def pause_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.LIVE,), SessionStatus.PAUSED, "session.paused")


@command("session.resume")
async def resume_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.PAUSED,), SessionStatus.LIVE, "session.resumed")


@command("session.close")
async def close_session(ctx: CommandContext, _payload: NoPayload) -> None:
    await finish_current(ctx)
    _move(ctx, (SessionStatus.LIVE, SessionStatus.PAUSED), SessionStatus.ENDED, "session.closed")
