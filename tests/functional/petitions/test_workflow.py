"""A petition from entry to closing: classify, forward, answer, close, publish, rate; each step logged with who and
when; steps out of order refused; agencies see and answer only what is assigned to them, without voters' data."""

from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from session_server.petitions.models import Answer, PetitionEvent
from session_server.services import services_of
from tests.factories import World, make_agency
from tests.functional.api.checks import count, error_of
from tests.functional.petitions.conftest import answer, enter, forward, ok

ROAD = "Cử tri thôn 3 đề nghị sửa chữa tuyến đường liên thôn 3 – thôn 5 đã xuống cấp nghiêm trọng."


async def test_a_petition_goes_from_entry_to_closing_and_every_step_is_logged_with_who(
    client: TestClient, world: World
) -> None:
    created = await enter(
        client,
        world,
        ROAD,
        locality="Thôn 3",
        voter_count=12,
        voters=[{"full_name": "Nguyễn Văn Tư", "address": "Thôn 3", "contact": "0912 345 678"}],
    )
    assert created["status"] == "received" and created["voter_count"] == 12
    assert [v["full_name"] for v in created["voters"]] == ["Nguyễn Văn Tư"]
    petition = created["id"]
    staff = world.secretary.headers

    classified = await ok(
        await client.post(
            f"/api/petitions/{petition}/classify", json={"field": "Giao thông", "level": "commune"}, headers=staff
        )
    )
    assert (classified["status"], classified["field"]) == ("classified", "Giao thông")
    forwarded = await forward(client, world, petition, "2027-01-31")
    assert (forwarded["status"], forwarded["agency_name"], forwarded["deadline"]) == (
        "forwarded",
        "Ủy ban nhân dân xã Thử Nghiệm",
        "2027-01-31",
    )
    reply = await ok(await answer(client, world.agency_user, petition, "Đã bố trí kinh phí sửa trong quý I/2027."), 201)
    assert reply["agency_name"] == "Ủy ban nhân dân xã Thử Nghiệm"
    await ok(await client.post(f"/api/petitions/{petition}/close", headers=staff))
    await ok(await client.post(f"/api/petitions/{petition}/publish", json={"published": True}, headers=staff))
    final = await ok(
        await client.post(
            f"/api/petitions/{petition}/rating", json={"rating": "satisfied", "note": "Cử tri đồng tình"}, headers=staff
        )
    )

    assert (final["status"], final["published"], final["rating"]) == ("closed", True, "satisfied")
    assert [(e["type"], e["actor"]) for e in final["events"]] == [
        ("created", "thuky"),
        ("classified", "thuky"),
        ("forwarded", "thuky"),
        ("answered", "Ủy ban nhân dân xã Thử Nghiệm"),
        ("closed", "thuky"),
        ("published", "thuky"),
        ("rated", "thuky"),
    ]
    assert all(e["at"] for e in final["events"])
    assert [a["text"] for a in final["answers"]] == ["Đã bố trí kinh phí sửa trong quý I/2027."]


async def test_steps_out_of_order_are_refused_and_change_nothing(client: TestClient, world: World) -> None:
    petition = (await enter(client, world, ROAD))["id"]
    staff = world.secretary.headers

    error = await error_of(await client.post(f"/api/petitions/{petition}/close", headers=staff), 409, "conflict")
    assert "Mới tiếp nhận" in error["message"]
    await error_of(await answer(client, world.secretary, petition, "Trả lời quá sớm"), 409, "conflict")
    await error_of(
        await client.post(f"/api/petitions/{petition}/rating", json={"rating": "partly"}, headers=staff),
        409,
        "conflict",
    )
    await error_of(
        await client.post(
            f"/api/petitions/{petition}/forward", json={"agency_id": 9999, "deadline": "2027-01-31"}, headers=staff
        ),
        400,
        "invalid",
    )

    detail = await ok(await client.get(f"/api/petitions/{petition}", headers=staff))
    assert detail["status"] == "received" and [e["type"] for e in detail["events"]] == ["created"]


async def test_an_agency_sees_only_what_is_assigned_to_it_and_never_a_voters_name(
    client: TestClient, world: World
) -> None:
    mine = (await enter(client, world, ROAD, voters=[{"full_name": "Lê Thị Hoa", "contact": "hoa@example.vn"}]))["id"]
    await enter(client, world, "Đề nghị lắp đèn chiếu sáng đường trục xã.")
    await forward(client, world, mine)

    listed = await ok(await client.get("/api/assigned-petitions", headers=world.agency_user.headers))
    one = await ok(await client.get(f"/api/assigned-petitions/{mine}", headers=world.agency_user.headers))

    assert [p["id"] for p in listed["items"]] == [mine] and listed["total"] == 1
    assert one["content"] == ROAD
    assert "Lê Thị Hoa" not in str(listed) + str(one) and "hoa@example.vn" not in str(listed) + str(one)
    await error_of(await client.get(f"/api/petitions/{mine}", headers=world.agency_user.headers), 403, "forbidden")


async def test_an_answer_from_an_agency_the_petition_is_not_assigned_to_is_refused_and_stores_nothing(
    client: TestClient, world: World
) -> None:
    async with services_of(client.app).sessionmaker() as db:
        council = await db.merge(world.council)
        _other, electricity = await make_agency(db, council, "Điện lực xã", "dienluc")
        await db.commit()
    petition = (await enter(client, world, ROAD))["id"]
    await forward(client, world, petition)

    error = await error_of(
        await answer(client, electricity, petition, "Không phải việc của điện lực"), 403, "forbidden"
    )
    returned = await client.post(
        f"/api/petitions/{petition}/return", json={"reason": "Không thuộc thẩm quyền"}, headers=electricity.headers
    )
    peek = await client.get(f"/api/assigned-petitions/{petition}", headers=electricity.headers)

    assert error["message"] == "Kiến nghị này không được giao cho cơ quan của bạn."
    await error_of(returned, 403, "forbidden")
    await error_of(peek, 403, "forbidden")
    assert await count(client, Answer) == 0
    detail = await ok(await client.get(f"/api/petitions/{petition}", headers=world.secretary.headers))
    assert detail["status"] == "forwarded"


async def test_an_agency_returns_a_petition_with_a_reason_and_staff_forward_it_elsewhere(
    client: TestClient, world: World
) -> None:
    petition = (await enter(client, world, ROAD))["id"]
    await forward(client, world, petition)

    returned = await ok(
        await client.post(
            f"/api/petitions/{petition}/return",
            json={"reason": "Thuộc thẩm quyền của Sở Giao thông vận tải"},
            headers=world.agency_user.headers,
        )
    )
    after = await ok(await client.get("/api/assigned-petitions", headers=world.agency_user.headers))
    again = await forward(client, world, petition, "2027-02-28")

    assert returned["status"] == "returned"
    assert after["items"] == []
    assert again["status"] == "forwarded" and again["return_reason"] == ""
    assert [a["active"] for a in again["assignments"]] == [False, True]


async def test_staff_of_another_council_reach_none_of_its_petitions(client: TestClient, world: World) -> None:
    petition = (await enter(client, world, ROAD))["id"]
    other = world.other_secretary.headers

    await error_of(await client.get(f"/api/petitions/{petition}", headers=other), 403, "forbidden")
    await error_of(await client.get(f"/api/councils/{world.council.id}/petitions", headers=other), 403, "forbidden")
    await error_of(await answer(client, world.other_secretary, petition, "Trả lời hộ"), 403, "forbidden")


async def test_the_log_never_holds_a_voters_personal_data(client: TestClient, world: World) -> None:
    petition = (await enter(client, world, ROAD, voters=[{"full_name": "Phạm Thị Mai", "contact": "0987 000 111"}]))[
        "id"
    ]
    await ok(
        await client.post(
            f"/api/petitions/{petition}/voters", json={"full_name": "Đỗ Văn Nam"}, headers=world.secretary.headers
        ),
        201,
    )
    async with services_of(client.app).sessionmaker() as db:
        logged = [str(e.data) for e in await db.scalars(select(PetitionEvent))]
    assert logged and not any("Mai" in line or "Nam" in line or "0987" in line for line in logged)
