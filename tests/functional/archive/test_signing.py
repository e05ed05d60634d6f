"""Signing approved minutes over HTTP: only the session's secretary then its chair, each from their own account; every
refusal of the bad-input list is clear and leaves the minutes, their file and the public archive as they were."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from docx import Document
from sqlalchemy import select

from session_server.app import create_app
from session_server.archive import storage
from session_server.archive.minutes import draft_minutes
from session_server.db.models import ArchiveStatus, CouncilSession, Event, Minutes, SessionArchive, SessionStatus
from session_server.services import services_of
from session_server.settings import Settings
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world
from tests.functional.archive.conftest import Api, sign_both
from tests.signing import PIN, TOKEN, SigningWorld, SilentTsa, tool_cms

TOKEN_BODY = {"token_label": TOKEN, "key_label": "thu-ky", "pin": PIN}


async def ended_session(server: TestServer, api: Api) -> LiveWorld:
    """A council's session, ended and archived, with its minutes drafted (nothing happened in it) and approved."""
    sessionmaker = services_of(server.app).sessionmaker
    live = await make_live_world(sessionmaker)
    async with sessionmaker() as db:
        session = await db.get(CouncilSession, live.session_id)
        assert session is not None
        session.status = SessionStatus.ENDED
        db.add(Minutes(session_id=live.session_id, content=await draft_minutes(db, live.session_id), edits={}))
        db.add(SessionArchive(session_id=live.session_id, status=ArchiveStatus.DONE))
        await db.commit()
    await api.json("POST", f"/api/sessions/{live.session_id}/minutes/approve", 200, live.secretary.headers)
    return live


def paths(sid: int) -> dict[str, str]:
    base = f"/api/sessions/{sid}/minutes"
    return {
        "token": f"{base}/sign/token",
        "prepare": f"{base}/sign/external/prepare",
        "finish": f"{base}/sign/external/finish",
        "minutes": base,
        "seal": f"{base}/seal",
        "publish": f"/api/sessions/{sid}/archive/publish",
    }


async def stored(server: TestServer, sid: int) -> tuple[Minutes, str]:
    async with services_of(server.app).sessionmaker() as db:
        minutes = await db.get(Minutes, sid)
        assert minutes is not None
    pdf = storage.signed_minutes_path(services_of(server.app).settings, sid).read_bytes()
    return minutes, hashlib.sha256(pdf).hexdigest()


async def refused(api: Api, method: str, path: str, status: int, code: str, headers: dict[str, str], **kw: Any) -> str:
    body = await api.json(method, path, status, headers, **kw)
    assert body["error"]["code"] == code, body
    return str(body["error"]["message"])


async def test_only_the_sessions_secretary_then_its_chair_sign(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    sid, path = live.session_id, paths(live.session_id)
    chair_key = TOKEN_BODY | {"key_label": "chu-toa"}

    message = await refused(api, "POST", path["token"], 403, "not_signer", live.secretary.headers, json=TOKEN_BODY)
    assert message.startswith("Chỉ thư ký và chủ tọa của kỳ họp này ký biên bản")
    await refused(api, "POST", path["token"], 403, "not_signer", live.delegates[2].headers, json=TOKEN_BODY)
    await refused(api, "POST", path["token"], 403, "forbidden", live.outsider.headers, json=TOKEN_BODY)
    message = await refused(api, "POST", path["token"], 409, "signing_order", live.chair.headers, json=chair_key)
    assert message == "Thư ký kỳ họp ký trước, sau đó đến chủ tọa."

    to_sign = await api.json("GET", "/api/minutes/to-sign", 200, live.delegates[1].headers)
    assert [(m["session_id"], m["your_role"], m["next_role"]) for m in to_sign] == [(sid, "secretary", "secretary")]
    assert await api.json("GET", "/api/minutes/to-sign", 200, live.secretary.headers) == []

    signed = await api.json("POST", path["token"], 200, live.delegates[1].headers, json=TOKEN_BODY)
    assert [(s["role"], s["mode"], s["ok"]) for s in signed["signatures"]] == [("secretary", "pkcs11", True)]
    assert signed["signing"]["next_role"] == "chair"
    await refused(api, "POST", path["token"], 409, "signing_order", live.delegates[1].headers, json=TOKEN_BODY)
    await refused(api, "POST", path["publish"], 409, "minutes_not_signed", live.secretary.headers)

    both = await api.json("POST", path["token"], 200, live.chair.headers, json=chair_key)
    assert [s["role"] for s in both["signatures"]] == ["secretary", "chair"] and both["signing"]["next_role"] is None
    await refused(api, "POST", path["token"], 409, "conflict", live.chair.headers, json=chair_key)
    assert await api.json("GET", f"/api/public/archive/{sid}", 404), "not published before the office says so"
    await api.json("POST", path["publish"], 200, live.secretary.headers)
    page = await api.json("GET", f"/api/public/archive/{sid}", 200)
    assert [s["role"] for s in page["minutes"]["signatures"]] == ["secretary", "chair"]
    minutes, _ = await stored(server, sid)
    kept = json.dumps([minutes.signatures, minutes.signing, minutes.edits])
    assert '"pin"' not in kept and PIN not in kept, "the PIN is used and forgotten"
    async with services_of(server.app).sessionmaker() as db:
        events = [json.dumps(e.data) for e in await db.scalars(select(Event).where(Event.session_id == sid))]
    assert not any('"pin"' in e for e in events)


async def test_a_refused_signature_leaves_the_minutes_and_their_file_as_they_were(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    sid, path, secretary = live.session_id, paths(live.session_id), live.delegates[1].headers
    before, before_file = await stored(server, sid)

    for body, code in (
        (TOKEN_BODY | {"pin": "000000"}, "wrong_pin"),
        (TOKEN_BODY | {"token_label": "KHONG-CO"}, "no_token"),
        (TOKEN_BODY | {"key_label": "het-han"}, "certificate_expired"),
        (TOKEN_BODY | {"key_label": "chua-hieu-luc"}, "certificate_not_yet_valid"),
        (TOKEN_BODY | {"key_label": "khong-ky"}, "certificate_key_usage"),
        (TOKEN_BODY | {"key_label": "nguoi-khac"}, "certificate_other_person"),
    ):
        await refused(api, "POST", path["token"], 422, code, secretary, json=body)
    after, after_file = await stored(server, sid)
    assert (after.signatures, after.revision, after_file) == ([], before.revision, before_file)


async def test_a_tsa_that_does_not_answer_signs_nothing(
    aiohttp_server: Any, tmp_path: Path, database_url: str, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    silent = SilentTsa()
    try:
        settings = make_settings(
            tmp_path, database_url, **signing_world.settings_update(signing_tsa_url=silent.url, signing_tsa_timeout=1)
        )
        server = await aiohttp_server(create_app(settings))
        api = Api(server, http)
        live = await ended_session(server, api)
        _before, before_file = await stored(server, live.session_id)
        message = await refused(
            api,
            "POST",
            paths(live.session_id)["token"],
            502,
            "tsa_unavailable",
            live.delegates[1].headers,
            json=TOKEN_BODY,
        )
        assert "TSA" in message
        after, after_file = await stored(server, live.session_id)
        assert (after.signatures, after_file) == ([], before_file)
    finally:
        silent.close()


async def test_external_signing_refuses_what_does_not_cover_the_prepared_document(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    sid, path, secretary = live.session_id, paths(live.session_id), live.delegates[1].headers
    person = signing_world.people["secretary"]
    body = {"certificate": person.pem, "chain": [signing_world.pki.ca.pem]}

    await refused(api, "POST", path["finish"], 409, "not_prepared", secretary, json={"cms": "MIAGCSqGSIb3DQEHAq"})
    expired = {"certificate": signing_world.people["expired"].pem}
    await refused(api, "POST", path["prepare"], 422, "certificate_expired", secretary, json=expired)
    await refused(api, "POST", path["prepare"], 422, "bad_certificate", secretary, json={"certificate": "x" * 40})
    prepared = await api.json("POST", path["prepare"], 200, secretary, json=body)
    assert base64.b64decode(prepared["digest"]).hex() == prepared["digest_hex"]

    other_bytes = await asyncio.to_thread(tool_cms, person, base64.b64encode(bytes(32)).decode())
    message = await refused(
        api, "POST", path["finish"], 422, "signature_mismatch", secretary, json={"cms": other_bytes}
    )
    assert "không phải ký trên đúng tài liệu đã chuẩn bị" in message
    by_other = await asyncio.to_thread(tool_cms, signing_world.people["other"], prepared["digest"])
    await refused(api, "POST", path["finish"], 422, "certificate_other_person", secretary, json={"cms": by_other})
    await refused(api, "POST", path["finish"], 400, "invalid", secretary, json={})
    await refused(api, "POST", path["finish"], 400, "invalid", secretary, json={"cms": "@@not base64@@"})
    good = await asyncio.to_thread(tool_cms, person, prepared["digest"])
    await refused(api, "POST", path["finish"], 400, "invalid", secretary, json={"cms": good, "signature": good})
    assert (await stored(server, sid))[0].signatures == []

    signed = await api.json("POST", path["finish"], 200, secretary, json={"cms": good})
    assert [(s["role"], s["mode"], s["ok"], s["trusted"]) for s in signed["signatures"]] == [
        ("secretary", "external", True, True)
    ]
    assert signed["signing"]["pending"] is None
    assert not storage.prepared_minutes_path(services_of(server.app).settings, sid).exists()


async def test_a_preparation_made_before_a_reopening_cannot_be_finished(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    sid, path, secretary, staff = (
        live.session_id,
        paths(live.session_id),
        live.delegates[1].headers,
        live.secretary.headers,
    )
    person = signing_world.people["secretary"]
    prepared = await api.json("POST", path["prepare"], 200, secretary, json={"certificate": person.pem})
    cms = await asyncio.to_thread(tool_cms, person, prepared["digest"])
    await api.json("POST", f"/api/sessions/{sid}/minutes/reopen", 200, staff, json={"reason": "Sửa số biên bản"})
    await refused(api, "POST", path["finish"], 409, "minutes_not_approved", secretary, json={"cms": cms})
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    await refused(api, "POST", path["finish"], 409, "not_prepared", secretary, json={"cms": cms})


async def test_token_signing_is_refused_where_the_server_has_no_token(
    aiohttp_server: Any, tmp_path: Path, database_url: str, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    settings = make_settings(tmp_path, database_url, **signing_world.settings_update(signing_pkcs11_module=""))
    server = await aiohttp_server(create_app(settings))
    api = Api(server, http)
    live = await ended_session(server, api)
    path, secretary = paths(live.session_id), live.delegates[1].headers
    assert (await api.json("GET", path["minutes"], 200, secretary))["signing"]["token_signing"] is False
    tokens = f"/api/sessions/{live.session_id}/minutes/signing/tokens"
    await refused(api, "GET", tokens, 409, "token_signing_off", secretary)
    await refused(api, "POST", path["token"], 409, "token_signing_off", secretary, json=TOKEN_BODY)


async def test_the_server_lists_its_tokens_and_their_certificates(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    tokens = await api.json(
        "GET", f"/api/sessions/{live.session_id}/minutes/signing/tokens", 200, live.delegates[1].headers
    )
    assert [t["label"] for t in tokens] == [TOKEN]
    assert {k["label"]: k["signer"] for k in tokens[0]["keys"]}["thu-ky"] == "Dương Công Phong"


def seal_settings(tmp_path: Path, database_url: str, world: SigningWorld) -> Settings:
    seal = world.pki.person("Hội đồng nhân dân xã Phiên Họp")
    p12 = tmp_path / "dau.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"dau",
            seal.key,
            seal.certificate,
            [world.pki.ca.certificate],
            BestAvailableEncryption(b"mat-khau"),  # type: ignore[arg-type]
        )
    )
    update = world.settings_update(signing_certificate=str(p12), signing_certificate_password="mat-khau")
    return make_settings(tmp_path, database_url, **update)


async def test_the_seal_goes_on_after_both_signatures(
    aiohttp_server: Any, tmp_path: Path, database_url: str, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    server = await aiohttp_server(create_app(seal_settings(tmp_path, database_url, signing_world)))
    api = Api(server, http)
    live = await ended_session(server, api)
    path, staff = paths(live.session_id), live.secretary.headers
    await refused(api, "POST", path["seal"], 409, "minutes_not_signed", staff)
    await sign_both(api, live, signing_world)
    sealed = await api.json("POST", path["seal"], 200, staff)
    assert [(s["role"], s["mode"], s["ok"], s["trusted"]) for s in sealed["signatures"]] == [
        ("secretary", "pkcs11", True, True),
        ("chair", "external", True, True),
        ("seal", "pkcs12", True, True),
    ]
    await refused(api, "POST", path["seal"], 409, "conflict", staff)
    await api.json("POST", path["seal"], 403, live.chair.headers)


async def test_the_word_copy_follows_the_minutes(
    server: TestServer, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await ended_session(server, api)
    sid, staff = live.session_id, live.secretary.headers
    status, data, headers = await api.call("GET", f"/api/sessions/{sid}/minutes/docx", staff)
    assert status == 200 and headers["Content-Disposition"] == f'attachment; filename="bien-ban-{sid}.docx"'
    word = Document(io.BytesIO(data))
    assert "BIÊN BẢN" in [p.text for p in word.paragraphs]
    assert "DỰ THẢO" not in word.sections[0].first_page_header.paragraphs[0].text, "approved: not a draft"
    await api.json("POST", f"/api/sessions/{sid}/minutes/reopen", 200, staff, json={"reason": "Sửa lỗi chính tả"})
    _, drafted, _ = await api.call("GET", f"/api/sessions/{sid}/minutes/docx", staff)
    assert "DỰ THẢO" in Document(io.BytesIO(drafted)).sections[0].first_page_header.paragraphs[0].text
