"""Signing in and out: cookies for browsers, bearer tokens for devices, and what must stop working afterwards."""

from __future__ import annotations

from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient
from sqlalchemy import select, update

from session_server.app import create_app
from session_server.auth import tokens
from session_server.db.models import AuthToken, Member, User
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import PASSWORD, World, make_world
from tests.functional.api.checks import count, error_of

COOKIE = "hopso_session"
WRONG = "Sai tên đăng nhập hoặc mật khẩu."


async def _login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the API; return the session cookie's value."""
    response = await client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status == 200, await response.text()
    return response.cookies[COOKIE].value


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE}={token}"}


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    wrong_password = await sqlite_client.post("/api/auth/login", json={"username": "thuky", "password": "khong-dung"})
    unknown_user = await sqlite_client.post("/api/auth/login", json={"username": "khongco", "password": "khong-dung"})

    first = await error_of(wrong_password, 401, "bad_credentials")
    second = await error_of(unknown_user, 401, "bad_credentials")
    assert first == second == {"code": "bad_credentials", "message": WRONG}
    assert COOKIE not in wrong_password.cookies
    assert await count(sqlite_client, AuthToken) == 4


async def test_a_failed_sign_in_is_explained_in_english_when_asked(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    response = await sqlite_client.post(
        "/api/auth/login",
        json={"username": "thuky", "password": "khong-dung"},
        headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    error = await error_of(response, 401, "bad_credentials")
    assert error["message"] == "Wrong username or password."


async def test_sign_in_sets_an_http_only_same_site_session_cookie(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    response = await sqlite_client.post("/api/auth/login", json={"username": "thuky", "password": PASSWORD})

    assert response.status == 200
    assert (await response.json())["username"] == "thuky"
    cookie = SimpleCookie(response.headers["Set-Cookie"])[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["max-age"] == str(12 * 3600)
    assert not cookie["secure"], "a plain-http deployment cannot send a Secure cookie back"


async def test_the_session_cookie_is_secure_behind_an_https_address(
    aiohttp_client: AiohttpClient, tmp_path: Path, sqlite_database: str
) -> None:
    app = create_app(make_settings(tmp_path, sqlite_database, public_url="https://hop.kienminh.gov.vn"))
    client = await aiohttp_client(app)
    await make_world(services_of(app).sessionmaker)

    response = await client.post("/api/auth/login", json={"username": "thuky", "password": PASSWORD})

    assert SimpleCookie(response.headers["Set-Cookie"])[COOKIE]["secure"] is True


async def test_me_answers_with_the_cookie_and_with_a_bearer_token(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    await _login(sqlite_client, "daibieu")

    by_cookie = await (await sqlite_client.get("/api/auth/me")).json()
    sqlite_client.session.cookie_jar.clear()
    by_token = await (await sqlite_client.get("/api/auth/me", headers=sqlite_world.delegate.headers)).json()

    expected = {
        "id": sqlite_world.delegate.user.id,
        "username": "daibieu",
        "display_name": "Trần Thị Bình",
        "role": "delegate",
        "council_id": sqlite_world.council.id,
        "member_id": sqlite_world.member.id,
        "active": True,
    }
    assert by_cookie == by_token == expected


async def test_me_without_credentials_asks_to_sign_in(sqlite_client: TestClient, sqlite_world: World) -> None:
    error = await error_of(await sqlite_client.get("/api/auth/me"), 401, "unauthenticated")
    assert error["message"] == "Bạn cần đăng nhập."


async def test_sign_out_ends_the_cookie_session_on_the_server(sqlite_client: TestClient, sqlite_world: World) -> None:
    cookie = await _login(sqlite_client, "thuky")
    assert (await sqlite_client.get("/api/auth/me", headers=_cookie(cookie))).status == 200

    response = await sqlite_client.post("/api/auth/logout")

    assert response.status == 200
    assert SimpleCookie(response.headers["Set-Cookie"])[COOKIE].value == ""
    await error_of(await sqlite_client.get("/api/auth/me"), 401, "unauthenticated")
    replayed = await sqlite_client.get("/api/auth/me", headers=_cookie(cookie))
    await error_of(replayed, 401, "unauthenticated")


async def test_signing_in_replaces_and_revokes_the_session_the_browser_already_had(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    before = await _login(sqlite_client, "daibieu")

    after = await _login(sqlite_client, "thuky")

    assert after != before
    await error_of(await sqlite_client.get("/api/auth/me", headers=_bearer(before)), 401, "unauthenticated")
    assert (await (await sqlite_client.get("/api/auth/me")).json())["username"] == "thuky"


async def test_a_device_token_works_as_a_bearer_token_and_is_stored_only_as_a_hash(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    await _login(sqlite_client, "daibieu")
    response = await sqlite_client.post("/api/auth/device-tokens", json={"label": "Máy tính bảng số 12"})
    assert response.status == 201
    issued = await response.json()
    assert issued["expires_in_days"] == 180
    sqlite_client.session.cookie_jar.clear()

    me = await sqlite_client.get("/api/auth/me", headers=_bearer(issued["token"]))

    assert (await me.json())["username"] == "daibieu"
    async with services_of(sqlite_client.app).sessionmaker() as db:
        stored = (await db.scalars(select(AuthToken).where(AuthToken.label == "Máy tính bảng số 12"))).one()
    assert stored.kind == "device"
    assert issued["token"] not in stored.token_hash


async def test_an_expired_token_is_refused(client: TestClient, world: World) -> None:
    async with services_of(client.app).sessionmaker() as db:
        user = await db.get(User, world.secretary.user.id)
        assert user is not None
        expired = await tokens.issue(db, user, tokens.DEVICE, timedelta(minutes=-1))
        await db.commit()

    await error_of(await client.get("/api/auth/me", headers=_bearer(expired)), 401, "unauthenticated")
    assert (await client.get("/api/auth/me", headers=world.secretary.headers)).status == 200


async def test_a_deactivated_account_can_neither_sign_in_nor_use_its_old_tokens(
    client: TestClient, world: World
) -> None:
    old_cookie = await _login(client, "thuky")
    client.session.cookie_jar.clear()
    assert (await client.get("/api/auth/me", headers=_cookie(old_cookie))).status == 200
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(update(User).where(User.username == "thuky").values(active=False))
        await db.commit()

    login = await client.post("/api/auth/login", json={"username": "thuky", "password": PASSWORD})
    error = await error_of(login, 401, "bad_credentials")
    assert error["message"] == WRONG
    await error_of(await client.get("/api/auth/me", headers=world.secretary.headers), 401, "unauthenticated")
    await error_of(await client.get("/api/auth/me", headers=_cookie(old_cookie)), 401, "unauthenticated")


async def test_a_cross_site_write_carried_by_the_cookie_is_refused(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    await _login(sqlite_client, "thuky")
    path = f"/api/councils/{sqlite_world.council.id}/members"

    from_origin = await sqlite_client.post(
        path, json={"code": "X1", "full_name": "Kẻ Giả"}, headers={"Origin": "http://evil.example"}
    )
    from_referer = await sqlite_client.post(
        path, json={"code": "X2", "full_name": "Kẻ Giả"}, headers={"Referer": "http://evil.example/trap.html"}
    )

    for response in (from_origin, from_referer):
        error = await error_of(response, 403, "forbidden")
        assert error["message"] == "Yêu cầu từ trang khác bị từ chối."
    assert await count(sqlite_client, Member) == 1

    own_origin = str(sqlite_client.make_url("/")).rstrip("/")
    same_site = await sqlite_client.post(
        path, json={"code": "DB02", "full_name": "Lê Văn Hai"}, headers={"Origin": own_origin}
    )
    assert same_site.status == 201
    assert await count(sqlite_client, Member) == 2


async def test_a_cross_site_sign_in_is_refused(sqlite_client: TestClient, sqlite_world: World) -> None:
    """Another site must not sign the browser into an account of its choosing (login CSRF)."""
    login = await sqlite_client.post(
        "/api/auth/login",
        json={"username": "thuky", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )

    error = await error_of(login, 403, "forbidden")
    assert error["message"] == "Yêu cầu từ trang khác bị từ chối."
    assert "hopso_session" not in login.cookies
    own_origin = str(sqlite_client.make_url("/")).rstrip("/")
    same_site = await sqlite_client.post(
        "/api/auth/login", json={"username": "thuky", "password": PASSWORD}, headers={"Origin": own_origin}
    )
    assert same_site.status == 200
