"""Drives :mod:`media.speech.process` from the owner's event loop: the request in, each piece's text out."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from media.speech.model import SpeechSettings
from media.speech.timed_text import Piece, Segment

STDERR_TAIL = 2000
LINE_LIMIT = 64 * 1024 * 1024
"""A piece of five minutes of speech is a few hundred kilobytes of JSON; the limit only guards against garbage."""


class SpeechError(RuntimeError):
    """The speech process failed; the message says why, in words for the review."""


@dataclass(frozen=True)
class Progress:
    key: str
    at: float
    """Seconds into the recording that the model has reached inside piece `key`."""


@dataclass(frozen=True)
class PieceText:
    key: str
    segments: list[Segment]


async def transcribe(
    video: Path, pieces: Sequence[Piece], settings: SpeechSettings
) -> AsyncIterator[Progress | PieceText]:
    """Transcribe `pieces` of `video` in a child process, in order; stopping the iteration ends the child."""
    request = {
        "video": str(video),
        "model": str(settings.model),
        "language": settings.language,
        "threads": settings.threads,
        "compute_type": settings.compute_type,
        "nice": settings.nice,
        "pieces": [{"key": piece.key, "start": piece.start, "end": piece.end} for piece in pieces],
    }
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "media.speech.process",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=LINE_LIMIT,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    errors = asyncio.create_task(child.stderr.read())
    try:
        child.stdin.write(json.dumps(request).encode())
        await child.stdin.drain()
        child.stdin.close()
        failure: str | None = None
        async for line in child.stdout:
            event = json.loads(line)
            if event["type"] == "progress":
                yield Progress(event["key"], float(event["at"]))
            elif event["type"] == "piece":
                yield PieceText(event["key"], [Segment.of(segment) for segment in event["segments"]])
            elif event["type"] == "error":
                failure = event["message"]
        status = await child.wait()
        if status != 0:
            tail = (await errors).decode(errors="replace")[-STDERR_TAIL:].strip()
            raise SpeechError(failure or f"tiến trình nhận dạng tiếng nói dừng với mã {status}: {tail}")
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
        errors.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await errors
