"""Councils and their members through the REST API, on SQLite and PostgreSQL."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from session_server.db.models import Council, Member
from tests.factories import World
from tests.functional.api.checks import count, error_of


async def test_an_admin_creates_lists_and_edits_a_council(client: TestClient, world: World) -> None:
    created = await client.post(
        "/api/councils",
        json={"name": "Hội đồng nhân dân xã Đồng Tâm", "short_name": "HĐND xã Đồng Tâm", "total_delegates": 25},
        headers=world.admin.headers,
    )
    assert created.status == 201
    council = await created.json()
    assert council == {
        "id": council["id"],
        "name": "Hội đồng nhân dân xã Đồng Tâm",
        "short_name": "HĐND xã Đồng Tâm",
        "term": "",
        "total_delegates": 25,
        "timezone": "Asia/Ho_Chi_Minh",
    }

    listed = await (await client.get("/api/councils", headers=world.admin.headers)).json()
    assert "Hội đồng nhân dân xã Đồng Tâm" in [c["name"] for c in listed]

    edited = await client.patch(
        f"/api/councils/{council['id']}", json={"total_delegates": 27, "term": "2026-2031"}, headers=world.admin.headers
    )
    assert edited.status == 200
    fetched = await (await client.get(f"/api/councils/{council['id']}", headers=world.admin.headers)).json()
    assert (fetched["total_delegates"], fetched["term"], fetched["name"]) == (27, "2026-2031", council["name"])
    assert await count(client, Council) == 3


async def test_a_secretary_edits_their_own_council(sqlite_client: TestClient, sqlite_world: World) -> None:
    response = await sqlite_client.patch(
        f"/api/councils/{sqlite_world.council.id}", json={"total_delegates": 30}, headers=sqlite_world.secretary.headers
    )

    assert response.status == 200
    assert (await response.json())["total_delegates"] == 30


async def test_members_are_added_listed_by_code_and_edited(client: TestClient, world: World) -> None:
    path = f"/api/councils/{world.council.id}/members"
    added = await client.post(
        path,
        json={
            "code": "DB03",
            "full_name": "Nguyễn Thị Hồng Nhung",
            "title": "Trưởng Ban Kinh tế - Ngân sách",
            "group": "Tổ đại biểu số 2",
            "committee": "Ban Kinh tế - Ngân sách",
        },
        headers=world.secretary.headers,
    )
    assert added.status == 201
    member = await added.json()
    await client.post(path, json={"code": "DB02", "full_name": "Phạm Quốc Đạt"}, headers=world.secretary.headers)

    edited = await client.patch(
        f"/api/members/{member['id']}",
        json={"title": "Phó Trưởng Ban", "in_office": False},
        headers=world.secretary.headers,
    )
    assert edited.status == 200

    listed = await (await client.get(path, headers=world.delegate.headers)).json()
    assert [m["code"] for m in listed] == ["DB01", "DB02", "DB03"]
    assert listed[2] == {
        "id": member["id"],
        "council_id": world.council.id,
        "code": "DB03",
        "full_name": "Nguyễn Thị Hồng Nhung",
        "title": "Phó Trưởng Ban",
        "group": "Tổ đại biểu số 2",
        "committee": "Ban Kinh tế - Ngân sách",
        "in_office": False,
    }


async def test_a_member_code_is_unique_within_a_council_only(client: TestClient, world: World) -> None:
    duplicate = await client.post(
        f"/api/councils/{world.council.id}/members",
        json={"code": "DB01", "full_name": "Người Trùng Mã"},
        headers=world.admin.headers,
    )
    error = await error_of(duplicate, 409, "conflict")
    assert error["message"] == "Mã đại biểu DB01 đã có."
    assert await count(client, Member, Member.council_id == world.council.id) == 1

    elsewhere = await client.post(
        f"/api/councils/{world.other_council.id}/members",
        json={"code": "DB01", "full_name": "Người Cùng Mã"},
        headers=world.admin.headers,
    )
    assert elsewhere.status == 201


async def test_editing_an_unknown_member_is_not_found(sqlite_client: TestClient, sqlite_world: World) -> None:
    response = await sqlite_client.patch(
        f"/api/members/{sqlite_world.member.id + 1000}", json={"title": "Ủy viên"}, headers=sqlite_world.admin.headers
    )

    error = await error_of(response, 404, "not_found")
    assert error["message"] == "Không có đại biểu này."
