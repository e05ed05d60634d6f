"""Accounts: an admin creates staff; a secretary creates delegate accounts for their own council's members."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from session_server.db.models import Member, User
from session_server.services import services_of
from tests.factories import World, make_member
from tests.functional.api.checks import count, error_of

NEW_PASSWORD = "mat-khau-moi-2026"


def _account(**fields: Any) -> dict[str, Any]:
    return {"username": "taikhoanmoi", "display_name": "Tài khoản mới", "password": NEW_PASSWORD, **fields}


@pytest.fixture
async def spare_member(sqlite_client: TestClient, sqlite_world: World) -> Member:
    """A member of the first council who has no account yet."""
    async with services_of(sqlite_client.app).sessionmaker() as db:
        member = await make_member(db, sqlite_world.council, "DB02", "Võ Thị Hai")
        await db.commit()
        return member


async def test_an_admin_creates_a_secretary_who_can_then_sign_in(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    body = _account(
        username="vanphong", display_name="Văn phòng HĐND", role="secretary", council_id=sqlite_world.council.id
    )

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    assert response.status == 201
    created = await response.json()
    assert created == {
        "id": created["id"],
        "username": "vanphong",
        "display_name": "Văn phòng HĐND",
        "role": "secretary",
        "council_id": sqlite_world.council.id,
        "member_id": None,
        "active": True,
    }
    async with services_of(sqlite_client.app).sessionmaker() as db:
        user = await db.get(User, created["id"])
        assert user is not None and user.password_hash.startswith("$argon2id$")
        assert NEW_PASSWORD not in user.password_hash
    login = await sqlite_client.post("/api/auth/login", json={"username": "vanphong", "password": NEW_PASSWORD})
    assert login.status == 200


async def test_a_secretary_creates_a_delegate_account_for_a_member_of_their_council(
    sqlite_client: TestClient, sqlite_world: World, spare_member: Member
) -> None:
    body = _account(role="delegate", council_id=sqlite_world.council.id, member_id=spare_member.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.secretary.headers)

    assert response.status == 201
    created = await response.json()
    assert (created["role"], created["member_id"]) == ("delegate", spare_member.id)
    assert await count(sqlite_client, User, User.member_id == spare_member.id) == 1


@pytest.mark.parametrize("role", ["secretary", "admin"])
async def test_a_secretary_cannot_create_staff_accounts(
    sqlite_client: TestClient, sqlite_world: World, role: str
) -> None:
    body = _account(role=role, council_id=sqlite_world.council.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.secretary.headers)

    error = await error_of(response, 403, "forbidden")
    assert error["message"] == "Chỉ quản trị mới tạo được tài khoản thư ký."
    assert await count(sqlite_client, User) == 4


async def test_a_secretary_cannot_create_accounts_for_another_council(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    async with services_of(sqlite_client.app).sessionmaker() as db:
        member = await make_member(db, sqlite_world.other_council, "PB01", "Đinh Công Bên")
        await db.commit()
    body = _account(role="delegate", council_id=sqlite_world.other_council.id, member_id=member.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.secretary.headers)

    await error_of(response, 403, "forbidden")
    assert await count(sqlite_client, User) == 4


async def test_a_taken_username_is_a_conflict(
    sqlite_client: TestClient, sqlite_world: World, spare_member: Member
) -> None:
    body = _account(username="thuky", role="delegate", council_id=sqlite_world.council.id, member_id=spare_member.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 409, "conflict")
    assert error["message"] == "Tên đăng nhập thuky đã có."
    assert await count(sqlite_client, User) == 4


async def test_a_member_gets_at_most_one_account(sqlite_client: TestClient, sqlite_world: World) -> None:
    body = _account(role="delegate", council_id=sqlite_world.council.id, member_id=sqlite_world.member.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 409, "conflict")
    assert error["message"] == "Đại biểu này đã có tài khoản."


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        pytest.param(
            {"role": "delegate"}, "Tài khoản đại biểu phải gắn với một đại biểu.", id="delegate-without-member"
        ),
        pytest.param(
            {"role": "secretary", "council_id": None},
            "Tài khoản thư ký hoặc đại biểu phải thuộc một hội đồng.",
            id="secretary-without-council",
        ),
    ],
)
async def test_an_account_missing_its_council_or_member_is_refused(
    sqlite_client: TestClient, sqlite_world: World, fields: dict[str, Any], message: str
) -> None:
    body = _account(**{"council_id": sqlite_world.council.id, **fields})

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 400, "invalid")
    assert error["message"] == message
    assert await count(sqlite_client, User) == 4


async def test_a_delegate_account_cannot_point_at_a_member_of_another_council(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    async with services_of(sqlite_client.app).sessionmaker() as db:
        member = await make_member(db, sqlite_world.other_council, "PB01", "Đinh Công Bên")
        await db.commit()
    body = _account(role="delegate", council_id=sqlite_world.council.id, member_id=member.id)

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 400, "invalid")
    assert error["message"] == "Đại biểu không thuộc hội đồng đã chọn."
    assert await count(sqlite_client, User) == 4
