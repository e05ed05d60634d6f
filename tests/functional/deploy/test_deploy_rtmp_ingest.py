"""The RTMP ingest (config/nginx/rtmp.conf) with real ffmpeg publishers and players, hooks answered by a stub app."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

GOOD_KEY = "k3y-accepted-by-hopso"


@dataclass
class Ingest:
    url: str
    hooks: list[dict[str, str]] = field(default_factory=list)
    published: asyncio.Event = field(default_factory=asyncio.Event)


def hook_app(ingest: Ingest) -> web.Application:
    """HopSo's side of the hooks: a 2xx lets the publisher in, anything else refuses it."""

    async def on_publish(request: web.Request) -> web.Response:
        form = await request.post()
        ingest.hooks.append({"path": request.path, **{key: str(value) for key, value in form.items()}})
        if form.get("name") != GOOD_KEY:
            return web.Response(status=403)
        ingest.published.set()
        return web.Response()

    async def on_publish_done(request: web.Request) -> web.Response:
        form = await request.post()
        ingest.hooks.append({"path": request.path, **{key: str(value) for key, value in form.items()}})
        return web.Response()

    app = web.Application()
    app.router.add_post("/internal/rtmp/publish", on_publish)
    app.router.add_post("/internal/rtmp/publish_done", on_publish_done)
    return app


async def start_ingest(
    aiohttp_server: AiohttpServer,
    render_nginx: Callable[[str, dict[str, str]], Path],
    start_nginx: Callable[[Path, int], Awaitable[None]],
    port: int,
    replacements: dict[str, str] | None = None,
) -> Ingest:
    ingest = Ingest(url=f"rtmp://127.0.0.1:{port}/live")
    hopso = await aiohttp_server(hook_app(ingest))
    config = render_nginx(
        "rtmp.conf",
        {"listen 1935;": f"listen 127.0.0.1:{port};", "http://media:8080/": f"http://127.0.0.1:{hopso.port}/"}
        | (replacements or {}),
    )
    await start_nginx(config, port)
    return ingest


@pytest.fixture
async def ingest(
    rtmp_module: Path,
    aiohttp_server: AiohttpServer,
    render_nginx: Callable[[str, dict[str, str]], Path],
    start_nginx: Callable[[Path, int], Awaitable[None]],
    nginx_port: int,
) -> Ingest:
    return await start_ingest(aiohttp_server, render_nginx, start_nginx, nginx_port)


async def ffmpeg(ffmpeg_bin: str, *args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        ffmpeg_bin,
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        *args,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, stderr = await asyncio.wait_for(process.communicate(), 5)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, stderr.decode(errors="replace")


def publish_args(url: str, *, seconds: float, realtime: bool) -> list[str]:
    return [
        *(["-re"] if realtime else []),
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x120:rate=10",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-t",
        str(seconds),
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-g",
        "10",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-f",
        "flv",
        url,
    ]


async def test_publisher_with_a_key_hopso_accepts_streams_and_its_end_is_reported(
    ingest: Ingest, ffmpeg_bin: str
) -> None:
    code, errors = await ffmpeg(ffmpeg_bin, *publish_args(f"{ingest.url}/{GOOD_KEY}", seconds=1, realtime=False))
    for _ in range(50):
        if len(ingest.hooks) == 2:
            break
        await asyncio.sleep(0.02)

    assert code == 0, errors
    assert [(hook["path"], hook["app"], hook["name"]) for hook in ingest.hooks] == [
        ("/internal/rtmp/publish", "live", GOOD_KEY),
        ("/internal/rtmp/publish_done", "live", GOOD_KEY),
    ]


async def test_publisher_with_a_key_hopso_refuses_is_disconnected(ingest: Ingest, ffmpeg_bin: str) -> None:
    code, _ = await ffmpeg(ffmpeg_bin, *publish_args(f"{ingest.url}/wrong-key", seconds=1, realtime=False))

    assert code != 0
    assert [(hook["path"], hook["name"]) for hook in ingest.hooks][:1] == [("/internal/rtmp/publish", "wrong-key")]


async def test_media_worker_on_the_internal_network_can_pull_the_live_stream(ingest: Ingest, ffmpeg_bin: str) -> None:
    publisher = asyncio.create_task(
        ffmpeg(ffmpeg_bin, *publish_args(f"{ingest.url}/{GOOD_KEY}", seconds=3, realtime=True))
    )
    await asyncio.wait_for(ingest.published.wait(), 3)

    # Without a shorter analysis ffmpeg reads 5 s of the live stream before its first frame.
    code, errors = await ffmpeg(
        ffmpeg_bin, "-analyzeduration", "500000", "-i", f"{ingest.url}/{GOOD_KEY}", "-frames:v", "3", "-f", "null", "-"
    )
    publisher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await publisher

    assert code == 0, errors


async def test_play_from_outside_the_internal_networks_is_denied(
    rtmp_module: Path,
    aiohttp_server: AiohttpServer,
    render_nginx: Callable[[str, dict[str, str]], Path],
    start_nginx: Callable[[Path, int], Awaitable[None]],
    nginx_port: int,
    ffmpeg_bin: str,
) -> None:
    outside = await start_ingest(
        aiohttp_server, render_nginx, start_nginx, nginx_port, {"allow play 127.0.0.0/8;\n": ""}
    )

    code, _ = await ffmpeg(ffmpeg_bin, "-i", f"{outside.url}/{GOOD_KEY}", "-frames:v", "1", "-f", "null", "-")

    assert code != 0
