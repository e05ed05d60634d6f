"""The media folder fills up during a live stream: the stream's status says so and the session goes on."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from session_server.app import create_app
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world
from tests.functional.streams.conftest import publish
from tests.live_clients import LiveClient, connect
from tests.support import free_port, missing

# Two seconds of the test encoder's output: HLS and the recording stop within the first seconds of the stream.
MEDIA_FOLDER_BYTES = 256 * 1024


@pytest.fixture
def full_media_folders(tmp_path: Path) -> Iterator[Path]:
    """data/hls and data/recordings on their own tiny tmpfs each (mounting needs root)."""
    data = tmp_path / "data"
    mounted: list[Path] = []
    for name in ("hls", "recordings"):
        folder = data / name
        folder.mkdir(parents=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={MEDIA_FOLDER_BYTES}", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            for path in mounted:
                subprocess.run(["umount", "-l", str(path)], check=False)
            missing(f"cannot mount a tmpfs for the media folder (needs root): {done.stderr.strip()}")
        mounted.append(folder)
    yield data
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.fixture
async def hopso(
    rtmp_tools: None, full_media_folders: Path, aiohttp_server: Any, tmp_path: Path, sqlite_database: str
) -> AsyncIterator[tuple[TestServer, LiveWorld]]:
    port = free_port()
    settings = make_settings(tmp_path, sqlite_database, port=port, rtmp_port=free_port()).model_copy(
        update={"rtmp_mode": "embedded"}
    )
    server = await aiohttp_server(create_app(settings), port=port)
    yield server, await make_live_world(services_of(server.app).sessionmaker)


async def _statuses(client: LiveClient, predicate: Any, within: float) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            for event in client.events:
                if event["type"] == "stream.status" and predicate(event["data"]):
                    return event["data"]
            await asyncio.sleep(0.1)


async def test_a_full_media_folder_is_reported_on_the_stream_status_and_the_session_goes_on(
    hopso: tuple[TestServer, LiveWorld],
) -> None:
    server, live = hopso
    url = str(server.make_url("/"))
    chair = await connect(url, token=live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    async with aiohttp.ClientSession() as http:
        armed_at = server.make_url(f"/api/sessions/{live.session_id}/stream/key")
        async with http.post(armed_at, json={}, headers=live.secretary.headers) as response:
            assert response.status == 201, await response.text()
            armed = await response.json()
    encoder = await publish(armed["publish_url"], 8)

    stopped = await _statuses(chair, lambda data: "No space left on device" in (data.get("reason") or ""), 30)
    moved = await chair.ok("agenda.goto", {"item_id": live.agenda_ids[1]})
    public = await connect(url, namespace="/public")
    seen = await public.join(live.session_id)
    encoder.kill()
    await encoder.wait()
    await chair.close()
    await public.close()

    assert stopped["status"] == "live"
    assert "stopped" in stopped["reason"]
    assert seen["seq"] >= moved["seq"]
    assert seen["snapshot"]["agenda"]["current_item_id"] == live.agenda_ids[1]
