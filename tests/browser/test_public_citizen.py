"""A citizen on a phone: finds the council by typing its name without diacritics, opens the live session, sees the
video start by itself when the stream begins after the page opened, watches a vote's verdict arrive, sees the page
turn into the session's record at the close, and finds the session in the archive with its signed minutes. A link
shared on Zalo or Facebook shows its preview to a crawler that runs no JavaScript."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, expect

from session_server.app import create_app
from session_server.db.models import ArchiveStatus, BallotType
from tests.browser.flow import people, shoot, write_hls
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, LiveServer, screenshot_path
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world, make_motion
from tests.functional.archive.conftest import Api, archived, sign_both
from tests.signing import SigningWorld

pytestmark = BROWSER_TEST

NARROW = {"width": 320, "height": 640}
SESSION_PATH = "/public/hdnd-xa-phien-hop/ky-hop-thu-nam"
MOTION = "Nghị quyết về chủ trương đầu tư trường học"


@pytest_asyncio.fixture(loop_scope="session")
async def signing_server(
    tmp_path: Path, sqlite_database: str, viewer_libraries: None, signing_world: SigningWorld
) -> AsyncIterator[LiveServer]:
    """HopSo whose minutes the secretary and the chair can sign (the test CA, TSA and SoftHSM2 token)."""
    settings = make_settings(tmp_path, sqlite_database, **signing_world.settings_update())
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    yield LiveServer(server)
    await server.close()


async def sit_and_vote(server: LiveServer, live: LiveWorld, motion_id: int) -> None:
    run = server.services.dispatcher.run
    chair, sid = live.chair.user, live.session_id
    for account in live.delegates[:4]:
        await run(account.user, sid, "checkin", {})
    await run(chair, sid, "agenda.goto", {"item_id": live.agenda_ids[2]})
    await run(chair, sid, "vote.open", {"motion_id": motion_id})


async def test_a_citizen_finds_the_council_watches_live_sees_the_verdict_and_then_the_signed_record(
    browser: Browser, signing_server: LiveServer, signing_world: SigningWorld
) -> None:
    server = signing_server
    live = await make_live_world(server.sessionmaker)
    sid = live.session_id
    run = server.services.dispatcher.run
    motion = await make_motion(server.sessionmaker, live.agenda_ids[2], title=MOTION, ballot_type=BallotType.NAMED)
    await run(live.chair.user, sid, "session.open", {})
    console: list[str] = []

    async with people(browser, server, "public-citizen") as crowd:
        citizen = await crowd.page(None, "about:blank", PHONE)
        citizen.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        await citizen.goto("/public/")
        await citizen.get_by_label("Tìm hội đồng (gõ có dấu hoặc không dấu)").fill("phien hop")
        councils = citizen.get_by_test_id("council-list").get_by_role("link")
        await expect(councils).to_have_count(1)
        await shoot(citizen, "public-front-door", {"phone": PHONE, "narrow": NARROW})
        await councils.first.click()
        await expect(citizen.get_by_test_id("council-name")).to_have_text("Hội đồng nhân dân xã Phiên Họp")
        await shoot(citizen, "public-council", {"phone": PHONE, "narrow": NARROW})
        await citizen.get_by_test_id("live-session").get_by_role("link").click()
        await expect(citizen).to_have_url(server.url(SESSION_PATH))

        header = await citizen.locator(".app-header").bounding_box()
        assert header is not None and header["height"] <= 0.15 * PHONE["height"], header
        await expect(citizen.locator(".brand-council")).to_have_text("HĐND xã Phiên Họp")
        await expect(citizen.get_by_test_id("stream-badge")).to_be_hidden()
        await expect(citizen.get_by_test_id("stream-note")).to_have_text("Kỳ họp chưa phát trực tiếp.")

        # The camera is armed and reported live before its first segment is written: the page waits for it.
        await server.services.dispatcher.run_system(
            sid, "stream.status", {"status": "live", "hls": True, "width": 640, "height": 360}
        )
        await expect(citizen.get_by_test_id("stream-badge")).to_have_text("Đang kết nối")
        await citizen.wait_for_timeout(1500)
        await asyncio.to_thread(write_hls, server.services.settings.data_dir / "hls" / str(sid), 4)
        await citizen.wait_for_function("() => document.querySelector('video').currentTime > 0.5", timeout=20000)
        await expect(citizen.get_by_test_id("stream-badge")).to_have_text("TRỰC TIẾP")
        await expect(citizen.get_by_role("button", name="Bật tiếng")).to_be_visible()
        await shoot(citizen, "public-live-stream", {"phone": PHONE, "narrow": NARROW, "tablet": TABLET})

        await sit_and_vote(server, live, motion)
        vote = citizen.get_by_test_id("public-vote")
        await expect(vote).to_contain_text(MOTION)
        await expect(citizen.get_by_test_id("public-now")).not_to_contain_text(MOTION)
        await shoot(citizen, "public-live-vote", {"phone": PHONE, "narrow": NARROW})
        for account, choice in zip(live.delegates[:4], ["yes", "yes", "yes", "no"], strict=True):
            await run(account.user, sid, "vote.cast", {"motion_id": motion, "choice": choice})
        await run(live.chair.user, sid, "vote.close", {"motion_id": motion, "confirm": True})
        await expect(citizen.get_by_test_id("results").get_by_test_id("verdict")).to_contain_text("thông qua")
        await expect(vote).to_be_hidden()

        await run(live.chair.user, sid, "session.close", {"confirm": True})
        await expect(citizen.get_by_test_id("session-closed")).to_contain_text("Kỳ họp đã bế mạc")
        await expect(citizen.get_by_test_id("current-item")).to_have_count(0)
        await expect(citizen.get_by_test_id("live-agenda")).not_to_contain_text("Đang thực hiện")
        await server.services.dispatcher.run_system(sid, "stream.status", {"status": "ended"})
        await expect(citizen.get_by_test_id("stream-note")).to_have_text("Buổi phát trực tiếp đã kết thúc.")
        await shoot(citizen, "public-closed", {"phone": PHONE, "narrow": NARROW})

        job = await archived(server.server, sid)
        assert job.status is ArchiveStatus.DONE, job.error
        async with aiohttp.ClientSession() as http:
            api = Api(server.server, http)
            await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, live.secretary.headers)
            await sign_both(api, live, signing_world)
            await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, live.secretary.headers)
            # Subscribers read the result with its verdict; a shared link previews the record to a crawler.
            _status, feed, _headers = await api.call("GET", "/public/hdnd-xa-phien-hop/feed.atom")
            assert "Kết quả và biên bản: Kỳ họp thứ Năm" in feed.decode()
            assert f"{MOTION}: Có 4/5 đại biểu" in feed.decode() and "Đã được thông qua" in feed.decode()
            _status, page, _headers = await api.call("GET", SESSION_PATH, {"User-Agent": "Zalo"})
            assert '<meta property="og:title" content="Kỳ họp thứ Năm — Hội đồng nhân dân xã Phiên Họp">' in (
                page.decode()
            )
            assert '<meta property="og:description" content="Biên bản, video và kết quả biểu quyết' in page.decode()

        # Back another day: the council's page lists the session in its archive.
        citizen = await crowd.page(None, "/public/hdnd-xa-phien-hop/", PHONE)
        await citizen.get_by_test_id("archive-list").get_by_role("link", name="Kỳ họp thứ Năm").click()
        await expect(citizen.get_by_role("heading", name="Kỳ họp thứ Năm")).to_be_visible()
        await expect(citizen.get_by_test_id("archive-votes")).to_contain_text(MOTION)
        await expect(citizen.get_by_test_id("verdict")).to_have_text("Đã được thông qua.")
        signatures = citizen.get_by_test_id("signature")
        await expect(signatures).to_have_count(2)
        await expect(signatures.nth(0)).to_have_attribute("data-state", "valid")
        await expect(citizen.get_by_test_id("minutes-pdf")).to_be_visible()
        await expect(citizen.locator(".brand-council")).to_have_text("Hội đồng nhân dân xã Phiên Họp")
        await expect(citizen).to_have_url(server.url(SESSION_PATH))
        await shoot(citizen, "public-archive-signed", {"phone": PHONE, "narrow": NARROW})

    assert not [line for line in console if "401" in line], console


async def test_the_office_and_the_chair_can_share_the_link_the_qr_code_the_poster_and_the_embed_snippet(
    browser: Browser, live_server: LiveServer
) -> None:
    live = await make_live_world(live_server.sessionmaker)
    sid = live.session_id
    url = f"{live_server.services.settings.effective_public_url}{SESSION_PATH}"
    async with people(browser, live_server, "public-share") as crowd:
        staff = await crowd.page(live.secretary, f"/staff/?council={live.council.id}&session={sid}")
        share = staff.get_by_test_id("share")
        await expect(share.get_by_test_id("share-url")).to_have_value(url)
        await expect(share.get_by_test_id("share-embed")).to_have_value(re.compile(rf'^<iframe src="{url}/embed"'))
        await expect(share.get_by_role("img", name="Mã QR mở trang công khai của kỳ họp")).to_be_visible()
        poster = await staff.request.get(await share.get_by_test_id("share-poster").get_attribute("href") or "")
        assert poster.ok and poster.headers["content-type"] == "application/pdf"
        await share.scroll_into_view_if_needed()
        await staff.screenshot(path=screenshot_path("staff-share"), full_page=True)

        portal = await crowd.page(None, f"{SESSION_PATH}/embed", {"width": 360, "height": 720})
        await expect(portal.get_by_test_id("live-title")).to_have_text("Kỳ họp thứ Năm")
        await expect(portal.locator(".app-header")).to_be_hidden()
        await shoot(portal, "public-embed", {"portal-column": {"width": 360, "height": 720}})

        chair = await crowd.page(live.chair, f"/chair/?session={sid}")
        await chair.get_by_role("tab", name="Chia sẻ").click()
        await expect(chair.get_by_test_id("share-url")).to_have_value(url)
        await shoot(chair, "chair-share", {"tablet": TABLET})
