"""Signing in through the real page, the language switch, and names that look like HTML staying text."""

from __future__ import annotations

import re

from playwright.async_api import Dialog, Page, expect

from tests.browser.accessibility import assert_contrast
from tests.browser.support import BROWSER_TEST, LiveServer, SignIn, fill_sign_in_form, screenshot_path
from tests.factories import PASSWORD, World, make_member

pytestmark = BROWSER_TEST


async def test_a_delegate_signs_in_and_lands_on_their_tablet(page: Page, world: World) -> None:
    await page.goto("/login/")
    await expect(page).to_have_title("Đăng nhập")
    await page.get_by_label("Tên đăng nhập").fill("daibieu")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await expect(page).to_have_url(re.compile(r"/tablet/$"))
    await expect(page.get_by_test_id("user-name")).to_have_text("Trần Thị Bình")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Máy tính bảng đại biểu")
    await expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "online")


async def test_a_wrong_password_shows_the_vietnamese_message_and_stays(page: Page, world: World) -> None:
    await page.goto("/login/")
    await fill_sign_in_form(page, "daibieu", "not the password")
    await expect(page.get_by_test_id("login-error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")
    await expect(page).to_have_url(re.compile(r"/login/$"))
    await expect(page.get_by_label("Mật khẩu")).to_be_focused()
    await expect(page.get_by_label("Mật khẩu")).to_have_value("")


async def test_an_app_page_sends_a_visitor_to_sign_in_and_back(page: Page, world: World) -> None:
    await page.goto("/staff/?council=1")
    await expect(page).to_have_url(re.compile(r"/login/\?next=%2Fstaff%2F%3Fcouncil%3D1$"))
    await fill_sign_in_form(page, "thuky")
    await expect(page).to_have_url(re.compile(r"/staff/\?council=1$"))
    await expect(page.get_by_test_id("user-name")).to_have_text("thuky")


async def test_the_return_address_cannot_leave_the_site(page: Page, world: World) -> None:
    await page.goto("/login/?next=//example.org/steal")
    await fill_sign_in_form(page, "daibieu")
    await expect(page).to_have_url(re.compile(r"^http://127\.0\.0\.1:\d+/tablet/$"))


async def test_signing_out_ends_the_session(page: Page, world: World) -> None:
    await page.goto("/login/")
    await fill_sign_in_form(page, "daibieu")
    # The tablet asks first: a paired tablet signed out needs the office to pair it again.
    await page.get_by_test_id("sign-out").click()
    confirm = page.get_by_role("alertdialog", name="Đăng xuất khỏi máy tính bảng?")
    await expect(confirm).to_contain_text("nhờ Văn phòng ghép máy")
    await expect(confirm.get_by_role("button", name="Hủy")).to_be_focused()
    await page.screenshot(path=screenshot_path("tablet-sign-out-confirm"))
    await assert_contrast(page, "sign-out confirmation", "[data-testid=confirm]")
    await page.keyboard.press("Escape")
    await expect(confirm).to_be_hidden()
    await expect(page).to_have_url(re.compile(r"/tablet/"))
    await page.get_by_test_id("sign-out").click()
    await page.keyboard.press("Tab")
    await expect(confirm.get_by_role("button", name="Đăng xuất")).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(re.compile(r"/login/$"))
    await page.goto("/tablet/")
    await expect(page).to_have_url(re.compile(r"/login/\?next="))


async def test_a_member_name_that_looks_like_html_stays_text_in_the_office(
    page: Page, live_server: LiveServer, world: World, sign_in: SignIn
) -> None:
    async with live_server.sessionmaker() as db:
        await make_member(db, world.council, "DB99", "<img src=x onerror=alert(1)>")
        await db.commit()
    dialogs: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    page.on("dialog", dismiss)
    await sign_in(world.secretary)
    await page.goto("/staff/")
    table = page.get_by_test_id("member-table")
    await expect(table.get_by_role("rowheader", name="<img src=x onerror=alert(1)>")).to_be_visible()
    await expect(table.locator("img")).to_have_count(0)
    await page.wait_for_load_state("networkidle")
    assert dialogs == []


async def test_the_language_switch_shows_english_and_is_remembered(page: Page, world: World) -> None:
    await page.goto("/login/")
    await page.get_by_role("button", name="English").click()
    await expect(page.get_by_label("Username")).to_be_visible()
    await expect(page.get_by_label("Password")).to_be_visible()
    await expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    await expect(page.locator("html")).to_have_attribute("lang", "en")
    await fill_sign_in_form(page, "daibieu", "not the password")
    await expect(page.get_by_test_id("login-error")).to_have_text("Wrong username or password.")
    await page.reload()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    await page.get_by_role("button", name="Tiếng Việt").click()
    await expect(page.get_by_label("Tên đăng nhập")).to_be_visible()
