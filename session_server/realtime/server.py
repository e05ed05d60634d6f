"""The Socket.IO server: `/live` for signed-in users, `/public` for anyone (DESIGN.md §5).

Handlers only check who is connected and hand commands to the dispatcher; acks carry `{ok, seq}` or the one error
shape `{ok: false, error: {code, message}}`.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any

import socketio
from pydantic import BaseModel, ConfigDict, ValidationError

from session_server.auth.capacities import capacities_of
from session_server.auth.origins import is_own_origin
from session_server.auth.roles import Permission, allows
from session_server.db.engine import is_database_outage
from session_server.db.models import BallotType, CouncilSession, SessionStatus, User, utcnow
from session_server.errors import (
    ApiError,
    forbidden,
    from_validation_error,
    invalid,
    not_found,
    unauthenticated,
    unavailable,
)
from session_server.inputs import MAX_JSON_DEPTH, Id, Seq, clean, too_deep
from session_server.live import snapshot
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


class TooDeep(ValueError):
    """A packet's JSON nests deeper than any payload of ours."""


class _PacketJson:
    """The JSON of Socket.IO packets: refused past MAX_JSON_DEPTH before parsing, its text cleaned, as over REST."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text: str, **kwargs: Any) -> Any:
        if too_deep(text):
            raise TooDeep(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
        return clean(json.loads(text, **kwargs))


class _Packet(socketio.packet.Packet):
    json = _PacketJson


# A command's packet: EVENT (2), its namespace, then the id its acknowledgement must carry.
_EVENT_HEADER = re.compile(r"^2(?:(/[^,]*),)?(\d{1,12})\[")


class SocketServer(socketio.AsyncServer):
    """python-socketio's server, but a packet it cannot read (bad JSON, nested too deep, an unknown type) is refused
    with one line in the log instead of a traceback, and a command in it is answered `invalid`."""

    async def _handle_event(self, eio_sid: str, namespace: str | None, id: int | None, data: Any) -> None:
        # A client may not name a reserved event (its payload would reach on_connect as the request's environ) nor
        # send an event without a name.
        if not (isinstance(data, list) and data and isinstance(data[0], str)) or data[0] in self.reserved_events:
            raise ValueError(f"not an event: {str(data)[:60]}")
        await super()._handle_event(eio_sid, namespace, id, data)

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        try:
            await super()._handle_eio_message(eio_sid, data)
        except ValueError as exc:
            log.warning("Socket.IO packet refused: %s", exc)
            header = _EVENT_HEADER.match(data) if isinstance(data, str) else None
            if header is None:
                return
            namespace = header[1] or "/"
            sid = self.manager.sid_from_eio_sid(eio_sid, namespace)
            if sid is None:
                return
            lang = (await self.get_session(sid, namespace)).get("lang", "vi")
            error = invalid("Gói dữ liệu không đọc được.", f"The packet could not be read: {exc}.")
            ack = self.packet_class(
                socketio.packet.ACK, namespace=namespace, data=[failure(error, lang)], id=int(header[2])
            )
            await self._send_packet(eio_sid, ack)


def make_socketio_server(settings: Settings) -> socketio.AsyncServer:
    return SocketServer(
        async_mode="aiohttp",
        serializer=_Packet,
        client_manager=make_manager(settings.redis_url),
        cors_allowed_origins=[],
        max_http_buffer_size=64 * 1024,
        ping_interval=10,
        ping_timeout=10,
    )


class JoinLive(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: Id
    last_seq: Seq | None = None


class JoinPublic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: Id


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


def _token_from(environ: dict[str, Any], auth: Any, cookie_name: str) -> tuple[str | None, bool]:
    """The connection's credential, and whether it came from the browser's cookie."""
    if isinstance(auth, dict) and isinstance(auth.get("token"), str):
        return auth["token"], False
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip(), False
    try:
        morsel = SimpleCookie(environ.get("HTTP_COOKIE", "")).get(cookie_name)
    except CookieError:
        return None, False
    return (morsel.value, True) if morsel else (None, False)


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
        settings = self.services.settings
        token, from_cookie = _token_from(environ, auth, settings.session_cookie_name)
        # The cookie rides along with any page's connection, websocket and polling alike: only our own pages may
        # use it. An app's own token (auth or bearer) was given to that app, wherever it runs.
        if from_cookie and not is_own_origin(settings, environ.get("HTTP_ORIGIN"), environ.get("HTTP_HOST")):
            raise _refusal(
                forbidden("Kết nối từ trang khác bị từ chối.", "A connection from another site was refused."), lang
            )
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
        user = await self.token_checks.user_for(saved["token"], saved.get("user"))
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
        if event in ("connect", "disconnect"):
            return await super().trigger_event(event, *args)
        # A client's event: its first argument is the payload, any more are ignored.
        sid, data = args[0], args[1] if len(args) > 1 else None
        if event in COMMANDS:
            return await self._command(event, sid, data)
        if event == "join":
            return await self.on_join(sid, data)
        return await unknown_event(self, sid, event)

    async def _command(self, name: str, sid: str, data: Any = None) -> dict[str, Any]:
        saved = await self.get_session(sid)

        async def run() -> dict[str, Any]:
            if not saved.get("session_id"):
                raise ApiError(409, "not_joined", "Hãy vào kỳ họp trước.", "Join a session first.")
            user, _ = await self._user(sid)
            result = await self.services.dispatcher.run(user, saved["session_id"], name, data)
            return {"ok": True, "seq": result.seq}

        return await answer(saved.get("lang", "vi"), name, run)


async def unknown_event(namespace: socketio.AsyncNamespace, sid: str, event: str) -> dict[str, Any]:
    lang = (await namespace.get_session(sid)).get("lang", "vi")
    return failure(invalid(f"Lệnh không tồn tại: {event}.", f"Unknown command: {event}."), lang)


class PublicNamespace(socketio.AsyncNamespace):
    """Anyone, read-only; only what the public may see of a public session ever reaches this namespace."""

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return await super().trigger_event(event, *args)
        if event == "join":
            return await self.on_join(args[0], args[1] if len(args) > 1 else None)
        return await unknown_event(self, args[0], event)

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
