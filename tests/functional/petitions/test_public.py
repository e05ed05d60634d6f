"""The public petitions page and form: published petitions only, never a voter's data, found without diacritics;
the form's submissions wait for moderation, guarded by a proof of work, a time trap, a honeypot and a rate limit."""

from __future__ import annotations

import time
from typing import Any

from aiohttp.test_utils import TestClient

from session_server.petitions import proof
from session_server.petitions.models import Submission
from tests.factories import World
from tests.functional.api.checks import count, error_of
from tests.functional.petitions.conftest import answer, enter, forward, ok

SECRET = "test-secret-key"


async def _published(client: TestClient, world: World, content: str, **fields: Any) -> int:
    petition = (await enter(client, world, content, **fields))["id"]
    await client.post(f"/api/petitions/{petition}/publish", json={"published": True}, headers=world.secretary.headers)
    return petition


async def test_the_public_page_lists_published_answers_without_any_voters_data(
    client: TestClient, world: World
) -> None:
    road = await _published(
        client,
        world,
        "Đề nghị nâng cấp đường liên thôn Đông – thôn Tây",
        field="Giao thông",
        locality="Thôn Đông",
        voters=[{"full_name": "Lý Văn Riêng", "address": "Xóm 2", "contact": "0977 123 456"}],
    )
    await forward(client, world, road)
    await ok(await answer(client, world.agency_user, road, "UBND xã đã đưa vào kế hoạch đầu tư công năm 2027."), 201)
    await enter(client, world, "Kiến nghị chưa công khai về chợ xã", field="Thương mại")
    await _published(client, world, "Đề nghị bổ sung bác sĩ cho trạm y tế", field="Y tế", locality="Toàn xã")
    base = f"/api/public/councils/{world.council.id}/petitions"

    page = await ok(await client.get(base))
    found = await ok(await client.get(f"{base}?q=nang cap duong lien thon"))
    filtered = await ok(await client.get(f"{base}?field=Y tế"))
    answered = await ok(await client.get(f"{base}?status=answered"))
    one = await ok(await client.get(f"/api/public/petitions/{road}"))

    assert page["council_name"] == "Hội đồng nhân dân xã Thử Nghiệm"
    assert page["total"] == 2 and page["fields"] == ["Giao thông", "Y tế"]
    assert page["localities"] == ["Thôn Đông", "Toàn xã"]
    assert [p["id"] for p in found["items"]] == [road]
    assert [p["field"] for p in filtered["items"]] == ["Y tế"]
    assert [p["answer"] for p in answered["items"]] == ["UBND xã đã đưa vào kế hoạch đầu tư công năm 2027."]
    assert one["agency_name"] == "Ủy ban nhân dân xã Thử Nghiệm"
    everything = str(page) + str(one)
    assert "Lý Văn Riêng" not in everything and "0977" not in everything and "Xóm 2" not in everything
    assert "chợ xã" not in everything


async def test_an_unpublished_petition_and_its_files_are_not_public(client: TestClient, world: World) -> None:
    hidden = (await enter(client, world, "Kiến nghị chưa công khai"))["id"]

    await error_of(await client.get(f"/api/public/petitions/{hidden}"), 404, "not_found")
    await error_of(await client.get("/api/public/petitions/999999"), 404, "not_found")
    await error_of(await client.get("/api/public/councils/999999/petitions"), 404, "not_found")


async def _challenge(client: TestClient, world: World) -> dict[str, Any]:
    return await ok(await client.post(f"/api/public/councils/{world.council.id}/petition-challenge"))


def _aged(world: World, seconds: float = 30) -> str:
    return proof.issue(SECRET, world.council.id, time.time() - seconds)


async def _send(client: TestClient, world: World, challenge: str, bits: int = 16, **fields: Any) -> Any:
    body = {
        "challenge": challenge,
        "nonce": proof.solve(challenge, bits),
        "content": "Đề nghị khơi thông cống thoát nước khu chợ, mưa là ngập.",
        **fields,
    }
    return await client.post(f"/api/public/councils/{world.council.id}/petition-submissions", json=body)


async def test_a_citizen_sends_a_petition_without_an_account_and_staff_accept_it(
    client: TestClient, world: World
) -> None:
    issued = await _challenge(client, world)
    assert issued["bits"] == 16

    receipt = await ok(
        await _send(client, world, _aged(world), full_name="Mai Văn Dân", contact="dan@example.vn", locality="Khu chợ"),
        202,
    )
    queue = await ok(
        await client.get(f"/api/councils/{world.council.id}/petition-submissions", headers=world.secretary.headers)
    )
    accepted = await ok(
        await client.post(
            f"/api/petition-submissions/{queue[0]['id']}/decision",
            json={"accept": True},
            headers=world.secretary.headers,
        )
    )
    petition = await ok(await client.get(f"/api/petitions/{accepted['petition_id']}", headers=world.secretary.headers))

    assert receipt["received"] and "Văn phòng đã nhận" in receipt["message"]
    assert [(s["full_name"], s["contact"], s["status"]) for s in queue] == [
        ("Mai Văn Dân", "dan@example.vn", "pending")
    ]
    assert (petition["channel"], petition["locality"]) == ("online", "Khu chợ")
    assert [(v["full_name"], v["contact"]) for v in petition["voters"]] == [("Mai Văn Dân", "dan@example.vn")]
    await error_of(
        await client.post(
            f"/api/petition-submissions/{queue[0]['id']}/decision",
            json={"accept": False},
            headers=world.secretary.headers,
        ),
        409,
        "conflict",
    )


async def test_a_form_sent_at_once_with_no_work_twice_or_forged_is_refused(client: TestClient, world: World) -> None:
    fresh = (await _challenge(client, world))["challenge"]
    too_fast = await error_of(await _send(client, world, fresh), 400, "invalid")
    unsolved = await client.post(
        f"/api/public/councils/{world.council.id}/petition-submissions",
        json={"challenge": _aged(world), "nonce": "0", "content": "Đề nghị khơi thông cống thoát nước khu chợ."},
    )
    forged = await error_of(await _send(client, world, _aged(world)[:-4] + "abcd"), 400, "invalid")
    stale = await error_of(await _send(client, world, _aged(world, 7200)), 400, "invalid")
    reused = _aged(world)
    await ok(await _send(client, world, reused), 202)
    again = await error_of(await _send(client, world, reused), 400, "invalid")

    assert "quá nhanh" in too_fast["message"]
    assert (await error_of(unsolved, 400, "invalid"))["message"] == "Trình duyệt chưa hoàn tất bước xác minh."
    assert "không hợp lệ" in forged["message"] and "quá lâu" in stale["message"]
    assert "đã được gửi" in again["message"]
    assert await count(client, Submission) == 1


async def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_is_stored(
    client: TestClient, world: World
) -> None:
    receipt = await ok(await _send(client, world, _aged(world), website="http://spam.example"), 202)

    assert receipt["received"]
    assert await count(client, Submission) == 0


async def test_a_flood_from_one_address_is_stopped_after_a_few_per_hour(client: TestClient, world: World) -> None:
    statuses = [(await _send(client, world, _aged(world), bits=16)).status for _ in range(6)]

    assert statuses == [202, 202, 202, 202, 202, 429]
    assert await count(client, Submission) == 5
    refused = await error_of(await _send(client, world, _aged(world)), 429, "rate_limited")
    assert "một giờ" in refused["message"]
