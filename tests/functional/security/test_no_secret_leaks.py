"""A whole session logged at DEBUG, and everything /public receives: no stream key, no password or password hash, no
restricted document's title or text."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from session_server.db.models import User
from session_server.services import services_of
from tests.factories import PASSWORD, LiveWorld, password_hash
from tests.live_clients import LiveClient
from tests.pdfs import pdf_bytes

RESTRICTED_TITLE = "Báo cáo thanh tra nội bộ QZX-4471"
RESTRICTED_TEXT = "Danh sách cán bộ bị xem xét kỷ luật QZX-9183"


def _form(title: str, text: str, classification: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("not_state_secret", "true")
    form.add_field("title", title)
    form.add_field("classification", classification)
    form.add_field("file", pdf_bytes([text]), filename="tai-lieu.pdf", content_type="application/pdf")
    return form


async def test_neither_debug_logs_nor_public_traffic_carry_a_secret(
    server: TestServer, live: LiveWorld, connect_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    base = str(server.make_url("/"))
    async with aiohttp.ClientSession(base_url=base) as http:
        signed_in = await http.post("/api/auth/login", json={"username": "vanphong", "password": PASSWORD})
        assert signed_in.status == 200, await signed_in.text()
        headers = live.secretary.headers
        armed = await (await http.post(f"/api/sessions/{live.session_id}/stream/key", json={}, headers=headers)).json()
        uploaded = await http.post(
            f"/api/sessions/{live.session_id}/documents",
            data=_form(RESTRICTED_TITLE, RESTRICTED_TEXT, "restricted"),
            headers=headers,
        )
        assert uploaded.status == 201, await uploaded.text()
        document = await uploaded.json()
        # nginx-rtmp's publish hook carries the key in a form body.
        hook = await http.post("/internal/rtmp/publish", data={"app": "live", "name": armed["stream_key"]})
        await hook.read()

    public: LiveClient = await connect_client(namespace="/public")
    chair: LiveClient = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    joined = await public.join(live.session_id)
    await chair.ok("doc.show", {"document_id": document["id"], "page": 1})
    await chair.ok("doc.hide")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[1]})
    await public.wait_for("agenda.current")
    async with services_of(server.app).sessionmaker() as db:
        stored_hash = (await db.get(User, live.secretary.user.id)).password_hash  # type: ignore[union-attr]

    public_traffic = repr([joined, public.events])
    logs = "\n".join(f"{record.name} {record.getMessage()} {record.args!r}" for record in caplog.records)
    secrets = {
        "stream key": armed["stream_key"],
        "password": PASSWORD,
        "password hash": stored_hash,
        "factory password hash": password_hash(),
        "device token": live.chair.token,
        "restricted text": RESTRICTED_TEXT,
    }
    assert any(record.name == "aiohttp.access" for record in caplog.records), "the requests should have been logged"
    for name, secret in secrets.items():
        assert secret not in logs, f"the {name} is in the logs"
        assert secret not in public_traffic, f"the {name} reached /public"
    assert RESTRICTED_TITLE not in public_traffic
