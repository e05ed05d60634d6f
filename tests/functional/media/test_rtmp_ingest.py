"""RTMP ingest end to end: a real ffmpeg publisher, real nginx-rtmp, a real aiohttp hook, files checked by ffprobe."""

import asyncio
import itertools
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

import media
from media import (
    HOOK_PUBLISH_DONE_PATH,
    HOOK_PUBLISH_PATH,
    NginxRtmpServer,
    NginxRtmpSettings,
    PullSettings,
    RtmpIngest,
    RtmpIngestSettings,
    RtmpUnavailable,
    StreamInfo,
    StreamStatus,
    WorkerSettings,
)

GOOD_KEY = "k3y-Good_0123456789"
SESSION = "session-7"
TOKEN = "hook-token-1"
FPS = 30


class Keys:
    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        self.asked: list[str] = []

    async def check(self, stream_key: str) -> str | None:
        self.asked.append(stream_key)
        return self.keys.get(stream_key)


class Recorder:
    def __init__(self) -> None:
        self.reports: list[tuple[str, StreamStatus, StreamInfo]] = []
        self.changed = asyncio.Condition()

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        async with self.changed:
            self.reports.append((session_key, status, info))
            self.changed.notify_all()

    def statuses(self) -> list[StreamStatus]:
        return [status for _, status, _ in self.reports]

    async def wait_for(self, status: StreamStatus, count: int = 1, within: float = 15) -> None:
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: self.statuses().count(status) >= count), within)


class Rig:
    def __init__(self, ingest: RtmpIngest, keys: Keys, events: Recorder, data: Path, rtmp_port: int) -> None:
        self.ingest, self.keys, self.events, self.data, self.rtmp_port = ingest, keys, events, data, rtmp_port

    def url(self, key: str) -> str:
        return f"rtmp://127.0.0.1:{self.rtmp_port}/live/{key}"

    async def publisher(self, key: str, seconds: float, copy_to: Path | None = None) -> asyncio.subprocess.Process:
        """ffmpeg pushing testsrc2 + sine as H.264/AAC (1 s GOP); with ``copy_to``, the same packets also go to a file."""
        target = f"[f=flv]{self.url(key)}|[f=flv]{copy_to}" if copy_to else self.url(key)
        return await asyncio.create_subprocess_exec(
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", f"testsrc2=size=320x240:rate={FPS}",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", str(seconds), "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", str(FPS), "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-flags", "+global_header",
            "-f", "tee" if copy_to else "flv", target,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip


async def hook_app(rig: list[Rig]) -> web.Application:
    async def on_publish(request: web.Request) -> web.Response:
        ok = await rig[0].ingest.on_publish(dict(await request.post()), request.query.get("token"))
        return web.Response(status=200 if ok else 403)

    async def on_publish_done(request: web.Request) -> web.Response:
        await rig[0].ingest.on_publish_done(dict(await request.post()), request.query.get("token"))
        return web.Response()

    app = web.Application()
    app.router.add_post(HOOK_PUBLISH_PATH, on_publish)
    app.router.add_post(HOOK_PUBLISH_DONE_PATH, on_publish_done)
    return app


@pytest.fixture
async def rig(nginx_rtmp: None, tmp_path: Path, aiohttp_server: Any, unused_tcp_port: int) -> AsyncIterator[Rig]:
    holder: list[Rig] = []
    server = await aiohttp_server(await hook_app(holder))
    settings = RtmpIngestSettings.for_data_dir(
        tmp_path, hopso_url=f"http://127.0.0.1:{server.port}", port=unused_tcp_port, hook_token=TOKEN
    )
    settings.required = True
    settings.worker = WorkerSettings(PullSettings(read_timeout=3.0), stats_interval=1.0)
    keys, events = Keys({GOOD_KEY: SESSION}), Recorder()
    ingest = RtmpIngest(settings, keys, events)
    holder.append(Rig(ingest, keys, events, tmp_path, unused_tcp_port))
    await ingest.start()
    try:
        yield holder[0]
    finally:
        await ingest.close()


def packets(ffprobe: Callable[..., dict[str, Any]], path: Path) -> dict[str, list[dict[str, Any]]]:
    """Per codec type, the packets of ``path`` in file order."""
    data = ffprobe(path, "-show_entries", "packet=stream_index,pts,dts,duration:stream=index,codec_type",
                   "-show_streams", "-show_packets")  # fmt: skip
    kinds = {stream["index"]: stream["codec_type"] for stream in data["streams"]}
    result: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds.values()}
    for packet in data["packets"]:
        result[kinds[packet["stream_index"]]].append(packet)
    return result


def assert_monotonic(stream_packets: list[dict[str, Any]]) -> None:
    dts = [int(packet["dts"]) for packet in stream_packets]
    assert all(a < b for a, b in itertools.pairwise(dts)), "dts must strictly increase"


def playlist_tags(text: str) -> tuple[list[float], list[str], list[str]]:
    durations = [float(value) for value in re.findall(r"#EXTINF:([0-9.]+),", text)]
    files = [line for line in text.splitlines() if line and not line.startswith("#")]
    dates = re.findall(r"#EXT-X-PROGRAM-DATE-TIME:(\S+)", text)
    return durations, files, dates


async def test_wrong_key_is_refused_before_media_flows(rig: Rig) -> None:
    publisher = await rig.publisher("not-a-key", 2)
    await asyncio.wait_for(publisher.communicate(), 20)

    assert publisher.returncode != 0, "ffmpeg must fail when the hook refuses the key"
    assert rig.keys.asked == ["not-a-key"]
    assert rig.events.reports == []
    assert not (rig.data / "hls").exists() or not any((rig.data / "hls").iterdir())
    assert not (rig.data / "recordings").exists() or not any((rig.data / "recordings").iterdir())


async def test_publish_gives_hls_and_a_recording(rig: Rig, ffprobe: Callable[..., dict[str, Any]]) -> None:
    sent = rig.data / "sent.flv"
    publisher = await rig.publisher(GOOD_KEY, 4, copy_to=sent)
    _, stderr = await asyncio.wait_for(publisher.communicate(), 30)
    assert publisher.returncode == 0, stderr.decode()
    await rig.events.wait_for(StreamStatus.RECONNECTING)
    await rig.ingest.end(SESSION)

    assert rig.events.statuses()[0] == StreamStatus.WAITING
    assert rig.events.statuses()[-2:] == [StreamStatus.RECONNECTING, StreamStatus.ENDED]
    live = [info for _, status, info in rig.events.reports if status == StreamStatus.LIVE]
    assert live[0].video_codec == "h264" and (live[0].width, live[0].height) == (320, 240)
    assert live[0].audio_codec == "aac" and live[0].sample_rate == 44100
    assert any(info.bitrate_kbps for info in live), "LIVE reports carry the bitrate while media flows"

    hls = rig.ingest.hls_playlist(SESSION)
    text = await asyncio.to_thread(hls.read_text)
    durations, files, dates = playlist_tags(text)
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    assert "#EXT-X-DISCONTINUITY\n" not in text
    assert len(files) == len(dates) == len(durations) >= 3
    target = int(re.search(r"#EXT-X-TARGETDURATION:(\d+)", text)[1])
    assert all(0.5 <= duration <= 2.1 and round(duration) <= target for duration in durations[:-1])
    probe = await asyncio.to_thread(ffprobe, hls, "-show_streams", "-show_entries", "stream=codec_name")
    assert sorted(stream["codec_name"] for stream in probe["streams"]) == ["aac", "h264"]

    manifest = json.loads(await asyncio.to_thread((rig.ingest.recording_dir(SESSION) / "recording.json").read_text))
    assert manifest["ended"] is True and len(manifest["parts"]) == 1
    part = rig.ingest.recording_dir(SESSION) / manifest["parts"][0]["file"]
    recorded = await asyncio.to_thread(packets, ffprobe, part)
    expected = await asyncio.to_thread(packets, ffprobe, sent)
    assert set(recorded) == {"video", "audio"}
    for kind in ("video", "audio"):
        assert_monotonic(recorded[kind])
    # The puller subscribes before the publisher is let in, so nothing is lost to joining late; only audio
    # ahead of the first video keyframe is left out.
    assert len(recorded["video"]) == len(expected["video"])
    assert len(expected["audio"]) - 3 <= len(recorded["audio"]) <= len(expected["audio"])
    fmt = await asyncio.to_thread(ffprobe, part, "-show_entries", "format=duration")
    assert abs(float(fmt["format"]["duration"]) - 4.0) <= 1.0
    assert abs(manifest["parts"][0]["duration"] - 4.0) <= 1.0


async def test_reconnecting_publisher_continues_the_playlist_and_recording(
    rig: Rig, ffprobe: Callable[..., dict[str, Any]]
) -> None:
    first = await rig.publisher(GOOD_KEY, 10)
    await rig.events.wait_for(StreamStatus.LIVE)
    await asyncio.sleep(2.5)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    await rig.events.wait_for(StreamStatus.RECONNECTING)

    second = await rig.publisher(GOOD_KEY, 3)
    _, stderr = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0, stderr.decode()
    await rig.events.wait_for(StreamStatus.RECONNECTING, count=2)
    await rig.ingest.end(SESSION)

    text = await asyncio.to_thread(rig.ingest.hls_playlist(SESSION).read_text)
    _, files, dates = playlist_tags(text)
    assert text.count("#EXT-X-DISCONTINUITY\n") == 1
    sequences = [int(name.removeprefix("seg").removesuffix(".ts")) for name in files]
    first_sequence = int(re.search(r"#EXT-X-MEDIA-SEQUENCE:(\d+)", text)[1])
    assert sequences == list(range(first_sequence, first_sequence + len(files))), "sequence numbers continue"
    assert dates == sorted(dates)

    manifest = json.loads(await asyncio.to_thread((rig.ingest.recording_dir(SESSION) / "recording.json").read_text))
    parts = manifest["parts"]
    assert [part["publish"] for part in parts] == [1, 2], "one recording, one part per publish"
    assert parts[1]["timeline_start"] >= parts[0]["timeline_start"] + parts[0]["duration"] - 0.05
    assert parts[0]["started_at"] < parts[1]["started_at"]
    for part in parts:
        recorded = await asyncio.to_thread(packets, ffprobe, rig.ingest.recording_dir(SESSION) / part["file"])
        assert set(recorded) == {"video", "audio"}
        assert_monotonic(recorded["video"])
        assert_monotonic(recorded["audio"])
    assert len(recorded["video"]) == 3 * FPS, "the publisher that came back is recorded from its first frame"
    assert 1.5 <= parts[0]["duration"] <= 3.5
    assert abs(parts[1]["duration"] - 3.0) <= 1.0


async def test_ending_the_session_while_live_drops_the_publisher_and_closes_the_record(
    rig: Rig, ffprobe: Callable[..., dict[str, Any]]
) -> None:
    publisher = await rig.publisher(GOOD_KEY, 20)
    await rig.events.wait_for(StreamStatus.LIVE)
    await asyncio.sleep(1.5)
    await rig.ingest.end(SESSION)
    await asyncio.wait_for(publisher.communicate(), 5)

    assert publisher.returncode != 0, "nginx cut the publisher"
    assert rig.events.statuses()[-1] == StreamStatus.ENDED
    assert StreamStatus.RECONNECTING not in rig.events.statuses()
    text = await asyncio.to_thread(rig.ingest.hls_playlist(SESSION).read_text)
    assert text.rstrip().endswith("#EXT-X-ENDLIST")
    manifest = json.loads(await asyncio.to_thread((rig.ingest.recording_dir(SESSION) / "recording.json").read_text))
    assert manifest["ended"] is True and 1.0 <= manifest["parts"][0]["duration"] <= 3.5
    part = rig.ingest.recording_dir(SESSION) / manifest["parts"][0]["file"]
    recorded = await asyncio.to_thread(packets, ffprobe, part)
    assert_monotonic(recorded["video"])


async def test_a_taken_port_is_reported_with_nginx_own_words(nginx_rtmp: None, tmp_path: Path) -> None:
    taken = await asyncio.start_server(lambda reader, writer: None, "0.0.0.0", 0)
    port = taken.sockets[0].getsockname()[1]
    server = NginxRtmpServer(
        NginxRtmpSettings(tmp_path / "run", "http://127.0.0.1:9/publish", "http://127.0.0.1:9/done", port=port)
    )
    try:
        with pytest.raises(RtmpUnavailable, match="Address already in use"):
            await server.start()
        assert not server.running
    finally:
        taken.close()
        await server.close()


OWNER = """
import asyncio, sys
from pathlib import Path
from media import NginxRtmpServer, NginxRtmpSettings

async def main():
    server = NginxRtmpServer(NginxRtmpSettings(Path(sys.argv[1]), "http://127.0.0.1:9/p", "http://127.0.0.1:9/d",
                                               port=int(sys.argv[2])))
    await server.start()
    print("up", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


async def test_nginx_does_not_outlive_a_killed_hopso(nginx_rtmp: None, tmp_path: Path, unused_tcp_port: int) -> None:
    env = os.environ | {"PYTHONPATH": str(Path(media.__file__).parents[1])}
    owner = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        OWNER,
        str(tmp_path / "run"),
        str(unused_tcp_port),
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert owner.stdout is not None
    assert await asyncio.wait_for(owner.stdout.readline(), 10) == b"up\n"
    nginx_pid = int(await asyncio.to_thread((tmp_path / "run" / "nginx.pid").read_text))
    owner.send_signal(signal.SIGKILL)
    await owner.wait()

    async with asyncio.timeout(5):
        while True:
            if not await asyncio.to_thread(running, nginx_pid):
                break
            await asyncio.sleep(0.05)


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
