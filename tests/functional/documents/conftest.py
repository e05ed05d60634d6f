"""A council with a public session (one agenda item) and a closed one, and an upload helper."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, SessionStatus
from session_server.documents.workers import workers_of
from session_server.services import services_of
from tests.factories import Account, World
from tests.pdfs import pdf_bytes

BUDGET_PAGES = [
    "Tờ trình về dự toán ngân sách năm 2027\nỦy ban nhân dân xã kính trình Hội đồng nhân dân xã xem xét.",
    "Dự thảo nghị quyết về phân bổ ngân sách địa phương năm 2027.\nĐầu tư công cho đường giao thông nông thôn.",
    "Điều khoản thi hành: Nghị quyết ngân sách có hiệu lực từ ngày 01/01/2027.",
]


@dataclass
class DocWorld:
    world: World
    session_id: int
    agenda_item_id: int
    closed_session_id: int
    other_session_id: int

    @property
    def secretary(self) -> Account:
        return self.world.secretary

    @property
    def delegate(self) -> Account:
        return self.world.delegate


@pytest.fixture
async def docs(client: TestClient, world: World) -> DocWorld:
    return await make_doc_world(client, world)


async def make_doc_world(client: TestClient, world: World) -> DocWorld:
    async with services_of(client.app).sessionmaker() as db:
        session = CouncilSession(
            council_id=world.council.id, title="Kỳ họp thứ Mười", status=SessionStatus.SCHEDULED, public=True
        )
        session.agenda = [AgendaItem(position=1, title="Dự toán ngân sách 2027", kind=AgendaKind.DRAFT_RESOLUTION)]
        closed = CouncilSession(
            council_id=world.council.id, title="Phiên họp kín", status=SessionStatus.SCHEDULED, public=False
        )
        other = CouncilSession(
            council_id=world.other_council.id, title="Kỳ họp phường", status=SessionStatus.SCHEDULED, public=True
        )
        db.add_all([session, closed, other])
        await db.commit()
        return DocWorld(world, session.id, session.agenda[0].id, closed.id, other.id)


def form(data: bytes, filename: str = "to-trinh-ngan-sach.pdf", **fields: Any) -> aiohttp.FormData:
    body = aiohttp.FormData()
    for name, value in {"not_state_secret": "true", **fields}.items():
        body.add_field(name, str(value))
    body.add_field("file", data, filename=filename, content_type="application/pdf")
    return body


async def upload(
    client: TestClient,
    account: Account,
    session_id: int,
    data: bytes | None = None,
    filename: str = "to-trinh-ngan-sach.pdf",
    **fields: Any,
) -> ClientResponse:
    content = pdf_bytes(BUDGET_PAGES) if data is None else data
    fields.setdefault("title", "Tờ trình dự toán ngân sách 2027")
    return await client.post(
        f"/api/sessions/{session_id}/documents", data=form(content, filename, **fields), headers=account.headers
    )


async def uploaded(client: TestClient, account: Account, session_id: int, **kwargs: Any) -> dict[str, Any]:
    response = await upload(client, account, session_id, **kwargs)
    assert response.status == 201, await response.text()
    return await response.json()


def stored_files(client: TestClient) -> list[Path]:
    """Every document file and upload leftover under the data folder."""
    root = services_of(client.app).settings.data_dir / "documents"
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


async def settle(client: TestClient) -> None:
    await workers_of(client.app).settle()
