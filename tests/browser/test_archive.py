"""After a session recorded from a real (ffmpeg) camera: the office reviews the chaptered video and the draft minutes,
approves them with a signature, and can reopen them; the public archive plays the chapters and shows only what is
public."""

from __future__ import annotations

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
from tests.browser.support import ALLOWED_PUBLIC, BROWSER_TEST, PHONE, TABLET, LiveServer
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
)

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


@pytest_asyncio.fixture(loop_scope="session")
async def recorded(tmp_path: Path, sqlite_database: str, viewer_libraries: None) -> AsyncIterator[Recorded]:
    """A public session held with the hall camera publishing, closed and archived: video, chapters, draft minutes."""
    require_camera_tools()
    settings = recording_settings(tmp_path, sqlite_database)
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
        yield Recorded(live_server, live, sitting, api, archive["chapters"])
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


async def test_the_office_reviews_the_recording_edits_approves_and_reopens_the_minutes(
    browser: Browser, recorded: Recorded
) -> None:
    live, sid = recorded.live, recorded.live.session_id
    questioner = recorded.sitting.speakers[1]
    async with people(browser, recorded.server, "archive-review") as crowd:
        staff = await crowd.page(live.secretary, f"/staff/?council={live.council.id}&session={sid}")
        review = staff.get_by_test_id("archive-review")
        await seek_by_chapter(staff, review, recorded, f"{questioner} — chất vấn")

        editor = review.get_by_test_id("minutes-editor")
        summary = f"{questioner} chất vấn về tiến độ xây trường học."
        note = "Báo cáo được thông qua, không có ý kiến khác."
        await editor.get_by_label(re.compile(rf"^{questioner} — Chất vấn")).fill(summary)
        await editor.get_by_role("group", name="2. Báo cáo kinh tế - xã hội").get_by_label("Ghi chú của mục").fill(note)
        await editor.get_by_role("button", name="Lưu bản nháp").click()
        await expect(review.get_by_text("Đã lưu bản nháp.")).to_be_visible()
        await staff.reload()
        await expect(editor.get_by_label(re.compile(rf"^{questioner} — Chất vấn"))).to_have_value(summary)
        item = editor.get_by_role("group", name="2. Báo cáo kinh tế - xã hội")
        await expect(item.get_by_label("Ghi chú của mục")).to_have_value(note)

        await review.get_by_role("button", name="Duyệt biên bản").click()
        signature = review.get_by_test_id("signature")
        await expect(signature).to_have_attribute("data-state", "valid", timeout=20_000)
        await expect(signature).to_contain_text("Chữ ký số hợp lệ")
        await expect(review.get_by_test_id("minutes-status")).to_have_text("Biên bản: Đã duyệt")
        await expect(editor).to_have_count(0)
        await shoot(staff, "staff-archive-approved", {"tablet": TABLET, "phone": PHONE})
        await staff.set_viewport_size(TABLET)
        await review.get_by_role("button", name="Kiểm tra lại chữ ký").click()
        await expect(signature).to_have_attribute("data-state", "valid")
        signed = await staff.request.get(f"/api/sessions/{sid}/minutes/pdf")
        text = pdf_text(await signed.body())
        assert summary in text and note in text

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
