"""`hopso media-worker` as a process of its own: ffmpeg publishes to its RTMP port, HopSo decides and reports over HTTP."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.factories import LiveWorld, make_live_world_at
from tests.functional.streams.conftest import publish
from tests.functional.streams.test_rtmp_stream import stream_event
from tests.live_clients import LiveClient, connect
from tests.support import HopsoProcess, free_port


@dataclass
class Split:
    serve: HopsoProcess
    worker: HopsoProcess
    live: LiveWorld
    data_dir: Path
    rtmp_port: int

    def url(self, path: str) -> str:
        return f"{self.serve.url}{path}"


def children(pid: int) -> list[str]:
    """The program names of a process's direct children."""
    names = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            names.append(Path(f"/proc/{child}/comm").read_text().strip())
    return names


@pytest.fixture
def split_processes(rtmp_tools: None, sqlite_database: str, tmp_path: Path) -> Iterator[Split]:
    live = asyncio.run(make_live_world_at(sqlite_database))
    serve_port, worker_port, rtmp_port = free_port(), free_port(), free_port()
    env = {
        "HOPSO_DATA_DIR": str(tmp_path / "data"),
        "HOPSO_DATABASE_URL": sqlite_database,
        "HOPSO_SECRET_KEY": "test-secret-key",
        "HOPSO_MEDIA_MODE": "external",
        "HOPSO_MEDIA_WORKER_URL": f"http://127.0.0.1:{worker_port}",
        "HOPSO_MEDIA_HOPSO_URL": f"http://127.0.0.1:{serve_port}",
        "HOPSO_RTMP_MODE": "embedded",
        "HOPSO_RTMP_PORT": str(rtmp_port),
        "HOPSO_PUBLIC_URL": f"http://127.0.0.1:{serve_port}",
        "HOPSO_LOG_LEVEL": "warning",
    }
    serve = HopsoProcess(env, serve_port)
    worker = HopsoProcess(env, worker_port, command="media-worker")
    try:
        serve.start()
        worker.start()
        yield Split(serve, worker, live, tmp_path / "data", rtmp_port)
    finally:
        worker.stop()
        serve.stop()


@pytest.fixture
async def chair(split_processes: Split) -> AsyncIterator[LiveClient]:
    client = await connect(split_processes.serve.url, "/live", split_processes.live.chair.token)
    await client.join(split_processes.live.session_id)
    yield client
    await client.close()


async def stream_call(
    split: Split, http: aiohttp.ClientSession, method: str, path: str = "", body: dict[str, Any] | None = None
) -> dict[str, Any]:
    url = split.url(f"/api/sessions/{split.live.session_id}/stream{path}")
    async with http.request(method, url, json=body, headers=split.live.secretary.headers) as response:
        assert response.status < 300, await response.text()
        return await response.json()


async def test_the_media_worker_process_takes_a_publish_armed_through_the_api_and_hopso_shows_it_live(
    split_processes: Split, chair: LiveClient, http: aiohttp.ClientSession
) -> None:
    split = split_processes
    armed = await stream_call(split, http, "POST", "/key", {})
    assert armed["publish_url"] == f"rtmp://127.0.0.1:{split.rtmp_port}/live/{armed['stream_key']}"
    assert armed["rtmp"]["available"] is True
    await stream_event(chair, "waiting")

    encoder = await publish(armed["publish_url"], 4)
    live = await stream_event(chair, "live")
    playlist_url = split.url(f"/live/{split.live.session_id}/index.m3u8")
    async with asyncio.timeout(15):
        while True:
            async with http.get(playlist_url) as response:
                if response.status == 200 and (await response.text()).count("#EXTINF") >= 2:
                    break
            await asyncio.sleep(0.2)
    _, stderr = await asyncio.wait_for(encoder.communicate(), 20)
    assert encoder.returncode == 0, stderr.decode()

    assert (live["data"]["width"], live["data"]["height"]) == (320, 240)
    assert "nginx" in children(split.worker.process.pid)  # type: ignore[union-attr]
    assert "nginx" not in children(split.serve.process.pid)  # type: ignore[union-attr]

    ended = await stream_call(split, http, "POST", "/end")
    assert ended["status"]["status"] == "ended"
    manifest = json.loads((split.data_dir / "recordings" / str(split.live.session_id) / "recording.json").read_text())
    assert manifest["ended"] is True and len(manifest["parts"]) == 1, "HopSo's end reached the worker's recording"


async def test_the_media_worker_refuses_wrong_and_revoked_keys(
    split_processes: Split, http: aiohttp.ClientSession
) -> None:
    split = split_processes
    armed = await stream_call(split, http, "POST", "/key", {})
    base = f"rtmp://127.0.0.1:{split.rtmp_port}/live/"

    wrong = await publish(base + "not-a-key", 1)
    await asyncio.wait_for(wrong.communicate(), 20)
    await stream_call(split, http, "DELETE", "/key")
    revoked = await publish(armed["publish_url"], 1)
    await asyncio.wait_for(revoked.communicate(), 20)

    assert wrong.returncode != 0, "a wrong key is refused"
    assert revoked.returncode != 0, "a revoked key is refused"
    assert not (split.data_dir / "hls" / str(split.live.session_id) / "index.m3u8").exists()


async def test_the_internal_media_routes_refuse_a_caller_without_the_token(
    split_processes: Split, http: aiohttp.ClientSession
) -> None:
    split = split_processes
    status = {"session_key": str(split.live.session_id), "status": "live", "info": {}, "hls": True}

    async with http.post(split.url("/internal/media/check"), json={"stream_key": "x"}) as response:
        assert response.status == 403
    async with http.post(split.url("/internal/media/status"), json=status) as response:
        assert response.status == 403
    async with http.post(f"{split.worker.url}/internal/media/sessions/{split.live.session_id}/end") as response:
        assert response.status == 403
