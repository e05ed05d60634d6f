"""faster-whisper over spans of a recording, with voice-activity detection and word timestamps."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from media.speech.audio import SAMPLE_RATE
from media.speech.model import SpeechModelError, SpeechSettings, model_problem
from media.speech.timed_text import Segment, Word

MIN_SILENCE_MS = 500
"""Pauses shorter than this stay inside one stretch of speech for the voice-activity detector."""


class Recognizer:
    def __init__(self, settings: SpeechSettings) -> None:
        problem = model_problem(settings.model)
        if problem:
            raise SpeechModelError(problem)
        from faster_whisper import WhisperModel  # imported here: loading it is the child process's work

        self.settings = settings
        try:
            self.model = WhisperModel(
                str(settings.model),
                device="cpu",
                compute_type=settings.compute_type,
                cpu_threads=settings.cpu_threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise SpeechModelError(f"không nạp được mô hình {settings.model}: {exc}") from exc

    def transcribe(
        self, samples: np.ndarray, offset: float, progress: Callable[[float], None] = lambda _: None
    ) -> Iterator[Segment]:
        """Segments of `samples`, timed from the recording's start (`offset` is where the samples begin)."""
        if samples.size < SAMPLE_RATE // 10:
            return
        segments, _info = self.model.transcribe(
            samples,
            language=self.settings.language,
            vad_filter=True,
            vad_parameters={"min_silence_duration_ms": MIN_SILENCE_MS},
            word_timestamps=True,
            condition_on_previous_text=False,
        )
        for segment in segments:
            progress(offset + segment.end)
            text = segment.text.strip()
            if not text:
                continue
            words = tuple(
                Word(
                    round(offset + w.start, 3), round(offset + w.end, 3), w.word.strip(), round(float(w.probability), 4)
                )
                for w in segment.words or ()
            )
            confidence = (
                sum(word.probability for word in words) / len(words) if words else math.exp(segment.avg_logprob)
            )
            yield Segment(
                round(offset + segment.start, 3), round(offset + segment.end, 3), text, round(confidence, 4), words
            )
