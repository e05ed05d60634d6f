"""Pairing a delegate's tablet: the office shows a one-time QR code, the tablet opens it and is signed in."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator

import pytest_asyncio
from playwright.async_api import Browser, BrowserContext, Page, expect

from tests.browser.support import BROWSER_TEST, TABLET, WAIT_MS, LiveServer, SignIn, screenshot_path
from tests.factories import World

pytestmark = BROWSER_TEST
DEVICE_DAYS = 180


@pytest_asyncio.fixture(loop_scope="session")
async def tablet(browser: Browser, live_server: LiveServer) -> AsyncIterator[BrowserContext]:
    """A second device, with no cookie of its own; uncaught page errors fail the test."""
    context = await browser.new_context(
        base_url=live_server.url(), viewport=TABLET, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(str(error.error)))
    yield context
    await context.close()
    assert not errors, f"uncaught errors on the tablet: {errors}"


async def _show_pairing(page: Page, world: World, sign_in: SignIn) -> str:
    """Open the pairing dialog for the council's delegate from the office console; return the code it shows."""
    await sign_in(world.secretary)
    await page.goto("/staff/")
    table = page.get_by_test_id("member-table")
    await table.get_by_role("button", name="Ghép máy tính bảng cho Trần Thị Bình").click()
    dialog = page.get_by_role("dialog", name="Ghép máy tính bảng: Trần Thị Bình")
    await expect(dialog).to_be_visible()
    qr = dialog.get_by_role("img", name="Mã QR để ghép máy tính bảng")
    await expect(qr).to_be_visible()
    assert await qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR's SVG did not render"
    await expect(dialog.get_by_test_id("pairing-expiry")).to_have_text(re.compile(r"^Hết hạn lúc \d\d:\d\d$"))
    code = dialog.get_by_test_id("pairing-code")
    await expect(code).to_have_text(re.compile(r"^[2-9A-HJKMNP-Z]{10}$"))
    return await code.inner_text()


async def test_the_office_shows_a_qr_that_signs_the_tablet_in(
    page: Page, world: World, sign_in: SignIn, tablet: BrowserContext, live_server: LiveServer
) -> None:
    code = await _show_pairing(page, world, sign_in)
    await page.screenshot(path=screenshot_path("staff-pairing-tablet"))

    device = await tablet.new_page()
    await device.goto(f"/login/?pair={code}")

    await expect(device).to_have_url(re.compile(r"/tablet/$"))
    await expect(device.get_by_test_id("user-name")).to_have_text("Trần Thị Bình")
    await expect(device.get_by_role("heading", level=1)).to_have_text("Máy tính bảng đại biểu")
    cookie = next(c for c in await tablet.cookies() if c["name"] == live_server.services.settings.session_cookie_name)
    assert cookie["httpOnly"]
    assert cookie["expires"] > time.time() + (DEVICE_DAYS - 1) * 86400, "a paired tablet stays signed in for months"


async def test_a_typed_code_pairs_and_a_used_one_is_refused(
    page: Page, world: World, sign_in: SignIn, tablet: BrowserContext
) -> None:
    code = await _show_pairing(page, world, sign_in)
    device = await tablet.new_page()
    await device.goto("/login/")

    await device.get_by_label("Mã ghép máy").fill(code.lower())
    await device.get_by_role("button", name="Ghép máy").click()
    await expect(device.get_by_test_id("user-name")).to_have_text("Trần Thị Bình")

    # Closed first: a tablet page that loses its cookie goes to the sign-in page itself, racing the next goto.
    await device.close()
    await tablet.clear_cookies()
    device = await tablet.new_page()
    await device.goto(f"/login/?pair={code}")
    await expect(device.get_by_test_id("pair-error")).to_have_text(
        "Mã ghép máy không đúng, đã hết hạn hoặc đã được dùng. Hãy xin Văn phòng HĐND mã mới."
    )
    await expect(device.get_by_label("Mã ghép máy")).to_be_focused()
    await expect(device).to_have_url(re.compile(r"/login/\?pair="))
