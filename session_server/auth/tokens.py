"""Opaque tokens for browser sessions (cookie), paired devices (bearer) and one-time pairing codes.

The database keeps only their hash.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import AuthToken, User, utcnow

COOKIE = "cookie"
DEVICE = "device"
PAIRING = "pairing"
CREDENTIALS = (COOKIE, DEVICE)
"""The kinds that sign a request in; a pairing code is never a credential, it is only exchanged for a session."""

PAIRING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""No 0/O, 1/I/L: a code read off a screen and typed on a tablet should not be mistyped."""
PAIRING_LENGTH = 10


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
    """The active account each still-valid credential signs in, in one query; unknown tokens are left out."""
    by_digest = {_digest(token): token for token in tokens if token and len(token) <= 200}
    if not by_digest:
        return {}
    rows = await db.execute(
        select(AuthToken.token_hash, User)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(
            AuthToken.token_hash.in_(by_digest),
            AuthToken.kind.in_(CREDENTIALS),
            AuthToken.expires_at > (now or utcnow()),
            User.active,
        )
    )
    return {by_digest[digest]: user for digest, user in rows}


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
    """The active account a still-valid code was made for, deleting the code (the caller commits)."""
    code = code.replace("-", "").replace(" ", "").upper()
    if len(code) != PAIRING_LENGTH:
        return None
    # Deleting and reading in one statement: of two tablets racing with the same code, only one gets the row.
    user_id = await db.scalar(
        delete(AuthToken)
        .where(AuthToken.token_hash == _digest(code), AuthToken.kind == PAIRING, AuthToken.expires_at > utcnow())
        .returning(AuthToken.user_id)
    )
    user = await db.get(User, user_id) if user_id is not None else None
    return user if user is not None and user.active else None
