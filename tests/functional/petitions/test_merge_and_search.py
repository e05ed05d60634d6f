"""Merging keeps every voter and source; search ignores diacritics; duplicate suggestions find a reworded petition."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.factories import World
from tests.functional.api.checks import error_of
from tests.functional.petitions.conftest import enter, forward, ok

LIGHTS = "Đề nghị lắp đặt hệ thống đèn chiếu sáng công cộng tuyến đường trục chính thôn Đông."
LIGHTS_AGAIN = "Cử tri thôn Đông kiến nghị sớm lắp đặt đèn chiếu sáng công cộng trên tuyến đường trục chính của thôn."
SCHOOL = "Đề nghị xây dựng thêm phòng học cho Trường Mầm non xã, hiện các cháu phải học nhờ nhà văn hóa."
WATER = "Nước sinh hoạt ở khu dân cư Bến Đò thường xuyên bị đục, đề nghị kiểm tra chất lượng nước."


async def test_merging_keeps_every_voter_and_source_and_adds_up_the_voters(client: TestClient, world: World) -> None:
    first = await enter(
        client, world, LIGHTS, voter_count=8, locality="Thôn Đông", voters=[{"full_name": "Trần Văn Ba"}]
    )
    second = await enter(
        client,
        world,
        LIGHTS_AGAIN,
        voter_count=5,
        channel="letter",
        voters=[{"full_name": "Hoàng Thị Năm", "contact": "0903 111 222"}],
    )
    third = await enter(client, world, LIGHTS, voter_count=2, channel="hotline")

    merged = await ok(
        await client.post(
            f"/api/petitions/{first['id']}/merge",
            json={"petition_ids": [second["id"], third["id"]]},
            headers=world.secretary.headers,
        )
    )

    assert merged["voter_count"] == 15
    assert sorted(v["full_name"] for v in merged["voters"]) == ["Hoàng Thị Năm", "Trần Văn Ba"]
    assert [(s["channel"], s["content"]) for s in merged["sources"]] == [
        ("meeting", LIGHTS),
        ("letter", LIGHTS_AGAIN),
        ("hotline", LIGHTS),
    ]
    assert merged["events"][-1]["type"] == "merged" and merged["events"][-1]["data"]["petitions"] == [
        second["id"],
        third["id"],
    ]
    listed = await ok(await client.get(f"/api/councils/{world.council.id}/petitions", headers=world.secretary.headers))
    assert [p["id"] for p in listed["items"]] == [first["id"]]
    gone = await error_of(
        await client.get(f"/api/petitions/{second['id']}", headers=world.secretary.headers), 409, "conflict"
    )
    assert str(first["id"]) in gone["message"]
    await error_of(
        await client.post(
            f"/api/petitions/{third['id']}/merge", json={"petition_ids": [first["id"]]}, headers=world.secretary.headers
        ),
        409,
        "conflict",
    )


async def test_search_ignores_diacritics_and_combines_with_filters(client: TestClient, world: World) -> None:
    lights = await enter(client, world, LIGHTS, locality="Thôn Đông", field="Điện")
    school = await enter(client, world, SCHOOL, locality="Thôn Tây", field="Giáo dục")
    water = await enter(client, world, WATER, locality="Thôn Đông", field="Môi trường")
    await forward(client, world, water["id"], "2020-01-31")
    base = f"/api/councils/{world.council.id}/petitions"

    async def ids(query: str) -> list[int]:
        page = await ok(await client.get(f"{base}?{query}", headers=world.secretary.headers))
        assert page["total"] == len(page["items"])
        return [p["id"] for p in page["items"]]

    assert await ids("q=den chieu sang") == [lights["id"]]
    assert await ids("q=MAM NON") == [school["id"]]
    assert await ids("q=nuoc sinh ho") == [water["id"]]
    assert await ids("locality=Thôn Đông") == [water["id"], lights["id"]]
    assert await ids("q=de nghi&locality=Thôn Đông&field=Điện") == [lights["id"]]
    assert await ids("overdue=true") == [water["id"]]
    assert await ids("status=forwarded&q=nuoc") == [water["id"]]
    assert await ids("q=khong co dau vet") == []
    await error_of(await client.get(f"{base}?status=lost", headers=world.secretary.headers), 400, "invalid")
    await error_of(await client.get(f"{base}?per_page=100000", headers=world.secretary.headers), 400, "invalid")


async def test_paging_through_a_long_list_shows_each_petition_once(client: TestClient, world: World) -> None:
    made = [(await enter(client, world, f"Kiến nghị số {n} về đường giao thông nội đồng"))["id"] for n in range(7)]
    seen: list[int] = []
    for page in (1, 2, 3):
        got = await ok(
            await client.get(
                f"/api/councils/{world.council.id}/petitions?per_page=3&page={page}&q=duong",
                headers=world.secretary.headers,
            )
        )
        assert got["total"] == 7
        seen += [p["id"] for p in got["items"]]
    assert seen == sorted(made, reverse=True)


async def test_likely_duplicates_are_suggested_without_diacritics_for_a_person_to_confirm(
    client: TestClient, world: World
) -> None:
    lights = await enter(client, world, LIGHTS)
    await enter(client, world, SCHOOL)
    await enter(client, world, WATER)

    typed = await ok(
        await client.post(
            f"/api/councils/{world.council.id}/petitions/duplicates",
            json={"content": "cu tri kien nghi lap den chieu sang cong cong tuyen duong truc chinh thon Dong"},
            headers=world.secretary.headers,
        )
    )
    again = await enter(client, world, LIGHTS_AGAIN)
    for_petition = await ok(
        await client.get(f"/api/petitions/{again['id']}/duplicates", headers=world.secretary.headers)
    )
    unrelated = await ok(
        await client.post(
            f"/api/councils/{world.council.id}/petitions/duplicates",
            json={"content": "Đề nghị hỗ trợ giống cây trồng cho hộ nghèo sau bão"},
            headers=world.secretary.headers,
        )
    )

    assert [d["id"] for d in typed] == [lights["id"]] and typed[0]["score"] >= 70
    assert [d["id"] for d in for_petition] == [lights["id"]]
    assert unrelated == []
