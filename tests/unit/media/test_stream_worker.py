"""StreamWorker with real files as the input: HLS and the recording across two publishes, and a stuck input."""

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from pathlib import Path

import av

from media import (
    HlsOutput,
    HlsSettings,
    PullSettings,
    RecordingOutput,
    RecordingSettings,
    StreamInfo,
    StreamStatus,
    StreamWorker,
    WorkerSettings,
)

SESSION = "s1"


class Recorder:
    def __init__(self) -> None:
        self.reports: list[tuple[StreamStatus, StreamInfo]] = []
        self.changed = asyncio.Event()

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        assert session_key == SESSION
        self.reports.append((status, info))
        self.changed.set()

    def statuses(self) -> list[StreamStatus]:
        return [status for status, _ in self.reports]

    async def wait_for(self, status: StreamStatus, count: int = 1, within: float = 10) -> None:
        async with asyncio.timeout(within):
            while self.statuses().count(status) < count:
                self.changed.clear()
                await self.changed.wait()


def make_worker(tmp_path: Path, events: Recorder, pull: PullSettings | None = None, window: int = 4) -> StreamWorker:
    outputs = (
        HlsOutput(HlsSettings(root=tmp_path / "hls", window=window, keep_after_window=2), SESSION),
        RecordingOutput(RecordingSettings(root=tmp_path / "rec", part_seconds=2.5), SESSION),
    )
    return StreamWorker(SESSION, outputs, events, WorkerSettings(pull or PullSettings()))


def read_packets(path: Path) -> list[tuple[str, int, int]]:
    with av.open(str(path)) as container:
        return [(packet.stream.type, packet.dts, packet.pts) for packet in container.demux() if packet.dts is not None]


async def test_two_publishes_continue_one_playlist_and_one_recording(
    tmp_path: Path, sample_flv: Callable[[float], Path]
) -> None:
    first, second = await asyncio.to_thread(sample_flv, 3), await asyncio.to_thread(sample_flv, 4)
    events = Recorder()
    worker = make_worker(tmp_path, events)
    await worker.start()
    worker.publish(str(first), "192.0.2.1")
    await events.wait_for(StreamStatus.RECONNECTING)
    worker.publish(str(second), "192.0.2.1")
    await events.wait_for(StreamStatus.RECONNECTING, count=2)
    await worker.close()

    assert events.statuses()[0] == StreamStatus.WAITING
    assert events.statuses()[-1] == StreamStatus.ENDED
    live = [info for status, info in events.reports if status == StreamStatus.LIVE]
    assert [info.publishes for info in live] == [1, 2]
    assert (live[0].video_codec, live[0].width, live[0].height, live[0].frame_rate) == ("h264", 160, 120, 30.0)
    assert (live[0].audio_codec, live[0].sample_rate, live[0].channels) == ("aac", 44100, 1)
    assert live[0].publisher == "192.0.2.1"

    playlist = (tmp_path / "hls" / SESSION / "index.m3u8").read_text()
    files = [line for line in playlist.splitlines() if line.endswith(".ts")]
    assert files == ["seg000003.ts", "seg000004.ts", "seg000005.ts", "seg000006.ts"], "3 + 4 one-second segments"
    assert "#EXT-X-MEDIA-SEQUENCE:3\n" in playlist
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:0\n" in playlist
    assert "#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:" in playlist and playlist.count("DISCONTINUITY\n") == 1
    assert playlist.rstrip().endswith("#EXT-X-ENDLIST")
    on_disk = sorted(path.name for path in (tmp_path / "hls" / SESSION).glob("seg*.ts"))
    assert on_disk == [f"seg{sequence:06d}.ts" for sequence in range(1, 7)], "2 kept after the window, older deleted"
    state = json.loads((tmp_path / "hls" / SESSION / "hls.json").read_text())
    assert state["next_sequence"] == 7 and state["publishes"] == 2

    manifest = json.loads((tmp_path / "rec" / SESSION / "recording.json").read_text())
    assert manifest["ended"] is True
    parts = manifest["parts"]
    assert [part["publish"] for part in parts] == [1, 2, 2], (
        "a new part per publish and at the first keyframe after 2.5 s"
    )
    for before, after in itertools.pairwise(parts):
        assert abs(before["timeline_start"] + before["duration"] - after["timeline_start"]) < 0.05
    assert abs(sum(part["duration"] for part in parts) - 7.0) < 0.2
    video_frames = 0
    for part in parts:
        packets = read_packets(tmp_path / "rec" / SESSION / part["file"])
        video = [dts for kind, dts, _ in packets if kind == "video"]
        assert video == sorted(set(video)), "strictly increasing video dts"
        video_frames += len(video)
    assert video_frames == 7 * 30, "every frame of both publishes is recorded once"


async def test_playlist_marks_the_reconnect_while_it_is_in_the_window(
    tmp_path: Path, sample_flv: Callable[[float], Path]
) -> None:
    clip = await asyncio.to_thread(sample_flv, 2)
    events = Recorder()
    worker = make_worker(tmp_path, events)
    await worker.start()
    worker.publish(str(clip))
    await events.wait_for(StreamStatus.RECONNECTING)
    worker.publish(str(clip))
    await events.wait_for(StreamStatus.RECONNECTING, count=2)
    await worker.close(final=False)

    playlist = (tmp_path / "hls" / SESSION / "index.m3u8").read_text()
    lines = playlist.splitlines()
    assert "#EXT-X-ENDLIST" not in lines, "a shutdown leaves the live playlist open"
    assert lines.count("#EXT-X-DISCONTINUITY") == 1
    marker = lines.index("#EXT-X-DISCONTINUITY")
    assert lines[marker + 1].startswith("#EXT-X-PROGRAM-DATE-TIME:") and lines[marker + 3] == "seg000002.ts"
    assert events.statuses()[-1] == StreamStatus.RECONNECTING, "no ENDED on shutdown"

    again = make_worker(tmp_path, events)
    await again.start()
    again.publish(str(clip))
    await events.wait_for(StreamStatus.RECONNECTING, count=3)
    await again.close()
    playlist = (tmp_path / "hls" / SESSION / "index.m3u8").read_text()
    assert playlist.count("#EXT-X-DISCONTINUITY\n") == 2, "a restarted HopSo continues the same playlist"
    assert "seg000005.ts" in playlist
    manifest = json.loads((tmp_path / "rec" / SESSION / "recording.json").read_text())
    assert [part["publish"] for part in manifest["parts"]] == [1, 2, 3]
    assert manifest["parts"][2]["timeline_start"] >= 3.9


async def test_the_discontinuity_sequence_counts_markers_that_left_the_window(
    tmp_path: Path, sample_flv: Callable[[float], Path]
) -> None:
    first, second = await asyncio.to_thread(sample_flv, 2), await asyncio.to_thread(sample_flv, 3)
    events = Recorder()
    worker = make_worker(tmp_path, events, window=2)
    await worker.start()
    worker.publish(str(first))
    await events.wait_for(StreamStatus.RECONNECTING)
    worker.publish(str(second))
    await events.wait_for(StreamStatus.RECONNECTING, count=2)
    await worker.close()

    playlist = (tmp_path / "hls" / SESSION / "index.m3u8").read_text()
    assert [line for line in playlist.splitlines() if line.endswith(".ts")] == ["seg000003.ts", "seg000004.ts"]
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:1\n" in playlist
    assert "#EXT-X-DISCONTINUITY\n" not in playlist


async def test_a_silent_server_neither_stalls_the_loop_nor_holds_the_worker(tmp_path: Path) -> None:
    held: list[asyncio.StreamWriter] = []

    async def accept_and_say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(accept_and_say_nothing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    events = Recorder()
    pull = PullSettings(open_timeout=1.0, read_timeout=1.0, connect_deadline=1.5)
    worker = make_worker(tmp_path, events, pull)
    await worker.start()

    worst_lag = 0.0
    started = time.monotonic()
    worker.publish(f"rtmp://127.0.0.1:{port}/live/key")
    reconnecting = asyncio.create_task(events.wait_for(StreamStatus.RECONNECTING))
    while not reconnecting.done():
        before = time.monotonic()
        await asyncio.sleep(0.02)
        worst_lag = max(worst_lag, time.monotonic() - before - 0.02)
    await reconnecting
    elapsed = time.monotonic() - started
    await worker.close()
    server.close()
    for writer in held:
        writer.close()

    assert worst_lag < 0.2, f"event loop stalled {worst_lag:.2f} s"
    assert 1.0 <= elapsed <= 5.0
    reason = events.reports[-2][1].reason
    assert reason is not None and reason.startswith("could not read the published stream")
    assert "key" not in reason, "the reason never carries the URL (it holds the stream key)"
    assert events.statuses()[-1] == StreamStatus.ENDED
