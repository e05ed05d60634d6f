"""The Socket.IO server: `/live` for signed-in users, `/public` for anyone (DESIGN.md §5).

Handlers only check who is connected and hand commands to the dispatcher; acks carry `{ok, seq}` or the one error
shape `{ok: false, error: {code, message}}`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any

import socketio
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from session_server.auth.roles import Permission, allows
from session_server.db.engine import is_database_outage
from session_server.db.models import BallotType, CouncilSession, SessionStatus, User, utcnow
from session_server.errors import ApiError, forbidden, from_validation_error, not_found, unauthenticated, unavailable
from session_server.live import snapshot
from session_server.live.dispatcher import capacities_of
from session_server.live.registry import COMMANDS
from session_server.realtime.broadcast import live_room, public_room
from session_server.realtime.fanout import make_manager
from session_server.realtime.snapshots import SnapshotCache
from session_server.realtime.token_checks import TokenChecks
from session_server.services import Services
from session_server.settings import Settings
from session_server.votes.results import own_ballot

log = logging.getLogger(__name__)
TOKEN_RECHECK_SECONDS = 10.0


def make_socketio_server(settings: Settings) -> socketio.AsyncServer:
    return socketio.AsyncServer(
        async_mode="aiohttp",
        client_manager=make_manager(settings.redis_url),
        cors_allowed_origins=[],
        max_http_buffer_size=64 * 1024,
        ping_interval=10,
        ping_timeout=10,
    )


class JoinLive(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: int = Field(ge=1)
    last_seq: int | None = Field(None, ge=0)


class JoinPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: int = Field(ge=1)


def failure(error: ApiError, lang: str) -> dict[str, Any]:
    return {"ok": False, **error.body(lang)}


INTERNAL = ApiError(500, "internal", "Lỗi hệ thống; vui lòng thử lại.", "Internal error; please try again.")


async def answer(lang: str, what: str, work: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    """Every Socket.IO handler answers: its result, its refusal, or an internal error in the one error shape."""
    try:
        return await work()
    except ApiError as error:
        return failure(error, lang)
    except Exception as exc:
        if is_database_outage(exc):
            log.warning("%s refused, the database is unreachable: %r", what, exc)
            return failure(unavailable(), lang)
        log.exception("%s failed", what)
        return failure(INTERNAL, lang)


def _refusal(error: ApiError, lang: str) -> socketio.exceptions.ConnectionRefusedError:
    """The client's connect_error gets `message` for people and `data: {code, message}` for programs."""
    body = error.body(lang)["error"]
    return socketio.exceptions.ConnectionRefusedError(body["message"], body)


def _token_from(environ: dict[str, Any], auth: Any, cookie_name: str) -> str | None:
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        return auth["token"]
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    try:
        morsel = SimpleCookie(environ.get("HTTP_COOKIE", "")).get(cookie_name)
    except CookieError:
        return None
    return morsel.value if morsel else None


def _lang(environ: dict[str, Any], auth: Any) -> str:
    if isinstance(auth, dict) and auth.get("lang") in ("vi", "en"):
        return auth["lang"]
    return "en" if environ.get("HTTP_ACCEPT_LANGUAGE", "").lower().startswith("en") else "vi"


def _validate(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        raise from_validation_error(exc) from exc


class LiveNamespace(socketio.AsyncNamespace):
    """Delegates, chairs and staff: join a session, send commands, receive every event of the session."""

    def __init__(self, services: Services, snapshots: SnapshotCache) -> None:
        super().__init__("/live")
        self.services = services
        self.snapshots = snapshots
        self.token_checks = TokenChecks(services.sessionmaker)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        lang = _lang(environ, auth)
        token = _token_from(environ, auth, self.services.settings.session_cookie_name)
        user: User | None = None
        if token:
            try:
                user = await self.token_checks.user_for(token)
            except Exception as exc:
                if is_database_outage(exc):
                    raise _refusal(unavailable(), lang) from exc
                raise
        if user is None:
            raise _refusal(unauthenticated(), lang)
        if not allows(user.role, Permission.LIVE_JOIN):
            raise _refusal(forbidden(), lang)
        await self.save_session(sid, {"user_id": user.id, "token": token, "lang": lang, "session_id": None})
        self.services.metrics.socket_clients.labels("/live").inc()

    async def on_disconnect(self, sid: str, reason: str | None = None) -> None:
        self.services.metrics.socket_clients.labels("/live").dec()

    async def _user(self, sid: str) -> tuple[User, dict[str, Any]]:
        """The connection's user; its token is checked again when the last check is older than a few seconds, so a
        revoked token or a deactivated account stops working promptly without a query per command."""
        saved = await self.get_session(sid)
        if time.monotonic() - saved.get("checked_at", 0.0) < TOKEN_RECHECK_SECONDS:
            return saved["user"], saved
        user = await self.token_checks.user_for(saved["token"])
        if user is None:
            raise unauthenticated()
        saved = {**saved, "user": user, "checked_at": time.monotonic()}
        await self.save_session(sid, saved)
        return user, saved

    async def on_join(self, sid: str, data: Any = None) -> dict[str, Any]:
        lang = (await self.get_session(sid)).get("lang", "vi")
        return await answer(lang, "join", lambda: self._join(sid, data))

    async def _join(self, sid: str, data: Any) -> dict[str, Any]:
        request = _validate(JoinLive, data)
        user, saved = await self._user(sid)
        async with self.services.sessionmaker() as db:
            session = await db.get(CouncilSession, request.session_id)
            if session is None:
                raise not_found("Không có kỳ họp này.", "No such session.")
            capacities = await capacities_of(db, user, session)
        if not capacities:
            raise forbidden("Kỳ họp này không thuộc hội đồng của bạn.", "This session is not in your council.")
        state = await self.snapshots.get(session)
        current = state["vote"]["current"]
        ballot = None
        if current and user.member_id:
            async with self.services.sessionmaker() as db:
                ballot = await own_ballot(db, current["motion_id"], BallotType(current["ballot_type"]), user.member_id)
        if saved.get("session_id") and saved["session_id"] != session.id:
            await self.leave_room(sid, live_room(saved["session_id"]))
        await self.enter_room(sid, live_room(session.id))
        await self.save_session(sid, {**saved, "session_id": session.id})
        me = {
            "user_id": user.id,
            "member_id": user.member_id,
            "capacities": sorted(c.value for c in capacities),
            "ballot": ballot,
        }
        return {"ok": True, "seq": session.last_seq, "snapshot": state, "me": me, "server_time": utcnow().isoformat()}

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in COMMANDS:
            return await self._command(event, *args)
        if event in ("connect", "disconnect", "join"):
            return await super().trigger_event(event, *args)
        lang = (await self.get_session(args[0])).get("lang", "vi")
        return failure(ApiError(400, "invalid", f"Lệnh không tồn tại: {event}.", f"Unknown command: {event}."), lang)

    async def _command(self, name: str, sid: str, data: Any = None) -> dict[str, Any]:
        saved = await self.get_session(sid)

        async def run() -> dict[str, Any]:
            if not saved.get("session_id"):
                raise ApiError(409, "not_joined", "Hãy vào kỳ họp trước.", "Join a session first.")
            user, _ = await self._user(sid)
            result = await self.services.dispatcher.run(user, saved["session_id"], name, data)
            return {"ok": True, "seq": result.seq}

        return await answer(saved.get("lang", "vi"), name, run)


class PublicNamespace(socketio.AsyncNamespace):
    """Anyone, read-only; only what the public may see of a public session ever reaches this namespace."""

    def __init__(self, services: Services, snapshots: SnapshotCache) -> None:
        super().__init__("/public")
        self.services = services
        self.snapshots = snapshots

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        await self.save_session(sid, {"lang": _lang(environ, auth), "session_id": None})
        self.services.metrics.socket_clients.labels("/public").inc()

    async def on_disconnect(self, sid: str, reason: str | None = None) -> None:
        self.services.metrics.socket_clients.labels("/public").dec()

    async def on_join(self, sid: str, data: Any = None) -> dict[str, Any]:
        saved = await self.get_session(sid)
        return await answer(saved.get("lang", "vi"), "public join", lambda: self._join(sid, saved, data))

    async def _join(self, sid: str, saved: dict[str, Any], data: Any) -> dict[str, Any]:
        request = _validate(JoinPublic, data)
        async with self.services.sessionmaker() as db:
            session = await db.get(CouncilSession, request.session_id)
        if session is None or not session.public or session.status is SessionStatus.DRAFT:
            raise not_found("Không có kỳ họp công khai này.", "No such public session.")
        state = snapshot.public_view(await self.snapshots.get(session))
        if saved.get("session_id") and saved["session_id"] != session.id:
            await self.leave_room(sid, public_room(saved["session_id"]))
        await self.enter_room(sid, public_room(session.id))
        await self.save_session(sid, {**saved, "session_id": session.id})
        return {"ok": True, "seq": session.last_seq, "snapshot": state, "server_time": utcnow().isoformat()}


def register_namespaces(sio: socketio.AsyncServer, services: Services) -> None:
    import session_server.live.commands  # noqa: F401 - registers the commands

    snapshots = SnapshotCache(services.sessionmaker)
    sio.register_namespace(LiveNamespace(services, snapshots))
    sio.register_namespace(PublicNamespace(services, snapshots))
