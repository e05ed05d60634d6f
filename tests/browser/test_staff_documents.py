"""The office's documents and stream: the upload form asks for the file before the state-secret confirmation; each
document is described without repeating its title, previewed, replaced by a new version, and withdrawn only before
the session opens (after a second step); a new stream key, which cuts the encoder using the old one, is not the
obvious button and asks first."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Browser, expect

from tests.browser.accessibility import assert_contrast, assert_named_controls
from tests.browser.flow import make_hall, open_session, people, shoot, write_pdf
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, LiveServer, screenshot_path
from tests.pdfs import numbered_pages, pdf_bytes

pytestmark = BROWSER_TEST


async def test_staff_upload_describe_preview_replace_and_withdraw_documents(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    second = tmp_path / "ban-sua.pdf"
    second.write_bytes(pdf_bytes(numbered_pages(3, "Dự thảo nghị quyết (bản sửa)")))
    async with people(browser, live_server, "staff-documents") as crowd:
        staff = await crowd.page(hall.secretary, f"/staff/?council={hall.council.id}&session={session_id}")
        await staff.get_by_text("Tải lên tài liệu (PDF)").click()
        upload = staff.get_by_test_id("upload")

        await upload.get_by_role("button", name="Tải lên").click()
        await expect(upload.get_by_role("alert")).to_have_text("Hãy chọn tệp PDF.")
        await upload.get_by_label("Tệp PDF").set_input_files(str(write_pdf(tmp_path)))
        await upload.get_by_role("button", name="Tải lên").click()
        await expect(upload.get_by_role("alert")).to_have_text("Hãy xác nhận tài liệu không phải tài liệu mật.")
        await upload.get_by_label("Tên tài liệu").fill("Dự thảo nghị quyết đầu tư công")
        await upload.get_by_label("Loại tài liệu").select_option("draft_resolution")
        await upload.get_by_label("Tôi xác nhận đây không phải tài liệu mật").check()
        await upload.get_by_role("button", name="Tải lên").click()

        row = staff.get_by_test_id("setup-document")
        await expect(row).to_have_count(1, timeout=20000)
        await expect(row.locator("span.doc-choice-title")).to_have_text("Dự thảo nghị quyết đầu tư công (5 trang)")
        description = row.get_by_test_id("doc-description")
        await expect(description).to_have_text(
            re.compile(
                r"^Dự thảo nghị quyết · Tài liệu chung · du-thao-nghi-quyet-ngan-sach\.pdf · phiên bản 1 · \d+ KB$"
            )
        )
        await assert_named_controls(row, "document row")

        await row.get_by_test_id("doc-preview").click()
        preview = staff.get_by_test_id("preview")
        await expect(preview.get_by_test_id("doc-counter")).to_have_text("Trang 1/5")
        await expect(preview.get_by_test_id("doc-page")).to_have_js_property("complete", True, timeout=20000)
        await staff.screenshot(path=screenshot_path("staff-document-preview"))
        await expect(preview.get_by_role("button", name="Đóng")).to_be_in_viewport()
        await assert_contrast(staff, "document preview", "[data-testid=preview]")
        await preview.get_by_role("button", name="Đóng").click()
        await expect(preview).to_have_count(0)

        await row.get_by_text("Thay bằng phiên bản mới").click()
        replace = row.get_by_test_id("replace")
        await replace.get_by_label("Tệp PDF").set_input_files(str(second))
        await replace.get_by_label("Tôi xác nhận đây không phải tài liệu mật").check()
        await replace.get_by_role("button", name="Tải lên phiên bản mới").click()
        await expect(staff.get_by_test_id("doc-description")).to_contain_text(
            "ban-sua.pdf · phiên bản 2", timeout=20000
        )
        await expect(staff.get_by_test_id("setup-document").locator("span.doc-choice-title")).to_have_text(
            "Dự thảo nghị quyết đầu tư công (3 trang)"
        )
        await shoot(staff, "staff-documents", {"tablet": TABLET, "phone": PHONE})
        await assert_contrast(staff, "office documents", "section:has(#documents-heading)")

        await staff.get_by_role("button", name="Gỡ tài liệu: Dự thảo nghị quyết đầu tư công").click()
        confirm = staff.get_by_role("alertdialog", name="Gỡ tài liệu?")
        await expect(confirm).to_contain_text("tệp vẫn được lưu trong hồ sơ")
        await staff.keyboard.press("Escape")
        await expect(staff.get_by_test_id("setup-document")).to_have_count(1)
        await staff.get_by_role("button", name="Gỡ tài liệu: Dự thảo nghị quyết đầu tư công").click()
        await confirm.get_by_role("button", name="Gỡ tài liệu").click()
        await expect(staff.get_by_test_id("setup-document")).to_have_count(0)


async def test_once_the_session_opens_documents_are_replaced_not_withdrawn(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    async with people(browser, live_server, "staff-documents-live") as crowd:
        staff = await crowd.page(hall.secretary, f"/staff/?council={hall.council.id}&session={session_id}")
        await staff.get_by_text("Tải lên tài liệu (PDF)").click()
        upload = staff.get_by_test_id("upload")
        await upload.get_by_label("Tệp PDF").set_input_files(str(write_pdf(tmp_path)))
        await upload.get_by_label("Tôi xác nhận đây không phải tài liệu mật").check()
        await upload.get_by_role("button", name="Tải lên").click()
        await expect(staff.get_by_test_id("doc-delete")).to_be_visible(timeout=20000)
        await live_server.services.dispatcher.run(hall.chair.user, session_id, "session.open", {})
        await staff.reload()
        row = staff.get_by_test_id("setup-document")
        await expect(row.get_by_test_id("doc-preview")).to_be_visible()
        await expect(row.get_by_test_id("doc-delete")).to_have_count(0)
        await expect(row.get_by_text("Thay bằng phiên bản mới")).to_be_visible()


async def test_a_new_stream_key_is_a_quiet_button_that_asks_before_cutting_the_encoder(
    browser: Browser, live_server: LiveServer
) -> None:
    hall = await make_hall(live_server)
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    async with people(browser, live_server, "staff-stream-key") as crowd:
        staff = await crowd.page(hall.secretary, f"/staff/?council={hall.council.id}&session={session_id}")
        stream = staff.get_by_test_id("stream-panel")
        arm = stream.get_by_test_id("arm-stream")
        await expect(arm).to_have_class("button button-primary")
        await arm.click()
        key = await stream.get_by_test_id("stream-key").input_value()
        await staff.reload()
        rearm = staff.get_by_test_id("stream-panel").get_by_test_id("arm-stream")
        await expect(rearm).to_have_text("Tạo khóa mới (khóa cũ hết hiệu lực)")
        await expect(rearm).not_to_have_class("button button-primary")
        hint = key[-4:]
        await expect(staff.get_by_test_id("stream-panel")).to_contain_text(f"Khóa hiện tại: …{hint}")

        await rearm.focus()
        await staff.keyboard.press("Enter")
        confirm = staff.get_by_role("alertdialog", name="Tạo khóa phát mới?")
        await expect(confirm).to_contain_text(f"Khóa đang dùng (…{hint}) hết hiệu lực ngay")
        await shoot(staff, "staff-stream-key-confirm", {"tablet": TABLET})
        await assert_contrast(staff, "new stream key confirmation", "[data-testid=confirm]")
        await staff.keyboard.press("Enter")
        await expect(confirm).to_be_hidden()
        await expect(staff.get_by_test_id("stream-panel")).to_contain_text(f"Khóa hiện tại: …{hint}")

        await rearm.click()
        await confirm.get_by_role("button", name="Tạo khóa mới").click()
        fresh = staff.get_by_test_id("stream-panel").get_by_test_id("stream-key")
        await expect(fresh).to_be_visible()
        assert await fresh.input_value() != key
