"""WHIP ingest: an aiortc publisher (test pattern + sine) into a real HopSo; HLS and the recording checked by ffprobe."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import aiohttp

from session_server.db.models import CouncilSession, SessionStatus
from session_server.services import services_of
from tests.functional.streams.conftest import Hopso, publish
from tests.functional.streams.test_rtmp_stream import arm, ffprobe_json, stream_event
from tests.functional.streams.whip_client import whip_publish


def whip_url(hopso: Hopso) -> str:
    return hopso.url(f"/whip/{hopso.live.session_id}")


def recording(hopso: Hopso) -> tuple[Path, dict[str, Any]]:
    folder = services_of(hopso.server.app).settings.data_dir / "recordings" / str(hopso.live.session_id)
    return folder, json.loads((folder / "recording.json").read_text())


async def playlist_with(http: aiohttp.ClientSession, url: str, segments: int, within: float = 10) -> str:
    async with asyncio.timeout(within):
        while True:
            async with http.get(url) as response:
                text = await response.text() if response.status == 200 else ""
            if text.count("#EXTINF") >= segments:
                return text
            await asyncio.sleep(0.2)


async def test_a_whip_publisher_goes_to_the_live_playlist_and_the_recording_and_delete_ends_it(
    whip_only: Hopso, http: aiohttp.ClientSession
) -> None:
    hopso = whip_only
    chair = await hopso.viewer(hopso.live.chair.token)
    armed = await arm(hopso, http)
    assert armed["whip_url"] == whip_url(hopso)
    key = armed["stream_key"]

    publisher = await whip_publish(http, armed["whip_url"], key)
    assert publisher.status == 201, publisher.body
    assert publisher.headers["Content-Type"] == "application/sdp"
    assert publisher.location is not None and publisher.location.startswith(f"/whip/{hopso.live.session_id}/")
    live = await stream_event(chair, "live")
    assert (live["data"]["video_codec"], live["data"]["width"], live["data"]["height"]) == ("h264", 320, 240)
    assert live["data"]["audio_codec"] == "aac"
    playlist_url = hopso.url(f"/live/{hopso.live.session_id}/index.m3u8")
    await playlist_with(http, playlist_url, 2)
    probe = await asyncio.to_thread(ffprobe_json, "-show_streams", playlist_url)
    assert sorted(stream["codec_name"] for stream in probe["streams"]) == ["aac", "h264"]
    await asyncio.sleep(1)

    assert await publisher.delete(hopso.url(publisher.location), key) == 200
    await publisher.close()
    await stream_event(chair, "reconnecting")
    assert await publisher.delete(hopso.url(publisher.location), key) == 404, "the resource is gone"
    async with http.post(
        hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/end"), headers=hopso.live.secretary.headers
    ) as response:
        assert (await response.json())["status"]["status"] == "ended"
    folder, manifest = recording(hopso)
    assert manifest["ended"] is True and len(manifest["parts"]) == 1
    counted = await asyncio.to_thread(ffprobe_json, "-show_streams", "-count_packets", str(folder / "part-0001.mp4"))
    packets = {stream["codec_type"]: int(stream["nb_read_packets"]) for stream in counted["streams"]}
    assert packets["video"] >= 60 and packets["audio"] >= 60, packets


async def test_whip_refuses_missing_wrong_and_revoked_keys_a_second_publisher_and_an_ended_session(
    whip_only: Hopso, http: aiohttp.ClientSession
) -> None:
    hopso = whip_only
    revoked = (await arm(hopso, http))["stream_key"]
    key = (await arm(hopso, http))["stream_key"]
    url = whip_url(hopso)

    async with http.post(url, data="v=0", headers={"Content-Type": "application/sdp"}) as response:
        assert response.status == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
        assert (await response.json())["error"]["code"] == "unauthenticated"
    for token, status in (("not-a-key", 401), (revoked, 403)):
        refused = await whip_publish(http, url, token)
        assert refused.status == status, refused.body
        assert json.loads(refused.body)["error"]["code"] in ("unauthenticated", "forbidden")
        assert refused.headers["Access-Control-Allow-Origin"] == "*", "a browser page can read the refusal"

    first = await whip_publish(http, url, key)
    assert first.status == 201, first.body
    second = await whip_publish(http, url, key)
    assert second.status == 409 and json.loads(second.body)["error"]["code"] == "conflict"
    assert first.location is not None
    assert await first.delete(hopso.url(first.location), revoked) == 403, "a revoked key cannot end the new publish"
    await first.close()

    async with services_of(hopso.server.app).sessionmaker() as db:
        session = await db.get(CouncilSession, hopso.live.session_id)
        assert session is not None
        session.status = SessionStatus.ENDED
        await db.commit()
    ended = await whip_publish(http, url, key)
    assert ended.status == 409 and json.loads(ended.body)["error"]["code"] == "conflict"


async def test_switching_from_rtmp_to_whip_continues_the_playlist_and_recording_after_a_discontinuity(
    hopso: Hopso, http: aiohttp.ClientSession
) -> None:
    chair = await hopso.viewer(hopso.live.chair.token)
    armed = await arm(hopso, http)
    encoder = await publish(armed["publish_url"], 2)
    await asyncio.wait_for(encoder.communicate(), 20)
    await stream_event(chair, "reconnecting")
    chair.events.clear()

    publisher = await whip_publish(http, armed["whip_url"], armed["stream_key"])
    assert publisher.status == 201, publisher.body
    await stream_event(chair, "live")
    text = await playlist_with(http, hopso.url(f"/live/{hopso.live.session_id}/index.m3u8"), 4)
    assert text.count("#EXT-X-DISCONTINUITY\n") == 1
    assert publisher.location is not None
    assert await publisher.delete(hopso.url(publisher.location), armed["stream_key"]) == 200
    await publisher.close()

    async with http.post(
        hopso.url(f"/api/sessions/{hopso.live.session_id}/stream/end"), headers=hopso.live.secretary.headers
    ):
        pass
    _, manifest = recording(hopso)
    assert [part["publish"] for part in manifest["parts"]] == [1, 2]
