"""Creating accounts and taking access away: shared by the REST routes, the CLI and the demo loader."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.auth import tokens
from session_server.auth.passwords import hash_password
from session_server.auth.schemas import UserIn
from session_server.db.models import AuthToken, Council, Member, Role, User
from session_server.errors import conflict, invalid, not_found


async def create_user(db: AsyncSession, data: UserIn) -> User:
    """Check the account's council and member, then add it (the caller commits)."""
    if await db.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise conflict(f"Tên đăng nhập {data.username} đã có.", f"The username {data.username} is taken.")
    if data.role is not Role.ADMIN and data.council_id is None:
        raise invalid(
            "Tài khoản thư ký hoặc đại biểu phải thuộc một hội đồng.", "A secretary or delegate needs a council."
        )
    if data.council_id is not None and await db.get(Council, data.council_id) is None:
        raise not_found("Không có hội đồng này.", "No such council.")
    if data.member_id is not None:
        member = await db.get(Member, data.member_id)
        if member is None or member.council_id != data.council_id:
            raise invalid("Đại biểu không thuộc hội đồng đã chọn.", "The member is not in that council.")
        if await db.scalar(select(User.id).where(User.member_id == data.member_id)) is not None:
            raise conflict("Đại biểu này đã có tài khoản.", "This member already has an account.")
    elif data.role is Role.DELEGATE:
        raise invalid("Tài khoản đại biểu phải gắn với một đại biểu.", "A delegate account needs a member.")
    user = User(
        username=data.username,
        display_name=data.display_name,
        password_hash=hash_password(data.password),
        role=data.role,
        council_id=data.council_id,
        member_id=data.member_id,
    )
    db.add(user)
    await db.flush()
    return user


async def set_active(db: AsyncSession, user: User, active: bool) -> None:
    """Deactivate or reactivate the account; deactivating signs it out everywhere at once (the caller commits)."""
    user.active = active
    if not active:
        await tokens.revoke_all(db, user)


async def set_password(db: AsyncSession, user: User, password: str, keep: str | None = None) -> None:
    """A new password: every session and device of the account ends, but the caller's own `keep` (the caller
    commits). Someone who learnt the old one is signed out with it."""
    user.password_hash = hash_password(password)
    await tokens.revoke_all(db, user, keep)


async def revoke_credential(db: AsyncSession, user: User, credential_id: int) -> None:
    """End one session or device of the account (the caller commits)."""
    found = await db.get(AuthToken, credential_id)
    if found is None or found.user_id != user.id or found.kind not in tokens.CREDENTIALS:
        raise not_found("Không có thiết bị hoặc phiên đăng nhập này.", "No such device or sign-in.")
    await db.delete(found)
