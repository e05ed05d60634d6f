"""Staff set up the motions of a session being prepared, of every kind, and keep ballot templates per council."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from session_server.db.models import BallotTemplate, CouncilSession, Motion, SessionStatus
from session_server.services import services_of
from tests.factories import World
from tests.functional.api.checks import count, error_of

OFFICIALS = [
    {"name": "Nguyễn Văn Hải", "title": "Chủ tịch HĐND xã"},
    {"name": "Lê Thị Thu", "title": "Phó Chủ tịch HĐND xã"},
]


async def _session_and_item(client: TestClient, world: World) -> tuple[int, int]:
    headers = world.secretary.headers
    response = await client.post(
        f"/api/councils/{world.council.id}/sessions", json={"title": "Kỳ họp thứ Mười"}, headers=headers
    )
    session = await response.json()
    response = await client.post(
        f"/api/sessions/{session['id']}/agenda", json={"title": "Bầu cử và tín nhiệm"}, headers=headers
    )
    return session["id"], (await response.json())["id"]


async def _item(client: TestClient, world: World) -> int:
    return (await _session_and_item(client, world))[1]


async def _add(client: TestClient, world: World, item_id: int, **body: Any) -> Any:
    return await client.post(f"/api/agenda/{item_id}/motions", json=body, headers=world.secretary.headers)


async def test_each_kind_gets_the_ballot_and_rule_the_law_gives_it(client: TestClient, world: World) -> None:
    session_id, item = await _session_and_item(client, world)

    resolution = await (await _add(client, world, item, title="Thông qua nghị quyết")).json()
    dismissal = await (await _add(client, world, item, title="Bãi nhiệm đại biểu X", kind="dismissal")).json()
    election = await (
        await _add(client, world, item, title="Bầu Chủ tịch", kind="election", options=[{"name": "Lê Văn A"}])
    ).json()
    poll = await (
        await _add(client, world, item, title="Lấy phiếu tín nhiệm", kind="confidence_poll", options=OFFICIALS)
    ).json()

    assert (resolution["ballot_type"], resolution["rule"]) == ("open", "more_than_half_of_total")
    assert (dismissal["ballot_type"], dismissal["rule"]) == ("open", "two_thirds_of_total")
    assert election["ballot_type"] == "secret" and election["options"] == [
        {"key": "1", "name": "Lê Văn A", "title": ""}
    ]
    assert poll["ballot_type"] == "secret"
    assert [(o["key"], o["title"]) for o in poll["options"]] == [
        ("1", "Chủ tịch HĐND xã"),
        ("2", "Phó Chủ tịch HĐND xã"),
    ]
    detail = await (await client.get(f"/api/sessions/{session_id}/setup", headers=world.secretary.headers)).json()
    assert [m["kind"] for m in detail["agenda"][0]["motions"]] == [
        "resolution",
        "dismissal",
        "election",
        "confidence_poll",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"kind": "election"}, "Hãy nhập danh sách người ứng cử."),
        (
            {"kind": "election", "seats": 2, "options": [{"name": "Lê Văn A"}]},
            "Số người được bầu (2) nhiều hơn số người ứng cử (1).",
        ),
        ({"kind": "election", "ballot_type": "open", "options": [{"name": "Lê Văn A"}]}, "phải bỏ phiếu kín"),
        ({"kind": "confidence_vote"}, "Hãy nhập danh sách người được lấy phiếu tín nhiệm."),
        ({"kind": "confidence_poll", "options": [{"name": "Lê Thị Thu"}]}, "Hãy nhập chức vụ của từng người."),
        ({"kind": "resolution", "options": [{"name": "Lê Văn A"}]}, "Chỉ bầu cử và bỏ phiếu tín nhiệm"),
        ({"kind": "resolution", "seats": 3}, "Chỉ bầu cử mới có nhiều hơn một"),
        ({"kind": "dismissal", "ballot_type": "secret", "allow_change": True}, "Bỏ phiếu kín không cho đổi"),
        (
            {"kind": "election", "options": [{"name": "Lê Văn A"}, {"name": "lê văn a"}]},
            "Mỗi người chỉ có tên một lần",
        ),
    ],
)
async def test_a_motion_that_does_not_fit_its_kind_is_refused_saying_why(
    client: TestClient, world: World, body: dict[str, Any], message: str
) -> None:
    item = await _item(client, world)

    error = await error_of(await _add(client, world, item, title="Nội dung biểu quyết", **body), 400, "invalid")

    assert message in error["message"]
    assert await count(client, Motion) == 0


async def test_a_countdown_outside_ten_seconds_to_an_hour_is_refused(client: TestClient, world: World) -> None:
    item = await _item(client, world)

    error = await error_of(await _add(client, world, item, title="Thông qua", countdown_seconds=5), 400, "invalid")

    assert error["details"][0]["field"] == "countdown_seconds"


async def test_a_motion_is_rewritten_and_removed_while_the_session_is_prepared_and_fixed_once_live(
    client: TestClient, world: World
) -> None:
    session_id, item = await _session_and_item(client, world)
    headers = world.secretary.headers
    first = await (await _add(client, world, item, title="Bầu Chủ tịch")).json()
    second = await (await _add(client, world, item, title="Bầu Phó Chủ tịch")).json()

    rewritten = await client.put(
        f"/api/motions/{first['id']}",
        json={"title": "Bầu Chủ tịch HĐND xã", "kind": "election", "options": [{"name": "Lê Văn A"}]},
        headers=headers,
    )
    assert rewritten.status == 200
    assert (await rewritten.json())["kind"] == "election"
    assert (await client.delete(f"/api/motions/{first['id']}", headers=headers)).status == 200
    again = await client.put(f"/api/motions/{second['id']}", json={"title": "Bầu Phó Chủ tịch"}, headers=headers)
    assert (await again.json())["position"] == 1

    async with services_of(client.app).sessionmaker() as db:
        session = await db.get(CouncilSession, session_id)
        assert session is not None
        session.status = SessionStatus.LIVE
        await db.commit()
    await error_of(await client.delete(f"/api/motions/{second['id']}", headers=headers), 409, "conflict")


async def test_a_motion_of_another_council_is_not_found(client: TestClient, world: World) -> None:
    item = await _item(client, world)
    motion = await (await _add(client, world, item, title="Thông qua nghị quyết")).json()

    response = await client.delete(f"/api/motions/{motion['id']}", headers=world.other_secretary.headers)

    await error_of(response, 403, "forbidden")
    assert await count(client, Motion) == 1


async def test_ballot_templates_are_kept_per_council_by_name(client: TestClient, world: World) -> None:
    headers = world.secretary.headers
    path = f"/api/councils/{world.council.id}/ballot-templates"
    body = {"name": "Lấy phiếu tín nhiệm hằng năm", "kind": "confidence_poll", "options": OFFICIALS}

    made = await client.post(path, json=body, headers=headers)
    assert made.status == 201
    template = await made.json()
    await error_of(await client.post(path, json=body, headers=headers), 409, "conflict")
    quick = await client.post(path, json={"name": "Biểu quyết nhanh 60 giây", "countdown_seconds": 60}, headers=headers)
    assert quick.status == 201

    listed = await (await client.get(path, headers=headers)).json()
    assert [t["name"] for t in listed] == ["Biểu quyết nhanh 60 giây", "Lấy phiếu tín nhiệm hằng năm"]
    assert listed[1]["options"][1] == {"key": "2", "name": "Lê Thị Thu", "title": "Phó Chủ tịch HĐND xã"}
    elsewhere = await client.get(f"/api/councils/{world.other_council.id}/ballot-templates", headers=headers)
    await error_of(elsewhere, 403, "forbidden")

    renamed = await client.put(
        f"/api/ballot-templates/{template['id']}", json=body | {"name": "Tín nhiệm giữa nhiệm kỳ"}, headers=headers
    )
    assert (await renamed.json())["name"] == "Tín nhiệm giữa nhiệm kỳ"
    assert (await client.delete(f"/api/ballot-templates/{template['id']}", headers=headers)).status == 200
    assert await count(client, BallotTemplate) == 1


async def test_a_template_that_does_not_fit_its_kind_is_refused(client: TestClient, world: World) -> None:
    response = await client.post(
        f"/api/councils/{world.council.id}/ballot-templates",
        json={"name": "Bầu cử", "kind": "election"},
        headers=world.secretary.headers,
    )

    await error_of(response, 400, "invalid")
