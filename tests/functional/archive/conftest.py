"""A whole session driven through the API and Socket.IO, optionally with ffmpeg publishing the hall camera."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pymupdf
import pytest
from aiohttp.test_utils import TestServer

from media import rtmp_availability
from session_server.app import create_app
from session_server.db.models import ArchiveStatus, BallotType, MotionKind, SessionArchive
from session_server.services import services_of
from session_server.settings import Settings
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_motion
from tests.functional.conftest import Connect
from tests.functional.streams.conftest import publish
from tests.live_clients import LiveClient, connect
from tests.pdfs import pdf_bytes
from tests.signing import PIN, TOKEN, SigningWorld, tool_cms
from tests.support import free_port, missing, require_executable

DOCUMENTS = {
    "public": "Báo cáo tình hình kinh tế - xã hội năm 2026",
    "internal": "Dự thảo kế hoạch đầu tư công nội bộ",
    "restricted": "Hồ sơ nhân sự hạn chế",
}


@dataclass
class Sitting:
    """What the session did, for the checks: the motions, the speeches' speakers, the documents by classification."""

    live: LiveWorld
    named_motion: int
    secret_motion: int
    speakers: list[str]
    documents: dict[str, int] = field(default_factory=dict)
    camera: asyncio.subprocess.Process | None = None


class Api:
    def __init__(self, server: TestServer, http: aiohttp.ClientSession) -> None:
        self.server, self.http = server, http

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def call(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        async with self.http.request(method, self.url(path), headers=headers, **kwargs) as response:
            body = await response.read()
            return response.status, body, response.headers

    async def json(self, method: str, path: str, status: int, headers: dict[str, str] | None = None, **kw: Any) -> Any:
        got, body, _ = await self.call(method, path, headers, **kw)
        assert got == status, f"{method} {path}: {got} {body.decode(errors='replace')}"

        return json.loads(body)


def pdf_text(pdf: bytes) -> str:
    with pymupdf.open("pdf", pdf) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def upload(api: Api, live: LiveWorld, classification: str, item_id: int) -> int:
    form = aiohttp.FormData()
    form.add_field("not_state_secret", "true")
    form.add_field("title", DOCUMENTS[classification])
    form.add_field("classification", classification)
    form.add_field("agenda_item_id", str(item_id))
    form.add_field(
        "file", pdf_bytes([DOCUMENTS[classification]]), filename="tai-lieu.pdf", content_type="application/pdf"
    )
    created = await api.json(
        "POST", f"/api/sessions/{live.session_id}/documents", 201, live.secretary.headers, data=form
    )
    return created["id"]


async def speak(chair: LiveClient, tablet: LiveClient, kind: str, seconds: float) -> None:
    before = len([e for e in chair.events if e["type"] == "speakers.requested"])
    await tablet.ok("speakers.request", {"kind": kind})
    async with asyncio.timeout(5):
        while True:
            requests = [e for e in chair.events if e["type"] == "speakers.requested"]
            if len(requests) > before:
                break
            await asyncio.sleep(0.01)
    await chair.ok("speakers.grant", {"request_id": requests[-1]["data"]["request_id"]})
    await asyncio.sleep(seconds)


async def hold_session(
    server: TestServer,
    live: LiveWorld,
    connect_client: Connect,
    api: Api,
    *,
    camera_seconds: float | None = None,
    speech_seconds: float = 0.2,
    documents: bool = False,
) -> Sitting:
    """Attendance, two agenda items, three speeches, a named and a secret vote, then the close; with
    `camera_seconds`, ffmpeg publishes the hall camera from before the opening; `documents` uploads one document
    of each classification to the report."""
    sessionmaker = services_of(server.app).sessionmaker
    report, discussion = live.agenda_ids[1], live.agenda_ids[2]
    named = await make_motion(
        sessionmaker, report, title="Thông qua báo cáo kinh tế - xã hội", ballot_type=BallotType.NAMED
    )
    secret = await make_motion(
        sessionmaker,
        discussion,
        title="Nghị quyết về chủ trương đầu tư trường học",
        kind=MotionKind.RESOLUTION,
        ballot_type=BallotType.SECRET,
    )
    sitting = Sitting(
        live, named, secret, [live.members[2].full_name, live.members[3].full_name, live.members[2].full_name]
    )
    for classification in DOCUMENTS if documents else ():
        sitting.documents[classification] = await upload(api, live, classification, report)

    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    if camera_seconds is not None:
        sitting.camera = await start_camera(api, live, chair, camera_seconds)
    tablets = [chair]
    for account in live.delegates[1:]:
        tablet = await connect_client(account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    await chair.ok("session.open")
    for tablet in tablets[:4]:
        await tablet.ok("checkin")
    absent = live.members[4].id
    await chair.ok("attendance.mark", {"member_id": absent, "status": "absent_with_reason", "reason": "Đi công tác"})

    await chair.ok("agenda.goto", {"item_id": report})
    await speak(chair, tablets[2], "discussion", speech_seconds)
    await speak(chair, tablets[3], "question", speech_seconds)
    await chair.ok("speakers.end")
    await chair.ok("vote.open", {"motion_id": named})
    for tablet, choice in zip(tablets[:4], ["yes", "yes", "yes", "no"], strict=True):
        await tablet.ok("vote.cast", {"motion_id": named, "choice": choice})
    await chair.ok("vote.close", {"motion_id": named, "confirm": True})

    await chair.ok("agenda.goto", {"item_id": discussion})
    await speak(chair, tablets[2], "debate", speech_seconds)
    await chair.ok("speakers.end")
    await chair.ok("vote.open", {"motion_id": secret})
    for tablet, choice in zip(tablets[:4], ["yes", "yes", "no", "abstain"], strict=True):
        await tablet.ok("vote.cast", {"motion_id": secret, "choice": choice})
    await chair.ok("vote.close", {"motion_id": secret, "confirm": True})
    await chair.ok("session.close", {"confirm": True})
    return sitting


async def archived(server: TestServer, session_id: int, within: float = 90) -> SessionArchive:
    """Wait for the archive job the close started to finish, and return its row."""
    async with asyncio.timeout(within):
        while True:
            async with services_of(server.app).sessionmaker() as db:
                row = await db.get(SessionArchive, session_id)
            if row is not None and row.status in (ArchiveStatus.DONE, ArchiveStatus.FAILED):
                return row
            await asyncio.sleep(0.1)


async def archived_recording(server: TestServer, sitting: Sitting) -> SessionArchive:
    """Wait for the archive job, then stop the camera, which was started to publish for longer than the session."""
    job = await archived(server, sitting.live.session_id)
    assert sitting.camera is not None
    if sitting.camera.returncode is None:
        sitting.camera.kill()
    await sitting.camera.wait()
    return job


def require_camera_tools() -> None:
    require_executable("ffmpeg", "apt-get install ffmpeg")
    require_executable("ffprobe", "apt-get install ffmpeg")
    availability = rtmp_availability()
    if not availability.ok:
        missing(availability.reason)


def recording_settings(tmp_path: Path, database_url: str, signing: SigningWorld) -> Settings:
    """HopSo with its embedded nginx-rtmp, on a port chosen here: nginx calls HopSo back on it."""
    port, rtmp_port = free_port(), free_port()
    return make_settings(
        tmp_path, database_url, port=port, rtmp_port=rtmp_port, **signing.settings_update()
    ).model_copy(update={"rtmp_mode": "embedded"})


@pytest.fixture
def settings(tmp_path: Path, database_url: str, signing_world: SigningWorld) -> Settings:
    """The archive's tests sign with the test CA: the token on SoftHSM2, the loopback TSA, the CA as trust root."""
    return make_settings(tmp_path, database_url, **signing_world.settings_update())


async def sign_both(api: Api, live: LiveWorld, world: SigningWorld) -> dict[str, Any]:
    """The secretary signs with the key on the server's token, then the chair through their own tool."""
    sid = live.session_id
    token = {"token_label": TOKEN, "key_label": "thu-ky", "pin": PIN}
    await api.json("POST", f"/api/sessions/{sid}/minutes/sign/token", 200, live.delegates[1].headers, json=token)
    chair = world.people["chair"]
    body = {"certificate": chair.pem, "chain": [world.pki.ca.pem]}
    prepared = await api.json(
        "POST", f"/api/sessions/{sid}/minutes/sign/external/prepare", 200, live.chair.headers, json=body
    )
    cms = await asyncio.to_thread(tool_cms, chair, prepared["digest"])
    return await api.json(
        "POST", f"/api/sessions/{sid}/minutes/sign/external/finish", 200, live.chair.headers, json={"cms": cms}
    )


@asynccontextmanager
async def live_clients(base_url: str) -> AsyncIterator[Connect]:
    """Opens Socket.IO clients to `base_url`; all are closed on the way out."""
    clients: list[LiveClient] = []

    async def open_client(token: str | None = None, namespace: str = "/live") -> LiveClient:
        client = await connect(base_url, namespace, token)
        clients.append(client)
        return client

    try:
        yield open_client
    finally:
        for client in clients:
            await client.close()


@pytest.fixture
def camera_tools() -> None:
    require_camera_tools()


@pytest.fixture
async def recording_server(
    camera_tools: None, aiohttp_server: Any, tmp_path: Path, database_url: str, signing_world: SigningWorld
) -> TestServer:
    settings = recording_settings(tmp_path, database_url, signing_world)
    return await aiohttp_server(create_app(settings), port=settings.port)


@pytest.fixture
async def recording_connect(recording_server: TestServer) -> AsyncIterator[Connect]:
    async with live_clients(str(recording_server.make_url("/"))) as open_client:
        yield open_client


async def start_camera(
    api: Api, live: LiveWorld, chair: LiveClient, seconds: float, audio: Path | None = None
) -> asyncio.subprocess.Process:
    armed = await api.json("POST", f"/api/sessions/{live.session_id}/stream/key", 201, live.secretary.headers, json={})
    encoder = await publish(armed["publish_url"], seconds, audio)
    async with asyncio.timeout(20):
        while True:
            if any(e["type"] == "stream.status" and e["data"]["status"] == "live" for e in chair.events):
                return encoder
            await asyncio.sleep(0.05)
