"""A recording survives ``kill -9`` of the process writing it, and the next run continues the same recording."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av

import media
from media import Publish, RecordingOutput, RecordingSettings

# Writes the sample in real time through RecordingOutput, as the stream thread would.
WRITER = """
import sys, time
from datetime import UTC, datetime
from pathlib import Path
import av
from media import Publish, RecordingOutput, RecordingSettings

source = av.open(sys.argv[1])
streams = (source.streams.video[0], source.streams.audio[0])
output = RecordingOutput(RecordingSettings(root=Path(sys.argv[2])), "crash")
output.start()
output.begin(Publish(1, streams, datetime.now(UTC), 0.0))
started = None
for packet in source.demux(streams):
    if packet.dts is None:
        continue
    at = float(packet.dts * packet.time_base)
    if started is None:
        started = time.monotonic() - at
        print("writing", flush=True)
    time.sleep(max(0.0, started + at - time.monotonic()))
    output.write(packet)
"""


def test_kill_9_loses_at_most_about_a_keyframe_interval(
    tmp_path: Path, sample_flv: Callable[[float], Path], ffprobe: Callable[..., dict[str, Any]]
) -> None:
    sample = sample_flv(6)
    env = os.environ | {"PYTHONPATH": str(Path(media.__file__).parents[1])}
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(sample), str(tmp_path / "rec")], stdout=subprocess.PIPE, env=env
    )
    assert writer.stdout is not None and writer.stdout.readline() == b"writing\n"
    time.sleep(2.5)
    writer.send_signal(signal.SIGKILL)
    writer.wait()

    manifest = json.loads((tmp_path / "rec" / "crash" / "recording.json").read_text())
    assert [part["duration"] for part in manifest["parts"]] == [None], "the part was never closed"
    part = tmp_path / "rec" / "crash" / manifest["parts"][0]["file"]
    probe = ffprobe(part, "-count_packets", "-show_entries", "stream=codec_type,nb_read_packets")
    counts = {stream["codec_type"]: int(stream["nb_read_packets"]) for stream in probe["streams"]}
    assert 1.2 * 30 <= counts["video"] <= 2.6 * 30, counts
    assert counts["audio"] >= 1.2 * 44100 / 1024, counts

    resumed = RecordingOutput(RecordingSettings(root=tmp_path / "rec"), "crash")
    resume = resumed.start()
    assert resume.publishes == 1
    with av.open(str(sample)) as source:
        streams = (source.streams.video[0], source.streams.audio[0])
        resumed.begin(Publish(2, streams, datetime.now(UTC), resume.timeline_end))
        for packet in source.demux(streams):
            if packet.dts is not None:
                resumed.write(packet)
        resumed.close(final=True)
    manifest = json.loads((tmp_path / "rec" / "crash" / "recording.json").read_text())
    assert [part["file"] for part in manifest["parts"]] == ["part-0001.mp4", "part-0002.mp4"]
    assert manifest["ended"] is True
