"""Staff prepare a session: its chair and secretary, its agenda in order, its motions; fixed once it opens."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.factories import World


async def _session(client: TestClient, world: World, **extra: object) -> dict:
    body = {"title": "Kỳ họp chuyên đề về ngân sách", "place": "Hội trường", **extra}
    response = await client.post(
        f"/api/councils/{world.council.id}/sessions", json=body, headers=world.secretary.headers
    )
    assert response.status == 201, await response.text()
    return await response.json()


async def _titles(client: TestClient, world: World, session_id: int) -> list[str]:
    response = await client.get(f"/api/sessions/{session_id}/setup", headers=world.secretary.headers)
    return [item["title"] for item in (await response.json())["agenda"]]


async def test_a_new_session_is_a_draft_of_the_secretarys_council(client: TestClient, world: World) -> None:
    session = await _session(client, world, chair_member_id=world.member.id)

    assert session["status"] == "draft"
    assert session["council_id"] == world.council.id
    assert session["chair_member_id"] == world.member.id


async def test_agenda_items_are_inserted_moved_and_removed_in_order(client: TestClient, world: World) -> None:
    session = await _session(client, world)
    headers = world.secretary.headers
    ids = []
    for title in ("Khai mạc", "Báo cáo ngân sách", "Bế mạc"):
        response = await client.post(f"/api/sessions/{session['id']}/agenda", json={"title": title}, headers=headers)
        ids.append((await response.json())["id"])
    await client.post(
        f"/api/sessions/{session['id']}/agenda", json={"title": "Điểm danh", "position": 2}, headers=headers
    )
    assert await _titles(client, world, session["id"]) == ["Khai mạc", "Điểm danh", "Báo cáo ngân sách", "Bế mạc"]

    await client.patch(f"/api/agenda/{ids[2]}", json={"position": 1}, headers=headers)
    await client.delete(f"/api/agenda/{ids[0]}", headers=headers)

    assert await _titles(client, world, session["id"]) == ["Bế mạc", "Điểm danh", "Báo cáo ngân sách"]


async def test_a_motion_is_added_to_an_agenda_item(client: TestClient, world: World) -> None:
    session = await _session(client, world)
    item = await (
        await client.post(
            f"/api/sessions/{session['id']}/agenda",
            json={"title": "Biểu quyết", "kind": "vote"},
            headers=world.secretary.headers,
        )
    ).json()

    response = await client.post(
        f"/api/agenda/{item['id']}/motions",
        json={"title": "Nghị quyết về dự toán ngân sách 2027", "ballot_type": "named"},
        headers=world.secretary.headers,
    )

    assert response.status == 201
    assert (await response.json())["rule"] == "more_than_half_of_total"


async def test_scheduling_needs_a_chair(client: TestClient, world: World) -> None:
    session = await _session(client, world)

    refused = await client.patch(
        f"/api/sessions/{session['id']}", json={"status": "scheduled"}, headers=world.secretary.headers
    )
    assert refused.status == 400
    assert "chủ tọa" in (await refused.json())["error"]["message"]

    response = await client.patch(
        f"/api/sessions/{session['id']}",
        json={"status": "scheduled", "chair_member_id": world.member.id},
        headers=world.secretary.headers,
    )
    assert (await response.json())["status"] == "scheduled"


async def test_null_clears_the_chair_and_leaves_the_title_and_status_as_they_are(
    client: TestClient, world: World
) -> None:
    session = await _session(client, world, chair_member_id=world.member.id)

    response = await client.patch(
        f"/api/sessions/{session['id']}",
        json={"title": None, "status": None, "public": None, "chair_member_id": None},
        headers=world.secretary.headers,
    )

    assert response.status == 200, await response.text()
    edited = await response.json()
    assert (edited["title"], edited["status"], edited["public"]) == (session["title"], "draft", session["public"])
    assert edited["chair_member_id"] is None


async def test_the_chair_must_be_a_member_of_the_council(client: TestClient, world: World) -> None:
    response = await client.post(
        f"/api/councils/{world.council.id}/sessions",
        json={"title": "Kỳ họp bất thường", "chair_member_id": 999},
        headers=world.secretary.headers,
    )

    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid"


async def test_another_councils_secretary_cannot_touch_the_session(client: TestClient, world: World) -> None:
    session = await _session(client, world)

    response = await client.patch(
        f"/api/sessions/{session['id']}", json={"title": "Sửa trộm"}, headers=world.other_secretary.headers
    )

    assert response.status == 403


async def test_a_delegate_cannot_create_a_session(client: TestClient, world: World) -> None:
    response = await client.post(
        f"/api/councils/{world.council.id}/sessions", json={"title": "Kỳ họp riêng"}, headers=world.delegate.headers
    )

    assert response.status == 403


async def test_the_agenda_of_a_live_session_is_fixed(client: TestClient, world: World) -> None:
    from session_server.db.models import CouncilSession, SessionStatus
    from session_server.services import services_of

    session = await _session(client, world)
    async with services_of(client.app).sessionmaker() as db:
        row = await db.get(CouncilSession, session["id"])
        assert row is not None
        row.status = SessionStatus.LIVE
        await db.commit()

    response = await client.post(
        f"/api/sessions/{session['id']}/agenda", json={"title": "Thêm mục"}, headers=world.secretary.headers
    )

    assert response.status == 409
    assert (await response.json())["error"]["code"] == "conflict"
