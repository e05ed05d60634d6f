"""Staff arm a session, ffmpeg publishes to HopSo's RTMP address; HLS, the recording and the status follow."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from session_server.app import create_app
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import make_live_world
from tests.functional.streams.conftest import FPS, Hopso, publish
from tests.live_clients import LiveClient
from tests.support import free_port


async def arm(hopso: Hopso, http: aiohttp.ClientSession) -> dict[str, Any]:
    url = hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/key")
    async with http.post(url, json={"confirm": True}, headers=hopso.live.secretary.headers) as response:
        assert response.status == 201, await response.text()
        return await response.json()


async def stream_event(client: LiveClient, status: str, within: float = 30) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            for event in client.events:
                if event["type"] == "stream.status" and event["data"]["status"] == status:
                    return event
            await asyncio.sleep(0.05)


def ffprobe_json(*args: str) -> dict[str, Any]:
    import subprocess

    done = subprocess.run(["ffprobe", "-v", "error", "-of", "json", *args], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    return json.loads(done.stdout)


async def test_an_armed_session_streams_to_hls_and_a_recording_and_everyone_sees_the_status(
    hopso: Hopso, http: aiohttp.ClientSession
) -> None:
    chair = await hopso.viewer(hopso.live.chair.token)
    public = await hopso.viewer(namespace="/public")
    armed = await arm(hopso, http)
    key = armed["stream_key"]
    assert armed["publish_url"] == f"rtmp://127.0.0.1:{hopso.rtmp_port}/live/{key}"
    assert armed["whip_url"].endswith(f"/whip/{hopso.live.session_id}")
    assert armed["rtmp"] == {"mode": "embedded", "available": True, "reason": ""}

    encoder = await publish(armed["publish_url"], 5)
    live = await stream_event(chair, "live")
    playlist_url = hopso.url(f"/live/{hopso.live.session_id}/index.m3u8")
    async with asyncio.timeout(10):
        while True:
            async with http.get(playlist_url) as response:
                if response.status == 200 and (await response.text()).count("#EXTINF") >= 2:
                    break
            await asyncio.sleep(0.2)
    assert response.headers["Content-Type"] == "application/vnd.apple.mpegurl"
    assert response.headers["Cache-Control"] == "no-cache"
    probe = await asyncio.to_thread(ffprobe_json, "-show_streams", playlist_url)
    assert sorted(stream["codec_name"] for stream in probe["streams"]) == ["aac", "h264"]
    _, stderr = await asyncio.wait_for(encoder.communicate(), 20)
    assert encoder.returncode == 0, stderr.decode()
    await stream_event(chair, "reconnecting")
    paused = await stream_event(public, "paused")

    assert (live["data"]["width"], live["data"]["height"], live["data"]["video_codec"]) == (320, 240, "h264")
    assert "publisher" not in live["data"], "the encoder's address never reaches the tablets"
    public_live = next(e for e in public.events if e["type"] == "stream.status" and e["data"]["status"] == "live")
    assert public_live["data"]["hls_url"] == f"/live/{hopso.live.session_id}/index.m3u8"
    assert set(public_live["data"]) <= {"status", "hls_url", "width", "height", "bitrate_kbps"}
    assert paused["state"]["stream"]["status"] == "paused", "a dropped encoder is 'paused' for the public"

    url = hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/end")
    async with http.post(url, headers=hopso.live.secretary.headers) as response:
        ended = await response.json()
    assert ended["status"]["status"] == "ended" and ended["key"] is None
    data_dir = services_of(hopso.server.app).settings.data_dir
    manifest = json.loads((data_dir / "recordings" / str(hopso.live.session_id) / "recording.json").read_text())
    assert manifest["ended"] is True and len(manifest["parts"]) == 1
    part = data_dir / "recordings" / str(hopso.live.session_id) / manifest["parts"][0]["file"]
    counted = await asyncio.to_thread(ffprobe_json, "-show_streams", "-count_packets", str(part))
    frames = {stream["codec_type"]: int(stream["nb_read_packets"]) for stream in counted["streams"]}
    assert frames["video"] == 5 * FPS, "every frame the encoder sent is recorded"


async def test_wrong_revoked_and_replaced_keys_are_refused_before_media_flows(
    hopso: Hopso, http: aiohttp.ClientSession
) -> None:
    first = await arm(hopso, http)
    second = await arm(hopso, http)
    base = f"rtmp://127.0.0.1:{hopso.rtmp_port}/live/"

    for key in ("not-a-key", first["stream_key"]):
        encoder = await publish(base + key, 1)
        await asyncio.wait_for(encoder.communicate(), 20)
        assert encoder.returncode != 0, f"{key} must be refused"

    url = hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/key")
    async with http.delete(url, headers=hopso.live.secretary.headers) as response:
        assert (await response.json())["key"] is None
    encoder = await publish(second["publish_url"], 1)
    await asyncio.wait_for(encoder.communicate(), 20)
    assert encoder.returncode != 0, "a revoked key is refused"


async def test_hls_names_are_checked_before_the_disk_is_touched(hopso: Hopso, http: aiohttp.ClientSession) -> None:
    for path in ("/live/1/../../secret_key", "/live/1/%2e%2e%2fsecret_key", "/live/x/index.m3u8", "/live/1/a.ts"):
        async with http.get(hopso.url(path)) as response:
            assert response.status == 404, path


async def test_staff_see_whether_rtmp_runs_and_the_relay_without_its_key(
    hopso: Hopso, http: aiohttp.ClientSession
) -> None:
    url = hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/relay")
    headers = hopso.live.secretary.headers
    async with http.put(url, json={"url": "http://example.com/live"}, headers=headers) as response:
        assert response.status == 400
    async with http.put(url, json={"url": "rtmps://live-api-s.facebook.com:443/rtmp/FB-SECRET"}, headers=headers) as r:
        assert (await r.json())["relay"] == "rtmps://live-api-s.facebook.com:443/rtmp/…"
    async with http.delete(url, headers=headers) as response:
        assert (await response.json())["relay"] is None
    async with http.get(hopso.url(f"/api/sessions/{hopso.live.session_id}/stream"), headers=headers) as response:
        status = await response.json()
    assert status["rtmp"]["available"] is True and status["status"] == {"status": "off"}


async def test_without_nginx_rtmp_staff_read_why_and_the_install_line_and_the_rest_works(
    aiohttp_client: Any, tmp_path: Any, sqlite_database: str, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr("media.ingest.nginx_rtmp.shutil.which", lambda *args, **kwargs: None)
    settings = make_settings(tmp_path, sqlite_database, rtmp_port=free_port()).model_copy(
        update={"rtmp_mode": "embedded"}
    )
    client = await aiohttp_client(create_app(settings))
    live = await make_live_world(services_of(client.app).sessionmaker)

    armed = await client.post(f"/api/sessions/{live.session_id}/stream/key", json={}, headers=live.secretary.headers)

    assert armed.status == 201, "a key is still issued: WHIP does not need nginx"
    rtmp = (await armed.json())["rtmp"]
    assert rtmp["available"] is False
    assert rtmp["reason"].endswith("install: apt-get install nginx-light libnginx-mod-rtmp")
    assert any("apt-get install nginx-light libnginx-mod-rtmp" in record.message for record in caplog.records)
    assert (await client.get("/healthz")).status == 200
