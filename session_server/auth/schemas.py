"""Request and answer bodies of the sign-in and account routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from session_server.auth.passwords import MIN_LENGTH
from session_server.db.models import AuthToken, Role, User
from session_server.inputs import Id


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class DeviceTokenIn(Strict):
    label: str = Field("", max_length=100)


class DeviceTokenOut(BaseModel):
    token: str
    expires_in_days: int


class PairIn(Strict):
    code: str = Field(min_length=1, max_length=32)


class PairingOut(BaseModel):
    """A one-time code that signs a tablet in; `url` (also drawn as the QR code `qr_svg`) carries the code."""

    code: str
    expires_at: datetime
    url: str
    qr_svg: str


class UserIn(Strict):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[a-z0-9._-]+$")
    display_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=MIN_LENGTH, max_length=200)
    role: Role
    council_id: Id | None = None
    member_id: Id | None = None


class PasswordChangeIn(Strict):
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=MIN_LENGTH, max_length=200)


class PasswordResetIn(Strict):
    password: str = Field(min_length=MIN_LENGTH, max_length=200)


class CredentialOut(BaseModel):
    """A browser sign-in (`cookie`) or a paired device (`device`) of an account, still signing in."""

    id: int
    kind: str
    label: str
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, token: AuthToken) -> CredentialOut:
        return cls(
            id=token.id, kind=token.kind, label=token.label, created_at=token.created_at, expires_at=token.expires_at
        )


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Role
    council_id: int | None
    member_id: int | None
    active: bool = True

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            council_id=user.council_id,
            member_id=user.member_id,
            active=user.active,
        )
