"""What a handler needs about one request: who asks, in which language, and the app's services."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.auth.roles import Permission, allows
from session_server.db.models import Role, User
from session_server.errors import forbidden
from session_server.services import Services, services_of
from session_server.settings import Settings

LANGS = ("vi", "en")


def request_lang(request: web.Request) -> str:
    lang = request.query.get("lang", "")
    if lang in LANGS:
        return lang
    accept = request.headers.get("Accept-Language", "").strip().lower()
    return "en" if accept.startswith("en") else "vi"


@dataclass
class Context:
    request: web.Request
    services: Services
    user: User | None
    lang: str
    token: str | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return self.services.sessionmaker

    @property
    def client_address(self) -> str:
        """The caller's address; behind a trusted proxy, the one that proxy saw."""
        if self.settings.trust_forwarded_for:
            forwarded = self.request.headers.get("X-Forwarded-For", "")
            if forwarded.strip():
                return forwarded.rsplit(",", 1)[-1].strip()
        return self.request.remote or ""

    def can(self, permission: Permission) -> bool:
        return self.user is not None and allows(self.user.role, permission)

    def require_council(self, council_id: int) -> None:
        """Staff and delegates act only within their own council; admins act on every council."""
        if self.user is None:
            raise forbidden()
        if self.user.role is Role.ADMIN:
            return
        if self.user.council_id != council_id:
            raise forbidden(
                "Bạn chỉ làm việc được với hội đồng nhân dân của mình.", "You can only act within your own council."
            )


CONTEXT_KEY = web.RequestKey("hopso.context", Context)


def context_of(request: web.Request) -> Context:
    ctx = request.get(CONTEXT_KEY)
    if ctx is None:
        ctx = Context(request=request, services=services_of(request.app), user=None, lang=request_lang(request))
        request[CONTEXT_KEY] = ctx
    return ctx
