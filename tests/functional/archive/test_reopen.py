"""Reopening approved minutes to correct them: who may, what the public archive shows meanwhile, signing again."""

from __future__ import annotations

import asyncio
import hashlib

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from session_server.archive import storage
from session_server.archive.signing import SigningSetup, check_signatures
from session_server.db.models import Event
from session_server.live.audit import verify_session
from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.archive.conftest import Api, Connect, archived, hold_session, pdf_text, sign_both
from tests.signing import SigningWorld
from tests.support import TEST_SECRET_KEY

REASON = "Ghi sai họ tên người phát biểu ở mục 2"


async def test_reopened_minutes_leave_the_public_archive_until_approved_and_signed_again(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api, services = Api(server, http), services_of(server.app)
    live = await make_live_world(services.sessionmaker)
    sid, staff = live.session_id, live.secretary.headers
    await hold_session(server, live, connect_client, api)
    await archived(server, sid)
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    await sign_both(api, live, signing_world)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
    _, first_pdf, _ = await api.call("GET", f"/api/public/archive/{sid}/minutes.pdf")
    path = f"/api/sessions/{sid}/minutes/reopen"

    refused = await api.json("POST", path, 403, live.delegates[2].headers, json={"reason": REASON})
    assert refused["error"]["code"] == "forbidden"
    await api.json("POST", path, 403, live.outsider.headers, json={"reason": REASON})
    assert (await api.json("POST", path, 400, staff, json={"reason": " "}))["error"]["code"] == "invalid"
    assert (await api.json("GET", f"/api/public/archive/{sid}", 200))["minutes"] is not None, "nothing changed yet"

    reopened = await api.json("POST", path, 200, staff, json={"reason": REASON})
    assert (reopened["status"], reopened["signatures"], reopened["approved_at"]) == ("draft", [], None)
    assert reopened["reopened"]["reason"] == REASON
    assert reopened["reopened"]["by"] == live.secretary.user.display_name

    page = await api.json("GET", f"/api/public/archive/{sid}", 200)
    assert page["minutes"] is None and page["votes"], "the session stays listed with its results, without minutes"
    assert (await api.call("GET", f"/api/public/archive/{sid}/minutes.pdf"))[0] == 404
    await api.json("GET", f"/api/sessions/{sid}/minutes", 404, live.delegates[2].headers)
    await api.json("GET", f"/api/sessions/{sid}/minutes/signatures", 409, staff)
    token = {"token_label": "HOPSO-TEST", "key_label": "thu-ky", "pin": "123456"}
    refused_signing = await api.json(
        "POST", f"/api/sessions/{sid}/minutes/sign/token", 409, live.delegates[1].headers, json=token
    )
    assert refused_signing["error"]["code"] == "minutes_not_approved", "reopened minutes are not signed"
    again = await api.json("POST", path, 409, staff, json={"reason": REASON})
    assert again["error"]["code"] == "minutes_not_approved"

    async with services.sessionmaker() as db:
        logged = await db.scalar(select(Event).where(Event.session_id == sid).order_by(Event.seq.desc()).limit(1))
        assert logged is not None and logged.type == "minutes.reopened"
        assert (logged.actor_user_id, logged.data["reason"]) == (live.secretary.user.id, REASON)
        assert (await verify_session(db, sid, TEST_SECRET_KEY)).ok, "the reopening extends the session's audit chain"
    withdrawn = storage.withdrawn_minutes_path(services.settings, sid, logged.seq).read_bytes()
    assert withdrawn == first_pdf and hashlib.sha256(withdrawn).hexdigest() == logged.data["signed_sha256"]

    correction = "Ông Lê Văn Khoa chất vấn về tiến độ xây trường."
    await api.json("PATCH", f"/api/sessions/{sid}/minutes", 200, staff, json={"notes": correction})
    approved = await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    assert approved["status"] == "approved" and approved["signatures"] == []
    assert (await api.json("GET", f"/api/public/archive/{sid}", 200))["minutes"] is None, "not until both sign"
    signed_again = await sign_both(api, live, signing_world)
    assert signed_again["status"] == "published", "minutes published before are published again once signed"

    page = await api.json("GET", f"/api/public/archive/{sid}", 200)
    assert [s["ok"] for s in page["minutes"]["signatures"]] == [True, True]
    status, signed, _ = await api.call("GET", page["minutes"]["pdf_url"])
    assert status == 200 and signed != first_pdf and correction in pdf_text(signed)
    checks = await asyncio.to_thread(check_signatures, signed, SigningSetup.of(services.settings))
    assert [c.ok for c in checks] == [True, True]
    assert [s["ok"] for s in await api.json("GET", f"/api/sessions/{sid}/minutes/signatures", 200, staff)] == [
        True,
        True,
    ]


async def test_only_approved_minutes_reopen_and_unpublished_ones_are_approved_again_unpublished(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await make_live_world(services_of(server.app).sessionmaker)
    sid, staff = live.session_id, live.secretary.headers
    path = f"/api/sessions/{sid}/minutes/reopen"
    await api.json("POST", path, 404, staff, json={"reason": REASON})
    await hold_session(server, live, connect_client, api)
    await archived(server, sid)

    draft = await api.json("POST", path, 409, staff, json={"reason": REASON})
    assert draft["error"]["code"] == "minutes_not_approved"
    assert (await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff))["reopened"] is None

    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    assert (await api.json("POST", path, 200, staff, json={"reason": REASON}))["status"] == "draft"
    assert (await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff))["status"] == "approved"
    assert (await sign_both(api, live, signing_world))["status"] == "approved"
    await api.json("GET", f"/api/public/archive/{sid}", 404)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
    signatures = (await api.json("GET", f"/api/public/archive/{sid}", 200))["minutes"]["signatures"]
    assert [(s["role"], s["ok"]) for s in signatures] == [("secretary", True), ("chair", True)]
