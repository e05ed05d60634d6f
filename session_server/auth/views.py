"""Sign-in, sign-out, who am I, device tokens, pairing a tablet by QR code, and accounts: creating them, their
passwords, deactivating them and signing their devices out."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.auth import tokens
from session_server.auth.passwords import hash_password, needs_rehash, verify_password
from session_server.auth.roles import Permission
from session_server.auth.schemas import (
    CredentialOut,
    DeviceTokenIn,
    DeviceTokenOut,
    LoginIn,
    PairIn,
    PairingOut,
    PasswordChangeIn,
    PasswordResetIn,
    UserIn,
    UserOut,
)
from session_server.auth.users import create_user, revoke_credential, set_active, set_password
from session_server.db.models import Role, User
from session_server.documents.qr import qr_svg
from session_server.errors import ApiError, forbidden, invalid, not_found

_DUMMY_HASH = hash_password("not a real password")
PAIRING_LIFETIME = timedelta(minutes=10)
PAIRED_LABEL = "Máy tính bảng ghép bằng mã"


def _rate_limited(seconds: int) -> ApiError:
    if seconds < 60:
        vi, en = f"{seconds} giây", f"{seconds} seconds"
    else:
        minutes = -(-seconds // 60)
        vi, en = f"{minutes} phút", f"{minutes} minute{'s' if minutes > 1 else ''}"
    return ApiError(
        429,
        "rate_limited",
        f"Đăng nhập sai quá nhiều lần; thử lại sau {vi}.",
        f"Too many failed sign-ins; try again in {en}.",
        [{"retry_after": seconds}],
    )


@api.route("POST", "/api/auth/login", permission=Permission.PUBLIC, body=LoginIn, response=UserOut, summary="Sign in")
async def login(ctx: Context, body: LoginIn) -> web.Response:
    limiter = ctx.services.login_limiter
    account = body.username.lower()
    keys = (f"user:{account}", f"user_at:{account}@{ctx.client_address}", f"addr:{ctx.client_address}")
    wait = limiter.retry_after(*keys)
    if wait:
        ctx.services.metrics.logins.labels("rate_limited").inc()
        raise _rate_limited(wait)
    async with ctx.sessionmaker() as db:
        user = await db.scalar(tokens.signing_in(func.lower(User.username) == body.username.lower()))
        password_hash = user.password_hash if user else _DUMMY_HASH
        ok = await asyncio.to_thread(verify_password, password_hash, body.password)
        if user is None or not ok:
            limiter.failed(*keys)
            ctx.services.metrics.logins.labels("failed").inc()
            raise ApiError(401, "bad_credentials", "Sai tên đăng nhập hoặc mật khẩu.", "Wrong username or password.")
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(body.password)
        if ctx.token:
            await tokens.revoke(db, ctx.token)
        lifetime = timedelta(hours=ctx.settings.session_max_age_hours)
        token = await tokens.issue(db, user, tokens.COOKIE, lifetime)
        await db.commit()
    limiter.succeeded(*keys[:2])
    ctx.services.metrics.logins.labels("ok").inc()
    return _signed_in(ctx, user, token, lifetime)


def _signed_in(ctx: Context, user: User, token: str, lifetime: timedelta) -> web.Response:
    """The account, with the session cookie that carries `token`."""
    response = json_response(UserOut.of(user))
    response.set_cookie(
        ctx.settings.session_cookie_name,
        token,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="Lax",
        secure=ctx.settings.effective_public_url.startswith("https://"),
        path="/",
    )
    return response


@api.route(
    "POST",
    "/api/auth/pair",
    permission=Permission.PUBLIC,
    body=PairIn,
    response=UserOut,
    summary="Sign a tablet in with a one-time pairing code, for as long as a device token lasts",
)
async def pair(ctx: Context, body: PairIn) -> web.Response:
    limiter = ctx.services.login_limiter
    address_key = f"pair:{ctx.client_address}"
    wait = limiter.retry_after(address_key)
    if wait:
        raise _rate_limited(wait)
    async with ctx.sessionmaker() as db:
        user = await tokens.redeem_pairing_code(db, body.code)
        if user is None:
            limiter.failed(address_key)
            raise ApiError(
                401,
                "bad_pairing_code",
                "Mã ghép máy không đúng, đã hết hạn hoặc đã được dùng. Hãy xin Văn phòng HĐND mã mới.",
                "The pairing code is wrong, expired or already used. Ask the council office for a new one.",
            )
        if ctx.token:
            await tokens.revoke(db, ctx.token)
        lifetime = timedelta(days=ctx.settings.device_token_max_age_days)
        token = await tokens.issue(db, user, tokens.DEVICE, lifetime, PAIRED_LABEL)
        await db.commit()
    return _signed_in(ctx, user, token, lifetime)


@api.route("POST", "/api/auth/logout", permission=Permission.SIGNED_IN, summary="Sign out (ends this browser session)")
async def logout(ctx: Context) -> web.Response:
    if ctx.token:
        async with ctx.sessionmaker() as db:
            await tokens.revoke(db, ctx.token)
            await db.commit()
    response = json_response({"ok": True})
    response.del_cookie(ctx.settings.session_cookie_name, path="/")
    return response


@api.route("GET", "/api/auth/me", permission=Permission.SIGNED_IN, response=UserOut, summary="The signed-in account")
async def me(ctx: Context) -> UserOut:
    assert ctx.user is not None
    return UserOut.of(ctx.user)


@api.route(
    "POST",
    "/api/auth/device-tokens",
    permission=Permission.SIGNED_IN,
    body=DeviceTokenIn,
    response=DeviceTokenOut,
    status=201,
    summary="Issue a bearer token for a tablet or device of the signed-in account",
)
async def issue_device_token(ctx: Context, body: DeviceTokenIn) -> DeviceTokenOut:
    assert ctx.user is not None
    days = ctx.settings.device_token_max_age_days
    async with ctx.sessionmaker() as db:
        token = await tokens.issue(db, ctx.user, tokens.DEVICE, timedelta(days=days), body.label)
        await db.commit()
    return DeviceTokenOut(token=token, expires_in_days=days)


@api.route(
    "POST",
    "/api/users/{user_id}/pairing",
    permission=Permission.DEVICE_PAIR,
    response=PairingOut,
    status=201,
    summary="A one-time code, valid for 10 minutes, and its QR code that sign a tablet in as this delegate",
)
async def create_pairing(ctx: Context) -> PairingOut:
    async with ctx.sessionmaker() as db:
        user = await db.get(User, int_param(ctx, "user_id"))
        if user is None:
            raise not_found("Không có tài khoản này.", "No such account.")
        ctx.require_council(user.council_id or 0)
        if user.role is not Role.DELEGATE or not user.active:
            raise invalid(
                "Chỉ ghép được máy tính bảng cho tài khoản đại biểu đang hoạt động.",
                "Only an active delegate account can be paired with a tablet.",
            )
        code, expires_at = await tokens.issue_pairing_code(db, user, PAIRING_LIFETIME)
        await db.commit()
    url = f"{ctx.settings.effective_public_url}/login/?pair={code}"
    return PairingOut(code=code, expires_at=expires_at, url=url, qr_svg=qr_svg(url).decode())


@api.route("GET", "/api/users", permission=Permission.USER_READ, response=list[UserOut], summary="List accounts")
async def list_users(ctx: Context) -> list[UserOut]:
    assert ctx.user is not None
    query = select(User).order_by(User.username)
    if ctx.user.role is not Role.ADMIN:
        query = query.where(User.council_id == ctx.user.council_id)
    async with ctx.sessionmaker() as db:
        return [UserOut.of(user) for user in await db.scalars(query)]


@api.route(
    "POST",
    "/api/users",
    permission=Permission.USER_WRITE,
    body=UserIn,
    response=UserOut,
    status=201,
    summary="Create an account (secretaries create delegate accounts of their own council)",
)
async def add_user(ctx: Context, body: UserIn) -> UserOut:
    assert ctx.user is not None
    if ctx.user.role is not Role.ADMIN:
        if body.role is not Role.DELEGATE:
            raise forbidden("Chỉ quản trị mới tạo được tài khoản thư ký.", "Only an admin can create staff accounts.")
        ctx.require_council(body.council_id or 0)
    async with ctx.sessionmaker() as db:
        user = await create_user(db, body)
        await db.commit()
    return UserOut.of(user)


@api.route(
    "POST",
    "/api/auth/password",
    permission=Permission.SIGNED_IN,
    body=PasswordChangeIn,
    summary="Change one's own password; every other sign-in and device of the account ends",
)
async def change_password(ctx: Context, body: PasswordChangeIn) -> dict[str, bool]:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        user = await db.get(User, ctx.user.id)
        assert user is not None
        if not await asyncio.to_thread(verify_password, user.password_hash, body.current_password):
            raise ApiError(401, "bad_credentials", "Mật khẩu hiện tại không đúng.", "The current password is wrong.")
        await set_password(db, user, body.new_password, keep=ctx.token)
        await db.commit()
    return {"ok": True}


async def _managed_user(ctx: Context, db: AsyncSession, user_id: int) -> User:
    """An account the caller manages: an admin any account, a secretary the delegates of their own council."""
    assert ctx.user is not None
    user = await db.get(User, user_id)
    if user is None:
        raise not_found("Không có tài khoản này.", "No such account.")
    if ctx.user.role is not Role.ADMIN:
        ctx.require_council(user.council_id or 0)
        if user.role is not Role.DELEGATE:
            raise forbidden(
                "Chỉ quản trị mới quản lý được tài khoản thư ký.", "Only an admin can manage staff accounts."
            )
    return user


async def _set_active(ctx: Context, active: bool) -> UserOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        user = await _managed_user(ctx, db, int_param(ctx, "user_id"))
        if user.id == ctx.user.id:
            raise invalid("Không thể tự khóa tài khoản của mình.", "You cannot deactivate your own account.")
        await set_active(db, user, active)
        await db.commit()
    return UserOut.of(user)


@api.route(
    "POST",
    "/api/users/{user_id}/deactivate",
    permission=Permission.USER_WRITE,
    response=UserOut,
    summary="Deactivate an account: it can no longer sign in, and every sign-in and device of it ends at once",
)
async def deactivate_user(ctx: Context) -> UserOut:
    return await _set_active(ctx, False)


@api.route(
    "POST",
    "/api/users/{user_id}/reactivate",
    permission=Permission.USER_WRITE,
    response=UserOut,
    summary="Reactivate an account (it signs in again with its password; its old devices stay signed out)",
)
async def reactivate_user(ctx: Context) -> UserOut:
    return await _set_active(ctx, True)


@api.route(
    "POST",
    "/api/users/{user_id}/password",
    permission=Permission.USER_WRITE,
    body=PasswordResetIn,
    response=UserOut,
    summary="Reset an account's password; every sign-in and device of the account ends",
)
async def reset_password(ctx: Context, body: PasswordResetIn) -> UserOut:
    async with ctx.sessionmaker() as db:
        user = await _managed_user(ctx, db, int_param(ctx, "user_id"))
        await set_password(db, user, body.password)
        await db.commit()
    return UserOut.of(user)


@api.route(
    "GET",
    "/api/users/{user_id}/devices",
    permission=Permission.USER_READ,
    response=list[CredentialOut],
    summary="An account's sign-ins and paired devices that still sign in, newest first",
)
async def list_devices(ctx: Context) -> list[CredentialOut]:
    async with ctx.sessionmaker() as db:
        user = await _managed_user(ctx, db, int_param(ctx, "user_id"))
        return [CredentialOut.of(found) for found in await tokens.credentials(db, user)]


@api.route(
    "DELETE",
    "/api/users/{user_id}/devices/{device_id}",
    permission=Permission.USER_WRITE,
    status=204,
    summary="Sign one device or browser of an account out, at once",
)
async def revoke_device(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        user = await _managed_user(ctx, db, int_param(ctx, "user_id"))
        await revoke_credential(db, user, int_param(ctx, "device_id"))
        await db.commit()
    return web.Response(status=204)
