"""Public page benchmark: a live session's public link on a mid-range phone, against a bare ``<video>`` + hls.js page.

``python -m bench.public_player [--runs 5]``. Everything runs locally, in one run:

1. HopSo in process on loopback (SQLite), a public session live with its stream: 1 s HLS segments of a 640x360
   H.264/AAC test picture, written as the media worker names them.
2. Chromium (Debian's, through Playwright) with a phone profile: CPU throttled 4× and the network at 1.6 Mb/s down,
   750 kb/s up, 150 ms round trip (Chrome DevTools' emulation), a fresh profile for every load (nothing cached).
3. For each load, the time from opening the page to the video's first frame (``requestVideoFrameCallback``), and
   the JavaScript and CSS fetched before it, by transfer size and as gzip would send them (hls.js counted apart: the
   public page loads it only once there is a video to show). HopSo's page (``/public/<council>/<session>``) and the
   baseline, the same stream in a bare HTML page with a ``<video>`` and hls.js, alternate; medians are printed.

Targets: first frame ≤ 4 s, JavaScript and CSS before the video ≤ 150 KB compressed (hls.js excluded).
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, async_playwright

import viewer
from session_server.app import create_app
from session_server.db.migrate import upgrade
from session_server.db.models import AgendaItem, AgendaKind, Council, CouncilSession, SessionStatus
from session_server.services import services_of
from session_server.settings import Settings

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}
CPU_SLOWDOWN = 4
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
SEGMENTS = 30
TARGET_FIRST_FRAME_S = 4.0
TARGET_BYTES = 150 * 1024
HLS_JS = "/vendor/hls.js/"
BARE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bare</title><script src="/vendor/hls.js/hls.min.js"></script></head>
<body><video id="v" muted playsinline controls style="width:100%"></video>
<script src="/bench/bare.js"></script></body></html>
"""
BARE_JS = """const video = document.getElementById('v');
const hls = new Hls({ liveSyncDurationCount: 2 });
hls.on(Hls.Events.MANIFEST_PARSED, () => video.play());
hls.loadSource(PLAYLIST);
hls.attachMedia(video);
"""
# Set before any page script: when the first frame is painted, and which scripts and styles came before it.
PROBE = """
window.__firstFrame = null;
document.addEventListener('playing', (event) => {
  const video = event.target;
  if (window.__firstFrame !== null || !video.requestVideoFrameCallback) return;
  video.requestVideoFrameCallback((now) => {
    window.__firstFrame ??= now;
  });
}, true);
"""


@dataclass
class Load:
    first_frame_s: float
    transferred: int
    compressed: int
    hls_compressed: int
    files: list[str] = field(default_factory=list)


def write_stream(folder: Path) -> None:
    """SEGMENTS seconds of test picture as a live (EVENT) playlist of 1 s segments."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={SEGMENTS}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={SEGMENTS}",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "600k", "-pix_fmt", "yuv420p", "-g", "25",
            "-c:a", "aac", "-b:a", "64k",
            "-f", "hls", "-hls_time", "1", "-hls_list_size", "0", "-hls_playlist_type", "event",
            "-hls_segment_filename", str(folder / "seg%06d.ts"), str(folder / "index.m3u8"),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    # A live playlist has no end: drop what `-hls_playlist_type event` wrote at the end of the run.
    playlist = folder / "index.m3u8"
    playlist.write_text(playlist.read_text().replace("#EXT-X-ENDLIST\n", ""))


async def stage(settings: Settings, app: web.Application) -> tuple[str, int]:
    """A public council session, open, its stream live; returns the session's public path and its id."""
    sessionmaker = services_of(app).sessionmaker
    async with sessionmaker() as db:
        council = Council(name="Hội đồng nhân dân xã Kiến Minh", short_name="HĐND xã Kiến Minh", total_delegates=35)
        db.add(council)
        await db.flush()
        session = CouncilSession(
            council_id=council.id,
            title="Kỳ họp thứ Năm",
            status=SessionStatus.LIVE,
            public=True,
            place="Hội trường UBND xã",
            agenda=[
                AgendaItem(position=n, title=title, kind=AgendaKind.REPORT)
                for n, title in enumerate(("Khai mạc", "Báo cáo kinh tế - xã hội", "Dự toán ngân sách"), 1)
            ],
        )
        db.add(session)
        await db.commit()
        path = f"/public/{council.slug}/{session.slug}"
        session_id = session.id
    await asyncio.to_thread(write_stream, settings.data_dir / "hls" / str(session_id))
    await services_of(app).dispatcher.run_system(
        session_id, "stream.status", {"status": "live", "hls": True, "width": 640, "height": 360}
    )
    return path, session_id


def gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


async def load_once(browser: Browser, url: str) -> Load:
    context = await browser.new_context(viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        await cdp.send("Network.emulateNetworkConditions", NETWORK)
        await cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        await page.add_init_script(PROBE)
        fetched: list[tuple[str, str, int, bytes]] = []

        async def keep(response: object) -> None:
            request = response.request  # type: ignore[attr-defined]
            if request.resource_type not in ("script", "stylesheet") or request.url.startswith("blob:"):
                return
            sizes = await request.sizes()
            body = await response.body()  # type: ignore[attr-defined]
            fetched.append(
                (request.url, request.resource_type, sizes["responseBodySize"] + sizes["responseHeadersSize"], body)
            )

        pending: list[asyncio.Task[None]] = []
        page.on("response", lambda response: pending.append(asyncio.ensure_future(keep(response))))
        await page.goto(url, wait_until="commit")
        await page.wait_for_function("window.__firstFrame !== null", timeout=60_000, polling=50)
        first_frame = await page.evaluate("window.__firstFrame")
        await asyncio.gather(*pending)
        before = [item for item in fetched if HLS_JS not in item[0]]
        hls = [item for item in fetched if HLS_JS in item[0]]
        return Load(
            first_frame_s=first_frame / 1000,
            transferred=sum(size for _url, _kind, size, _body in before),
            compressed=sum(gzip_size(body) for _url, _kind, _size, body in before),
            hls_compressed=sum(gzip_size(body) for _url, _kind, _size, body in hls),
            files=[url.split("/", 3)[-1] for url, _kind, _size, _body in before],
        )
    finally:
        await context.close()


def report(name: str, loads: list[Load]) -> str:
    first = statistics.median(load.first_frame_s for load in loads)
    compressed = statistics.median(load.compressed for load in loads)
    return (
        f"{name:<34} first frame median {first:5.2f} s (runs: {', '.join(f'{load.first_frame_s:.2f}' for load in loads)})"
        f"  |  JS+CSS before the video {compressed / 1024:6.1f} KB gzip ({loads[0].transferred / 1024:.1f} KB sent)"
        f"  |  hls.js {loads[0].hls_compressed / 1024:.1f} KB gzip"
    )


async def main(runs: int) -> None:
    print(f"{os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="hopso-bench-public-") as folder:
        root = Path(folder)
        database = f"sqlite+aiosqlite:///{root / 'hopso.sqlite3'}"
        await asyncio.to_thread(upgrade, database)
        settings = Settings(data_dir=root / "data", database_url=database, secret_key="bench-public", rtmp_mode="off")
        app = create_app(settings)
        server = TestServer(app, host="127.0.0.1")
        path_holder: dict[str, str] = {}

        async def bare_page(_request: web.Request) -> web.Response:
            return web.Response(text=BARE, content_type="text/html")

        async def bare_script(_request: web.Request) -> web.Response:
            playlist = path_holder["playlist"]
            return web.Response(
                text=f"const PLAYLIST = '{playlist}';\n{BARE_JS}", content_type="application/javascript"
            )

        app.router.add_get("/bench/bare.html", bare_page)
        app.router.add_get("/bench/bare.js", bare_script)
        await server.start_server()
        try:
            public_path, session_id = await stage(settings, app)
            path_holder["playlist"] = f"/live/{session_id}/index.m3u8"
            assert (viewer.NODE_MODULES / "hls.js").is_dir(), "cd viewer && npm ci"
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    headless=True,
                    args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"],
                )
                hopso: list[Load] = []
                bare: list[Load] = []
                for _ in range(runs):
                    hopso.append(await load_once(browser, str(server.make_url(public_path))))
                    bare.append(await load_once(browser, str(server.make_url("/bench/bare.html"))))
                await browser.close()
        finally:
            await server.close()
    print("phone profile: CPU 4× slower, 1.6 Mb/s down, 750 kb/s up, 150 ms RTT, nothing cached; 1 s segments")
    print(report("HopSo public page", hopso))
    print(report("bare <video> + hls.js (baseline)", bare))
    first = statistics.median(load.first_frame_s for load in hopso)
    baseline = statistics.median(load.first_frame_s for load in bare)
    compressed = statistics.median(load.compressed for load in hopso)
    print(f"ratio first frame HopSo/baseline {first / baseline:.2f}×")
    print(
        f"target first frame ≤ {TARGET_FIRST_FRAME_S:.0f} s: {'met' if first <= TARGET_FIRST_FRAME_S else 'OVER TARGET'}"
    )
    print(f"target JS+CSS before the video ≤ 150 KB gzip: {'met' if compressed <= TARGET_BYTES else 'OVER TARGET'}")
    print("HopSo page's scripts and styles before the video:", ", ".join(hopso[0].files))
    print("baseline's:", ", ".join(bare[0].files))
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
