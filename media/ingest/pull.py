"""Reading a published stream back from the RTMP server with PyAV (blocking: run it in a worker thread)."""

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass

import av
from av.container import InputContainer


@dataclass
class PullSettings:
    open_timeout: float = 10.0
    """Seconds one connection attempt may take: it subscribes before the publisher sends, then probes its media."""
    read_timeout: float = 5.0
    """Seconds without data before the input counts as gone."""
    connect_deadline: float = 15.0
    """Seconds to keep trying to open the stream after a publish was accepted."""
    retry_interval: float = 0.1
    probe_seconds: float = 0.5
    """How much media FFmpeg reads to learn the streams before the first packet comes out."""


InputOpener = Callable[[Callable[[], bool]], AbstractContextManager[InputContainer] | None]
"""Opens one publish's input in the stream's thread (blocking); given ``should_stop``, answers None if it came true
first; raises :class:`PullFailed` when it gives up."""


class PullFailed(RuntimeError):
    """The stream could not be opened before the deadline."""


def open_input(url: str, settings: PullSettings, should_stop: Callable[[], bool]) -> InputContainer | None:
    """Open ``url``, retrying until ``settings.connect_deadline``; None if ``should_stop()`` turned true first.

    Every attempt is bounded by PyAV's open timeout, so a server that accepts and then says nothing
    cannot hold the thread; once open, a read waits at most about ``settings.read_timeout`` for data.
    """
    deadline = time.monotonic() + settings.connect_deadline
    options = {
        "rtmp_live": "live",
        "analyzeduration": str(int(settings.probe_seconds * 1_000_000)),
        "probesize": "65536",
        # Reads are bounded by FFmpeg's socket timeout rather than PyAV's read timeout, whose callback takes the
        # GIL on every socket wait (a thousand times a second at 4 Mb/s). An RTMP read gives up after two such
        # waits, so half of ``read_timeout`` each.
        "rw_timeout": str(int(settings.read_timeout * 1_000_000 / 2)),
    }
    last_error: Exception | None = None
    while not should_stop():
        try:
            return av.open(url, "r", options=options, timeout=(settings.open_timeout, None))
        except (av.FFmpegError, OSError) as exc:
            last_error = exc
        if time.monotonic() + settings.retry_interval > deadline:
            raise PullFailed(f"could not read the published stream: {describe_error(last_error)}")
        time.sleep(settings.retry_interval)
    return None


def describe_error(exc: BaseException | None) -> str:
    """A readable reason without the URL, which carries the secret stream key."""
    if exc is None:
        return "unknown error"
    return getattr(exc, "strerror", None) or type(exc).__name__
