"""A citizen checks a session's record on the public archive page: "Kiểm tra tính toàn vẹn" recomputes the chain
with the browser's own SHA-256, offline once the page has loaded, and says where it breaks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, BrowserContext, Page, expect

from session_server.app import create_app
from tests.browser.flow import shoot
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, WAIT_MS, LiveServer
from tests.conftest import make_settings
from tests.functional.archive.conftest import live_clients
from tests.functional.archive.tampering import Published, publish, rewrite_history, tamper_file
from tests.signing import SigningWorld

pytestmark = BROWSER_TEST


@pytest_asyncio.fixture(loop_scope="session")
async def published(
    tmp_path: Path, sqlite_database: str, viewer_libraries: None, signing_world: SigningWorld
) -> AsyncIterator[tuple[TestServer, Published]]:
    settings = make_settings(tmp_path, sqlite_database, **signing_world.settings_update())
    server = TestServer(create_app(settings), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession() as http, live_clients(LiveServer(server).url("/")) as connect:
            yield server, await publish(server, connect, http, signing_world)
    finally:
        await server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def citizen(browser: Browser, published: tuple[TestServer, Published]) -> AsyncIterator[BrowserContext]:
    server, _ = published
    context = await browser.new_context(
        base_url=LiveServer(server).url(), viewport=TABLET, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(WAIT_MS)
    yield context
    await context.close()


async def _open_then_go_offline(context: BrowserContext, session_id: int) -> Page:
    page = await context.new_page()
    async with page.expect_response(lambda r: r.url.endswith(f"/api/public/archive/{session_id}/record.jsonl")):
        await page.goto(f"/public/?archive={session_id}")
    await context.set_offline(True)
    return page


async def test_the_browser_check_finds_the_record_intact_and_matching_the_signed_minutes_offline(
    citizen: BrowserContext, published: tuple[TestServer, Published]
) -> None:
    _, record = published
    page = await _open_then_go_offline(citizen, record.live.session_id)

    await expect(page.get_by_test_id("chain-head")).to_contain_text(record.head["hash"])
    await page.get_by_role("button", name="Kiểm tra tính toàn vẹn").click()

    result = page.get_by_test_id("integrity-result")
    await expect(result).to_have_text(
        f"Toàn vẹn: {record.head['seq']} sự kiện, 2 kết quả biểu quyết; chuỗi kết thúc ở sự kiện số "
        f"{record.head['seq']} và khớp mã trong biên bản đã ký."
    )
    await citizen.set_offline(False)
    await shoot(page, "public-archive-record-intact", {"tablet": TABLET, "phone": PHONE})


async def test_the_browser_check_names_the_event_changed_in_a_downloaded_file(
    citizen: BrowserContext, published: tuple[TestServer, Published], tmp_path: Path
) -> None:
    _, record = published
    page = await _open_then_go_offline(citizen, record.live.session_id)
    response = await page.request.get(f"/api/public/archive/{record.live.session_id}/record.jsonl")
    await citizen.set_offline(False)
    lines = (await response.text()).splitlines()
    granted = next(json.loads(line)["seq"] for line in lines[1:] if '"type":"speakers.granted"' in line)
    changed = tmp_path / "ban-ghi-da-sua.jsonl"
    changed.write_text("\n".join(tamper_file(lines, granted)))

    await page.get_by_test_id("record-file").set_input_files(changed)

    await expect(page.get_by_test_id("integrity-result")).to_have_text(
        f"Không toàn vẹn: chuỗi bị phá vỡ tại sự kiện số {granted} (speakers.granted)."
    )
    await shoot(page, "public-archive-record-broken", {"tablet": TABLET, "phone": PHONE})


async def test_after_the_chain_is_rewritten_in_the_database_the_browser_says_it_no_longer_matches_the_minutes(
    citizen: BrowserContext, published: tuple[TestServer, Published]
) -> None:
    server, record = published
    await rewrite_history(server, record.live.session_id)
    page = await _open_then_go_offline(citizen, record.live.session_id)

    await page.get_by_role("button", name="Kiểm tra tính toàn vẹn").click()

    result = page.get_by_test_id("integrity-result")
    await expect(result).to_contain_text(f"Không khớp: bản ghi kết thúc ở sự kiện số {record.head['seq']} với mã ")
    await expect(result).to_contain_text(f"khác mã ghi trong biên bản đã ký ({record.head['hash']}).")
    await citizen.set_offline(False)
    await shoot(page, "public-archive-record-rewritten", {"tablet": TABLET, "phone": PHONE})
