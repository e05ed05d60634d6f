"""The petition pages keep WCAG 2.1 AA text contrast at tablet and phone size, name every control, and show where
the keyboard focus is: the office's list and detail, the import preview, statistics, agencies, the agency's inbox
with an overdue petition, and the public page with answers and the form."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest_asyncio
from playwright.async_api import Page, expect

from session_server.db.models import Council
from session_server.petitions import service
from session_server.petitions.models import Agency
from session_server.petitions.schemas import ClassifyIn, PetitionIn, VoterIn
from tests.browser.accessibility import assert_named_controls, tab_to
from tests.browser.support import BROWSER_TEST, TABLET, LiveServer, SignIn, screenshot_path
from tests.browser.test_accessibility import check_sizes
from tests.factories import World, make_world
from tests.workbooks import compilation

pytestmark = BROWSER_TEST


@pytest_asyncio.fixture(loop_scope="session")
async def petitions(live_server: LiveServer) -> World:
    """A council with petitions in every state: answered and published, overdue, classified, received."""
    world = await make_world(live_server.sessionmaker, agency=True)
    async with live_server.sessionmaker() as db:
        council = await db.get(Council, world.council.id)
        agency = await db.get(Agency, world.agency.id)
        assert council is not None and agency is not None
        actor = world.secretary.user
        road = await service.create(
            db,
            council,
            PetitionIn(
                content="Đề nghị sửa chữa đường liên thôn Đông – thôn Tây đã xuống cấp.",
                field="Giao thông",
                locality="Thôn Đông",
                voter_count=14,
                voters=[VoterIn(full_name="Nguyễn Văn Tư", contact="0912 345 678")],
            ),
            actor,
        )
        await service.forward(db, road, agency, date(2027, 1, 31), actor)
        await service.answer(db, road, "UBND xã đã bố trí kinh phí sửa chữa trong quý I/2027.", actor, agency.id)
        await service.publish(db, road, True, actor)
        late = await service.create(
            db, council, PetitionIn(content="Đề nghị nạo vét kênh tưới tiêu N2.", locality="Thôn Bắc"), actor
        )
        await service.forward(db, late, agency, date(2026, 1, 15), actor)
        school = await service.create(db, council, PetitionIn(content="Đề nghị xây thêm phòng học mầm non."), actor)
        await service.classify(db, school, ClassifyIn(field="Giáo dục", level="commune"), actor)
        await service.create(db, council, PetitionIn(content="Đề nghị lắp đèn đường trục xã.", channel="online"), actor)
        await db.commit()
    return world


async def test_the_office_petition_list_and_detail_keep_their_contrast_and_names(
    page: Page, petitions: World, sign_in: SignIn
) -> None:
    await sign_in(petitions.secretary)
    await page.goto(f"/staff/petitions/?council={petitions.council.id}")
    await expect(page.get_by_test_id("petition-row")).to_have_count(4)
    await page.get_by_test_id("petition-row").last.get_by_role("checkbox").check()
    await page.get_by_test_id("open-petition").nth(2).click()
    await expect(page.get_by_test_id("petition-detail")).to_contain_text("Kiến nghị số 2")

    await check_sizes(page, "petition list with an overdue petition, a selection and a detail")
    await assert_named_controls(page.locator("main"), "petition list")
    await page.get_by_test_id("petition-search").focus()
    await tab_to(page, "Tìm")


async def test_the_import_preview_statistics_and_agencies_keep_their_contrast(
    page: Page, petitions: World, sign_in: SignIn, tmp_path: Path
) -> None:
    await sign_in(petitions.secretary)
    await page.goto(f"/staff/petitions/?council={petitions.council.id}#import")
    workbook = tmp_path / "tong-hop.xlsx"
    workbook.write_bytes(compilation())
    await page.get_by_test_id("import-file").set_input_files(str(workbook))
    await page.get_by_role("button", name="Đọc bảng tính").click()
    await expect(page.get_by_test_id("import-mapping")).to_be_visible()
    await check_sizes(page, "import preview")
    await assert_named_controls(page.locator("main"), "import preview")

    await page.get_by_test_id("tab-stats").click()
    await expect(page.get_by_test_id("stats-by_field")).to_contain_text("Giao thông")
    await check_sizes(page, "petition statistics")
    await page.set_viewport_size(TABLET)
    await page.screenshot(path=screenshot_path("petitions-stats"), full_page=True)
    await page.get_by_test_id("tab-agencies").click()
    await expect(page.get_by_test_id("agency-table")).to_contain_text("ubndxa")
    await check_sizes(page, "agencies")


async def test_the_agency_inbox_keeps_its_contrast(page: Page, petitions: World, sign_in: SignIn) -> None:
    await sign_in(petitions.agency_user)
    await page.goto("/staff/petitions/")
    await expect(page.get_by_test_id("assigned-petition")).to_have_count(2)
    await expect(page.get_by_test_id("assigned-petition").first).to_contain_text("Quá hạn")
    await check_sizes(page, "agency inbox")
    await page.screenshot(path=screenshot_path("petitions-agency-inbox-phone"), full_page=True)
    await assert_named_controls(page.locator("main"), "agency inbox")


async def test_the_public_petitions_page_keeps_its_contrast(page: Page, petitions: World) -> None:
    await page.goto(f"/public/petitions/?council={petitions.council.id}")
    await expect(page.get_by_test_id("public-answer")).to_contain_text("quý I/2027")
    await check_sizes(page, "public petitions page")
    await assert_named_controls(page.locator("main"), "public petitions page")
    await page.get_by_test_id("public-search").focus()
    await tab_to(page, "Tìm")
