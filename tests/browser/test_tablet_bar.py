"""A delegate on a portrait tablet, reading far down a document: the action bar stays at the foot of the screen to
ask for the floor, see one's place, learn it is one's turn and vote; a full-width notice and a chime say when the
floor is given or a vote opens; the ballot can wait while they read; results keep "present but not voted" apart from
"Không biểu quyết"; the session's documents are searched without diacritics; browsing alone, they see the chair's
page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, SessionStatus, SpeakerRequest
from tests.browser.accessibility import assert_contrast, assert_named_controls
from tests.browser.flow import TABLET_PORTRAIT, Hall, make_hall, people, shoot, store_pdf
from tests.browser.support import BROWSER_TEST, PHONE, LiveServer
from tests.factories import make_motion
from tests.pdfs import pdf_bytes

pytestmark = BROWSER_TEST

PAGES = [
    "Báo cáo tình hình kinh tế - xã hội năm 2026",
    "Thu ngân sách nhà nước trên địa bàn xã đạt 112% dự toán",
    "Đầu tư công: hoàn thành đường liên thôn và trường mầm non",
    "Chuyển đổi số: 100% hồ sơ một cửa được tiếp nhận trực tuyến",
]
MOTION = "Thông qua Nghị quyết về dự toán ngân sách năm 2027"


async def live_session(live_server: LiveServer, hall: Hall, folder: Path) -> tuple[int, int, int]:
    """A live public session on the budget item with its report and one motion; the session, motion and document."""
    async with live_server.sessionmaker() as db:
        session = CouncilSession(
            council_id=hall.council.id,
            title="Kỳ họp thứ mười hai",
            status=SessionStatus.SCHEDULED,
            public=True,
            chair_member_id=hall.members[0].id,
            agenda=[AgendaItem(position=1, title="Dự toán ngân sách năm 2027", kind=AgendaKind.DRAFT_RESOLUTION)],
        )
        db.add(session)
        await db.commit()
        session_id, item_id = session.id, session.agenda[0].id
    motion_id = await make_motion(live_server.sessionmaker, item_id, title=MOTION)
    path = folder / "bao-cao.pdf"
    path.write_bytes(pdf_bytes(PAGES))
    document_id = await store_pdf(live_server, path, session_id, item_id, hall.secretary)
    return session_id, motion_id, document_id


async def in_view(page: Page, test_id: str) -> bool:
    return await page.get_by_test_id(test_id).evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0 }"
    )


async def test_the_action_bar_notices_and_a_ballot_set_aside_keep_the_delegate_in_step(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    session_id, motion_id, document_id = await live_session(live_server, hall, tmp_path)
    run = live_server.services.dispatcher.run
    chair_user = hall.chair.user
    async with people(browser, live_server, "tablet-bar") as crowd:
        tablet = await crowd.page(hall.delegates[0], f"/tablet/?session={session_id}", TABLET_PORTRAIT)
        others = [await crowd.page(account, f"/tablet/?session={session_id}") for account in hall.delegates[1:]]
        for page in (tablet, *others):
            await page.get_by_test_id("checkin").click()
        await run(chair_user, session_id, "session.open", {})
        await run(chair_user, session_id, "doc.show", {"document_id": document_id, "page": 3})
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 3/4")

        # Far down the page, the bar is still at the foot of the screen.
        await tablet.get_by_test_id("doc-search").scroll_into_view_if_needed()
        await tablet.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        bar = tablet.get_by_test_id("action-bar")
        assert await in_view(tablet, "action-bar")
        await assert_named_controls(bar, "action bar")
        await bar.get_by_test_id("speech-kind").select_option("question")
        await bar.get_by_test_id("request-floor").click()
        await expect(bar.get_by_test_id("my-position")).to_have_text("Bạn đứng thứ 1/1 trong danh sách")
        assert await in_view(tablet, "action-bar")
        await shoot(tablet, "tablet-bar-queued", {"tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})

        request_id = next(
            rid for rid, member in await _requests(live_server, session_id) if member == hall.members[1].id
        )
        await run(chair_user, session_id, "speakers.grant", {"request_id": request_id})
        notice = tablet.get_by_test_id("notice")
        await expect(notice).to_contain_text("Mời bạn phát biểu.")
        await expect(notice).to_have_attribute("data-chimes", "1")
        await expect(notice.get_by_test_id("notice-clock")).to_have_text(re.compile(r"^0[23]:\d\d$"))
        assert await in_view(tablet, "notice")
        await expect(bar.get_by_test_id("my-floor")).to_have_text("Mời bạn phát biểu.")
        await shoot(tablet, "tablet-floor-notice", {"tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})
        await assert_contrast(tablet, "floor notice", "[data-testid=notice]")
        await assert_contrast(tablet, "action bar while speaking", "[data-testid=action-bar]")
        await notice.get_by_test_id("notice-dismiss").click()
        await expect(notice).to_be_hidden()
        await run(chair_user, session_id, "speakers.end", {})
        await expect(bar.get_by_test_id("request-floor")).to_be_visible()

        await run(chair_user, session_id, "vote.open", {"motion_id": motion_id})
        await expect(notice).to_contain_text(f"Đã mở biểu quyết: {MOTION}")
        await expect(notice).to_have_attribute("data-chimes", "2")
        vote = tablet.get_by_test_id("vote")
        await expect(vote.get_by_test_id("vote-yes")).to_be_visible()
        await vote.get_by_test_id("vote-aside").click()
        await expect(vote).to_be_hidden()
        await expect(tablet.get_by_test_id("doc-page")).to_be_visible()
        await shoot(tablet, "tablet-vote-aside", {"tablet-portrait": TABLET_PORTRAIT})
        await assert_contrast(tablet, "vote notice", "[data-testid=notice]")
        await bar.get_by_test_id("vote-now").click()
        await expect(vote.get_by_test_id("vote-yes")).to_be_focused()
        await vote.get_by_test_id("vote-abstain").click()
        await vote.get_by_test_id("vote-submit").click()
        await expect(bar.get_by_test_id("bar-voted")).to_have_text("Đã biểu quyết ✓")
        await expect(notice.get_by_role("button", name="Biểu quyết ngay")).to_have_count(0)
        await others[0].get_by_test_id("vote").get_by_test_id("vote-yes").click()
        await others[0].get_by_test_id("vote").get_by_test_id("vote-submit").click()
        await expect(others[0].get_by_test_id("vote").get_by_test_id("vote-recorded")).to_be_visible()
        await run(chair_user, session_id, "vote.close", {"motion_id": motion_id, "confirm": True})

        # One delegate present did not vote: apart from the one who chose "Không biểu quyết".
        results = tablet.get_by_test_id("results")
        await expect(results.get_by_test_id("result-text")).to_have_text(
            "Có 2/4 đại biểu tham gia biểu quyết (50,00%); tán thành 1 (25,00%); "
            "không tán thành 0 (0,00%); không biểu quyết 1 (25,00%)"
        )
        await expect(results.get_by_test_id("result-not-voted")).to_have_text(
            "Có mặt nhưng không tham gia biểu quyết: 1/3 đại biểu"
        )
        await expect(notice).to_be_hidden()


async def _requests(live_server: LiveServer, session_id: int) -> list[tuple[int, int]]:
    """Each request for the floor in the session: its id and the member's."""
    async with live_server.sessionmaker() as db:
        rows = await db.execute(
            select(SpeakerRequest.id, SpeakerRequest.member_id).where(SpeakerRequest.session_id == session_id)
        )
        return [(request_id, member_id) for request_id, member_id in rows]


async def test_searching_without_diacritics_opens_the_page_and_the_chairs_page_stays_in_sight(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    session_id, _motion_id, document_id = await live_session(live_server, hall, tmp_path)
    run = live_server.services.dispatcher.run
    await run(hall.chair.user, session_id, "session.open", {})
    await run(hall.chair.user, session_id, "doc.show", {"document_id": document_id, "page": 1})
    async with people(browser, live_server, "tablet-search") as crowd:
        tablet = await crowd.page(hall.delegates[0], f"/tablet/?session={session_id}", TABLET_PORTRAIT)
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 1/4")
        chair_page = tablet.get_by_test_id("chair-page")
        await expect(chair_page).to_be_hidden()

        await tablet.get_by_label("Tìm trong tài liệu kỳ họp").fill("chuyen doi so")
        await tablet.get_by_role("button", name="Tìm", exact=True).click()
        hits = tablet.get_by_test_id("search-hit")
        await expect(hits).to_have_count(1)
        await expect(hits.first).to_contain_text("Dự thảo nghị quyết ngân sách — trang 4")
        # The words found are marked; the last one also as the start of a word ("so": "số", "sơ"), as typed so far.
        await expect(hits.first.locator("mark")).to_have_text(["Chuyển", "đổi", "số", "sơ"])
        await shoot(tablet, "tablet-search", {"tablet-portrait": TABLET_PORTRAIT})
        await assert_contrast(tablet, "document search", "[data-testid=search-results]")
        await hits.first.click()

        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 4/4")
        await expect(tablet.get_by_test_id("follow")).to_have_attribute("aria-pressed", "false")
        await expect(chair_page).to_have_text("Chủ tọa đang trình chiếu: Dự thảo nghị quyết ngân sách, trang 1")
        await run(hall.chair.user, session_id, "doc.page", {"page": 2})
        await expect(chair_page).to_have_text("Chủ tọa đang trình chiếu: Dự thảo nghị quyết ngân sách, trang 2")
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 4/4")
        await shoot(tablet, "tablet-browsing-alone", {"tablet-portrait": TABLET_PORTRAIT})
        await assert_contrast(tablet, "the chair's page while browsing", "[data-testid=chair-page]")
        await tablet.get_by_test_id("follow").click()
        await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 2/4")
        await expect(chair_page).to_be_hidden()
