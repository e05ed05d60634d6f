"""A number past what the database holds, in any id a client sends, is refused as invalid input: never a server
error, on SQLite (OverflowError in the driver) or PostgreSQL (integer out of range)."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.factories import World
from tests.functional.api.checks import error_of
from tests.functional.conftest import Connect

HUGE = 100000000000000000000
ACCOUNT = {"username": "moi.nguoi", "display_name": "Người Mới", "password": "mat-khau-du-dai-1", "role": "secretary"}


async def _session(client: TestClient, world: World) -> int:
    response = await client.post(
        f"/api/councils/{world.council.id}/sessions", json={"title": "Kỳ họp thứ Hai"}, headers=world.secretary.headers
    )
    assert response.status == 201, await response.text()
    return (await response.json())["id"]


@pytest.mark.parametrize("number", [HUGE, 2**31, -(2**31) - 1, 1e20])
async def test_an_id_past_the_databases_range_in_a_body_is_invalid(
    client: TestClient, world: World, number: Any
) -> None:
    session_id = await _session(client, world)
    headers = world.admin.headers
    attempts = [
        ("POST", f"/api/councils/{world.council.id}/sessions", {"title": "Kỳ họp", "chair_member_id": number}),
        ("PATCH", f"/api/sessions/{session_id}", {"secretary_member_id": number}),
        ("POST", "/api/users", {**ACCOUNT, "council_id": number}),
        ("POST", "/api/users", {**ACCOUNT, "member_id": number}),
    ]

    for method, path, body in attempts:
        response = await client.request(method, path, json=body, headers=headers)
        await error_of(response, 400, "invalid")


@pytest.mark.parametrize("path", ["/api/sessions/99999999999", "/api/sessions/2147483648", "/api/sessions/²"])
async def test_an_id_past_the_databases_range_in_a_path_is_not_found(
    client: TestClient, world: World, path: str
) -> None:
    await error_of(await client.get(path, headers=world.admin.headers), 404, "not_found")


async def test_an_anonymous_join_with_a_huge_session_id_is_invalid_and_logs_nothing(
    connect_client: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    public = await connect_client(namespace="/public")

    answers = [await public.join(number) for number in (1e20, HUGE, -HUGE)]  # type: ignore[arg-type]

    assert [answer["error"]["code"] for answer in answers] == ["invalid"] * 3
    assert not [record for record in caplog.records if record.exc_info], "a traceback was logged"
