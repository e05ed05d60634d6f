"""Every app, in Vietnamese as it opens, at tablet and phone size with a live session on screen, keeps its text at
WCAG 2.1 AA contrast: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). States with their own colors are
checked too: the vote buttons and the confirmation, a delegate with the floor, the offline banner, errors.
"""

from __future__ import annotations

import pytest
from playwright.async_api import BrowserContext, Page, expect

from tests.browser.accessibility import assert_contrast, contrast_report
from tests.browser.flow import Staged, chair_runs
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, LiveServer, SignIn

pytestmark = BROWSER_TEST

SIZES = (("tablet", TABLET), ("phone", PHONE))


async def check_sizes(page: Page, where: str, root: str | None = None) -> None:
    """The page as it opens, in Vietnamese, at both sizes."""
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    for size_name, size in SIZES:
        await page.set_viewport_size(size)
        await assert_contrast(page, f"{where} at {size_name} size", root)


async def test_the_contrast_check_finds_faint_text_and_measures_through_opacity(page: Page) -> None:
    await page.set_content(
        """
        <body style="background: #ffffff; color: #000000">
          <p id="black">Chữ đen</p>
          <p id="grey" style="color: #777777">Chữ xám nhạt</p>
          <h2 id="large" style="font-size: 24px; color: #888888">Chữ lớn</h2>
          <div style="background: #0b4a86; opacity: 0.5"><span id="faded" style="color: #ffffff">Mờ</span></div>
          <div style="background: linear-gradient(#000, #fff)"><span id="gradient">Trên nền chuyển màu</span></div>
          <span style="position: absolute; width: 1px; height: 1px; overflow: hidden">Cho trình đọc màn hình</span>
        </body>
        """
    )
    report = await contrast_report(page)
    found = {item["selector"]: item for item in report["checked"]}
    assert found["p#black"]["ratio"] == 21 and found["p#black"]["passes"]
    assert found["p#grey"]["ratio"] == 4.48 and found["p#grey"]["required"] == 4.5 and not found["p#grey"]["passes"]
    assert found["h2#large"]["required"] == 3 and found["h2#large"]["passes"]
    faded = next(item for selector, item in found.items() if selector.endswith("span#faded"))
    assert faded["color"] == "#ffffff" and faded["background"] == "#85a5c3" and not faded["passes"]
    assert [item["text"] for item in report["skipped"]] == ["Trên nền chuyển màu"]
    assert "Cho trình đọc màn hình" not in str(report)
    with pytest.raises(AssertionError, match=r"p#grey 'Chữ xám nhạt': #777777 on #ffffff = 4.48:1, needs 4.5:1"):
        await assert_contrast(page, "sample")


async def test_the_sign_in_page_keeps_its_contrast(page: Page) -> None:
    await page.goto("/login/")
    await check_sizes(page, "sign-in page")
    await page.locator("#login-form [type=submit]").click()
    await page.get_by_test_id("login-error").wait_for()
    await check_sizes(page, "sign-in page with an error")


async def test_the_tablet_keeps_its_contrast_through_a_vote_and_an_outage(
    context: BrowserContext, page: Page, staged: Staged, live_server: LiveServer, sign_in: SignIn
) -> None:
    await sign_in(staged.demo.delegate)
    await page.goto(f"/tablet/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("my-floor")).to_have_text("Mời bạn phát biểu.")
    await expect(page.get_by_test_id("doc-page")).to_have_js_property("complete", True)
    await expect(page.get_by_test_id("results")).to_contain_text("Không được thông qua")
    await check_sizes(page, "tablet")
    await check_sizes(page, "tablet action bar", "[data-testid=action-bar]")

    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    vote = page.get_by_test_id("vote")
    await expect(vote.get_by_test_id("vote-abstain")).to_be_visible()
    await check_sizes(page, "tablet vote buttons", "[data-testid=vote]")
    await vote.get_by_test_id("vote-no").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text("Không tán thành")
    await check_sizes(page, "tablet vote confirmation", "[data-testid=vote]")
    await vote.get_by_test_id("vote-submit").click()
    await expect(vote.get_by_test_id("vote-recorded")).to_be_visible()
    await check_sizes(page, "tablet vote recorded", "[data-testid=vote]")

    await chair_runs(live_server, staged, "vote.close", staged.pending_motion, confirm=True)
    await chair_runs(live_server, staged, "vote.open", staged.election)
    await vote.get_by_role("button", name="Lý Văn Thắng").click()
    await expect(vote.get_by_role("button", name="Lý Văn Thắng")).to_have_attribute("aria-pressed", "true")
    await check_sizes(page, "tablet election ballot", "[data-testid=vote]")
    await vote.get_by_role("button", name="Tiếp tục").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text("Lý Văn Thắng")
    await check_sizes(page, "tablet election confirmation", "[data-testid=vote]")

    await context.set_offline(True)
    await expect(page.get_by_test_id("connection")).to_be_visible()
    await check_sizes(page, "tablet offline banner", "[data-testid=connection]")
    await context.set_offline(False)


async def test_the_chair_console_keeps_its_contrast(
    page: Page, staged: Staged, live_server: LiveServer, sign_in: SignIn
) -> None:
    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    await sign_in(staged.demo.chair)
    await page.goto(f"/chair/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/26 đại biểu có mặt")
    await expect(page.get_by_test_id("queue").locator("li")).to_have_count(2)
    for summary in await page.locator("details > summary").all():
        await summary.click()
    await check_sizes(page, "chair console during a vote")
    await page.get_by_role("tab", name="Điểm danh (26/35)").click()
    await check_sizes(page, "chair console attendance")
    await page.set_viewport_size(TABLET)
    await page.get_by_test_id("vote-close").click()
    await check_sizes(page, "chair console closing a vote", "[data-testid=confirm]")
    await page.get_by_role("alertdialog").get_by_role("button", name="Kết thúc biểu quyết").click()
    await expect(page.get_by_test_id("result-text")).to_be_visible()
    await check_sizes(page, "chair console with a result")
    await page.set_viewport_size(TABLET)
    await page.get_by_test_id("session.close").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Bế mạc kỳ họp").click()
    await expect(page.get_by_test_id("locked")).to_be_visible()
    await check_sizes(page, "chair console locked after closing")


async def test_the_public_page_keeps_its_contrast(page: Page, staged: Staged, live_server: LiveServer) -> None:
    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    await page.goto(f"/public/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("public-vote")).to_contain_text("Đang biểu quyết")
    await expect(page.get_by_test_id("speaker-name")).to_have_text("Dương Hữu Cường")
    await expect(page.get_by_test_id("doc-counter")).to_have_text("Trang 2/5")
    await check_sizes(page, "public page")


async def test_the_office_console_keeps_its_contrast(page: Page, staged: Staged, sign_in: SignIn) -> None:
    await sign_in(staged.demo.secretary)
    await page.goto(f"/staff/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(35)
    await expect(page.get_by_test_id("setup").locator(".agenda-item")).to_have_count(7)
    await check_sizes(page, "office console")
