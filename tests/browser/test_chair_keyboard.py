"""The chair runs a session from the keyboard alone: Tab and Shift+Tab to reach a control, Enter or Space to use
it, PageDown for the next page of the shown document. Every control on the way shows where the focus is, every
control has a name a screen reader can say, and the public page (another client) shows that each step happened.
"""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Browser, Page, expect

from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, SessionStatus
from tests.browser.accessibility import assert_focus_visible, assert_named_controls, tab_to
from tests.browser.flow import Hall, make_hall, people, store_pdf, write_pdf
from tests.browser.support import BROWSER_TEST, PHONE, LiveServer
from tests.factories import make_motion

pytestmark = BROWSER_TEST

ITEM = "Dự thảo nghị quyết về dự toán ngân sách năm 2027"
MOTION = "Thông qua Nghị quyết về dự toán ngân sách năm 2027"


async def budget_session(live_server: LiveServer, hall: Hall, folder: Path) -> tuple[int, int]:
    """A scheduled public session: an opening item, then the budget resolution with its draft and one motion.
    Returns the session's id and the motion's."""
    async with live_server.sessionmaker() as db:
        session = CouncilSession(
            council_id=hall.council.id,
            title="Kỳ họp thứ mười hai (chuyên đề ngân sách)",
            status=SessionStatus.SCHEDULED,
            public=True,
            chair_member_id=hall.members[0].id,
            agenda=[
                AgendaItem(position=1, title="Khai mạc kỳ họp", kind=AgendaKind.OTHER),
                AgendaItem(position=2, title=ITEM, kind=AgendaKind.DRAFT_RESOLUTION),
            ],
        )
        db.add(session)
        await db.commit()
        session_id, item_id = session.id, session.agenda[1].id
    motion_id = await make_motion(live_server.sessionmaker, item_id, title=MOTION)
    await store_pdf(live_server, write_pdf(folder), session_id, item_id, hall.secretary)
    return session_id, motion_id


async def press(page: Page, key: str) -> None:
    """Uses the focused control; the focus must stay on something, not fall back to the page."""
    await page.keyboard.press(key)
    await expect(page.locator("body")).not_to_be_focused()


async def test_the_chair_runs_a_session_with_the_keyboard_alone(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    session_id, motion_id = await budget_session(live_server, hall, tmp_path)
    run = live_server.services.dispatcher.run
    async with people(browser, live_server, "chair-keyboard") as crowd:
        public = await crowd.page(None, f"/public/?session={session_id}", PHONE)
        chair = await crowd.page(hall.chair, f"/chair/?session={session_id}")
        await expect(chair.get_by_test_id("session-status")).to_have_text("Đã lên lịch")

        await tab_to(chair, "Bỏ qua, đến nội dung chính")
        await chair.keyboard.press("Enter")
        await tab_to(chair, "Khai mạc")
        await press(chair, "Enter")
        await expect(chair.get_by_test_id("session-status")).to_have_text("Đang họp")
        await expect(public.get_by_test_id("session-status")).to_have_text("Đang họp")
        # The button is gone (Tạm dừng and Bế mạc took its place): the focus waits on its panel.
        await expect(chair.get_by_test_id("live-head")).to_be_focused()
        await assert_focus_visible(chair)

        for delegate in hall.delegates:
            await run(delegate.user, session_id, "checkin", {})
        await run(hall.delegates[0].user, session_id, "speakers.request", {"kind": "question"})
        await expect(chair.get_by_test_id("quorum").first).to_contain_text("Có mặt 3/4")

        await tab_to(chair, f"Chuyển đến mục: {ITEM}")
        await press(chair, "Enter")
        await expect(chair.get_by_test_id("current-item")).to_contain_text(ITEM)
        await expect(public.get_by_test_id("current-item")).to_contain_text(ITEM)

        await tab_to(chair, "Trình chiếu: Dự thảo nghị quyết ngân sách", backwards=True)
        await press(chair, "Enter")
        counter = chair.get_by_test_id("doc-counter")
        await expect(counter).to_have_text("Trang 1/5")
        await expect(public.get_by_test_id("doc-counter")).to_have_text("Trang 1/5")
        await expect(chair.get_by_role("button", name="Trình chiếu: Dự thảo nghị quyết ngân sách")).to_be_focused()
        await expect(chair.get_by_role("button", name="Trang sau")).to_have_attribute("aria-keyshortcuts", "PageDown")
        await press(chair, "PageDown")
        await expect(counter).to_have_text("Trang 2/5")
        await tab_to(chair, "Trang 4", backwards=True)
        await press(chair, "Space")
        await expect(counter).to_have_text("Trang 4/5")
        await expect(public.get_by_test_id("doc-counter")).to_have_text("Trang 4/5")
        await expect(chair.get_by_role("button", name="Trang 4", exact=True)).to_be_focused()

        # Live updates while the chair is on a button leave the focus on it.
        grant = chair.get_by_role("button", name="Mời Trần Thị Hoa phát biểu")
        await tab_to(chair, "Mời Trần Thị Hoa phát biểu", backwards=True)
        for delegate in hall.delegates[1:]:
            await run(delegate.user, session_id, "speakers.request", {"kind": "discussion"})
        await expect(chair.get_by_test_id("queue").locator("li")).to_have_count(3)
        await expect(grant).to_be_focused()
        await press(chair, "Enter")
        await expect(chair.get_by_test_id("speaker-name")).to_have_text("Trần Thị Hoa")
        await expect(public.get_by_test_id("speaker-name")).to_have_text("Trần Thị Hoa")
        await expect(chair.get_by_test_id("announcer")).to_have_text("Đang phát biểu: Trần Thị Hoa")
        await expect(chair.get_by_test_id("speakers-panel")).to_be_focused()
        await assert_focus_visible(chair)

        # The agenda and the attendance are two tabs: Tab reaches the chosen one, the arrow keys the other.
        await tab_to(chair, "Chương trình")
        await press(chair, "ArrowRight")
        await expect(chair.get_by_role("tab", name="Điểm danh (3/4)")).to_be_focused()
        await expect(chair.get_by_role("tab", name="Điểm danh (3/4)")).to_have_attribute("aria-selected", "true")
        await tab_to(chair, "Thêm người phát biểu", backwards=True)
        await press(chair, "Space")
        await assert_named_controls(chair.locator("body"), "chair console")
        await tab_to(chair, "Đại biểu")
        await chair.keyboard.press("ArrowDown")
        await expect(chair.get_by_label("Đại biểu")).to_have_value(str(hall.members[1].id))

        await tab_to(chair, "Kết thúc phát biểu", backwards=True)
        await press(chair, "Enter")
        await expect(chair.get_by_test_id("speaker-none")).to_be_visible()
        await expect(public.get_by_test_id("speaker-none")).to_be_visible()
        # The re-rendered panels keep what the chair had opened and chosen.
        await expect(chair.locator("details.add-speaker")).to_have_attribute("open", "")
        await expect(chair.get_by_role("tab", name="Điểm danh (3/4)")).to_have_attribute("aria-selected", "true")
        await expect(chair.get_by_label("Đại biểu")).to_have_value(str(hall.members[1].id))

        await tab_to(chair, f"Mở biểu quyết: {MOTION}")
        await press(chair, "Enter")
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/3 đại biểu có mặt")
        await expect(public.get_by_test_id("public-vote")).to_contain_text("Đang biểu quyết")
        for delegate in hall.delegates:
            await run(delegate.user, session_id, "vote.cast", {"motion_id": motion_id, "choice": "yes"})
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 3/3 đại biểu có mặt")
        await expect(chair.get_by_test_id("announcer")).to_have_text("Đã biểu quyết: 3/3 đại biểu có mặt")
        await tab_to(chair, "Kết thúc biểu quyết")
        await press(chair, "Space")
        # The second step says what will happen; Hủy has the focus, the next Tab the action itself.
        confirm = chair.get_by_role("alertdialog", name="Kết thúc biểu quyết?")
        await expect(confirm.get_by_test_id("confirm-count")).to_have_text("Còn 0/3 đại biểu có mặt chưa biểu quyết.")
        await expect(confirm.get_by_role("button", name="Hủy")).to_be_focused()
        await chair.keyboard.press("Tab")
        await press(chair, "Enter")
        result = "Có 3/4 đại biểu tham gia biểu quyết (75,00%); tán thành 3 (75,00%)"
        await expect(chair.get_by_test_id("result-text")).to_contain_text(result)
        await expect(public.get_by_test_id("result-text")).to_contain_text(result)
        await expect(chair.get_by_test_id("announcer")).to_contain_text(f"Kết quả để công bố: {result}")

        procedural = "Kéo dài thời gian thảo luận thêm 15 phút"
        await tab_to(chair, "Thêm biểu quyết thủ tục", backwards=True)
        await press(chair, "Space")
        await tab_to(chair, "Nội dung biểu quyết")
        await chair.keyboard.type(procedural)
        await tab_to(chair, "Thêm vào mục đang họp")
        await press(chair, "Enter")
        await expect(chair.get_by_role("button", name=f"Mở biểu quyết: {procedural}")).to_be_visible()
        await expect(chair.get_by_label("Nội dung biểu quyết")).to_have_value("")
