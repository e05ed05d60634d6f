"""What the stream routes take and answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from media.outputs.relay import InvalidRelayUrl, check_relay_url


class RelayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    url: str = Field(max_length=1000, description="rtmp://HOST[:PORT]/PATH or rtmps://… (Facebook: rtmps only)")

    @field_validator("url")
    @classmethod
    def _rtmp_or_rtmps(cls, value: str) -> str:
        try:
            return check_relay_url(value)
        except InvalidRelayUrl as exc:
            raise ValueError(str(exc)) from exc


class StreamKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(
        False, description="Needed when the session already has a key: the new one cuts the encoder using the old one"
    )


class RtmpOut(BaseModel):
    mode: str
    available: bool
    reason: str = Field(description="Why RTMP ingest is off, with the install line; empty when it runs")


class KeyOut(BaseModel):
    hint: str = Field(description="The key's last characters, to tell keys apart")
    created_at: datetime


class StreamOut(BaseModel):
    session_id: int
    rtmp: RtmpOut
    key: KeyOut | None
    relay: str | None = Field(description="The relay target without its stream key, or none")
    status: dict[str, Any] = Field(description="The `stream` slice of the live session")


class StreamKeyOut(StreamOut):
    stream_key: str = Field(description="Shown once; only its hash is stored")
    publish_url: str = Field(description="rtmp://HOST:PORT/live/STREAM_KEY for the hall encoder")
    whip_url: str = Field(description="POST an SDP offer here with `Authorization: Bearer STREAM_KEY`")
