"""Media unit tests that need ffmpeg or nginx-rtmp; skipped with the reason when a tool is missing.

With ``HOPSO_REQUIRE_ALL=1`` a missing tool fails the test instead.
"""

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
import pytest
from av.video.frame import PictureType


def write_sample_flv(path: Path, seconds: float, fps: int = 30, sample_rate: int = 44100) -> Path:
    """An FLV file like an encoder's RTMP output: H.264 (1 s GOP) and AAC, made with PyAV alone."""
    with av.open(str(path), "w", format="flv") as out:
        video = out.add_stream(
            "libx264", rate=fps, options={"preset": "ultrafast", "tune": "zerolatency", "g": str(fps)}
        )
        video.width, video.height, video.pix_fmt = 160, 120, "yuv420p"
        audio = out.add_stream("aac", rate=sample_rate, layout="mono")
        with av.open(f"testsrc2=size=160x120:rate={fps}:duration={seconds}", format="lavfi") as source:
            for frame in source.decode(video=0):
                # lavfi marks every frame I, which libx264 would obey; the encoder picks its own GOP.
                frame.pict_type = PictureType.NONE
                out.mux(video.encode(frame))
        out.mux(video.encode())
        tone = np.sin(2 * np.pi * 440 * np.arange(int(seconds * sample_rate)) / sample_rate).astype(np.float32)
        for start in range(0, len(tone), 1024):
            frame = av.AudioFrame.from_ndarray(tone[None, start : start + 1024], format="flt", layout="mono")
            frame.sample_rate, frame.pts = sample_rate, start
            out.mux(audio.encode(frame))
        out.mux(audio.encode())
    return path


@pytest.fixture
def sample_flv(tmp_path: Path) -> Callable[[float], Path]:
    """``sample_flv(seconds)`` -> path of a fresh sample file."""
    count = 0

    def make(seconds: float) -> Path:
        nonlocal count
        count += 1
        return write_sample_flv(tmp_path / f"sample-{count}.flv", seconds)

    return make
