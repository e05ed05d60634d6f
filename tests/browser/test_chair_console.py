"""The chair under time pressure: one screen at 1280×800 with the current and next item, the floor with its timer,
the vote in progress and the shown page all in view and no vertical scroll (usable at 1024×768 too); the header
names the user's role in the session; "Bế mạc" asks first, then locks every control and says why; a page turn the
server does not take never leaves the chair on another page than the tablets; attendance statuses, undo and
marking present the delegates who checked in."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest_asyncio
from playwright.async_api import Browser, Page, expect

from session_server.db.models import Member, Role
from tests.browser.accessibility import assert_contrast, assert_focus_visible, tab_to
from tests.browser.flow import Staged, chair_runs, people, shoot
from tests.browser.support import BROWSER_TEST, TABLET, DemoCouncil, LiveServer, screenshot_path
from tests.factories import Account, make_user

pytestmark = BROWSER_TEST

SMALL = {"width": 1024, "height": 768}
# What the chair must see during a vote, each by a selector: it must lie inside the window and inside its panel.
IN_VIEW = {
    "current item": "[data-testid=current-item]",
    "next item": "[data-testid=next-item]",
    "speaker's timer": "[data-testid=speaker-now] [data-testid=clock]",
    "first in the queue": "[data-testid=queue] .queue-name",
    "vote count": "[data-testid=cast-count]",
    "not voted yet": "[data-testid=not-voted]",
    "close the vote": "[data-testid=vote-close]",
    "shown page": "[data-testid=presenter] [data-testid=doc-page]",
    "page counter": "[data-testid=presenter] [data-testid=doc-counter]",
}
MEASURE = """selector => {
  const element = document.querySelector(selector);
  if (!element) return 'missing';
  const box = element.getBoundingClientRect();
  const panel = element.closest('.panel').getBoundingClientRect();
  const inWindow = box.top >= 0 && box.bottom <= innerHeight && box.right <= innerWidth && box.height > 0;
  const inPanel = box.top >= panel.top - 1 && box.bottom <= panel.bottom + 1;
  return inWindow && inPanel ? 'seen' : `hidden at ${Math.round(box.top)}..${Math.round(box.bottom)}`;
}"""


@dataclass
class Sitting:
    demo: DemoCouncil
    members: dict[str, int]
    motion_id: int


@pytest_asyncio.fixture(loop_scope="session")
async def sitting(live_server: LiveServer, staged: Staged) -> Sitting:
    """The demo session in full swing (26 of 35 present, page 2 shown, DB03 with the floor and two waiting), in the
    middle of the vote on the second resolution with one ballot in."""
    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    await live_server.services.dispatcher.run(
        staged.demo.delegate.user,
        staged.demo.session.id,
        "vote.cast",
        {"motion_id": staged.pending_motion, "choice": "yes"},
    )
    return Sitting(staged.demo, staged.members, staged.pending_motion)


async def seen(page: Page) -> dict[str, str]:
    return {name: await page.evaluate(MEASURE, selector) for name, selector in IN_VIEW.items()}


async def test_during_a_vote_the_console_fits_1280_by_800_without_scrolling_and_1024_by_768_too(
    browser: Browser, live_server: LiveServer, sitting: Sitting
) -> None:
    async with people(browser, live_server, "chair-one-screen") as crowd:
        chair = await crowd.page(sitting.demo.chair, f"/chair/?session={sitting.demo.session.id}")
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 1/26 đại biểu có mặt")
        await expect(chair.get_by_test_id("not-voted")).to_have_text("Chưa biểu quyết: 25 đại biểu có mặt")
        await expect(chair.get_by_test_id("presenter").get_by_test_id("doc-page")).to_have_js_property(
            "complete", True, timeout=20000
        )
        await expect(chair.get_by_test_id("user-role")).to_have_text("Chủ tọa")
        for size in (TABLET, SMALL):
            await chair.set_viewport_size(size)
            scroll = await chair.evaluate("document.documentElement.scrollHeight - innerHeight")
            assert scroll <= 0, f"the console scrolls by {scroll}px at {size}"
            assert await seen(chair) == dict.fromkeys(IN_VIEW, "seen"), size
            await chair.screenshot(path=screenshot_path(f"chair-vote-{size['width']}x{size['height']}"))
        await assert_contrast(chair, "chair console at 1024×768")


async def test_closing_the_session_asks_first_then_locks_every_control_and_says_why(
    browser: Browser, live_server: LiveServer, sitting: Sitting
) -> None:
    session_id = sitting.demo.session.id
    async with people(browser, live_server, "chair-close") as crowd:
        chair = await crowd.page(sitting.demo.chair, f"/chair/?session={session_id}")
        tablet = await crowd.page(sitting.demo.delegate, f"/tablet/?session={session_id}")
        counter = chair.get_by_test_id("presenter").get_by_test_id("doc-counter")
        await expect(counter).to_have_text("Trang 2/5")

        # An open vote is closed first: the server refuses to close the session over it.
        await live_server.services.dispatcher.run(
            sitting.demo.chair.user, session_id, "vote.close", {"motion_id": sitting.motion_id, "confirm": True}
        )
        await expect(chair.get_by_test_id("result-text")).to_be_visible()
        await tab_to(chair, "Bế mạc")
        await chair.keyboard.press("Enter")
        confirm = chair.get_by_role("alertdialog", name="Bế mạc kỳ họp?")
        await expect(confirm).to_contain_text("không mở lại được; phát trực tiếp dừng; mọi nút điều hành bị khóa")
        await expect(confirm.get_by_role("button", name="Hủy")).to_be_focused()
        await shoot(chair, "chair-close-confirm", {"tablet": TABLET})
        await assert_contrast(chair, "closing confirmation", "[data-testid=confirm]")
        await chair.keyboard.press("Enter")
        await expect(confirm).to_be_hidden()
        await expect(chair.get_by_test_id("session-status")).to_have_text("Đang họp")
        await expect(chair.get_by_role("button", name="Bế mạc", exact=True)).to_be_focused()

        await chair.keyboard.press("Enter")
        await chair.keyboard.press("Tab")
        await expect(confirm.get_by_role("button", name="Bế mạc kỳ họp")).to_be_focused()
        await assert_focus_visible(chair)
        await chair.keyboard.press("Enter")

        await expect(chair.get_by_test_id("session-status")).to_have_text("Đã bế mạc")
        await expect(chair.get_by_test_id("locked")).to_have_text(
            "Kỳ họp đã bế mạc: mọi nút điều hành đã khóa vì kỳ họp không mở lại được. "
            "Kết quả và biên bản do Văn phòng hoàn thiện."
        )
        await expect(tablet.get_by_test_id("session-status")).to_have_text("Đã bế mạc")
        await expect(chair.get_by_role("button", name="Tạm dừng")).to_have_count(0)
        await expect(chair.get_by_test_id("chair-grid")).to_have_js_property("inert", True)
        # Nothing in the grid takes a click or the keyboard, and PageDown leaves the page where the tablets have it.
        await chair.get_by_role("button", name="Trang 4", exact=True).click(force=True)
        await chair.keyboard.press("PageDown")
        await expect(counter).to_have_text("Trang 2/5")
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 2/5")
        await shoot(chair, "chair-locked", {"tablet": TABLET})
        await assert_contrast(chair, "locked console")


async def test_a_page_turn_the_server_does_not_take_puts_the_chair_back_on_the_tablets_page(
    browser: Browser, live_server: LiveServer, sitting: Sitting
) -> None:
    session_id = sitting.demo.session.id
    async with people(browser, live_server, "chair-page-turn") as crowd:
        chair = await crowd.page(sitting.demo.chair, f"/chair/?session={session_id}")
        tablet = await crowd.page(sitting.demo.delegate, f"/tablet/?session={session_id}")
        counter = chair.get_by_test_id("presenter").get_by_test_id("doc-counter")
        await expect(counter).to_have_text("Trang 2/5")

        await chair.context.set_offline(True)
        await expect(chair.get_by_test_id("connection")).to_be_visible()
        await chair.get_by_role("button", name="Trang sau").click()

        problem = chair.get_by_test_id("presenter-problem")
        await expect(problem).to_contain_text("Không lật được trang")
        await expect(problem).to_contain_text("Màn hình vẫn ở trang các máy tính bảng đang xem.")
        await expect(counter).to_have_text("Trang 2/5")
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 2/5")
        assert await chair.evaluate(MEASURE, "[data-testid=presenter-problem]") == "seen"
        await chair.context.set_offline(False)
        await expect(chair.get_by_test_id("connection")).to_be_hidden(timeout=8000)
        await chair.get_by_role("button", name="Trang sau").click()
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 3/5")
        await expect(problem).to_have_text("")


async def test_the_chair_keeps_attendance_undoes_a_slip_and_marks_present_who_checked_in(
    browser: Browser, live_server: LiveServer, sitting: Sitting
) -> None:
    session_id = sitting.demo.session.id
    run = live_server.services.dispatcher.run
    office = sitting.demo.secretary.user
    async with people(browser, live_server, "chair-attendance") as crowd:
        chair = await crowd.page(sitting.demo.chair, f"/chair/?session={session_id}")
        await chair.get_by_role("tab", name="Điểm danh (26/35)").click()
        quorum = chair.get_by_test_id("quorum").first

        await chair.get_by_label("Điểm danh: Trần Minh Phong").select_option("left_early")
        await expect(quorum).to_contain_text("Có mặt 25/35")
        await expect(chair.get_by_role("tab", name="Điểm danh (25/35)")).to_be_visible()
        await chair.get_by_role("button", name="Hoàn tác điểm danh của Trần Minh Phong").click()
        await expect(quorum).to_contain_text("Có mặt 26/35")

        await chair.get_by_label("Điểm danh: Đặng Kim Yến").select_option("absent_with_reason")
        await chair.get_by_label("Lý do vắng của Đặng Kim Yến").fill("Dự họp tại tỉnh")
        await chair.get_by_role("button", name="Ghi nhận").click()
        row = chair.locator("li[data-member]", has_text="Đặng Kim Yến")
        await expect(row).to_contain_text("Vắng có lý do — Dự họp tại tỉnh")

        # Two delegates marked absent beforehand check in on their tablets.
        for code in ("DB29", "DB30"):
            await run(office, session_id, "attendance.mark", {"member_id": sitting.members[code], "status": "absent"})
        late_comers = await asyncio.gather(
            *(
                crowd.page(account, f"/tablet/?session={session_id}")
                for account in await _accounts(live_server, sitting)
            )
        )
        for tablet in late_comers:
            # A vote is open: the ballot asks them to check in first, and then to wait to be marked present.
            await tablet.get_by_test_id("vote").get_by_role("button", name="Điểm danh").click()
            await expect(tablet.get_by_test_id("vote-waiting")).to_be_visible()
            await expect(tablet.get_by_test_id("checked-in")).to_contain_text("chờ chủ tọa hoặc Văn phòng ghi nhận")
        bulk = chair.get_by_test_id("mark-checked-in")
        await expect(bulk).to_have_text("Ghi nhận có mặt 2 đại biểu đã điểm danh")
        await shoot(chair, "chair-attendance", {"tablet": TABLET})
        await assert_contrast(chair, "chair attendance tab")
        await bulk.click()
        await expect(quorum).to_contain_text("Có mặt 28/35")
        await expect(bulk).to_have_count(0)
        await expect(late_comers[0].get_by_test_id("checked-in")).to_contain_text("Đã điểm danh lúc")
        await expect(late_comers[0].get_by_test_id("vote").get_by_test_id("vote-yes")).to_be_visible()


async def _accounts(live_server: LiveServer, sitting: Sitting) -> list[Account]:
    """Sign-in accounts for DB29 and DB30, who have none in the demo."""
    async with live_server.sessionmaker() as db:
        accounts = [
            await make_user(
                db, code.lower(), Role.DELEGATE, sitting.demo.council, await db.get(Member, sitting.members[code])
            )
            for code in ("DB29", "DB30")
        ]
        await db.commit()
    return accounts
