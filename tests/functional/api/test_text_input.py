"""Text a client sends is stored as a reader sees it: NFC, without NUL, control characters, bidi overrides or
zero-width characters (PostgreSQL refused NUL with a server error; the others let one name pass for another)."""

from __future__ import annotations

import unicodedata

from aiohttp.test_utils import TestClient

from tests.factories import World

DIRTY_NAME = "Lê\x00 Văn\u202e Hai\u200b\x07"
NFD_TITLE = unicodedata.normalize("NFD", "Phó Chủ tịch Ủy ban")


async def test_names_and_titles_are_stored_without_invisible_characters_and_in_nfc(
    client: TestClient, world: World
) -> None:
    response = await client.post(
        f"/api/councils/{world.council.id}/members",
        json={"code": "DB07", "full_name": DIRTY_NAME, "title": NFD_TITLE},
        headers=world.secretary.headers,
    )

    assert response.status == 201, await response.text()
    listed = await (
        await client.get(f"/api/councils/{world.council.id}/members", headers=world.secretary.headers)
    ).json()
    [member] = [m for m in listed if m["code"] == "DB07"]
    assert member["full_name"] == "Lê Văn Hai"
    assert member["title"] == "Phó Chủ tịch Ủy ban"
    assert unicodedata.is_normalized("NFC", member["title"])


async def test_a_csv_import_is_cleaned_the_same_way(client: TestClient, world: World) -> None:
    csv = f"mã,họ và tên,chức vụ\nDB08,{DIRTY_NAME},{NFD_TITLE}\n".encode()

    response = await client.post(
        f"/api/councils/{world.council.id}/members/import",
        data=csv,
        headers={**world.secretary.headers, "Content-Type": "text/csv"},
    )

    assert response.status == 200, await response.text()
    listed = await (
        await client.get(f"/api/councils/{world.council.id}/members", headers=world.secretary.headers)
    ).json()
    [member] = [m for m in listed if m["code"] == "DB08"]
    assert (member["full_name"], member["title"]) == ("Lê Văn Hai", "Phó Chủ tịch Ủy ban")
