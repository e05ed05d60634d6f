"""An aiortc WHIP publisher: a moving test pattern and a sine tone, paced in real time like a camera."""

from __future__ import annotations

import asyncio
import math
import struct
import time
from dataclasses import dataclass
from fractions import Fraction

import aiohttp
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, VideoStreamTrack
from av import AudioFrame, VideoFrame

SAMPLE_RATE = 48_000
SAMPLES = 960
"""20 ms, the Opus frame aiortc sends."""


class PatternTrack(VideoStreamTrack):
    """A white bar sweeping over grey, one second per sweep (frames prepared once, so sending costs little)."""

    def __init__(self, width: int = 320, height: int = 240, fps: int = 30) -> None:
        super().__init__()
        self.width, self.height = width, height
        bar = max(2, width // fps)
        self._luma = [
            (bytes([90]) * (i * bar) + bytes([235]) * bar + bytes([90]) * (width - (i + 1) * bar))[:width] * height
            for i in range(fps)
        ]
        self._chroma = bytes([128]) * ((width // 2) * (height // 2))
        self._count = 0

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(self.width, self.height, "yuv420p")
        luma, u, v = frame.planes
        luma.update(self._luma[self._count % len(self._luma)])
        u.update(self._chroma)
        v.update(self._chroma)
        self._count += 1
        frame.pts, frame.time_base = pts, time_base
        return frame


class SineTrack(AudioStreamTrack):
    """400 Hz (a whole number of periods in every 20 ms frame), stereo, 48 kHz."""

    def __init__(self) -> None:
        super().__init__()
        samples = [round(8000 * math.sin(2 * math.pi * 400 * n / SAMPLE_RATE)) for n in range(SAMPLES)]
        self._data = b"".join(struct.pack("<hh", sample, sample) for sample in samples)
        self._sent = 0

    async def recv(self) -> AudioFrame:
        if not hasattr(self, "_start"):
            self._start = time.time()
        else:
            await asyncio.sleep(self._start + self._sent / SAMPLE_RATE - time.time())
        frame = AudioFrame(format="s16", layout="stereo", samples=SAMPLES)
        frame.planes[0].update(self._data)
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._sent
        frame.time_base = Fraction(1, SAMPLE_RATE)
        self._sent += SAMPLES
        return frame


@dataclass
class WhipPublisher:
    http: aiohttp.ClientSession
    pc: RTCPeerConnection
    status: int
    headers: dict[str, str]
    body: str
    location: str | None = None

    async def delete(self, url: str, token: str) -> int:
        async with self.http.delete(url, headers={"Authorization": f"Bearer {token}"}) as response:
            return response.status

    async def close(self) -> None:
        await self.pc.close()


async def whip_publish(
    http: aiohttp.ClientSession,
    url: str,
    token: str,
    *,
    width: int = 320,
    height: int = 240,
    audio: bool = True,
) -> WhipPublisher:
    """POST an offer to ``url``; on 201 the connection is being set up and media flows once ICE connects."""
    pc = RTCPeerConnection()
    pc.addTransceiver(PatternTrack(width, height), direction="sendonly")
    if audio:
        pc.addTransceiver(SineTrack(), direction="sendonly")
    await pc.setLocalDescription(await pc.createOffer())
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/sdp"}
    async with http.post(url, data=pc.localDescription.sdp, headers=headers) as response:
        body = await response.text()
        publisher = WhipPublisher(http, pc, response.status, dict(response.headers), body)
    if publisher.status == 201:
        publisher.location = publisher.headers.get("Location")
        await pc.setRemoteDescription(RTCSessionDescription(body, "answer"))
    else:
        await pc.close()
    return publisher
