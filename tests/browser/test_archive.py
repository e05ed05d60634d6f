"""After a session recorded from a real (ffmpeg) camera: the office reviews the chaptered video and the draft minutes,
approves them; the session's secretary signs with a key on the server's token (SoftHSM2) and the chair through their
CA's tool (a key the test holds); the office can reopen them; the public archive plays the chapters and shows only
what is public, with each result's verdict and each signature's status."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Locator, Page, Response, expect
from sqlalchemy import select

from session_server.app import create_app
from session_server.db.models import ArchiveStatus, CouncilSession, Motion
from tests.browser.flow import people, shoot
from tests.browser.support import ALLOWED_PUBLIC, BROWSER_TEST, PHONE, TABLET, LiveServer, screenshot_path
from tests.factories import LiveWorld, make_live_world
from tests.functional.archive.conftest import (
    DOCUMENTS,
    Api,
    Sitting,
    archived_recording,
    hold_session,
    live_clients,
    pdf_text,
    recording_settings,
    require_camera_tools,
    sign_both,
)
from tests.signing import PIN, SigningWorld, tool_cms

pytestmark = BROWSER_TEST

CAMERA_SECONDS = 60
"""Longer than the session lasts: the camera is stopped once the archive is made."""
TEXT_TYPES = ("application/json", "text/", "application/javascript")


@dataclass
class Recorded:
    server: LiveServer
    live: LiveWorld
    sitting: Sitting
    api: Api
    chapters: list[dict[str, Any]]
    signing: SigningWorld


@pytest_asyncio.fixture(loop_scope="session")
async def recorded(
    tmp_path: Path, sqlite_database: str, viewer_libraries: None, signing_world: SigningWorld
) -> AsyncIterator[Recorded]:
    """A public session held with the hall camera publishing, closed and archived: video, chapters, draft minutes."""
    require_camera_tools()
    settings = recording_settings(tmp_path, sqlite_database, signing_world)
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    live_server = LiveServer(server)
    live = await make_live_world(live_server.sessionmaker)
    async with aiohttp.ClientSession() as http, live_clients(live_server.url("/")) as connect:
        api = Api(server, http)
        sitting = await hold_session(
            server, live, connect, api, camera_seconds=CAMERA_SECONDS, speech_seconds=1.5, documents=True
        )
        job = await archived_recording(server, sitting)
        assert job.status is ArchiveStatus.DONE, job.error
        archive = await api.json("GET", f"/api/sessions/{live.session_id}/archive", 200, live.secretary.headers)
        yield Recorded(live_server, live, sitting, api, archive["chapters"], signing_world)
    await server.close()


def chapter_titled(recorded: Recorded, title: str) -> tuple[int, float]:
    """The chapter's place in the list and its start (s); one that starts well into the video and lasts."""
    index, chapter = next((i, c) for i, c in enumerate(recorded.chapters) if c["title"] == title)
    assert chapter["start"] > 1.5 and chapter["end"] - chapter["start"] > 1, chapter
    return index, chapter["start"]


async def seek_by_chapter(page: Page, root: Locator, recorded: Recorded, title: str) -> float:
    """Choose the chapter; the video is then within a second of its start. Returns that start."""
    buttons = root.get_by_test_id("chapters").get_by_role("button")
    await expect(buttons).to_have_count(len(recorded.chapters))
    for button, chapter in zip(await buttons.all(), recorded.chapters, strict=True):
        await expect(button).to_contain_text(chapter["title"])
    index, start = chapter_titled(recorded, title)
    await buttons.nth(index).click()
    video = await root.get_by_test_id("archive-video").element_handle()
    await page.wait_for_function("([v, start]) => Math.abs(v.currentTime - start) < 1", arg=[video, start])
    return start


async def test_the_office_reviews_and_approves_the_secretary_and_the_chair_sign_and_the_office_reopens(
    browser: Browser, recorded: Recorded
) -> None:
    live, sid = recorded.live, recorded.live.session_id
    questioner = recorded.sitting.speakers[1]
    secretary, chair = live.members[1].full_name, live.members[0].full_name
    async with people(browser, recorded.server, "archive-review") as crowd:
        staff = await crowd.page(live.secretary, f"/staff/?council={live.council.id}&session={sid}")
        review = staff.get_by_test_id("archive-review")
        await seek_by_chapter(staff, review, recorded, f"{questioner} — chất vấn")

        editor = review.get_by_test_id("minutes-editor")
        summary = f"{questioner} chất vấn về tiến độ xây trường học."
        note = "Báo cáo được thông qua, không có ý kiến khác."
        await editor.get_by_label("Số biên bản (theo sổ đăng ký văn bản)").fill("7")
        await editor.get_by_label(re.compile(rf"^{questioner} — Chất vấn")).fill(summary)
        await editor.get_by_role("group", name="2. Báo cáo kinh tế - xã hội").get_by_label("Ghi chú của mục").fill(note)
        await editor.get_by_role("button", name="Lưu bản nháp").click()
        await expect(review.get_by_text("Đã lưu bản nháp.")).to_be_visible()
        await staff.reload()
        await expect(editor.get_by_label(re.compile(rf"^{questioner} — Chất vấn"))).to_have_value(summary)
        item = editor.get_by_role("group", name="2. Báo cáo kinh tế - xã hội")
        await expect(item.get_by_label("Ghi chú của mục")).to_have_value(note)
        draft = pdf_text(await (await staff.request.get(f"/api/sessions/{sid}/minutes/pdf")).body())
        assert "DỰ THẢO" in draft and "Số: 07/BB-HĐND" in draft and summary in draft
        word = await staff.request.get(f"/api/sessions/{sid}/minutes/docx")
        assert word.ok and word.headers["content-type"].startswith("application/vnd.openxmlformats")
        await shoot(staff, "staff-archive-draft", {"tablet": TABLET, "phone": PHONE})

        await review.get_by_role("button", name="Duyệt biên bản").click()
        approval = staff.get_by_role("alertdialog", name="Duyệt biên bản?")
        await expect(approval).to_contain_text("Thư ký và Chủ tọa ký")
        await staff.screenshot(path=screenshot_path("staff-approve-confirm"))
        await approval.get_by_role("button", name="Duyệt biên bản").click()
        await expect(review.get_by_test_id("minutes-status")).to_have_text("Biên bản: Đã duyệt")
        await expect(review.get_by_test_id("signing-state")).to_have_text(f"Biên bản chờ Thư ký ký: {secretary}.")
        await expect(review.get_by_test_id("sign-link").get_by_role("link", name="Ký biên bản")).to_have_attribute(
            "href", f"/sign/?session={sid}"
        )
        await expect(review.get_by_role("button", name="Công bố")).to_have_count(0)
        await expect(editor).to_have_count(0)

        # The secretary, a delegate, signs with the key on the server's token; the PIN is typed, used, forgotten.
        sign = await crowd.page(live.delegates[1], f"/sign/?session={sid}")
        panel = sign.get_by_test_id("signing-panel")
        await expect(panel).to_contain_text("Đến lượt bạn ký số với tư cách Thư ký")
        await panel.get_by_label("Chứng thư số").select_option("thu-ky")
        await panel.get_by_label("Mã PIN").fill("000000")
        await panel.get_by_role("button", name="Ký số").click()
        await expect(panel.get_by_role("alert")).to_have_text("Mã PIN không đúng.")
        await panel.get_by_label("Mã PIN").fill(PIN)
        await shoot(sign, "sign-token", {"tablet": TABLET, "phone": PHONE})
        await sign.set_viewport_size(TABLET)
        await panel.get_by_role("button", name="Ký số").click()
        first = sign.get_by_test_id("signature")
        await expect(first).to_have_attribute("data-state", "valid", timeout=30_000)
        await expect(first).to_contain_text(f"Thư ký — {secretary}")
        await expect(sign.get_by_test_id("signing-panel")).to_have_count(0)
        await expect(sign.get_by_test_id("signing-state")).to_have_text(f"Biên bản chờ Chủ tọa ký: {chair}.")

        # The chair signs through their CA's tool: HopSo prepares, the tool signs the digest, HopSo embeds it.
        chair_page = await crowd.page(live.chair, f"/sign/?session={sid}")
        panel = chair_page.get_by_test_id("signing-panel")
        await panel.get_by_test_id("signing-mode-external").check()
        person = recorded.signing.people["chair"]
        await panel.get_by_label("Chứng thư số (PEM hoặc base64)").fill(person.pem)
        await panel.get_by_label("Chứng thư của CA cấp (không bắt buộc)").fill(recorded.signing.pki.ca.pem)
        await panel.get_by_role("button", name="Chuẩn bị để ký").click()
        digest = await panel.get_by_test_id("signing-digest").input_value()
        cms = await asyncio.to_thread(tool_cms, person, digest)
        await panel.get_by_label("Chữ ký (base64 hoặc PEM)").fill(cms)
        await shoot(chair_page, "sign-external", {"tablet": TABLET, "phone": PHONE})
        await chair_page.set_viewport_size(TABLET)
        await panel.get_by_role("button", name="Hoàn tất ký số").click()
        signatures = chair_page.get_by_test_id("signature")
        await expect(signatures).to_have_count(2, timeout=30_000)
        await expect(signatures.nth(1)).to_have_attribute("data-state", "valid")
        await expect(signatures.nth(1)).to_contain_text(f"Chủ tọa — {chair}")
        await expect(chair_page.get_by_test_id("signing-state")).to_have_text(
            "Biên bản đã có đủ chữ ký số của thư ký và chủ tọa."
        )

        await staff.reload()
        listed = review.get_by_test_id("signature")
        await expect(listed).to_have_count(2, timeout=30_000)
        for index in range(2):
            await expect(listed.nth(index)).to_have_attribute("data-state", "valid")
            await expect(listed.nth(index).get_by_test_id("signature-trusted")).to_have_text("Chứng thư tin cậy")
            await expect(listed.nth(index).get_by_test_id("signature-timestamp")).to_contain_text("Dấu thời gian:")
        await expect(listed.nth(0).get_by_test_id("signature-changed")).to_have_text(
            "Sau đó chỉ thêm chữ ký, dữ liệu kiểm tra"
        )
        await expect(review.get_by_role("button", name="Công bố")).to_be_visible()
        await shoot(staff, "staff-archive-signed", {"tablet": TABLET, "phone": PHONE})
        await staff.set_viewport_size(TABLET)
        await review.get_by_role("button", name="Kiểm tra lại chữ ký").click()
        await expect(listed).to_have_count(2)
        signed = await staff.request.get(f"/api/sessions/{sid}/minutes/pdf")
        text = pdf_text(await signed.body())
        assert summary in text and note in text and "DỰ THẢO" not in text

        reopen = review.get_by_test_id("reopen")
        await reopen.get_by_text("Mở lại biên bản để sửa").click()
        reason = "Ghi sai nội dung chất vấn"
        await reopen.get_by_label("Lý do mở lại").fill(reason)
        await reopen.get_by_role("button", name="Mở lại biên bản").click()
        await expect(review.get_by_test_id("reopened")).to_contain_text(f"bởi {live.secretary.user.display_name}")
        await expect(review.get_by_test_id("reopened")).to_contain_text(reason)
        await expect(review.get_by_test_id("minutes-status")).to_have_text("Biên bản: Bản nháp")
        await expect(editor.get_by_label(re.compile(rf"^{questioner} — Chất vấn"))).to_have_value(summary)
        await shoot(staff, "staff-archive-reopened", {"tablet": TABLET, "phone": PHONE})


async def test_the_public_archive_plays_chapters_and_shows_only_what_is_public(
    browser: Browser, recorded: Recorded
) -> None:
    live, sid, api = recorded.live, recorded.live.session_id, recorded.api
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, live.secretary.headers)
    await sign_both(api, live, recorded.signing)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, live.secretary.headers)
    async with recorded.server.sessionmaker() as db:
        motions = [recorded.sitting.named_motion, recorded.sitting.secret_motion]
        results = [m.result["text_vi"] for m in await db.scalars(select(Motion).where(Motion.id.in_(motions)))]
        session = await db.get(CouncilSession, sid)
        assert session is not None
    seen: list[Response] = []

    async with people(browser, recorded.server, "archive-public") as crowd:
        # Nothing of HopSo is open yet, so every answer seen belongs to the archive page.
        public = await crowd.page(None, "about:blank")
        public.on("response", lambda response: seen.append(response))
        await public.goto(f"/public/?archive={sid}")
        await expect(public.get_by_role("heading", name=session.title)).to_be_visible()

        start = await seek_by_chapter(
            public, public.locator("main"), recorded, f"{recorded.sitting.speakers[1]} — chất vấn"
        )
        video = await public.get_by_test_id("archive-video").element_handle()
        await public.wait_for_function("([v, start]) => !v.paused && v.currentTime > start + 0.5", arg=[video, start])

        votes = public.get_by_test_id("archive-votes")
        for result in results:
            await expect(votes).to_contain_text(result)
        verdicts = votes.get_by_test_id("verdict")
        await expect(verdicts).to_have_count(2)
        await expect(verdicts.first).to_have_text("Đã được thông qua.")
        year, month, day = (await api.json("GET", f"/api/public/archive/{sid}", 200))["opened_at"][:10].split("-")
        await expect(public.get_by_test_id("archive-date")).to_have_text(f"Ngày họp: {day}/{month}/{year}")
        signatures = public.get_by_test_id("signature")
        await expect(signatures).to_have_count(2)
        await expect(signatures.nth(0)).to_contain_text(f"Thư ký — {live.members[1].full_name}")
        await expect(signatures.nth(1)).to_contain_text(f"Chủ tọa — {live.members[0].full_name}")
        for index in range(2):
            await expect(signatures.nth(index)).to_have_attribute("data-state", "valid")
        link = public.get_by_test_id("minutes-pdf")
        await expect(link).to_have_attribute("href", f"/api/public/archive/{sid}/minutes.pdf")
        minutes = await public.request.get(f"/api/public/archive/{sid}/minutes.pdf")
        assert minutes.ok and minutes.headers["content-type"] == "application/pdf"
        await expect(public.get_by_text(DOCUMENTS["public"])).to_be_visible()

        shown = await public.locator("body").inner_text()
        paths = [re.sub(r"^https?://[^/]+", "", response.url) for response in seen]
        assert paths and all(ALLOWED_PUBLIC.match(path) for path in paths), paths
        bodies = [
            await response.text()
            for response in seen
            if response.ok and response.headers.get("content-type", "").startswith(TEXT_TYPES)
        ]
        assert any(DOCUMENTS["public"] in body for body in bodies), "the answers read include the page's data"
        for restricted in (DOCUMENTS["internal"], DOCUMENTS["restricted"]):
            assert restricted not in shown
            assert not any(restricted in body for body in bodies), restricted
        await shoot(public, "public-archive", {"tablet": TABLET, "phone": PHONE})
