"""Each app opens for its people, shows who is signed in and its live connection, and fits a tablet and a phone.

Screenshots of every app at both sizes land in test-artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext, Page, expect

from session_server.db.models import CouncilSession, SessionStatus
from tests.browser.support import (
    BROWSER_TEST,
    PHONE,
    TABLET,
    DemoCouncil,
    LiveServer,
    SignIn,
    make_demo_council,
    screenshot_path,
)

pytestmark = BROWSER_TEST


@pytest_asyncio.fixture(loop_scope="session")
async def demo(live_server: LiveServer) -> DemoCouncil:
    return await make_demo_council(live_server.sessionmaker)


async def check_sizes(page: Page, name: str) -> None:
    """No sideways scrolling on either screen; a screenshot of each."""
    for size_name, size in (("tablet", TABLET), ("phone", PHONE)):
        await page.set_viewport_size(size)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size_name} size"
        await page.screenshot(path=screenshot_path(f"{name}-{size_name}"), full_page=True)


async def test_the_sign_in_page(page: Page) -> None:
    await page.goto("/login/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    await check_sizes(page, "login")


@pytest.mark.parametrize("app", ["tablet", "chair"])
async def test_a_delegate_sees_the_session_agenda(page: Page, demo: DemoCouncil, app: str, sign_in: SignIn) -> None:
    account = demo.chair if app == "chair" else demo.delegate
    await sign_in(account)
    await page.goto(f"/{app}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Bàn điều hành chủ tọa" if app == "chair" else "Máy tính bảng đại biểu"
    )
    await expect(page.get_by_test_id("user-name")).to_have_text(account.user.display_name)
    await expect(page.get_by_text("HĐND xã Kiến Minh")).to_be_visible()
    await expect(page.get_by_test_id("live-title")).to_have_text(demo.session.title)
    await expect(page.get_by_test_id("session-status")).to_have_text("Đã lên lịch")
    await expect(page.get_by_test_id("live-agenda").locator(".agenda-item")).to_have_count(7)
    await expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "online")
    await expect(page.get_by_test_id("connection")).to_be_hidden()
    await expect(page).to_have_url(re.compile(rf"/{app}/\?session={demo.session.id}$"))
    await check_sizes(page, app)


async def test_the_office_sees_members_and_sessions(page: Page, demo: DemoCouncil, sign_in: SignIn) -> None:
    await sign_in(demo.secretary)
    await page.goto("/staff/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Văn phòng HĐND")
    await expect(page.get_by_test_id("user-name")).to_have_text("Văn phòng HĐND xã")
    await expect(page.get_by_role("heading", name="Hội đồng nhân dân xã Kiến Minh")).to_be_visible()
    table = page.get_by_test_id("member-table")
    await expect(table.locator("tbody tr")).to_have_count(35)
    await expect(table.get_by_role("row", name=re.compile("DB01 Bùi Minh Bình Chủ tịch HĐND"))).to_be_visible()
    await expect(page.get_by_text("35 đại biểu trong danh sách")).to_be_visible()
    await expect(page.get_by_test_id("session-list").get_by_role("button")).to_have_count(1)
    await expect(page.get_by_test_id("setup").locator(".agenda-item")).to_have_count(7)
    await expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "online")
    await check_sizes(page, "staff")


async def test_a_delegate_is_pointed_from_the_office_to_their_tablet(
    page: Page, demo: DemoCouncil, sign_in: SignIn
) -> None:
    await sign_in(demo.delegate)
    await page.goto("/staff/")
    notice = page.get_by_test_id("wrong-app")
    await expect(notice).to_contain_text("Trang này dành cho Văn phòng HĐND và quản trị.")
    await notice.get_by_role("link", name="Mở Máy tính bảng đại biểu").click()
    await expect(page).to_have_url(re.compile(r"/tablet/"))


async def test_the_public_page_needs_no_account(page: Page, live_server: LiveServer) -> None:
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/public/$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Trang công khai")
    await expect(page.get_by_role("link", name="Đăng nhập")).to_be_visible()
    await expect(page.get_by_role("heading", name="Các hội đồng nhân dân")).to_be_visible()
    await check_sizes(page, "public")


async def test_the_apps_switch_to_english(page: Page, demo: DemoCouncil, sign_in: SignIn) -> None:
    await sign_in(demo.secretary)
    await page.goto("/staff/")
    await expect(page.get_by_test_id("member-table")).to_be_visible()
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Council office")
    await expect(page.get_by_role("columnheader", name="Full name")).to_be_visible()
    await expect(page.get_by_text("35 delegates listed")).to_be_visible()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    await expect(page.get_by_test_id("setup-agenda").locator(".chip-named")).to_have_text("Named vote")
    await expect(page).to_have_title("Council office")


async def test_the_banner_shows_while_the_network_is_down(
    context: BrowserContext, page: Page, demo: DemoCouncil, sign_in: SignIn
) -> None:
    await sign_in(demo.delegate)
    await page.goto("/tablet/")
    banner = page.get_by_test_id("connection")
    await expect(banner).to_have_attribute("data-state", "online")
    await expect(banner).to_be_hidden()
    await context.set_offline(True)
    await expect(banner).to_have_text("Mất kết nối tới máy chủ. Đang tự kết nối lại…")
    await expect(banner).to_be_visible()
    await context.set_offline(False)
    await expect(banner).to_have_attribute("data-state", "online", timeout=10_000)
    await expect(banner).to_be_hidden()


async def test_the_tablet_follows_a_live_session(
    page: Page, demo: DemoCouncil, live_server: LiveServer, sign_in: SignIn
) -> None:
    async with live_server.sessionmaker() as db:
        session = await db.get(CouncilSession, demo.session.id)
        assert session is not None
        session.status = SessionStatus.LIVE
        await db.commit()
    await sign_in(demo.delegate)
    await page.goto("/tablet/")
    await expect(page.get_by_test_id("live-title")).to_have_text(demo.session.title)
    await expect(page.get_by_test_id("session-status")).to_have_text("Đang họp")


async def test_the_public_page_follows_a_published_session(page: Page, demo: DemoCouncil) -> None:
    await page.goto(f"/public/?session={demo.session.id}")
    await expect(page.get_by_test_id("live-title")).to_have_text(demo.session.title)
    await expect(page.get_by_test_id("stream-note")).to_have_text("Kỳ họp chưa phát trực tiếp.")
    await page.goto("/public/?session=999")
    await expect(page.get_by_text("Không tìm thấy kỳ họp hoặc hội đồng theo đường dẫn này.")).to_contain_text(
        "Mời chọn hội đồng dưới đây."
    )
    await expect(page.get_by_test_id("council-list")).to_contain_text(demo.council.name)
