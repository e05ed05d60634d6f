"""A real HopSo on a real port with its embedded nginx-rtmp, ffmpeg as the hall encoder, Socket.IO viewers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from media import rtmp_availability
from session_server.app import create_app
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world
from tests.live_clients import LiveClient, connect
from tests.support import free_port, missing, require_executable

FPS = 30


class Hopso:
    def __init__(self, server: TestServer, live: LiveWorld, rtmp_port: int) -> None:
        self.server, self.live, self.rtmp_port = server, live, rtmp_port
        self.clients: list[LiveClient] = []

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    async def viewer(self, token: str | None = None, namespace: str = "/live") -> LiveClient:
        client = await connect(self.url("/"), namespace, token)
        self.clients.append(client)
        await client.join(self.live.session_id)
        return client


@pytest.fixture
def rtmp_tools() -> None:
    require_executable("ffmpeg", "apt-get install ffmpeg")
    require_executable("ffprobe", "apt-get install ffmpeg")
    availability = rtmp_availability()
    if not availability.ok:
        missing(availability.reason)


@pytest.fixture
async def hopso(rtmp_tools: None, aiohttp_server: Any, tmp_path: Any, sqlite_database: str) -> AsyncIterator[Hopso]:
    port, rtmp_port = free_port(), free_port()
    settings = make_settings(tmp_path, sqlite_database, port=port, rtmp_port=rtmp_port).model_copy(
        update={"rtmp_mode": "embedded"}
    )
    server = await aiohttp_server(create_app(settings), port=port)
    rig = Hopso(server, await make_live_world(services_of(server.app).sessionmaker), rtmp_port)
    yield rig
    for client in rig.clients:
        await client.close()


@pytest.fixture
async def whip_only(aiohttp_server: Any, tmp_path: Path, sqlite_database: str) -> AsyncIterator[Hopso]:
    """HopSo with RTMP off: WHIP needs no nginx."""
    require_executable("ffprobe", "apt-get install ffmpeg")
    port = free_port()
    settings = make_settings(tmp_path, sqlite_database, port=port).model_copy(update={"rtmp_mode": "off"})
    server = await aiohttp_server(create_app(settings), port=port)
    rig = Hopso(server, await make_live_world(services_of(server.app).sessionmaker), 0)
    yield rig
    for client in rig.clients:
        await client.close()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def publish(url: str, seconds: float, audio: Path | None = None) -> asyncio.subprocess.Process:
    """ffmpeg pushing testsrc2 + sine (or the sound file `audio`, then silence) as H.264/AAC with a 1 s keyframe
    interval, in real time."""
    sound = ["-i", str(audio)] if audio is not None else ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    return await asyncio.create_subprocess_exec(
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}", *sound,
        "-t", str(seconds), "-map", "0:v", "-map", "1:a", "-af", "apad", "-ar", "44100",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(FPS), "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
