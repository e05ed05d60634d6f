"""The compiled report as PDF and Word in the minutes' administrative layout, and the session's report on answers
stored as a public session document; neither holds a voter's personal data."""

from __future__ import annotations

import io

import docx
import pymupdf
from aiohttp.test_utils import TestClient

from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, Document, SessionStatus
from session_server.services import services_of
from tests.factories import World
from tests.functional.api.checks import count, error_of
from tests.functional.petitions.conftest import answer, enter, forward, ok

ROAD = "Đề nghị sửa chữa đường liên thôn Đông – thôn Tây đã xuống cấp."
REPLY = "UBND xã đã bố trí 1,2 tỷ đồng sửa chữa, thi công trong quý I/2027."


async def _answered(client: TestClient, world: World) -> int:
    road = await enter(
        client,
        world,
        ROAD,
        field="Giao thông",
        level="commune",
        locality="Thôn Đông",
        voter_count=14,
        voters=[{"full_name": "Nguyễn Văn Bí Mật", "contact": "0912 999 888"}],
    )
    await forward(client, world, road["id"])
    await ok(await answer(client, world.agency_user, road["id"], REPLY), 201)
    await enter(client, world, "Đề nghị bổ sung bác sĩ cho trạm y tế xã.", field="Y tế")
    return road["id"]


def _pdf_text(data: bytes) -> str:
    with pymupdf.open("pdf", data) as pdf:
        return " ".join(" ".join(page.get_text().split()) for page in pdf)


async def test_the_compiled_report_comes_as_pdf_and_word_in_the_administrative_layout(
    client: TestClient, world: World
) -> None:
    await _answered(client, world)
    base = f"/api/councils/{world.council.id}/petitions"

    pdf = await client.get(f"{base}/report.pdf", headers=world.secretary.headers)
    word = await client.get(f"{base}/report.docx", headers=world.secretary.headers)

    assert pdf.status == 200 and pdf.content_type == "application/pdf"
    text = _pdf_text(await pdf.read())
    for expected in (
        "HỘI ĐỒNG NHÂN DÂN",
        "XÃ THỬ NGHIỆM",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Tổng hợp ý kiến, kiến nghị cử tri",
        "1. Lĩnh vực giao thông",
        ROAD,
        REPLY,
        "TM. THƯỜNG TRỰC HĐND",
    ):
        assert expected in text, expected
    assert "Bí Mật" not in text and "0912" not in text
    paragraphs = [p.text for p in docx.Document(io.BytesIO(await word.read())).paragraphs]
    assert word.status == 200 and "BÁO CÁO" in paragraphs
    assert any(ROAD in p for p in paragraphs) and not any("Bí Mật" in p for p in paragraphs)
    await error_of(await client.get(f"{base}/report.pdf", headers=world.agency_user.headers), 403, "forbidden")


async def test_the_session_report_on_answers_becomes_a_public_session_document(
    client: TestClient, world: World
) -> None:
    road = await _answered(client, world)
    async with services_of(client.app).sessionmaker() as db:
        session = CouncilSession(
            council_id=world.council.id, title="Kỳ họp thứ Mười một", status=SessionStatus.SCHEDULED
        )
        session.agenda = [AgendaItem(position=1, title="Chất vấn", kind=AgendaKind.QUESTIONING)]
        db.add(session)
        await db.commit()
        session_id, item_id = session.id, session.agenda[0].id
    empty = await client.post(f"/api/sessions/{session_id}/petition-report", headers=world.secretary.headers)
    await error_of(empty, 400, "invalid")
    await client.post(
        f"/api/agenda-items/{item_id}/petitions", json={"petition_ids": [road]}, headers=world.secretary.headers
    )

    first = await ok(
        await client.post(f"/api/sessions/{session_id}/petition-report", headers=world.secretary.headers), 201
    )
    again = await ok(
        await client.post(f"/api/sessions/{session_id}/petition-report", headers=world.secretary.headers), 201
    )
    public = await ok(await client.get(f"/api/public/sessions/{session_id}/documents"))
    file = await client.get(f"/api/public/documents/{first['id']}/file")

    assert (first["title"], first["kind"], first["classification"]) == (
        "Báo cáo kết quả giải quyết ý kiến, kiến nghị cử tri",
        "report",
        "public",
    )
    assert first["agenda_item_id"] == item_id
    assert (again["id"], again["version"]) == (first["id"], 2)
    assert [d["id"] for d in public] == [first["id"]]
    text = _pdf_text(await file.read())
    assert "Kết quả giải quyết ý kiến, kiến nghị cử tri trình Kỳ họp thứ Mười một" in text and REPLY in text
    assert "Bí Mật" not in text
    assert await count(client, Document) == 1
