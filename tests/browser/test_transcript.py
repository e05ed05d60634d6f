"""The transcript of a spoken session (espeak-ng over RTMP, faster-whisper with a small model) in the office's review
beside the video, in the minutes editor, and on the public archive as captions and a search that seeks the video."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page, expect
from sqlalchemy import update

from session_server.app import create_app
from session_server.db.models import (
    ArchiveStatus,
    CouncilSession,
    SessionArchive,
    SessionStatus,
    TranscriptSegment,
)
from tests.browser.flow import people, shoot
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, LiveServer
from tests.factories import LiveWorld, make_live_world
from tests.functional.archive.conftest import (
    Api,
    archived,
    live_clients,
    recording_settings,
    require_camera_tools,
    sign_both,
)
from tests.functional.archive.speech import SpokenSitting, hold_spoken_session, spoken_sound
from tests.functional.archive.test_transcript import transcribed
from tests.signing import SigningWorld
from tests.support import speech_model

pytestmark = BROWSER_TEST

UNSURE = 0.2


@dataclass
class Spoken:
    server: LiveServer
    live: LiveWorld
    sitting: SpokenSitting
    api: Api
    transcript: dict[str, Any]
    signing: SigningWorld


@pytest_asyncio.fixture(loop_scope="session")
async def spoken(
    tmp_path: Path, sqlite_database: str, viewer_libraries: None, signing_world: SigningWorld
) -> AsyncIterator[Spoken]:
    """A public session where two delegates each said a sentence, archived and transcribed; one word of the first
    line stands as one the model was unsure of."""
    require_camera_tools()
    model, sound = speech_model(), spoken_sound(tmp_path)
    settings = recording_settings(tmp_path, sqlite_database, signing_world).model_copy(
        update={"asr_model": str(model), "asr_language": "en"}
    )
    server = TestServer(create_app(settings), host="127.0.0.1", port=settings.port)
    await server.start_server()
    live_server = LiveServer(server)
    live = await make_live_world(live_server.sessionmaker)
    async with aiohttp.ClientSession() as http, live_clients(live_server.url("/")) as connect:
        api = Api(server, http)
        sitting = await hold_spoken_session(live, connect, api, sound)
        job = await archived(server, live.session_id)
        if sitting.camera.returncode is None:
            sitting.camera.kill()
        await sitting.camera.wait()
        assert job.status is ArchiveStatus.DONE, job.error
        transcript = await transcribed(api, live.session_id, live.secretary.headers)
        assert transcript["status"] == "done", transcript["error"]
        first = next(block for block in transcript["blocks"] if not block["chair"])["segments"][0]
        words = [
            {**word, "probability": UNSURE if i == 1 else word["probability"]} for i, word in enumerate(first["words"])
        ]
        async with live_server.sessionmaker() as db:
            await db.execute(update(TranscriptSegment).where(TranscriptSegment.id == first["id"]).values(words=words))
            await db.commit()
        transcript = await api.json("GET", f"/api/sessions/{live.session_id}/transcript", 200, live.secretary.headers)
        yield Spoken(live_server, live, sitting, api, transcript, signing_world)
    await server.close()


async def video_near(page: Page, seconds: float) -> None:
    video = await page.get_by_test_id("archive-video").element_handle()
    await page.wait_for_function("([v, at]) => Math.abs(v.currentTime - at) < 1", arg=[video, seconds])


async def test_the_office_corrects_the_transcript_for_the_minutes_then_the_public_watches_with_captions_and_finds_a_word(
    browser: Browser, spoken: Spoken
) -> None:
    """One spoken session serves both (transcribing it is the slow part): the office's review, then the public's."""
    await _the_office_reads_the_transcript_beside_the_video_corrects_it_and_chooses_it_for_the_minutes(browser, spoken)
    await _the_public_watches_with_captions_and_finds_a_spoken_word_without_diacritics(browser, spoken)


async def _the_office_reads_the_transcript_beside_the_video_corrects_it_and_chooses_it_for_the_minutes(
    browser: Browser, spoken: Spoken
) -> None:
    live, sid = spoken.live, spoken.live.session_id
    speeches = [block for block in spoken.transcript["blocks"] if not block["chair"]]
    first, second = speeches[0]["segments"][0], speeches[1]["segments"][0]
    async with people(browser, spoken.server, "transcript-review") as crowd:
        staff = await crowd.page(live.secretary, f"/staff/?council={live.council.id}&session={sid}")
        transcript = staff.get_by_test_id("transcript")
        blocks = transcript.get_by_test_id("transcript-block")
        for speaker in spoken.sitting.speakers:
            await expect(blocks.filter(has_text=f"{speaker} — Thảo luận")).to_have_count(1)
        bar = spoken.transcript["low_confidence"]
        unsure = [
            w["word"]
            for b in spoken.transcript["blocks"]
            for s in b["segments"]
            for w in s["words"]
            if w["probability"] < bar
        ]
        assert first["words"][1]["word"] in unsure
        await expect(transcript.locator("mark.word-unsure")).to_have_text(unsure)

        # A line moves the video to where it was said, and is highlighted while it plays.
        line = transcript.get_by_test_id("transcript-line").filter(has_text=second["text"][:20])
        await line.get_by_role("button", name=re.compile(second["text"][:10])).click()
        await video_near(staff, second["start"])
        await expect(line).to_have_attribute("aria-current", "true")

        # A correction keeps the machine's text beside it.
        corrected = "Hội đồng thông qua dự toán xây trường học mới ở phía bắc."
        target = transcript.get_by_test_id("transcript-line").filter(has_text=first["text"][:20])
        await target.get_by_role("button", name="Sửa").click()
        await target.get_by_label("Lời nói đã sửa").fill(corrected)
        await target.get_by_role("button", name="Lưu").click()
        fixed = transcript.get_by_test_id("transcript-line").filter(has_text=corrected)
        await expect(fixed).to_contain_text(f"Máy nhận dạng: {first['text']}")

        # The minutes: the first speech as its corrected transcript, the second as a summary.
        await staff.reload()
        editor = staff.get_by_test_id("minutes-editor")
        one, two = spoken.sitting.speakers
        await expect(editor.get_by_role("group", name=f"Đưa vào biên bản — {one}")).to_contain_text(corrected)
        await editor.get_by_label(re.compile(rf"^{two} — Thảo luận")).fill("Đề nghị báo cáo giá gạo và nước sạch.")
        await editor.get_by_role("group", name=f"Đưa vào biên bản — {two}").get_by_label("Bản tóm tắt ở trên").check()
        await editor.get_by_role("button", name="Lưu bản nháp").click()
        await expect(staff.get_by_text("Đã lưu bản nháp.")).to_be_visible()
        minutes = await spoken.api.json("GET", f"/api/sessions/{sid}/minutes", 200, live.secretary.headers)
        texts = [speech["text"] for item in minutes["minutes"]["items"] for speech in item["speeches"]]
        assert texts[0].startswith(corrected) and texts[1] == "Đề nghị báo cáo giá gạo và nước sạch."

        await transcript.get_by_role("button", name="Công bố bản ghi và phụ đề").click()
        await expect(transcript.get_by_test_id("transcript-published")).to_have_text("Đã công bố phụ đề")
        await staff.get_by_test_id("archive-video").evaluate("v => v.pause()")
        await shoot(staff, "staff-transcript", {"tablet": TABLET, "phone": PHONE})


async def _the_public_watches_with_captions_and_finds_a_spoken_word_without_diacritics(
    browser: Browser, spoken: Spoken
) -> None:
    _live, sid, api, staff = spoken.live, spoken.live.session_id, spoken.api, spoken.live.secretary.headers
    second = [block for block in spoken.transcript["blocks"] if not block["chair"]][1]["segments"][0]
    first = next(block for block in spoken.transcript["blocks"] if not block["chair"])["segments"][0]
    await api.json(
        "PATCH",
        f"/api/sessions/{sid}/transcript/segments/{first['id']}",
        200,
        staff,
        json={"text": "Xây trường học mới."},
    )
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    await sign_both(api, spoken.live, spoken.signing)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
    await api.json("POST", f"/api/sessions/{sid}/transcript/publish", 200, staff)
    async with people(browser, spoken.server, "transcript-public") as crowd:
        public = await crowd.page(None, f"/public/?archive={sid}")
        video = public.get_by_test_id("archive-video")
        await expect(video.locator("track")).to_have_attribute("src", f"/api/public/archive/{sid}/captions.vtt")
        handle = await video.element_handle()
        await public.wait_for_function(
            "v => v.textTracks[0] && v.textTracks[0].cues && v.textTracks[0].cues.length > 1", arg=handle
        )

        search = public.get_by_test_id("transcript-search")
        await search.get_by_role("searchbox").fill("truong hoc")
        await search.get_by_role("button", name="Tìm").click()
        hits = search.get_by_test_id("transcript-hits").get_by_role("button")
        await expect(hits).to_have_count(1)
        await expect(hits).to_contain_text("Xây trường học mới.")

        await search.get_by_role("searchbox").fill("RICE")
        await search.get_by_role("button", name="Tìm").click()
        await expect(hits).to_have_count(1)
        await expect(hits).to_contain_text(spoken.sitting.speakers[1])
        await hits.click()
        await video_near(public, second["start"])
        await video.evaluate("v => v.pause()")
        await shoot(public, "public-transcript", {"tablet": TABLET, "phone": PHONE})


async def test_without_a_speech_model_the_review_says_so_beside_the_rest_of_the_archive(
    browser: Browser, live_server: LiveServer
) -> None:
    live = await make_live_world(live_server.sessionmaker)
    async with live_server.sessionmaker() as db:
        session = await db.get(CouncilSession, live.session_id)
        assert session is not None
        session.status = SessionStatus.ENDED
        db.add(SessionArchive(session_id=live.session_id, status=ArchiveStatus.DONE))
        await db.commit()
    async with people(browser, live_server, "transcript-unconfigured") as crowd:
        staff = await crowd.page(live.secretary, f"/staff/?council={live.council.id}&session={live.session_id}")
        review = staff.get_by_test_id("archive-review")
        notice = review.get_by_test_id("transcript-unconfigured")
        await expect(notice).to_contain_text("chưa cấu hình mô hình nhận dạng tiếng nói")
        await notice.get_by_role("button", name="Nhận dạng lại").click()
        await expect(review.get_by_test_id("transcript-unconfigured")).to_be_visible()
        await expect(review.get_by_test_id("transcript-progress")).to_have_count(0)
        await shoot(staff, "staff-transcript-unconfigured", {"tablet": TABLET, "phone": PHONE})
