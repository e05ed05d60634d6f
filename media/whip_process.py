"""One WHIP publisher, run as its own process: aiortc answers the offer, receives and decodes; frames are encoded
to H.264/AAC and written as FLV to a pipe that the session's :class:`~media.worker.StreamWorker` reads.

A process per publisher keeps a stream's ICE, DTLS, SRTP, decoding and encoding (all CPU, much of it Python)
off HopSo's event loop and lets streams use several cores; a stuck or crashed publisher ends only its process.

Usage: ``python -m media.whip_process FD``. Stdin's first line is JSON ``{"offer": SDP, "encoder": {...},
"idle_timeout": S}``; stdout answers one JSON line, ``{"answer": SDP}`` or ``{"error": TEXT}``. The process
ends (closing the FLV stream, so the reader sees its end) when stdin closes, the connection fails, or no media
came for ``idle_timeout`` seconds.
"""

import asyncio
import json
import logging
import sys
from typing import Any, BinaryIO

from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError

from media.ingest.encode import EncoderSettings, FlvEncoder

log = logging.getLogger("media.whip_process")


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def receive(track: MediaStreamTrack, encoder: FlvEncoder, heard: asyncio.Event) -> None:
    while True:
        try:
            frame = await track.recv()
        except MediaStreamError:
            return
        heard.set()
        encoder.put(track.kind, frame)


async def stdin_closed() -> None:
    reader = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()


async def idle(heard: asyncio.Event, seconds: float) -> None:
    while True:
        heard.clear()
        try:
            await asyncio.wait_for(heard.wait(), seconds)
        except TimeoutError:
            log.info("no media for %.0f s", seconds)
            return


async def publish(sink: BinaryIO, request: dict[str, Any]) -> None:
    pc = RTCPeerConnection()
    tracks: list[MediaStreamTrack] = []
    pc.on("track", tracks.append)
    failed = asyncio.Event()

    @pc.on("connectionstatechange")
    def _state() -> None:
        if pc.connectionState in ("failed", "closed"):
            failed.set()

    try:
        await pc.setRemoteDescription(RTCSessionDescription(request["offer"], "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
    except (ValueError, KeyError) as exc:
        say({"error": f"unusable offer: {exc}"})
        await pc.close()
        return
    if not tracks:
        say({"error": "the offer sends no audio or video"})
        await pc.close()
        return
    say({"answer": pc.localDescription.sdp})
    encoder = FlvEncoder(sink, {track.kind for track in tracks}, EncoderSettings(**request.get("encoder", {})))
    heard = asyncio.Event()
    receivers = [asyncio.create_task(receive(track, encoder, heard)) for track in tracks]
    ends = [
        asyncio.create_task(stdin_closed()),
        asyncio.create_task(failed.wait()),
        asyncio.create_task(idle(heard, float(request.get("idle_timeout", 10.0)))),
        asyncio.create_task(asyncio.wait(receivers)),
    ]
    try:
        await asyncio.wait(ends, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (*ends, *receivers):
            task.cancel()
        await asyncio.gather(*ends, *receivers, return_exceptions=True)
        await pc.close()
        await asyncio.to_thread(encoder.close)
    if encoder.dropped:
        log.warning("dropped %d frames the encoder could not keep up with", encoder.dropped)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="whip: %(message)s")
    request = json.loads(sys.stdin.readline() or "{}")
    with open(int(sys.argv[1]), "wb", buffering=0) as sink:
        asyncio.run(publish(sink, request))


if __name__ == "__main__":
    main()
