"""The database work behind CLI commands, on the same services as the REST routes."""

from __future__ import annotations

from sqlalchemy import select

from session_server.auth import tokens
from session_server.auth.schemas import UserIn
from session_server.auth.users import create_user, revoke_credential, set_active, set_password
from session_server.councils.csv_import import parse_members_csv
from session_server.councils.members import upsert_members
from session_server.councils.schemas import ImportResult
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import AuthToken, Council, Member, User
from session_server.errors import not_found
from session_server.inputs import parse_id
from session_server.live.audit import Verification, verify_session
from session_server.settings import Settings, ensure_secret_key


async def create_user_task(settings: Settings, data: UserIn, member_code: str | None) -> int:
    engine = make_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            if member_code:
                member_id = await db.scalar(
                    select(Member.id).where(Member.council_id == data.council_id, Member.code == member_code)
                )
                if member_id is None:
                    raise not_found(f"Không có đại biểu mã {member_code}.", f"No member with code {member_code}.")
                data = data.model_copy(update={"member_id": member_id})
            user = await create_user(db, data)
            await db.commit()
            return user.id
    finally:
        await engine.dispose()


async def import_members_task(settings: Settings, council_id: int, raw: bytes) -> ImportResult:
    rows = parse_members_csv(raw)
    engine = make_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            if await db.get(Council, council_id) is None:
                raise not_found("Không có hội đồng này.", "No such council.")
            result = await upsert_members(db, council_id, (row.member for row in rows))
            await db.commit()
            return result
    finally:
        await engine.dispose()


async def verify_task(settings: Settings, session_id: int) -> Verification:
    settings = ensure_secret_key(settings)
    engine = make_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            return await verify_session(db, session_id, settings.secret_key)
    finally:
        await engine.dispose()


async def account_task(settings: Settings, username: str, action: str, argument: str | None = None) -> list[AuthToken]:
    """Take access away from an account, or give it back: `deactivate`, `reactivate`, `password` (the new one in
    `argument`), `devices` (listed), `revoke` (the device id in `argument`, or `all`). Returns the account's sign-ins
    and devices as they are afterwards."""
    engine = make_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            user = await db.scalar(select(User).where(User.username == username))
            if user is None:
                raise not_found(f"Không có tài khoản {username}.", f"No account {username}.")
            if action in ("deactivate", "reactivate"):
                await set_active(db, user, action == "reactivate")
            elif action == "password":
                await set_password(db, user, argument or "")
            elif action == "revoke" and argument == "all":
                await tokens.revoke_all(db, user)
            elif action == "revoke":
                await revoke_credential(db, user, parse_id(argument or "") or 0)
            await db.commit()
            return await tokens.credentials(db, user)
    finally:
        await engine.dispose()
