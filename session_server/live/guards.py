"""Checks that commands share: is the session in a state where this can be done."""

from __future__ import annotations

from session_server.db.models import CouncilSession, SessionStatus
from session_server.errors import ApiError

STATUS_VI = {
    SessionStatus.DRAFT: "đang soạn",
    SessionStatus.SCHEDULED: "đã lên lịch",
    SessionStatus.LIVE: "đang họp",
    SessionStatus.PAUSED: "tạm dừng",
    SessionStatus.ENDED: "đã bế mạc",
    SessionStatus.ARCHIVED: "đã lưu trữ",
}


def status_refusal(session: CouncilSession) -> ApiError:
    status = session.status
    ended = status in (SessionStatus.ENDED, SessionStatus.ARCHIVED)
    return ApiError(
        409,
        "closed" if ended else "conflict",
        f"Kỳ họp {STATUS_VI[status]}; chưa thể làm việc này." if not ended else f"Kỳ họp {STATUS_VI[status]}.",
        f"The session is {status.value}; this cannot be done now.",
    )


def require_status(session: CouncilSession, *allowed: SessionStatus) -> None:
    if session.status not in allowed:
        raise status_refusal(session)


def require_running(session: CouncilSession) -> None:
    """The sitting is open: live or paused."""
    require_status(session, SessionStatus.LIVE, SessionStatus.PAUSED)
