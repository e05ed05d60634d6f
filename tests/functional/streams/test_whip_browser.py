"""WHIP from a browser: Chromium's fake camera and microphone published by a page to a real HopSo."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from playwright.async_api import Page, async_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.functional.streams.conftest import Hopso
from tests.functional.streams.test_rtmp_stream import arm, ffprobe_json, stream_event
from tests.functional.streams.test_whip import playlist_with
from tests.support import require_executable

pytestmark = pytest.mark.browser

FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]

# What a publishing page does (RFC 9725 without trickle ICE): offer with every candidate, POST it, apply the answer.
PUBLISH = """async ([url, key]) => {
    const media = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
    const pc = new RTCPeerConnection();
    for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendonly' });
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
        const done = () => pc.iceGatheringState === 'complete' && resolve();
        pc.addEventListener('icegatheringstatechange', done);
        done();
    });
    const response = await fetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/sdp' },
        body: pc.localDescription.sdp,
    });
    const body = await response.text();
    if (response.status === 201) await pc.setRemoteDescription({ type: 'answer', sdp: body });
    window.publisher = pc;
    return { status: response.status, body, location: response.headers.get('Location') };
}"""

UNPUBLISH = """async ([location, key]) => {
    const response = await fetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${key}` } });
    window.publisher.close();
    return response.status;
}"""


@pytest.fixture
async def publisher_page(whip_only: Hopso) -> AsyncIterator[Page]:
    """A blank page on HopSo's own origin (no CORS in the way) in a Chromium with a fake camera and microphone."""
    executable = require_executable(CHROMIUM, "apt-get install chromium")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *FAKE_MEDIA]
        )
        page = await browser.new_page()
        address = whip_only.url("/publisher.html")
        await page.route(address, lambda route: route.fulfill(body="<!doctype html><title>WHIP</title>"))
        await page.goto(address)
        yield page
        await browser.close()


async def test_a_browser_page_publishes_its_camera_and_microphone_over_whip_to_the_live_playlist(
    whip_only: Hopso, http: aiohttp.ClientSession, publisher_page: Page
) -> None:
    hopso = whip_only
    chair = await hopso.viewer(hopso.live.chair.token)
    armed = await arm(hopso, http)
    key = armed["stream_key"]

    answer: dict[str, Any] = await publisher_page.evaluate(PUBLISH, [armed["whip_url"], key])
    assert answer["status"] == 201, answer["body"]
    assert answer["location"].startswith(f"/whip/{hopso.live.session_id}/")
    live = await stream_event(chair, "live")
    assert (live["data"]["video_codec"], live["data"]["audio_codec"]) == ("h264", "aac")

    playlist_url = hopso.url(f"/live/{hopso.live.session_id}/index.m3u8")
    playlist = await playlist_with(http, playlist_url, 2, within=20)
    probe = await asyncio.to_thread(ffprobe_json, "-show_streams", playlist_url)
    assert sorted(stream["codec_name"] for stream in probe["streams"]) == ["aac", "h264"]
    segment = hopso.url(f"/live/{hopso.live.session_id}/{playlist.rstrip().splitlines()[-1]}")
    counted = await asyncio.to_thread(ffprobe_json, "-show_streams", "-count_packets", segment)
    packets = {stream["codec_name"]: int(stream["nb_read_packets"]) for stream in counted["streams"]}
    assert packets["h264"] > 0 and packets["aac"] > 0, packets

    assert await publisher_page.evaluate(UNPUBLISH, [answer["location"], key]) == 200
    await stream_event(chair, "reconnecting")
