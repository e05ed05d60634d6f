"""Taking access away: deactivating an account, changing and resetting passwords, signing devices out, and a
delegate leaving office, each ending access at once, on every sign-in of the account."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from session_server.auth import tokens
from session_server.services import services_of
from tests.factories import PASSWORD, Account, World
from tests.functional.api.checks import error_of

NEW_PASSWORD = "mat-khau-moi-2026"


async def _signs_in(client: TestClient, headers: dict[str, str]) -> bool:
    response = await client.get("/api/auth/me", headers=headers)
    assert response.status in (200, 401), await response.text()
    return response.status == 200


async def _login(client: TestClient, username: str, password: str = PASSWORD) -> int:
    return (await client.post("/api/auth/login", json={"username": username, "password": password})).status


async def _device(client: TestClient, account: Account, label: str = "Máy tính bảng số 7") -> dict[str, str]:
    response = await client.post("/api/auth/device-tokens", json={"label": label}, headers=account.headers)
    assert response.status == 201
    return {"Authorization": f"Bearer {(await response.json())['token']}"}


async def test_a_deactivated_account_is_signed_out_everywhere_and_cannot_sign_in(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    delegate = sqlite_world.delegate
    tablet = await _device(sqlite_client, delegate)
    path = f"/api/users/{delegate.user.id}"

    deactivated = await sqlite_client.post(f"{path}/deactivate", headers=sqlite_world.secretary.headers)

    assert deactivated.status == 200 and (await deactivated.json())["active"] is False
    assert not await _signs_in(sqlite_client, delegate.headers)
    assert not await _signs_in(sqlite_client, tablet)
    assert await _login(sqlite_client, "daibieu") == 401
    listed = await (await sqlite_client.get("/api/users", headers=sqlite_world.secretary.headers)).json()
    assert [u["active"] for u in listed if u["username"] == "daibieu"] == [False]

    reactivated = await sqlite_client.post(f"{path}/reactivate", headers=sqlite_world.secretary.headers)

    assert (await reactivated.json())["active"] is True
    assert await _login(sqlite_client, "daibieu") == 200
    assert not await _signs_in(sqlite_client, tablet), "a reactivated account's old devices stay signed out"


async def test_nobody_deactivates_their_own_account(sqlite_client: TestClient, sqlite_world: World) -> None:
    admin = sqlite_world.admin
    response = await sqlite_client.post(f"/api/users/{admin.user.id}/deactivate", headers=admin.headers)

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Không thể tự khóa tài khoản của mình."
    assert await _signs_in(sqlite_client, admin.headers)


async def test_a_secretary_manages_only_the_delegate_accounts_of_their_council(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    own_delegate = f"/api/users/{sqlite_world.delegate.user.id}/deactivate"
    staff = f"/api/users/{sqlite_world.other_secretary.user.id}/deactivate"

    await error_of(
        await sqlite_client.post(own_delegate, headers=sqlite_world.other_secretary.headers), 403, "forbidden"
    )
    await error_of(await sqlite_client.post(staff, headers=sqlite_world.secretary.headers), 403, "forbidden")
    assert await _signs_in(sqlite_client, sqlite_world.delegate.headers)
    assert await _signs_in(sqlite_client, sqlite_world.other_secretary.headers)


async def test_changing_ones_password_ends_every_other_sign_in_of_the_account(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    delegate = sqlite_world.delegate
    tablet = await _device(sqlite_client, delegate)
    body = {"current_password": "khong-dung-mat-khau", "new_password": NEW_PASSWORD}

    wrong = await sqlite_client.post("/api/auth/password", json=body, headers=delegate.headers)
    changed = await sqlite_client.post(
        "/api/auth/password", json={**body, "current_password": PASSWORD}, headers=delegate.headers
    )

    error = await error_of(wrong, 401, "bad_credentials")
    assert error["message"] == "Mật khẩu hiện tại không đúng."
    assert changed.status == 200
    assert await _signs_in(sqlite_client, delegate.headers), "the sign-in that changed it goes on"
    assert not await _signs_in(sqlite_client, tablet)
    assert await _login(sqlite_client, "daibieu") == 401
    assert await _login(sqlite_client, "daibieu", NEW_PASSWORD) == 200


async def test_a_password_reset_signs_the_account_out_everywhere(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    delegate = sqlite_world.delegate
    tablet = await _device(sqlite_client, delegate)

    response = await sqlite_client.post(
        f"/api/users/{delegate.user.id}/password", json={"password": NEW_PASSWORD}, headers=sqlite_world.admin.headers
    )

    assert response.status == 200
    assert not await _signs_in(sqlite_client, delegate.headers)
    assert not await _signs_in(sqlite_client, tablet)
    assert await _login(sqlite_client, "daibieu", NEW_PASSWORD) == 200


async def test_staff_list_a_delegates_devices_and_sign_one_out(sqlite_client: TestClient, sqlite_world: World) -> None:
    delegate = sqlite_world.delegate
    lost = await _device(sqlite_client, delegate, "Máy tính bảng bị mất")
    kept = await _device(sqlite_client, delegate, "Máy tính bảng ở nhà")
    devices = f"/api/users/{delegate.user.id}/devices"

    listed = await (await sqlite_client.get(devices, headers=sqlite_world.secretary.headers)).json()
    lost_id = next(d["id"] for d in listed if d["label"] == "Máy tính bảng bị mất")
    revoked = await sqlite_client.delete(f"{devices}/{lost_id}", headers=sqlite_world.secretary.headers)
    again = await sqlite_client.delete(f"{devices}/{lost_id}", headers=sqlite_world.secretary.headers)

    assert {d["label"] for d in listed} >= {"Máy tính bảng bị mất", "Máy tính bảng ở nhà"}
    assert {d["kind"] for d in listed if d["label"].startswith("Máy")} == {"device"}
    assert revoked.status == 204
    await error_of(again, 404, "not_found")
    assert not await _signs_in(sqlite_client, lost)
    assert await _signs_in(sqlite_client, kept)
    after = await (await sqlite_client.get(devices, headers=sqlite_world.secretary.headers)).json()
    assert "Máy tính bảng bị mất" not in {d["label"] for d in after}


async def test_a_delegate_set_out_of_office_loses_access_at_once(client: TestClient, world: World) -> None:
    delegate = world.delegate
    tablet = await _device(client, delegate)

    response = await client.patch(
        f"/api/members/{world.member.id}",
        json={"in_office": False},
        headers=world.secretary.headers,
    )

    assert response.status == 200, await response.text()
    assert not await _signs_in(client, delegate.headers)
    assert not await _signs_in(client, tablet)
    assert await _login(client, "daibieu") == 401
    async with services_of(client.app).sessionmaker() as db:
        assert await tokens.user_for(db, delegate.token) is None
