"""The role table: which role may do what. Every REST route and Socket.IO command names one permission."""

from __future__ import annotations

import enum

from session_server.db.models import Role


class Permission(enum.StrEnum):
    """`resource:action`; a route or command declares exactly one of these, or PUBLIC."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    COUNCIL_READ = "council:read"
    COUNCIL_CREATE = "council:create"
    COUNCIL_EDIT = "council:edit"
    MEMBER_READ = "member:read"
    MEMBER_WRITE = "member:write"
    USER_READ = "user:read"
    USER_WRITE = "user:write"
    SESSION_READ = "session:read"
    LIVE_JOIN = "live:join"
    SESSION_WRITE = "session:write"
    METRICS_READ = "metrics:read"
    DOCUMENT_READ = "document:read"
    DOCUMENT_WRITE = "document:write"
    NOTE_WRITE = "note:write"
    MINUTES_READ = "minutes:read"
    MINUTES_WRITE = "minutes:write"
    MINUTES_SIGN = "minutes:sign"
    """Sign approved minutes; the route lets only the session's secretary and chair through."""
    ARCHIVE_PUBLISH = "archive:publish"
    DEVICE_PAIR = "device:pair"
    TRANSCRIPT_REVIEW = "transcript:review"
    PETITION_READ = "petition:read"
    PETITION_WRITE = "petition:write"
    PETITION_ANSWER = "petition:answer"


_STAFF = {
    Permission.SIGNED_IN,
    Permission.COUNCIL_READ,
    Permission.COUNCIL_EDIT,
    Permission.MEMBER_READ,
    Permission.MEMBER_WRITE,
    Permission.USER_READ,
    Permission.USER_WRITE,
    Permission.SESSION_READ,
    Permission.SESSION_WRITE,
    Permission.LIVE_JOIN,
    Permission.DOCUMENT_READ,
    Permission.DOCUMENT_WRITE,
    Permission.NOTE_WRITE,
    Permission.MINUTES_READ,
    Permission.MINUTES_WRITE,
    Permission.MINUTES_SIGN,
    Permission.ARCHIVE_PUBLISH,
    Permission.DEVICE_PAIR,
    Permission.TRANSCRIPT_REVIEW,
    Permission.PETITION_READ,
    Permission.PETITION_WRITE,
    Permission.PETITION_ANSWER,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(set(Permission) - {Permission.PUBLIC}),
    Role.SECRETARY: frozenset(_STAFF),
    Role.DELEGATE: frozenset(
        {
            Permission.SIGNED_IN,
            Permission.COUNCIL_READ,
            Permission.MEMBER_READ,
            Permission.SESSION_READ,
            Permission.LIVE_JOIN,
            Permission.DOCUMENT_READ,
            Permission.NOTE_WRITE,
            Permission.MINUTES_READ,
            Permission.MINUTES_SIGN,
        }
    ),
    # An agency answers the petitions assigned to it and sees nothing else of the council (DESIGN.md §10).
    Role.AGENCY: frozenset({Permission.SIGNED_IN, Permission.PETITION_ANSWER}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission is Permission.PUBLIC or permission in ROLE_PERMISSIONS[role]


class Capacity(enum.StrEnum):
    """What a user is in one live session: the chair (chủ tọa), staff running it, a delegate, or the presenter."""

    CHAIR = "chair"
    STAFF = "staff"
    DELEGATE = "delegate"
    PRESENTER = "presenter"
    SYSTEM = "system"
    """HopSo itself (the media worker's stream status, a countdown): never a user's capacity."""


_RUNS = frozenset({Capacity.CHAIR, Capacity.STAFF})
_SHOWS = frozenset({Capacity.CHAIR, Capacity.STAFF, Capacity.PRESENTER})
_SELF = frozenset({Capacity.DELEGATE})
_SYSTEM = frozenset({Capacity.SYSTEM})

COMMAND_CAPACITIES: dict[str, frozenset[Capacity]] = {
    "session.open": _RUNS,
    "session.pause": _RUNS,
    "session.resume": _RUNS,
    "session.close": _RUNS,
    "checkin": _SELF,
    "attendance.mark": _RUNS,
    "attendance.mark_checked_in": _RUNS,
    "attendance.undo": _RUNS,
    "agenda.goto": _RUNS,
    "doc.show": _SHOWS,
    "doc.page": _SHOWS,
    "doc.hide": _SHOWS,
    "doc.presenter": _RUNS,
    "speakers.request": _SELF,
    "speakers.withdraw": _SELF,
    "speakers.add": _RUNS,
    "speakers.grant": _RUNS,
    "speakers.end": _RUNS,
    "speakers.extend": _RUNS,
    "speakers.reorder": _RUNS,
    "speakers.remove": _RUNS,
    "motion.add": _RUNS,
    "vote.open": _RUNS,
    "vote.cast": _SELF,
    "vote.close": _RUNS,
    "stream.status": _SYSTEM,
}


def may_command(capacities: frozenset[Capacity], command: str) -> bool:
    return bool(capacities & COMMAND_CAPACITIES[command])
