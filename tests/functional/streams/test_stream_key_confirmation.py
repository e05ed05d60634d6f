"""A new stream key cuts the encoder using the old one: staff must confirm it, and nothing changes until they do."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.api.checks import error_of


async def test_replacing_the_stream_key_needs_confirmation_and_keeps_the_key_until_then(client: TestClient) -> None:
    live = await make_live_world(services_of(client.app).sessionmaker)
    path, headers = f"/api/sessions/{live.session_id}/stream/key", live.secretary.headers
    first = await (await client.post(path, json={}, headers=headers)).json()

    refused = await error_of(await client.post(path, json={}, headers=headers), 409, "confirmation_required")

    hint = first["key"]["hint"]
    assert f"khóa đang dùng (…{hint}) hết hiệu lực ngay" in refused["message"]
    assert (await (await client.get(f"/api/sessions/{live.session_id}/stream", headers=headers)).json())["key"][
        "hint"
    ] == hint
    replaced = await client.post(path, json={"confirm": True}, headers=headers)
    assert replaced.status == 201
    assert (await replaced.json())["stream_key"] != first["stream_key"]
