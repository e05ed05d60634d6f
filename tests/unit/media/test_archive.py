"""The archive copy: a two-publish recording joined into one faststart MP4 with chapters and a poster."""

import asyncio
import itertools
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from media import RecordingOutput, RecordingSettings, StreamInfo, StreamStatus, StreamWorker, WorkerSettings
from media.archive import ArchiveError, Chapter, chapters_webvtt, make_archive
from media.ingest.pull import PullSettings
from media.outputs.recording import MANIFEST_NAME, RecordingManifest

SESSION = "archive-1"


class PublishEnds:
    def __init__(self) -> None:
        self.ended = 0
        self.changed = asyncio.Condition()

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        async with self.changed:
            self.ended += status == StreamStatus.RECONNECTING
            self.changed.notify_all()


async def record(tmp_path: Path, clips: list[Path]) -> Path:
    """Publish each clip in turn through a real StreamWorker; return the recording's folder."""
    output = RecordingOutput(RecordingSettings(root=tmp_path / "rec"), SESSION)
    events = PublishEnds()
    worker = StreamWorker(SESSION, (output,), events, WorkerSettings(PullSettings()))
    await worker.start()
    for number, clip in enumerate(clips, start=1):
        worker.publish(str(clip))
        async with events.changed:
            await asyncio.wait_for(events.changed.wait_for(lambda n=number: events.ended >= n), 15)
    await worker.close()
    return output.directory


def top_level_boxes(path: Path) -> list[str]:
    boxes, offset, data = [], 0, path.read_bytes()
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        boxes.append(kind.decode())
        offset += size or len(data)
    return boxes


async def test_the_recording_becomes_one_faststart_mp4_with_chapters_and_a_poster(
    tmp_path: Path, sample_flv: Callable[[float], Path], ffprobe: Callable[..., dict[str, Any]]
) -> None:
    clips = [await asyncio.to_thread(sample_flv, 2), await asyncio.to_thread(sample_flv, 3)]
    recording = await record(tmp_path, clips)
    chapters = [(0.0, 2.0, "Khai mạc kỳ họp"), (2.0, 5.0, "Thảo luận: <ngân sách> & đầu tư")]

    archive = await asyncio.to_thread(make_archive, recording, tmp_path / "archive", chapters)

    boxes = top_level_boxes(archive.video)
    assert boxes.index("moov") < boxes.index("mdat"), "moov first, so playback starts before the download ends"
    probe = await asyncio.to_thread(
        ffprobe, archive.video, "-show_format", "-show_streams", "-show_chapters", "-count_packets"
    )
    assert abs(float(probe["format"]["duration"]) - 5.0) <= 1.0
    media = [stream for stream in probe["streams"] if stream["codec_type"] in ("audio", "video")]
    assert sorted(stream["codec_name"] for stream in media) == ["aac", "h264"]
    assert all(stream["codec_type"] == "data" for stream in probe["streams"] if stream not in media), (
        "besides audio and video only the QuickTime chapter track"
    )
    video = next(stream for stream in probe["streams"] if stream["codec_type"] == "video")
    assert int(video["nb_read_packets"]) == 5 * 30, "every video frame of both publishes, copied once"
    assert [chapter["tags"]["title"] for chapter in probe["chapters"]] == [title for _, _, title in chapters]
    assert [round(float(chapter["start_time"]), 3) for chapter in probe["chapters"]] == [0.0, 2.0]

    dts = await asyncio.to_thread(
        ffprobe, archive.video, "-select_streams", "v", "-show_entries", "packet=dts", "-show_packets"
    )
    values = [int(packet["dts"]) for packet in dts["packets"]]
    assert all(a < b for a, b in itertools.pairwise(values)), "timestamps run on across the reconnect"

    vtt = archive.chapters_vtt.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\nKhai mạc kỳ họp\n")
    assert "Thảo luận: &lt;ngân sách&gt; &amp; đầu tư" in vtt
    assert archive.poster is not None and archive.poster.read_bytes()[:2] == b"\xff\xd8"
    assert archive.packets > 150 and abs(archive.duration - 5.0) <= 0.5


async def test_a_part_cut_short_by_a_crash_is_still_joined(
    tmp_path: Path, sample_flv: Callable[[float], Path], ffprobe: Callable[..., dict[str, Any]]
) -> None:
    recording = await record(tmp_path, [await asyncio.to_thread(sample_flv, 2)])
    manifest = RecordingManifest.load(recording / MANIFEST_NAME)
    manifest.parts[0].duration = None
    manifest.ended = False
    manifest.save(recording / MANIFEST_NAME)

    archive = await asyncio.to_thread(make_archive, recording, tmp_path / "archive")

    probe = await asyncio.to_thread(ffprobe, archive.video, "-show_format")
    assert abs(float(probe["format"]["duration"]) - 2.0) <= 0.5


def test_without_a_recording_the_archive_says_so(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="no recording manifest"):
        make_archive(tmp_path, tmp_path / "out")


def test_webvtt_chapters_keep_vietnamese_titles_and_cue_timing() -> None:
    text = chapters_webvtt([Chapter(3661.5, 3725.25, "Chất vấn --> trả lời")])

    assert text == "WEBVTT\n\n1\n01:01:01.500 --> 01:02:05.250\nChất vấn → trả lời\n"
