"""Taking access away in the apps: the office signs a delegate's lost tablet out and locks the account, each after a
confirmation that says what will happen; a delegate changes their own password, which signs their other tablets out."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Page, expect

from session_server.auth import tokens
from tests.browser.support import BROWSER_TEST, TABLET, LiveServer, SignIn, screenshot_path
from tests.factories import PASSWORD, World

pytestmark = BROWSER_TEST


async def _tablet(live_server: LiveServer, world: World, label: str) -> str:
    async with live_server.services.sessionmaker() as db:
        token = await tokens.issue(db, world.delegate.user, tokens.DEVICE, timedelta(days=180), label)
        await db.commit()
    return token


async def _signs_in(live_server: LiveServer, token: str) -> bool:
    async with live_server.services.sessionmaker() as db:
        return await tokens.user_for(db, token) is not None


async def test_the_office_signs_a_lost_tablet_out_and_locks_the_account(
    page: Page, world: World, sign_in: SignIn, live_server: LiveServer
) -> None:
    lost = await _tablet(live_server, world, "Máy tính bảng số 7")
    kept = await _tablet(live_server, world, "Máy tính bảng ở nhà")
    await sign_in(world.secretary)
    await page.goto("/staff/")

    await (
        page.get_by_test_id("member-table").get_by_role("button", name="Tài khoản đăng nhập của Trần Thị Bình").click()
    )
    dialog = page.get_by_role("dialog", name="Tài khoản: Trần Thị Bình")
    await expect(dialog.get_by_test_id("account-status")).to_have_text("Đang hoạt động")
    devices = dialog.get_by_test_id("account-device")
    await expect(devices.filter(has_text="Máy tính bảng số 7")).to_have_count(1)
    await expect(devices.filter(has_text="Máy tính bảng ở nhà")).to_have_count(1)
    await page.screenshot(path=screenshot_path("staff-account-devices"))

    await dialog.get_by_role("button", name="Đăng xuất thiết bị Máy tính bảng số 7").click()
    confirm = page.get_by_role("alertdialog", name="Đăng xuất Máy tính bảng số 7?")
    await expect(confirm).to_contain_text("bị đăng xuất ngay")
    await page.screenshot(path=screenshot_path("staff-account-revoke-confirm"))
    await confirm.get_by_role("button", name="Đăng xuất thiết bị").click()

    await expect(devices.filter(has_text="Máy tính bảng số 7")).to_have_count(0)
    await expect(devices.filter(has_text="Máy tính bảng ở nhà")).to_have_count(1)
    assert not await _signs_in(live_server, lost)
    assert await _signs_in(live_server, kept)

    await dialog.get_by_test_id("account-lock").click()
    confirm = page.get_by_role("alertdialog", name="Khóa tài khoản của Trần Thị Bình?")
    await confirm.get_by_role("button", name="Hủy").click()
    assert await _signs_in(live_server, kept), "cancelled: nothing changes"
    await dialog.get_by_test_id("account-lock").click()
    await (
        page.get_by_role("alertdialog", name="Khóa tài khoản của Trần Thị Bình?")
        .get_by_role("button", name="Khóa tài khoản")
        .click()
    )

    await expect(dialog.get_by_test_id("account-status")).to_have_text("Đã khóa: không đăng nhập được")
    await expect(dialog.get_by_test_id("account-lock")).to_have_text("Mở khóa tài khoản")
    await expect(devices).to_have_count(0)
    await page.screenshot(path=screenshot_path("staff-account-locked"))
    assert not await _signs_in(live_server, kept)
    await dialog.get_by_role("button", name="Đóng").click()
    await expect(page.get_by_test_id("member-table").get_by_test_id("account-open")).to_have_text("Tài khoản (đã khóa)")


async def test_a_delegate_changes_their_password_and_their_other_tablets_are_signed_out(
    page: Page, world: World, sign_in: SignIn, live_server: LiveServer
) -> None:
    other = await _tablet(live_server, world, "Máy tính bảng cũ")
    await page.set_viewport_size(TABLET)
    await sign_in(world.delegate)
    await page.goto("/tablet/")
    await page.screenshot(path=screenshot_path("tablet-header-change-password"))

    await page.get_by_test_id("change-password").click()
    dialog = page.get_by_role("dialog", name="Đổi mật khẩu")
    await dialog.get_by_label("Mật khẩu hiện tại").fill("khong-phai-mat-khau")
    await dialog.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill("mat-khau-moi-2026")
    await dialog.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026")
    await dialog.get_by_role("button", name="Đổi mật khẩu").click()
    await expect(dialog.get_by_role("alert")).to_have_text("Mật khẩu hiện tại không đúng.")
    assert await _signs_in(live_server, other)

    await dialog.get_by_label("Mật khẩu hiện tại").fill(PASSWORD)
    await dialog.get_by_label("Mật khẩu mới (ít nhất 8 ký tự)").fill("mat-khau-moi-2026")
    await dialog.get_by_label("Nhập lại mật khẩu mới").fill("mat-khau-moi-2026")
    await dialog.get_by_role("button", name="Đổi mật khẩu").click()

    await expect(dialog.get_by_test_id("password-done")).to_have_text("Đã đổi mật khẩu.")
    await page.screenshot(path=screenshot_path("tablet-password-changed"))
    assert not await _signs_in(live_server, other)
    await dialog.get_by_role("button", name="Đóng").click()
    await page.reload()
    await expect(page.get_by_test_id("user-name")).to_have_text("Trần Thị Bình")
