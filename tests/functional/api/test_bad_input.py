"""Bad input gets one error shape everywhere, in the caller's language, and changes nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from session_server.db.models import Council, User
from tests.factories import World
from tests.functional.api.checks import count, error_of

VALID_COUNCIL = {"name": "Hội đồng nhân dân xã Mới Lập", "total_delegates": 15}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            b'{"name": "H\xe1\xbb\x99i \xc4\x91\xe1\xbb\x93ng",', "Nội dung không phải JSON hợp lệ.", id="malformed"
        ),
        pytest.param(b"\xff\xfe{}", "Nội dung không phải JSON hợp lệ.", id="not-utf8"),
        pytest.param(b"", "Thiếu nội dung JSON.", id="empty"),
        pytest.param(b"  \n ", "Thiếu nội dung JSON.", id="blank"),
    ],
)
async def test_a_body_that_is_not_json_is_refused(
    sqlite_client: TestClient, sqlite_world: World, body: bytes, message: str
) -> None:
    response = await sqlite_client.post(
        "/api/councils", data=body, headers={**sqlite_world.admin.headers, "Content-Type": "application/json"}
    )

    error = await error_of(response, 400, "invalid")
    assert error["message"] == message
    assert await count(sqlite_client, Council) == 2


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        pytest.param({"name": "Hội đồng nhân dân xã Mới Lập"}, ["total_delegates"], id="missing-field"),
        pytest.param({}, ["name", "total_delegates"], id="missing-fields"),
        pytest.param({**VALID_COUNCIL, "mayor": "Ông Chủ"}, ["mayor"], id="unknown-field"),
        pytest.param({**VALID_COUNCIL, "total_delegates": "ba mươi"}, ["total_delegates"], id="wrong-type"),
        pytest.param({**VALID_COUNCIL, "total_delegates": 0}, ["total_delegates"], id="out-of-range"),
        pytest.param({**VALID_COUNCIL, "name": "HĐ"}, ["name"], id="too-short"),
        pytest.param([VALID_COUNCIL], ["body"], id="array-instead-of-object"),
    ],
)
async def test_a_body_that_breaks_the_schema_is_refused_naming_each_field(
    sqlite_client: TestClient, sqlite_world: World, body: object, fields: list[str]
) -> None:
    response = await sqlite_client.post("/api/councils", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 400, "invalid")
    assert [detail["field"] for detail in error["details"]] == fields
    assert all(detail["problem"] for detail in error["details"])
    assert error["message"] == f"Dữ liệu không hợp lệ: {', '.join(sorted(fields))}."
    assert await count(sqlite_client, Council) == 2


async def test_an_unknown_role_for_a_new_account_is_refused(sqlite_client: TestClient, sqlite_world: World) -> None:
    body = {
        "username": "chutich",
        "display_name": "Chủ tịch",
        "password": "mat-khau-dai-du",
        "role": "chairman",
        "council_id": sqlite_world.council.id,
    }

    response = await sqlite_client.post("/api/users", json=body, headers=sqlite_world.admin.headers)

    error = await error_of(response, 400, "invalid")
    assert [detail["field"] for detail in error["details"]] == ["role"]
    assert await count(sqlite_client, User) == 4


async def test_a_json_body_over_the_limit_is_refused(sqlite_client: TestClient, sqlite_world: World) -> None:
    body = json.dumps({**VALID_COUNCIL, "short_name": "x" * (256 * 1024)})

    response = await sqlite_client.post(
        "/api/councils", data=body, headers={**sqlite_world.admin.headers, "Content-Type": "application/json"}
    )

    error = await error_of(response, 413, "too_large")
    assert error["message"] == "Dữ liệu gửi lên vượt quá giới hạn 256 KB."
    assert await count(sqlite_client, Council) == 2


async def test_a_chunked_json_body_over_the_limit_is_refused(sqlite_client: TestClient, sqlite_world: World) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the server must count what it reads
        yield json.dumps(VALID_COUNCIL)[:-1].encode() + b', "short_name": "'
        for _ in range(300):
            yield b"x" * 1024
        yield b'"}'

    response = await sqlite_client.post(
        "/api/councils", data=chunks(), headers={**sqlite_world.admin.headers, "Content-Type": "application/json"}
    )

    await error_of(response, 413, "too_large")
    assert await count(sqlite_client, Council) == 2


async def test_a_json_body_that_arrives_in_pieces_is_read_whole(sqlite_client: TestClient, sqlite_world: World) -> None:
    async def pieces() -> AsyncIterator[bytes]:  # the object comes last, after 96 KB of (valid) blank space
        for _ in range(6):
            yield b" " * 16 * 1024
            await asyncio.sleep(0.02)
        yield json.dumps(VALID_COUNCIL).encode()

    response = await sqlite_client.post(
        "/api/councils", data=pieces(), headers={**sqlite_world.admin.headers, "Content-Type": "application/json"}
    )

    assert response.status == 201, await response.text()
    assert await count(sqlite_client, Council) == 3


async def test_an_unknown_api_address_is_a_json_not_found(sqlite_client: TestClient, sqlite_world: World) -> None:
    for path in ("/api/khong-co", "/api/councils/abc", f"/api/councils/{sqlite_world.council.id + 1000}"):
        error = await error_of(await sqlite_client.get(path, headers=sqlite_world.admin.headers), 404, "not_found")
        assert error["message"].startswith("Không"), path


async def test_a_wrong_method_is_refused_with_the_allowed_ones(sqlite_client: TestClient, sqlite_world: World) -> None:
    response = await sqlite_client.delete("/api/councils", headers=sqlite_world.admin.headers)

    error = await error_of(response, 405, "method_not_allowed")
    assert error["message"] == "Phương thức không được hỗ trợ."
    assert set(response.headers["Allow"].split(",")) == {"GET", "POST"}
    assert await count(sqlite_client, Council) == 2


@pytest.mark.parametrize(
    ("headers", "query", "message"),
    [
        pytest.param({}, "", "Dữ liệu không hợp lệ: total_delegates.", id="default-vietnamese"),
        pytest.param(
            {"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8"}, "", "Dữ liệu không hợp lệ: total_delegates.", id="vi"
        ),
        pytest.param({"Accept-Language": "en-US,en;q=0.9"}, "", "Invalid input: total_delegates.", id="en"),
        pytest.param({"Accept-Language": "fr-FR"}, "", "Dữ liệu không hợp lệ: total_delegates.", id="other-language"),
        pytest.param({}, "?lang=en", "Invalid input: total_delegates.", id="query-en"),
    ],
)
async def test_error_messages_are_vietnamese_unless_english_is_asked_for(
    sqlite_client: TestClient, sqlite_world: World, headers: dict[str, str], query: str, message: str
) -> None:
    response = await sqlite_client.post(
        f"/api/councils{query}",
        json={"name": "Hội đồng nhân dân xã Mới Lập"},
        headers={**sqlite_world.admin.headers, **headers},
    )

    error = await error_of(response, 400, "invalid")
    assert error["message"] == message


async def test_not_found_and_refusals_speak_english_when_asked(sqlite_client: TestClient, sqlite_world: World) -> None:
    english = {"Accept-Language": "en"}
    not_found = await sqlite_client.get("/api/khong-co", headers=english)
    refused = await sqlite_client.post(
        "/api/councils", json=VALID_COUNCIL, headers={**english, **sqlite_world.secretary.headers}
    )
    anonymous = await sqlite_client.get("/api/councils", headers=english)

    assert (await error_of(not_found, 404, "not_found"))["message"] == "No such address."
    assert (await error_of(refused, 403, "forbidden"))["message"] == "You are not allowed to do this."
    assert (await error_of(anonymous, 401, "unauthenticated"))["message"] == "You need to sign in."
