"""Pairing a delegate's tablet: staff make a one-time code (and its QR), the tablet exchanges it once for a session."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select, update

from session_server.app import create_app
from session_server.auth import tokens
from session_server.db.models import AuthToken, User, utcnow
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import PASSWORD, Account, World, make_world
from tests.functional.api.checks import count, error_of

COOKIE = "hopso_session"
BAD_CODE = "Mã ghép máy không đúng, đã hết hạn hoặc đã được dùng. Hãy xin Văn phòng HĐND mã mới."


async def _pairing(client: TestClient, staff: Account, user_id: int) -> dict[str, Any]:
    response = await client.post(f"/api/users/{user_id}/pairing", headers=staff.headers)
    assert response.status == 201, await response.text()
    return await response.json()


async def _pair(client: TestClient, code: str) -> Any:
    return await client.post("/api/auth/pair", json={"code": code})


async def test_a_code_signs_the_tablet_in_for_the_device_lifetime_once(client: TestClient, world: World) -> None:
    pairing = await _pairing(client, world.secretary, world.delegate.user.id)

    assert re.fullmatch(f"[{tokens.PAIRING_ALPHABET}]{{10}}", pairing["code"])
    assert pairing["url"].endswith(f"/login/?pair={pairing['code']}")
    assert pairing["qr_svg"].lstrip().startswith("<?xml") and "<svg" in pairing["qr_svg"]
    expires_in = datetime.fromisoformat(pairing["expires_at"]) - utcnow()
    assert timedelta(minutes=9) < expires_in <= timedelta(minutes=10)

    response = await _pair(client, pairing["code"].lower())

    assert response.status == 200, await response.text()
    assert (await response.json())["username"] == "daibieu"
    cookie = SimpleCookie(response.headers["Set-Cookie"])[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == str(180 * 24 * 3600)
    me = await client.get("/api/auth/me")
    assert (await me.json())["display_name"] == "Trần Thị Bình"
    assert await count(client, AuthToken, AuthToken.kind == tokens.PAIRING) == 0

    client.session.cookie_jar.clear()
    error = await error_of(await _pair(client, pairing["code"]), 401, "bad_pairing_code")
    assert error["message"] == BAD_CODE


async def test_a_wrong_code_is_explained_in_english_when_asked(client: TestClient, world: World) -> None:
    response = await client.post(
        "/api/auth/pair", json={"code": "ABCDEFGHJK"}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    error = await error_of(response, 401, "bad_pairing_code")
    assert (
        error["message"] == "The pairing code is wrong, expired or already used. Ask the council office for a new one."
    )
    assert COOKIE not in response.cookies


async def test_an_expired_code_is_refused(client: TestClient, world: World) -> None:
    pairing = await _pairing(client, world.admin, world.delegate.user.id)
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(update(AuthToken).where(AuthToken.kind == tokens.PAIRING).values(expires_at=utcnow()))
        await db.commit()

    await error_of(await _pair(client, pairing["code"]), 401, "bad_pairing_code")
    await error_of(await client.get("/api/auth/me"), 401, "unauthenticated")


async def test_a_new_code_replaces_the_earlier_one(client: TestClient, world: World) -> None:
    first = await _pairing(client, world.secretary, world.delegate.user.id)
    second = await _pairing(client, world.secretary, world.delegate.user.id)

    await error_of(await _pair(client, first["code"]), 401, "bad_pairing_code")
    assert (await _pair(client, second["code"])).status == 200


async def test_a_pairing_code_is_not_a_credential(client: TestClient, world: World) -> None:
    pairing = await _pairing(client, world.secretary, world.delegate.user.id)

    by_bearer = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {pairing['code']}"})
    by_cookie = await client.get("/api/auth/me", headers={"Cookie": f"{COOKIE}={pairing['code']}"})

    await error_of(by_bearer, 401, "unauthenticated")
    await error_of(by_cookie, 401, "unauthenticated")
    async with services_of(client.app).sessionmaker() as db:
        stored = (await db.scalars(select(AuthToken).where(AuthToken.kind == tokens.PAIRING))).one()
    assert pairing["code"] not in stored.token_hash
    assert (await _pair(client, pairing["code"])).status == 200, "refusing it as a credential must not use it up"


async def test_a_secretary_cannot_pair_a_delegate_of_another_council(client: TestClient, world: World) -> None:
    response = await client.post(f"/api/users/{world.delegate.user.id}/pairing", headers=world.other_secretary.headers)

    await error_of(response, 403, "forbidden")
    assert await count(client, AuthToken, AuthToken.kind == tokens.PAIRING) == 0


async def test_a_delegate_cannot_make_codes(client: TestClient, world: World) -> None:
    response = await client.post(f"/api/users/{world.delegate.user.id}/pairing", headers=world.delegate.headers)

    await error_of(response, 403, "forbidden")
    assert await count(client, AuthToken, AuthToken.kind == tokens.PAIRING) == 0


async def test_only_an_active_delegate_account_can_be_paired(client: TestClient, world: World) -> None:
    staff = await client.post(f"/api/users/{world.secretary.user.id}/pairing", headers=world.admin.headers)
    await error_of(staff, 400, "invalid")
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(update(User).where(User.id == world.delegate.user.id).values(active=False))
        await db.commit()
    inactive = await client.post(f"/api/users/{world.delegate.user.id}/pairing", headers=world.admin.headers)
    await error_of(inactive, 400, "invalid")
    missing = await client.post("/api/users/999999/pairing", headers=world.admin.headers)
    await error_of(missing, 404, "not_found")


async def test_a_code_made_before_the_account_was_deactivated_signs_nobody_in(client: TestClient, world: World) -> None:
    pairing = await _pairing(client, world.secretary, world.delegate.user.id)
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(update(User).where(User.id == world.delegate.user.id).values(active=False))
        await db.commit()

    await error_of(await _pair(client, pairing["code"]), 401, "bad_pairing_code")


async def test_guessing_codes_is_rate_limited_per_address(
    aiohttp_client: AiohttpClient, tmp_path: Path, sqlite_database: str
) -> None:
    app = create_app(make_settings(tmp_path, sqlite_database, login_max_failures=2))
    client = await aiohttp_client(app)
    world = await make_world(services_of(app).sessionmaker)
    pairing = await _pairing(client, world.secretary, world.delegate.user.id)
    for guess in ("ABCDEFGHJK", "KJHGFEDCBA"):
        await error_of(await _pair(client, guess), 401, "bad_pairing_code")

    response = await _pair(client, pairing["code"])

    await error_of(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    sign_in = await client.post("/api/auth/login", json={"username": "thuky", "password": PASSWORD})
    assert sign_in.status == 200, "wrong pairing codes do not lock the address out of the sign-in form"
