"""What every output of a stream (HLS, recording, later relay) implements; all calls come from the stream's thread."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import av
from av.stream import Stream


@dataclass(frozen=True)
class Publish:
    """One connection of the publisher; a session's stream is one or more of these on one timeline."""

    number: int
    """1 for the first publish of the session, 2 after the first reconnect, ..."""
    streams: tuple[Stream, ...]
    """The input streams that are copied (at most one video, then at most one audio)."""
    started_at: datetime
    """Wall clock (UTC) at ``timeline_start``."""
    timeline_start: float
    """Seconds on the session timeline where this publish begins; it continues where the previous one ended."""

    def wallclock(self, seconds: float) -> datetime:
        return self.started_at + timedelta(seconds=seconds - self.timeline_start)


@dataclass(frozen=True)
class Resume:
    """What an output already holds from an earlier run of HopSo, so the timeline continues after it."""

    timeline_end: float = 0.0
    publishes: int = 0


class PacketOutput(Protocol):
    def start(self) -> Resume:
        """Prepare (directories, state left by an earlier run) before the first publish."""

    def begin(self, publish: Publish) -> None:
        """A publish starts; its first packet is a video keyframe (when there is video)."""

    def write(self, packet: av.Packet) -> None:
        """Copy one packet; ``packet.stream`` is one of the publish's streams, its timestamps are in that stream's
        time base and on the session timeline."""

    def end(self) -> None:
        """The publish ended (publisher gone or input error): finish what is open."""

    def close(self, final: bool) -> None:
        """Stop writing; ``final`` marks the session's stream as over (a shutdown passes False)."""


@dataclass(frozen=True)
class Clock:
    """What an output needs per packet about the publish's streams, worked out once when the publish begins.

    Timestamps become seconds as ``ticks * num / den`` on integers, which rounds exactly like going through
    ``Fraction`` (Python's int division is correctly rounded) without allocating one per packet.
    """

    time_bases: dict[int, tuple[int, int]]
    """Input stream index → its time base as (numerator, denominator)."""
    video: int | None
    """The video stream's index; None for audio only, where every packet is a cut point."""

    @classmethod
    def of(cls, publish: Publish) -> "Clock":
        return cls(
            {stream.index: (stream.time_base.numerator, stream.time_base.denominator) for stream in publish.streams},
            next((stream.index for stream in publish.streams if stream.type == "video"), None),
        )
