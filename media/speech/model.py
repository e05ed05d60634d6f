"""The deployment's speech model: a CTranslate2 Whisper model directory, never a name to download."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REQUIRED_FILES = ("model.bin", "config.json")
TOKENIZER_FILES = ("tokenizer.json",)


class SpeechModelError(RuntimeError):
    """The model directory is missing or is not a CTranslate2 Whisper model."""


@dataclass(frozen=True)
class SpeechSettings:
    model: Path
    language: str = "vi"
    threads: int = 0
    """CPU threads for the model; 0: one per core."""
    compute_type: str = "int8"
    nice: int = 19
    """Added to the child process's niceness: a live session on the same machine goes first."""
    piece_seconds: float = 300.0
    """Longer turns are transcribed in pieces of at most this length, each one kept when done."""

    @property
    def cpu_threads(self) -> int:
        # CTranslate2 would take 4 threads for 0, more than a small server has cores.
        return self.threads or os.cpu_count() or 1


def model_problem(model: Path) -> str | None:
    """Why `model` cannot be used (in words for the review), or None if it looks like a CTranslate2 Whisper model.

    A directory is required: faster-whisper would download a model given by name, and nothing is fetched at run time.
    """
    if not model.is_dir():
        return f"không có thư mục mô hình {model}"
    absent = [name for name in (*REQUIRED_FILES, *TOKENIZER_FILES) if not (model / name).is_file()]
    if absent:
        return f"thư mục {model} không phải mô hình Whisper dạng CTranslate2 (thiếu {', '.join(absent)})"
    return None
