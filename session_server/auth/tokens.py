"""Opaque tokens for browser sessions (cookie), paired devices (bearer) and one-time pairing codes.

The database keeps only their hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import AuthToken, Member, Role, User, utcnow

COOKIE = "cookie"
DEVICE = "device"
PAIRING = "pairing"
CREDENTIALS = (COOKIE, DEVICE)
"""The kinds that sign a request in; a pairing code is never a credential, it is only exchanged for a session."""

PAIRING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: a code read off a screen and typed on a tablet should not be mistyped."""
PAIRING_LENGTH = 10


SIGNS_IN = and_(User.active, or_(User.role != Role.DELEGATE, Member.in_office.is_(True)))
"""Which accounts may sign in (with `Member` outer-joined on the account's member): active ones, and a delegate's
only while the delegate is in office."""


def signing_in(*where: ColumnElement[bool]) -> Select[tuple[User]]:
    """The accounts matching `where` that may sign in."""
    return select(User).outerjoin(Member, Member.id == User.member_id).where(SIGNS_IN, *where)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue(db: AsyncSession, user: User, kind: str, lifetime: timedelta, label: str = "") -> str:
    token = secrets.token_urlsafe(32)
    db.add(
        AuthToken(token_hash=_digest(token), user_id=user.id, kind=kind, label=label, expires_at=utcnow() + lifetime)
    )
    return token


async def user_for(db: AsyncSession, token: str, now: datetime | None = None) -> User | None:
    return (await users_for(db, [token], now)).get(token)


async def users_for(db: AsyncSession, tokens: list[str], now: datetime | None = None) -> dict[str, User]:
    """The active account each still-valid credential signs in, in one query; unknown tokens are left out. A
    delegate's account signs in only while the delegate is in office: leaving office ends it at once."""
    by_digest = _digests(tokens)
    if not by_digest:
        return {}
    rows = await db.execute(_signed_in(by_digest, now, User))
    return {by_digest[digest]: user for digest, user in rows}


Account = tuple[int, str, str, Role, int | None, int | None]
"""What a connection acts as: the account's id, username, name, role, council and member."""


def account_of(user: User) -> Account:
    return (user.id, user.username, user.display_name, user.role, user.council_id, user.member_id)


async def accounts_for(db: AsyncSession, tokens: list[str], now: datetime | None = None) -> dict[str, Account]:
    """As `users_for`, as plain values: checking again that hundreds of connections still sign in as what they did
    costs a fraction of loading their accounts."""
    by_digest = _digests(tokens)
    if not by_digest:
        return {}
    columns = (User.id, User.username, User.display_name, User.role, User.council_id, User.member_id)
    rows = await db.execute(_signed_in(by_digest, now, *columns))
    return {by_digest[digest]: tuple(account) for digest, *account in rows}


def _digests(tokens: list[str]) -> dict[str, str]:
    return {_digest(token): token for token in tokens if token and len(token) <= 200}


def _signed_in(by_digest: dict[str, str], now: datetime | None, *what: Any) -> Select[Any]:
    return (
        select(AuthToken.token_hash, *what)
        .select_from(User)
        .join(AuthToken, AuthToken.user_id == User.id)
        .outerjoin(Member, Member.id == User.member_id)
        .where(
            AuthToken.token_hash.in_(by_digest),
            AuthToken.kind.in_(CREDENTIALS),
            AuthToken.expires_at > (now or utcnow()),
            SIGNS_IN,
        )
    )


async def credentials(db: AsyncSession, user: User) -> list[AuthToken]:
    """The account's browser sessions and devices that still sign in, newest first."""
    found = await db.scalars(
        select(AuthToken)
        .where(AuthToken.user_id == user.id, AuthToken.kind.in_(CREDENTIALS), AuthToken.expires_at > utcnow())
        .order_by(AuthToken.created_at.desc(), AuthToken.id.desc())
    )
    return list(found)


async def revoke_all(db: AsyncSession, user: User, keep: str | None = None) -> None:
    """End every session, device and pairing code of the account, but the credential `keep` (the caller's own)."""
    statement = delete(AuthToken).where(AuthToken.user_id == user.id)
    if keep is not None:
        statement = statement.where(AuthToken.token_hash != _digest(keep))
    await db.execute(statement)


async def revoke(db: AsyncSession, token: str) -> None:
    await db.execute(delete(AuthToken).where(AuthToken.token_hash == _digest(token)))


async def issue_pairing_code(db: AsyncSession, user: User, lifetime: timedelta) -> tuple[str, datetime]:
    """A one-time code for the account and when it expires; an earlier code of the account stops working."""
    await db.execute(delete(AuthToken).where(AuthToken.user_id == user.id, AuthToken.kind == PAIRING))
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))
    expires_at = utcnow() + lifetime
    db.add(AuthToken(token_hash=_digest(code), user_id=user.id, kind=PAIRING, expires_at=expires_at))
    return code, expires_at


async def redeem_pairing_code(db: AsyncSession, code: str) -> User | None:
    """The account a still-valid code was made for, if it may sign in, deleting the code (the caller commits)."""
    code = code.replace("-", "").replace(" ", "").upper()
    if len(code) != PAIRING_LENGTH:
        return None
    # Deleting and reading in one statement: of two tablets racing with the same code, only one gets the row.
    user_id = await db.scalar(
        delete(AuthToken)
        .where(AuthToken.token_hash == _digest(code), AuthToken.kind == PAIRING, AuthToken.expires_at > utcnow())
        .returning(AuthToken.user_id)
    )
    return await db.scalar(signing_in(User.id == user_id)) if user_id is not None else None
