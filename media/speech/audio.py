"""A span of a recording's sound as 16 kHz mono samples, the form Whisper takes."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 16000


class AudioReader:
    """Reads spans of one recording's first audio stream; seeks for each, so a long recording is never whole in
    memory."""

    def __init__(self, path: Path) -> None:
        self.container = av.open(str(path))
        if not self.container.streams.audio:
            self.container.close()
            raise ValueError(f"{path.name} has no sound")
        self.stream = self.container.streams.audio[0]

    def close(self) -> None:
        self.container.close()

    def __enter__(self) -> AudioReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def read(self, start: float, end: float) -> np.ndarray:
        """Float32 samples from `start` to `end` seconds (fewer if the recording ends first)."""
        stream = self.stream
        self.container.seek(max(0, int(start / stream.time_base)), stream=stream, backward=True)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        chunks: list[np.ndarray] = []
        first: float | None = None
        for frame in self.container.decode(stream):
            if frame.pts is None:
                continue
            at = float(frame.pts * stream.time_base)
            if at >= end:
                break
            if first is None:
                first = at
            chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
        if first is None:
            return np.zeros(0, dtype=np.float32)
        chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        skip = max(0, round((start - first) * SAMPLE_RATE))
        keep = max(0, round((end - start) * SAMPLE_RATE))
        return np.ascontiguousarray(samples[skip : skip + keep], dtype=np.float32)
