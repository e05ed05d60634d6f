"""The speech model's own process: ``python -m media.speech.process``.

Reads one request as JSON on stdin (the video, the model settings and the pieces to transcribe) and writes one JSON
line per event on stdout: ``{"type": "progress", "key", "at"}`` while a piece goes, ``{"type": "piece", "key",
"segments"}`` when it is done, ``{"type": "error", "message"}`` before exiting with status 2. It lowers its own
priority first (see :func:`lower_priority`), so the model takes only the CPU that live sessions leave.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import av

from media.speech.audio import AudioReader
from media.speech.model import SpeechModelError, SpeechSettings
from media.speech.recognizer import Recognizer
from media.speech.timed_text import Piece

LOWEST = 19


def settings_of(request: dict[str, Any]) -> SpeechSettings:
    return SpeechSettings(
        model=Path(request["model"]),
        language=request["language"],
        threads=int(request["threads"]),
        compute_type=request["compute_type"],
        nice=int(request["nice"]),
    )


def lower_priority(nice: int) -> None:
    """Nice every thread of this process by `nice` (libraries start threads on import: numpy's BLAS pool); at the
    lowest (19), also put them in Linux's idle class, where they run only on CPU time nothing else wants, so that a
    waking server thread takes the core at once instead of after a time slice. Threads started later inherit both."""
    if not nice:
        return
    tasks = Path("/proc/self/task")
    threads = [int(tid) for tid in os.listdir(tasks)] if tasks.is_dir() else [0]
    for tid in threads:
        os.setpriority(os.PRIO_PROCESS, tid, min(LOWEST, os.getpriority(os.PRIO_PROCESS, tid) + nice))
        if nice >= LOWEST and hasattr(os, "SCHED_IDLE"):
            os.sched_setscheduler(tid, os.SCHED_IDLE, os.sched_param(0))


def run(request: dict[str, Any], out: TextIO) -> None:
    def emit(**event: Any) -> None:
        out.write(json.dumps(event, ensure_ascii=False) + "\n")
        out.flush()

    settings = settings_of(request)
    lower_priority(settings.nice)
    recognizer = Recognizer(settings)
    pieces = [Piece(**piece) for piece in request["pieces"]]
    with AudioReader(Path(request["video"])) as audio:
        for piece in pieces:
            samples = audio.read(piece.start, piece.end)
            segments = recognizer.transcribe(
                samples, piece.start, lambda at, key=piece.key: emit(type="progress", key=key, at=round(at, 3))
            )
            emit(type="piece", key=piece.key, segments=[segment.as_dict() for segment in segments])


def main() -> int:
    try:
        run(json.load(sys.stdin), sys.stdout)
    except (SpeechModelError, av.FFmpegError, ValueError, OSError, KeyError) as exc:
        sys.stdout.write(json.dumps({"type": "error", "message": str(exc)}, ensure_ascii=False) + "\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
