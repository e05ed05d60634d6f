"""The livestream's status, reported by HopSo's media worker (a system command: no user may send it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from session_server.inputs import Count
from session_server.live.context import CommandContext
from session_server.live.events import StreamStatus
from session_server.live.registry import Payload, command


class StreamStatusIn(Payload):
    status: Literal["waiting", "live", "reconnecting", "ended"]
    video_codec: str | None = Field(None, max_length=32)
    width: int | None = Field(None, ge=0, le=16384)
    height: int | None = Field(None, ge=0, le=16384)
    frame_rate: float | None = Field(None, ge=0, le=1000)
    audio_codec: str | None = Field(None, max_length=32)
    sample_rate: Count | None = None
    channels: int | None = Field(None, ge=0, le=64)
    bitrate_kbps: float | None = Field(None, ge=0)
    publishes: Count = 0
    reason: str | None = Field(None, max_length=300)
    hls: bool = False
    """Whether the session has a live playlist (a closed session's stream is only recorded)."""


@command("stream.status", StreamStatusIn)
async def stream_status(ctx: CommandContext, payload: StreamStatusIn) -> None:
    previous = ctx.state.get("stream") or {}
    stream = payload.model_dump(exclude_none=True, exclude={"hls"})
    if payload.hls:
        stream["hls_url"] = f"/live/{ctx.session.id}/index.m3u8"
    if previous.get("status") == payload.status and previous.get("since"):
        stream["since"] = previous["since"]
    else:
        stream["since"] = ctx.now.isoformat()
    if payload.status == "live" and payload.bitrate_kbps is None and previous.get("bitrate_kbps") is not None:
        stream["bitrate_kbps"] = previous["bitrate_kbps"]
    ctx.state["stream"] = stream
    ctx.record(StreamStatus(**stream))
