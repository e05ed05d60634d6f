"""The four apps together in a real browser: several people in their own browser contexts at once.

Staff set up a session with a document and a motion; the chair opens it; three delegates check in (the quorum
turns from short to met); the chair shows page 3 and the tablets show page 3; a delegate asks for the floor, the
chair grants it and the timer runs on the public page; the chair opens the vote, the delegates vote and the public
page shows the result text. Screenshots of every app at tablet and phone sizes land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Dialog, Page, WebSocket, expect

from tests.browser.flow import TABLET_PORTRAIT, make_hall, open_session, people, shoot, write_hls, write_pdf
from tests.browser.support import ALLOWED_PUBLIC, BROWSER_TEST, PHONE, TABLET, LiveServer

pytestmark = BROWSER_TEST


async def set_up_session(staff: Page, pdf: Path) -> int:
    await expect(staff.get_by_test_id("member-table").locator("tbody tr")).to_have_count(4)
    await staff.get_by_test_id("new-session").click()
    create = staff.get_by_test_id("new-session-form")
    await create.get_by_label("Tên kỳ họp").fill("Kỳ họp thứ mười hai (chuyên đề ngân sách)")
    await create.get_by_label("Địa điểm").fill("Hội trường UBND xã")
    await create.get_by_role("button", name="Tạo kỳ họp").click()
    setup = staff.get_by_test_id("setup")
    await expect(
        setup.get_by_role("heading", name="Chuẩn bị: Kỳ họp thứ mười hai (chuyên đề ngân sách)")
    ).to_be_visible()
    await setup.get_by_text("Thêm mục vào chương trình").click()
    item = staff.get_by_test_id("add-item")
    await item.get_by_label("Tên mục").fill("Dự thảo nghị quyết về dự toán ngân sách năm 2027")
    await item.get_by_label("Loại").select_option("draft_resolution")
    await item.get_by_role("button", name="Thêm mục").click()
    await expect(setup.get_by_test_id("setup-agenda").locator(".agenda-item")).to_have_count(1)
    await setup.get_by_text("Thêm nội dung biểu quyết").click()
    motion = staff.get_by_test_id("add-motion")
    await motion.get_by_label("Nội dung biểu quyết").fill("Thông qua Nghị quyết về dự toán ngân sách năm 2027")
    await motion.get_by_role("button", name="Thêm", exact=True).click()
    await expect(setup.get_by_text("Thông qua Nghị quyết về dự toán ngân sách năm 2027")).to_be_visible()
    await staff.get_by_text("Tải lên tài liệu (PDF)").click()
    upload = staff.get_by_test_id("upload")
    await upload.get_by_label("Tệp PDF").set_input_files(str(pdf))
    await upload.get_by_label("Tên tài liệu").fill("Dự thảo nghị quyết ngân sách")
    await upload.get_by_label("Mức độ").select_option("public")
    await upload.get_by_label("Thuộc mục").select_option(label="1. Dự thảo nghị quyết về dự toán ngân sách năm 2027")
    await upload.get_by_label("Tôi xác nhận đây không phải tài liệu mật").check()
    await upload.get_by_role("button", name="Tải lên").click()
    await expect(staff.get_by_test_id("setup-documents")).to_contain_text(
        "Dự thảo nghị quyết ngân sách (5 trang)", timeout=20000
    )
    roles = staff.get_by_test_id("session-roles")
    await roles.get_by_label("Chủ tọa").select_option(label="Bùi Minh Bình")
    await roles.get_by_role("button", name="Lưu").click()
    await expect(staff.get_by_test_id("schedule")).to_be_enabled()
    await staff.get_by_test_id("schedule").click()
    await expect(setup.get_by_text("Đã lên lịch", exact=True)).to_be_visible()
    match = re.search(r"session=(\d+)", staff.url)
    assert match, staff.url
    return int(match.group(1))


async def test_a_session_from_setup_to_the_announced_result(
    browser: Browser, live_server: LiveServer, tmp_path: Path
) -> None:
    hall = await make_hall(live_server)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with people(browser, live_server, "session-flow") as crowd:
        staff = await crowd.page(hall.secretary, f"/staff/?council={hall.council.id}")
        session_id = await set_up_session(staff, write_pdf(tmp_path))

        chair = await crowd.page(hall.chair, f"/chair/?session={session_id}")
        await chair.get_by_role("button", name="Khai mạc").click()
        await expect(chair.get_by_test_id("session-status")).to_have_text("Đang họp")
        await chair.get_by_role(
            "button", name="Chuyển đến mục: Dự thảo nghị quyết về dự toán ngân sách năm 2027"
        ).click()
        await expect(chair.get_by_test_id("current-item")).to_contain_text("Dự thảo nghị quyết về dự toán ngân sách")

        frames: list[str] = []
        requests: list[str] = []

        def watch_socket(socket: WebSocket) -> None:
            socket.on("framereceived", lambda payload: frames.append(str(payload)))

        public = await crowd.page(None, "/public/", PHONE)
        public.on("websocket", watch_socket)
        public.on("request", lambda request: requests.append(request.url))
        await public.goto(f"/public/?session={session_id}")
        await expect(public.get_by_test_id("live-title")).to_have_text("Kỳ họp thứ mười hai (chuyên đề ngân sách)")

        tablets = [await crowd.page(account, f"/tablet/?session={session_id}") for account in hall.delegates]
        quorum = chair.get_by_test_id("quorum").first
        await expect(quorum).to_contain_text("Có mặt 0/4")
        for number, tablet in enumerate(tablets, start=1):
            await tablet.get_by_test_id("checkin").click()
            await expect(tablet.get_by_test_id("checked-in")).to_contain_text("Đã điểm danh lúc")
            await expect(quorum).to_contain_text(f"Có mặt {number}/4")
            if number == 2:
                await expect(quorum).to_contain_text("Chưa đủ túc số (cần 3)")
        await expect(quorum).to_contain_text("Đủ túc số")
        await expect(tablets[0].get_by_test_id("quorum")).to_contain_text("Có mặt 3/4")

        await chair.get_by_role("button", name="Trình chiếu: Dự thảo nghị quyết ngân sách").click()
        await expect(chair.get_by_test_id("doc-counter").first).to_have_text("Trang 1/5")
        await chair.get_by_role("button", name="Trang 3", exact=True).click()
        await expect(chair.get_by_test_id("doc-counter").first).to_have_text("Trang 3/5")
        for tablet in tablets:
            await expect(tablet.get_by_test_id("doc-counter")).to_have_text("Trang 3/5")
            await expect(tablet.get_by_test_id("doc-page")).to_have_attribute("src", re.compile(r"/pages/3\?w="))
        await expect(public.get_by_test_id("doc-counter")).to_have_text("Trang 3/5")
        await expect(tablets[0].get_by_test_id("doc-page")).to_have_js_property("complete", True)
        # A delegate who turns the page stops following; "Theo chủ tọa" brings the chair's page back.
        await tablets[1].get_by_role("button", name="Trang sau").click()
        await expect(tablets[1].get_by_test_id("doc-counter")).to_have_text("Trang 4/5")
        await expect(tablets[1].get_by_test_id("follow")).to_have_attribute("aria-pressed", "false")
        await tablets[1].get_by_test_id("follow").click()
        await expect(tablets[1].get_by_test_id("doc-counter")).to_have_text("Trang 3/5")

        speaker = tablets[0]
        await speaker.get_by_test_id("speech-kind").select_option("question")
        await speaker.get_by_test_id("request-floor").click()
        await expect(speaker.get_by_test_id("my-position")).to_have_text("Bạn đứng thứ 1/1 trong danh sách")
        await tablets[1].get_by_test_id("request-floor").click()
        await expect(tablets[1].get_by_test_id("my-position")).to_have_text("Bạn đứng thứ 2/2 trong danh sách")
        await shoot(tablets[0], "tablet-live", {"tablet": TABLET, "tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})
        await chair.get_by_role("button", name="Mời Trần Thị Hoa phát biểu").click()
        await expect(speaker.get_by_test_id("my-floor")).to_have_text("Mời bạn phát biểu.")
        await expect(tablets[1].get_by_test_id("my-position")).to_have_text("Bạn đứng thứ 1/1 trong danh sách")
        await expect(public.get_by_test_id("speaker-name")).to_have_text("Trần Thị Hoa")
        clock = public.get_by_test_id("clock")
        await expect(clock).to_have_text(re.compile(r"^0[23]:\d\d$"))
        first = await clock.text_content()
        await expect(clock).not_to_have_text(first or "", timeout=3000)
        await expect(chair.get_by_test_id("speaker-now").get_by_test_id("clock")).to_have_text(
            re.compile(r"^0[23]:\d\d$")
        )
        await shoot(chair, "chair-live", {"tablet": TABLET, "tablet-portrait": TABLET_PORTRAIT, "phone": PHONE})
        await chair.get_by_test_id("end-speech").click()
        await expect(public.get_by_test_id("speaker-none")).to_be_visible()

        await chair.get_by_role(
            "button", name="Mở biểu quyết: Thông qua Nghị quyết về dự toán ngân sách năm 2027"
        ).click()
        await expect(chair.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/3 đại biểu có mặt")
        await expect(public.get_by_test_id("public-vote")).to_contain_text("Đang biểu quyết")
        for number, (tablet, choice, label) in enumerate(
            zip(tablets, ("yes", "yes", "abstain"), ("Tán thành", "Tán thành", "Không biểu quyết"), strict=True),
            start=1,
        ):
            vote = tablet.get_by_test_id("vote")
            await expect(vote.get_by_role("heading")).to_have_text("Thông qua Nghị quyết về dự toán ngân sách năm 2027")
            await expect(vote.get_by_test_id("vote-yes")).to_have_text("Tán thành")
            await expect(vote.get_by_test_id("vote-no")).to_have_text("Không tán thành")
            await expect(vote.get_by_test_id("vote-abstain")).to_have_text("Không biểu quyết")
            await vote.get_by_test_id(f"vote-{choice}").click()
            await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text(label)
            if number == 1:
                await shoot(tablet, "tablet-vote-confirm", {"tablet": TABLET, "phone": PHONE})
            await vote.get_by_test_id("vote-submit").click()
            await expect(vote.get_by_test_id("vote-recorded")).to_contain_text(
                "Phiếu biểu quyết của bạn đã được ghi nhận."
            )
            await expect(vote.get_by_test_id("vote-mine")).to_have_text(f"Lựa chọn của bạn: {label}")
            await expect(chair.get_by_test_id("cast-count")).to_have_text(f"Đã biểu quyết: {number}/3 đại biểu có mặt")
        await shoot(tablets[0], "tablet-vote-recorded", {"tablet": TABLET, "phone": PHONE})
        await chair.get_by_test_id("vote-close").click()
        await chair.get_by_role("alertdialog").get_by_role("button", name="Kết thúc biểu quyết").click()
        expected = (
            "Có 3/4 đại biểu tham gia biểu quyết (75,00%); tán thành 2 (50,00%); "
            "không tán thành 0 (0,00%); không biểu quyết 1 (25,00%)"
        )
        await expect(public.get_by_test_id("result-text")).to_have_text(expected)
        await expect(chair.get_by_test_id("result-text")).to_have_text(expected)
        await expect(tablets[2].get_by_test_id("result-text")).to_have_text(expected)
        await expect(tablets[2].get_by_test_id("vote")).to_be_hidden()
        await shoot(public, "public-live", {"phone": PHONE, "tablet": TABLET})
        await shoot(chair, "chair-result", {"tablet": TABLET})

        # Nothing private reached the public page: only public addresses, no attendance, queue or ballots.
        paths = [re.sub(r"^https?://[^/]+", "", url) for url in requests]
        assert paths and all(ALLOWED_PUBLIC.match(path) for path in paths), paths
        received = "\n".join(frames)
        assert "vote.progress" not in received and '"attendance"' not in received and '"queue"' not in received
        assert '"members"' not in received and "cast_count" not in received
        assert frames, "the public page received no Socket.IO frames"

        await shoot(staff, "staff-setup", {"tablet": TABLET, "phone": PHONE})
    assert loop.time() - started < 60


async def test_a_tablet_that_goes_offline_says_so_and_catches_up_by_itself(
    browser: Browser, live_server: LiveServer
) -> None:
    hall = await make_hall(live_server)
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    async with people(browser, live_server, "offline") as crowd:
        chair = await crowd.page(hall.chair, f"/chair/?session={session_id}")
        await chair.get_by_role("button", name="Khai mạc").click()
        tablet = await crowd.page(hall.delegates[0], f"/tablet/?session={session_id}")
        await expect(tablet.get_by_test_id("session-status")).to_have_text("Đang họp")
        await tablet.context.set_offline(True)
        banner = tablet.get_by_test_id("connection")
        await expect(banner).to_have_text("Mất kết nối tới máy chủ. Đang tự kết nối lại…")
        await shoot(tablet, "tablet-offline", {"tablet": TABLET})
        await chair.get_by_role("button", name="Tạm dừng").click()
        await expect(chair.get_by_test_id("session-status")).to_have_text("Tạm dừng")
        await expect(tablet.get_by_test_id("session-status")).to_have_text("Đang họp")
        await tablet.context.set_offline(False)
        await expect(banner).to_be_hidden(timeout=8000)
        await expect(tablet.get_by_test_id("session-status")).to_have_text("Tạm dừng")


async def test_a_member_named_like_html_stays_text_on_every_screen(browser: Browser, live_server: LiveServer) -> None:
    hall = await make_hall(
        live_server, ("Bùi Minh Bình", "<img src=x onerror=alert(1)>", "Lê Văn Nam", "Phạm Thu Trang")
    )
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    dialogs: list[str] = []

    async def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        await dialog.dismiss()

    async with people(browser, live_server, "html-name") as crowd:
        chair = await crowd.page(hall.chair, f"/chair/?session={session_id}")
        await chair.get_by_role("button", name="Khai mạc").click()
        tablet = await crowd.page(hall.delegates[0], f"/tablet/?session={session_id}")
        public = await crowd.page(None, f"/public/?session={session_id}", PHONE)
        for page in (chair, tablet, public):
            page.on("dialog", dismiss)
        await tablet.get_by_test_id("request-floor").click()
        await chair.get_by_role("button", name="Mời <img src=x onerror=alert(1)> phát biểu").click()
        for page in (chair, public):
            await expect(page.get_by_test_id("speaker-name")).to_have_text("<img src=x onerror=alert(1)>")
            await expect(page.locator("main img[src='x']")).to_have_count(0)
        await expect(tablet.get_by_test_id("my-floor")).to_be_visible()
        await public.wait_for_timeout(300)
    assert dialogs == []


async def test_the_public_page_plays_the_live_stream(browser: Browser, live_server: LiveServer) -> None:
    hall = await make_hall(live_server)
    session_id = await open_session(live_server, hall.council.id, hall.members[0].id)
    services = live_server.services
    await asyncio.to_thread(write_hls, services.settings.data_dir / "hls" / str(session_id))
    await services.dispatcher.run_system(
        session_id, "stream.status", {"status": "live", "hls": True, "width": 640, "height": 360}
    )
    async with people(browser, live_server, "hls") as crowd:
        public = await crowd.page(None, f"/public/?session={session_id}", PHONE)
        video = public.get_by_test_id("video")
        await expect(video).to_be_visible()
        await public.wait_for_function("() => document.querySelector('video').currentTime > 1", timeout=15000)
        await shoot(public, "public-stream", {"phone": PHONE, "tablet": TABLET})
        size: Any = await video.evaluate("v => [v.videoWidth, v.videoHeight]")
        assert size == [640, 360]
