"""Opening, pausing, resuming and closing a session: draft → scheduled → live ⇄ paused → ended."""

from __future__ import annotations

from session_server.db.models import SessionStatus
from session_server.errors import confirmation_required, conflict
from session_server.live.commands.speakers import finish_current
from session_server.live.context import CommandContext
from session_server.live.events import SessionClosed, SessionMoved, SessionOpened, SessionPaused, SessionResumed
from session_server.live.guards import require_status
from session_server.live.registry import NoPayload, Payload, command


class CloseSession(Payload):
    confirm: bool = False


def _move(
    ctx: CommandContext, allowed: tuple[SessionStatus, ...], to: SessionStatus, event: type[SessionMoved]
) -> None:
    require_status(ctx.session, *allowed)
    ctx.session.status = to
    ctx.record(event(status=to.value))


@command("session.open")
async def open_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.DRAFT, SessionStatus.SCHEDULED), SessionStatus.LIVE, SessionOpened)


@command("session.pause")
async def pause_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.LIVE,), SessionStatus.PAUSED, SessionPaused)


@command("session.resume")
async def resume_session(ctx: CommandContext, _payload: NoPayload) -> None:
    _move(ctx, (SessionStatus.PAUSED,), SessionStatus.LIVE, SessionResumed)


@command("session.close", CloseSession)
async def close_session(ctx: CommandContext, payload: CloseSession) -> None:
    """Bế mạc: the session ends for good, and its stream with it; without `confirm` the chair is told so first."""
    require_status(ctx.session, SessionStatus.LIVE, SessionStatus.PAUSED)
    if (ctx.state.get("vote") or {}).get("current"):
        raise conflict(
            "Đang có biểu quyết chưa kết thúc; hãy kết thúc biểu quyết trước khi bế mạc.",
            "A vote is still open; close it before closing the session.",
        )
    if not payload.confirm:
        raise confirmation_required(
            "Bế mạc kỳ họp: kỳ họp kết thúc và không mở lại được, phát trực tiếp dừng, mọi điều hành bị khóa. "
            "Hãy xác nhận để bế mạc.",
            "Closing the session ends it for good: it cannot be reopened, the livestream stops and every control "
            "locks. Confirm to close it.",
        )
    await finish_current(ctx)
    _move(ctx, (SessionStatus.LIVE, SessionStatus.PAUSED), SessionStatus.ENDED, SessionClosed)
