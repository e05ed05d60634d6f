"""Voter petitions in a real Chromium, the whole story: the secretary imports last term's compilation workbook,
merges the duplicates, forwards to the agency; the agency answers with a file; the secretary publishes and takes the
petition up in the session; a citizen finds the answer on a phone by typing without diacritics, and sends a new
petition through the public form."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from session_server.app import create_app
from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, Document, SessionStatus
from session_server.petitions.models import Submission
from tests.browser.support import BROWSER_TEST, PHONE, LiveServer, SignIn, screenshot_path
from tests.conftest import make_settings
from tests.factories import World, make_world
from tests.pdfs import pdf_bytes
from tests.workbooks import compilation

pytestmark = BROWSER_TEST


@dataclass
class Office:
    world: World
    session_id: int
    item_id: int


@pytest_asyncio.fixture(loop_scope="session")
async def office(live_server: LiveServer) -> Office:
    world = await make_world(live_server.sessionmaker, agency=True)
    async with live_server.sessionmaker() as db:
        session = CouncilSession(
            council_id=world.council.id, title="Kỳ họp thứ Mười một", status=SessionStatus.SCHEDULED, public=True
        )
        session.agenda = [
            AgendaItem(position=1, title="Khai mạc kỳ họp", kind=AgendaKind.OTHER),
            AgendaItem(position=2, title="Chất vấn và trả lời chất vấn", kind=AgendaKind.QUESTIONING),
        ]
        db.add(session)
        await db.commit()
        return Office(world, session.id, session.agenda[1].id)


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=screenshot_path(f"petitions-{name}"), full_page=True)


async def _import_last_term(page: Page, tmp_path: Path) -> None:
    workbook = tmp_path / "tong-hop-y-kien-cu-tri-ky-hop-10.xlsx"
    workbook.write_bytes(compilation())
    await page.get_by_test_id("tab-import").click()
    await page.get_by_test_id("import-file").set_input_files(str(workbook))
    await page.get_by_role("button", name="Đọc bảng tính").click()
    await expect(page.get_by_test_id("import-found")).to_contain_text("dòng tiêu đề là dòng 7; có 5 kiến nghị")
    mapping = page.get_by_test_id("import-mapping")
    await expect(mapping.get_by_label("Nhập cột B vào")).to_have_value("content")
    await expect(mapping.get_by_label("Nhập cột E vào")).to_have_value("received_on")
    await shot(page, "import-preview")
    await page.get_by_test_id("import-confirm").get_by_role("button", name="Nhập 5 kiến nghị").click()
    await expect(page.get_by_test_id("import-done")).to_have_text("Đã nhập 5 kiến nghị.")
    group = page.get_by_test_id("duplicate-group")
    await expect(group).to_have_count(1)
    await expect(group).to_contain_text("thôn Tây kiến nghị sớm sửa chữa đường liên thôn")
    await shot(page, "import-duplicates")
    await group.get_by_test_id("merge-group").click()
    await expect(group).to_contain_text("Đã gộp vào kiến nghị số")


async def _forward_all(page: Page) -> None:
    await page.get_by_test_id("tab-list").click()
    rows = page.get_by_test_id("petition-row")
    await expect(rows).to_have_count(4)
    await page.get_by_test_id("petition-filters").get_by_label("Tình trạng").select_option("received")
    await page.get_by_test_id("petition-filters").get_by_role("button", name="Tìm").click()
    await expect(rows).to_have_count(3)
    for index in range(3):
        await rows.nth(index).get_by_role("checkbox").check()
    selection = page.get_by_test_id("selection")
    await expect(selection).to_contain_text("Đã chọn 3 kiến nghị")
    await shot(page, "list-selection")
    await selection.get_by_test_id("forward-selected").get_by_role("button", name="Chuyển cơ quan giải quyết").click()
    await expect(rows).to_have_count(0)


async def test_from_last_terms_workbook_to_an_answer_a_citizen_finds_on_a_phone(
    browser: Browser, page: Page, live_server: LiveServer, office: Office, sign_in: SignIn, tmp_path: Path
) -> None:
    world = office.world
    await sign_in(world.secretary)
    await page.goto(f"/staff/petitions/?council={world.council.id}")
    await expect(page.get_by_role("heading", name="Ý kiến, kiến nghị cử tri", level=1)).to_be_visible()

    await _import_last_term(page, tmp_path)
    await _forward_all(page)

    await sign_in(world.agency_user)
    await page.goto("/staff/petitions/")
    inbox = page.get_by_test_id("assigned-petition")
    await expect(inbox).to_have_count(4)
    road = inbox.filter(has_text="Đề nghị sửa chữa tuyến đường liên thôn Đông – thôn Tây")
    await expect(road).to_contain_text("23 cử tri")
    await expect(page.get_by_text("Nguyễn Văn Tư")).to_have_count(0)
    letter = tmp_path / "cong-van-tra-loi.pdf"
    letter.write_bytes(pdf_bytes(["Công văn trả lời cử tri về đường liên thôn"]))
    form = road.get_by_test_id("answer-form")
    await form.get_by_label("Nội dung trả lời").fill(
        "UBND xã đã bố trí 1,2 tỷ đồng sửa chữa tuyến đường liên thôn Đông – thôn Tây, thi công trong quý I/2027."
    )
    await form.get_by_label("Tệp kèm theo (PDF, ảnh)").set_input_files(str(letter))
    await shot(page, "agency-answering")
    await form.get_by_role("button", name="Gửi trả lời").click()
    await expect(road.get_by_test_id("answers")).to_contain_text("1,2 tỷ đồng")
    await expect(road.get_by_role("link", name="cong-van-tra-loi.pdf")).to_be_visible()
    await shot(page, "agency-answered")

    await sign_in(world.secretary)
    await page.goto(f"/staff/petitions/?council={world.council.id}")
    await page.get_by_test_id("petition-search").fill("duong lien thon")
    await page.get_by_test_id("petition-filters").get_by_role("button", name="Tìm").click()
    await expect(page.get_by_test_id("petition-row")).to_have_count(1)
    await page.get_by_test_id("open-petition").click()
    detail = page.get_by_test_id("petition-detail")
    await expect(detail.get_by_test_id("petition-status")).to_have_text("Đã trả lời")
    await expect(detail.get_by_test_id("voters")).to_contain_text("Phạm Thị Mai")
    await detail.get_by_test_id("publish-petition").click()
    await expect(detail.get_by_test_id("publish-petition")).to_have_text("Thôi công khai")
    await page.get_by_test_id("petition-row").get_by_role("checkbox").check()
    take_up = page.get_by_test_id("take-up-selected")
    await expect(take_up.get_by_label("Nội dung chương trình")).to_have_value(str(office.item_id))
    await take_up.get_by_role("button", name="Đưa ra kỳ họp").click()
    await expect(page.get_by_test_id("petition-row").get_by_role("checkbox")).not_to_be_checked()
    await page.get_by_test_id("open-petition").click()
    await expect(detail.get_by_test_id("event-log")).to_contain_text("Đưa ra kỳ họp")
    await shot(page, "secretary-detail")
    await page.get_by_test_id("session-report").click()
    await page.get_by_test_id("session-report-form").get_by_role("button", name="Tạo báo cáo").click()
    await expect(page.get_by_test_id("session-report-done")).to_contain_text(
        "Đã lưu “Báo cáo kết quả giải quyết ý kiến, kiến nghị cử tri” (bản 1", timeout=30_000
    )
    async with live_server.sessionmaker() as db:
        report = await db.scalar(select(Document).where(Document.session_id == office.session_id))
    assert report is not None and report.classification.value == "public"

    citizen = await browser.new_context(
        base_url=live_server.url(), viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", is_mobile=True
    )
    phone = await citizen.new_page()
    await phone.goto(f"/public/petitions/?council={world.council.id}")
    await phone.get_by_test_id("public-search").fill("duong lien thon dong tay")
    await phone.get_by_role("button", name="Tìm", exact=True).click()
    found = phone.get_by_test_id("public-petition")
    await expect(found).to_have_count(1)
    await expect(found.get_by_test_id("public-answer")).to_contain_text("1,2 tỷ đồng sửa chữa tuyến đường")
    await expect(found).to_contain_text("Trả lời của Ủy ban nhân dân xã Thử Nghiệm")
    await expect(phone.get_by_text("Phạm Thị Mai")).to_have_count(0)
    await phone.screenshot(path=screenshot_path("petitions-public-phone"), full_page=True)
    await citizen.close()


@pytest_asyncio.fixture(loop_scope="session")
async def quick_form(tmp_path: Path, sqlite_database: str) -> AsyncIterator[LiveServer]:
    """A server whose public form accepts a submission one second after it opens (the default is five)."""
    settings = make_settings(tmp_path, sqlite_database, petition_form_min_seconds=1, petition_form_work_bits=12)
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    yield LiveServer(server)
    await server.close()


async def test_a_citizen_sends_a_petition_from_a_phone_and_it_waits_for_the_office(
    browser: Browser, quick_form: LiveServer
) -> None:
    world = await make_world(quick_form.sessionmaker, agency=True)
    citizen = await browser.new_context(base_url=quick_form.url(), viewport=PHONE, locale="vi-VN", is_mobile=True)
    phone = await citizen.new_page()
    await phone.goto(f"/public/petitions/?council={world.council.id}")
    form = phone.get_by_test_id("public-send")
    await form.get_by_label("Nội dung ý kiến, kiến nghị").fill(
        "Đề nghị lắp biển báo giảm tốc độ trước cổng Trường Tiểu học xã, giờ tan học rất nguy hiểm."
    )
    await form.get_by_label("Họ tên (không bắt buộc)").fill("Đinh Thị Thu")
    await phone.wait_for_timeout(1200)
    await form.get_by_role("button", name="Gửi ý kiến").click()
    await expect(form.get_by_role("status")).to_contain_text("Văn phòng đã nhận ý kiến của bạn")
    await phone.screenshot(path=screenshot_path("petitions-public-sent"), full_page=True)
    await citizen.close()

    async with quick_form.sessionmaker() as db:
        waiting = list(await db.scalars(select(Submission)))
    assert [(s.full_name, s.status.value) for s in waiting] == [("Đinh Thị Thu", "pending")]
