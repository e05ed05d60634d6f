"""An election and a confidence poll from start to finish in real browsers: the secretary sets both up in the office
console (candidates and seats; officials with their titles, kept as a ballot template), the chair opens and closes
the votes, and three delegates vote on their tablets: up to two candidates on one ballot, one level per official on
the other. N = 4 delegates in office: a candidate needs 3 votes (votes × 2 > N); 3 "tín nhiệm thấp" of 4 reach two
thirds, so the nominator must propose relieving the official (low × 3 ≥ N × 2)."""

from __future__ import annotations

import re

from playwright.async_api import Browser, Locator, Page, expect

from tests.browser.accessibility import assert_contrast, assert_named_controls
from tests.browser.flow import TABLET_PORTRAIT, make_hall, people, shoot
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, LiveServer

pytestmark = BROWSER_TEST

CANDIDATES = ("Hoàng Ngọc Mai", "Lý Văn Thắng", "Trần Quốc Huy")
OFFICIALS = (
    ("Nguyễn Văn Hải", "Chủ tịch HĐND xã"),
    ("Lê Thị Thu", "Phó Chủ tịch HĐND xã"),
    ("Phạm Minh Đức", "Chủ tịch UBND xã"),
)
ELECTION = "Bầu Phó Chủ tịch HĐND xã nhiệm kỳ 2026-2031"
POLL = "Lấy phiếu tín nhiệm giữa nhiệm kỳ"


async def fill_people(form: Locator, people_: tuple[tuple[str, str], ...], add: str) -> None:
    for number, (name, title) in enumerate(people_, start=1):
        if number > 1:
            await form.get_by_role("button", name=add).click()
        await form.get_by_label(f"Họ và tên (người {number})").fill(name)
        if title:
            await form.get_by_label(f"Chức vụ (người {number})").fill(title)


async def open_motion_form(staff: Page) -> Locator:
    await staff.get_by_test_id("setup").get_by_text("Thêm nội dung biểu quyết").click()
    return staff.get_by_test_id("add-motion")


async def set_up(staff: Page) -> int:
    """The session, its item, the election and the poll, made through the office console; the session's id."""
    await expect(staff.get_by_test_id("member-table").locator("tbody tr")).to_have_count(4)
    await staff.get_by_test_id("new-session").click()
    create = staff.get_by_test_id("new-session-form")
    await create.get_by_label("Tên kỳ họp").fill("Kỳ họp thứ mười ba (bầu cử, tín nhiệm)")
    await create.get_by_role("button", name="Tạo kỳ họp").click()
    setup = staff.get_by_test_id("setup")
    await setup.get_by_text("Thêm mục vào chương trình").click()
    item = staff.get_by_test_id("add-item")
    await item.get_by_label("Tên mục").fill("Bầu cử và lấy phiếu tín nhiệm")
    await item.get_by_label("Loại").select_option("vote")
    await item.get_by_role("button", name="Thêm mục").click()
    await expect(setup.get_by_test_id("setup-agenda").locator(".agenda-item")).to_have_count(1)

    election = await open_motion_form(staff)
    await election.get_by_label("Nội dung biểu quyết").fill(ELECTION)
    await election.get_by_label("Loại biểu quyết").select_option("election")
    await expect(election.get_by_label("Hình thức")).to_be_disabled()
    await expect(election.get_by_label("Hình thức")).to_have_value("secret")
    await expect(election.get_by_role("group", name="Danh sách người ứng cử")).to_be_visible()
    await fill_people(election, tuple((name, "") for name in CANDIDATES), "Thêm người ứng cử")
    await election.get_by_label("Số người được bầu").fill("2")
    await election.get_by_label("Thời gian biểu quyết").fill("300")
    await shoot(staff, "staff-election-form", {"tablet": TABLET, "phone": PHONE})
    await assert_contrast(staff, "office election form", "[data-testid=add-motion]")
    await assert_named_controls(election, "office election form")
    await election.get_by_role("button", name="Thêm", exact=True).click()
    motions = setup.get_by_test_id("setup-motion")
    await expect(motions).to_have_count(1)
    await expect(motions.first).to_contain_text("Bầu cử (2 người)")
    await expect(motions.first).to_contain_text("300 giây")

    poll = await open_motion_form(staff)
    await poll.get_by_label("Nội dung biểu quyết").fill(POLL)
    await poll.get_by_label("Loại biểu quyết").select_option("confidence_poll")
    await expect(poll.get_by_role("group", name="Danh sách người được lấy phiếu tín nhiệm")).to_be_visible()
    await expect(poll.get_by_label("Số người được bầu")).to_be_hidden()
    await fill_people(poll, OFFICIALS, "Thêm người")
    await poll.get_by_label("Tên mẫu phiếu mới").fill("Lấy phiếu tín nhiệm hằng năm")
    await poll.get_by_role("button", name="Lưu làm mẫu phiếu").click()
    await expect(poll).to_contain_text('Đã lưu mẫu phiếu "Lấy phiếu tín nhiệm hằng năm".')
    await shoot(staff, "staff-poll-form", {"tablet": TABLET})
    await poll.get_by_role("button", name="Thêm", exact=True).click()
    await expect(motions).to_have_count(2)
    await expect(motions.nth(1)).to_contain_text("Phạm Minh Đức — Chủ tịch UBND xã")

    # The template fills a new form with the same officials.
    again = await open_motion_form(staff)
    await again.get_by_label("Dùng mẫu phiếu").select_option(label="Lấy phiếu tín nhiệm hằng năm")
    await expect(again.get_by_label("Loại biểu quyết")).to_have_value("confidence_poll")
    await expect(again.get_by_label("Chức vụ (người 2)")).to_have_value("Phó Chủ tịch HĐND xã")
    await shoot(staff, "staff-motion-from-template", {"tablet": TABLET})
    await again.get_by_role("button", name="Xóa mẫu phiếu này").click()
    await (
        staff.get_by_role("alertdialog", name="Xóa mẫu phiếu?").get_by_role("button", name="Xóa mẫu phiếu này").click()
    )
    await open_motion_form(staff)
    await expect(staff.get_by_test_id("add-motion").get_by_label("Dùng mẫu phiếu")).to_have_count(0)

    roles = staff.get_by_test_id("session-roles")
    await roles.get_by_label("Chủ tọa").select_option(label="Bùi Minh Bình")
    await roles.get_by_role("button", name="Lưu").click()
    await staff.get_by_test_id("schedule").click()
    await expect(setup.get_by_text("Đã lên lịch", exact=True)).to_be_visible()
    match = re.search(r"session=(\d+)", staff.url)
    assert match, staff.url
    return int(match.group(1))


async def close_vote_by_keyboard(chair: Page) -> None:
    await chair.get_by_test_id("vote-close").focus()
    await chair.keyboard.press("Enter")
    dialog = chair.get_by_role("alertdialog", name="Kết thúc biểu quyết?")
    await expect(dialog.get_by_test_id("confirm-count")).to_have_text("Còn 0/3 đại biểu có mặt chưa biểu quyết.")
    await chair.keyboard.press("Tab")
    await chair.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()


async def pick(tablet: Page, keys: list[str], shown: str) -> None:
    vote = tablet.get_by_test_id("vote")
    for key in keys:
        await vote.get_by_test_id(f"vote-candidate-{key}").click()
    await vote.get_by_test_id("vote-next").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text(shown)
    await vote.get_by_test_id("vote-submit").click()
    await expect(vote.get_by_test_id("vote-recorded")).to_be_visible()


async def mark_rows(tablet: Page, levels: list[str]) -> None:
    vote = tablet.get_by_test_id("vote")
    for number, level in enumerate(levels, start=1):
        await vote.get_by_test_id(f"vote-row-{number}").get_by_text(level, exact=True).click()
    await expect(vote.get_by_test_id("vote-left")).to_have_text("Đã chọn mức cho mọi người.")
    await vote.get_by_test_id("vote-next").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_contain_text(OFFICIALS[0][0])
    await vote.get_by_test_id("vote-submit").click()
    await expect(vote.get_by_test_id("vote-recorded")).to_be_visible()


async def test_staff_set_up_an_election_and_a_confidence_poll_and_three_tablets_vote_on_them(
    browser: Browser, live_server: LiveServer
) -> None:
    hall = await make_hall(live_server)
    async with people(browser, live_server, "elections") as crowd:
        staff = await crowd.page(hall.secretary, f"/staff/?council={hall.council.id}")
        session_id = await set_up(staff)

        tablets = [
            await crowd.page(account, f"/tablet/?session={session_id}", TABLET_PORTRAIT) for account in hall.delegates
        ]
        for tablet in tablets:
            await tablet.get_by_test_id("checkin").click()
            await expect(tablet.get_by_test_id("checked-in")).to_contain_text("Đã điểm danh lúc")
        chair = await crowd.page(hall.chair, f"/chair/?session={session_id}")
        await chair.get_by_role("button", name="Khai mạc").click()
        await expect(chair.get_by_test_id("quorum").first).to_contain_text("Có mặt 3/4")

        await chair.get_by_role("button", name=f"Mở biểu quyết: {ELECTION}").click()
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/3 đại biểu có mặt")
        first = tablets[0].get_by_test_id("vote")
        await expect(first.get_by_text("Chọn tối đa 2 người rồi bấm Tiếp tục.")).to_be_visible()
        await expect(first.get_by_test_id("vote-clock")).to_have_text(re.compile(r"^0[45]:\d\d$"))
        await first.get_by_test_id("vote-candidate-1").click()
        await first.get_by_test_id("vote-candidate-3").click()
        await expect(first.get_by_test_id("vote-candidate-2")).to_have_attribute("aria-disabled", "true")
        await expect(first.get_by_test_id("vote-picked")).to_have_text("Đã chọn 2/2 người")
        await shoot(tablets[0], "tablet-election-ballot", {"tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})
        await assert_contrast(tablets[0], "tablet election ballot", "[data-testid=vote]")
        await first.get_by_test_id("vote-candidate-3").click()
        await pick(tablets[0], ["2"], "Hoàng Ngọc Mai, Lý Văn Thắng")
        await pick(tablets[1], ["1", "2"], "Hoàng Ngọc Mai, Lý Văn Thắng")
        await pick(tablets[2], ["1", "3"], "Hoàng Ngọc Mai, Trần Quốc Huy")
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 3/3 đại biểu có mặt")
        await close_vote_by_keyboard(chair)

        verdict = chair.get_by_test_id("verdict")
        await expect(verdict).to_have_text("Hoàng Ngọc Mai trúng cử")
        await expect(chair.get_by_test_id("result-text")).to_have_text(
            "Hoàng Ngọc Mai: 3 phiếu (75,00%); Lý Văn Thắng: 2 phiếu (50,00%); Trần Quốc Huy: 1 phiếu (25,00%)"
        )
        await expect(chair.get_by_test_id("result-not-voted")).to_have_text(
            "Có mặt nhưng không tham gia biểu quyết: 0/3 đại biểu"
        )
        await expect(tablets[1].get_by_test_id("results").get_by_test_id("verdict")).to_have_text(
            "Hoàng Ngọc Mai trúng cử"
        )

        await chair.get_by_role("button", name=f"Mở biểu quyết: {POLL}").click()
        ballot = tablets[0].get_by_test_id("vote")
        await expect(ballot.get_by_test_id("vote-row-2")).to_contain_text("Lê Thị ThuPhó Chủ tịch HĐND xã")
        await expect(ballot.get_by_test_id("vote-next")).to_be_disabled()
        await ballot.get_by_test_id("vote-row-1").get_by_text("Tín nhiệm thấp", exact=True).click()
        await expect(ballot.get_by_test_id("vote-left")).to_have_text("Còn 2 người chưa chọn mức.")
        await shoot(tablets[0], "tablet-confidence-ballot", {"tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})
        await assert_contrast(tablets[0], "tablet confidence ballot", "[data-testid=vote]")
        await assert_named_controls(ballot, "tablet confidence ballot")
        await mark_rows(tablets[0], ["Tín nhiệm thấp", "Tín nhiệm", "Tín nhiệm cao"])
        await mark_rows(tablets[1], ["Tín nhiệm thấp", "Tín nhiệm thấp", "Tín nhiệm cao"])
        await mark_rows(tablets[2], ["Tín nhiệm thấp", "Tín nhiệm cao", "Tín nhiệm"])
        await close_vote_by_keyboard(chair)

        officials = chair.get_by_test_id("officials-result").locator("li")
        await expect(officials).to_have_count(3)
        await expect(officials.nth(0)).to_contain_text("Nguyễn Văn Hải — Chủ tịch HĐND xã")
        await expect(officials.nth(0)).to_contain_text("tín nhiệm thấp 3 (75,00%)")
        await expect(officials.nth(0)).to_contain_text("Cơ quan đã giới thiệu phải trình miễn nhiệm")
        await expect(officials.nth(1)).to_contain_text("Không thuộc trường hợp xin từ chức hay trình miễn nhiệm")
        await expect(tablets[2].get_by_test_id("officials-result").locator("li")).to_have_count(3)
        await shoot(chair, "chair-poll-result", {"tablet": TABLET})
        await shoot(tablets[0], "tablet-poll-result", {"tablet-portrait": TABLET_PORTRAIT})
        await assert_contrast(chair, "chair console with a poll result")
