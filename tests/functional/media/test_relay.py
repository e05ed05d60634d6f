"""The relay to a platform, against a local receiver: plain RTMP, and RTMPS through a TLS endpoint."""

import asyncio
import contextlib
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from media import (
    PullSettings,
    RecordingOutput,
    RecordingSettings,
    StreamInfo,
    StreamStatus,
    StreamWorker,
    WorkerSettings,
)
from media.outputs.relay import InvalidRelayUrl, RelayOutput, RelaySettings, check_relay_url
from tests.support import free_port, require_executable
from tests.unit.media.conftest import write_sample_flv

SESSION = "relay-1"


class Ends:
    def __init__(self) -> None:
        self.publishes_ended = asyncio.Event()

    async def stream_status(self, session_key: str, status: StreamStatus, info: StreamInfo) -> None:
        if status == StreamStatus.RECONNECTING:
            self.publishes_ended.set()


def listening(port: int) -> bool:
    """Whether something listens on 127.0.0.1:``port`` (read from /proc, so the check takes no connection)."""
    wanted = f"0100007F:{port:04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return any(line.split()[1] == wanted and line.split()[3] == "0A" for line in lines)


async def receiver(port: int, out: Path) -> asyncio.subprocess.Process:
    """A platform's ingest: ffmpeg listening for one RTMP publisher and keeping every packet it sends."""
    process = await asyncio.create_subprocess_exec(
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-listen", "1",
        "-i", f"rtmp://127.0.0.1:{port}/rtmp/platform-key", "-c", "copy", "-y", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    async with asyncio.timeout(10):
        while True:
            if await asyncio.to_thread(listening, port):
                return process
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def tls_endpoint(tmp_path: Path, backend_port: int) -> AsyncIterator[int]:
    """RTMPS in front of ``backend_port``: TLS ends here, as at a platform's edge."""
    require_executable("openssl", "apt-get install openssl")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    await asyncio.to_thread(
        subprocess.run,
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def forward(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", backend_port)
        await asyncio.gather(pipe(reader, backend_writer), pipe(backend_reader, writer))

    server = await asyncio.start_server(forward, "127.0.0.1", 0, ssl=context)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()


async def relay_sample(tmp_path: Path, url: str, seconds: float, settings: RelaySettings | None = None) -> Path:
    sample = await asyncio.to_thread(write_sample_flv, tmp_path / "sample.flv", seconds)
    events = Ends()
    relay = RelayOutput(settings, url=url)
    outputs = (RecordingOutput(RecordingSettings(root=tmp_path / "rec"), SESSION), relay)
    worker = StreamWorker(SESSION, outputs, events, WorkerSettings(PullSettings()))
    await worker.start()
    worker.publish(str(sample))
    await asyncio.wait_for(events.publishes_ended.wait(), 15)
    await worker.close()
    return sample


@pytest.mark.parametrize("scheme", ["rtmp", "rtmps"])
async def test_the_relay_delivers_every_packet_to_the_platform(
    ffmpeg_tools: None, tmp_path: Path, scheme: str, ffprobe: Callable[..., dict[str, Any]]
) -> None:
    port = free_port()
    got = tmp_path / "platform.flv"
    platform = await receiver(port, got)
    async with contextlib.AsyncExitStack() as stack:
        if scheme == "rtmps":
            port = await stack.enter_async_context(tls_endpoint(tmp_path, port))
        await relay_sample(tmp_path, f"{scheme}://127.0.0.1:{port}/rtmp/platform-key", 3)
        _, stderr = await asyncio.wait_for(platform.communicate(), 15)

    assert platform.returncode == 0, stderr.decode()
    probe = await asyncio.to_thread(ffprobe, got, "-show_streams", "-count_packets")
    counts = {stream["codec_name"]: int(stream["nb_read_packets"]) for stream in probe["streams"]}
    assert counts["h264"] == 3 * 30, "every video frame reaches the platform"
    assert counts["aac"] >= 3 * 44100 // 1024 - 3


async def test_an_unreachable_platform_does_not_hold_up_the_recording(
    ffmpeg_tools: None, tmp_path: Path, ffprobe: Callable[..., dict[str, Any]]
) -> None:
    silent = await asyncio.start_server(lambda reader, writer: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        started = asyncio.get_running_loop().time()
        quick = RelaySettings(open_timeout=1.0, write_timeout=1.0)
        await relay_sample(tmp_path, f"rtmp://127.0.0.1:{port}/rtmp/platform-key", 2, quick)
        elapsed = asyncio.get_running_loop().time() - started
    finally:
        silent.close()

    parts = sorted((tmp_path / "rec" / SESSION).glob("part-*.mp4"))
    probe = await asyncio.to_thread(ffprobe, parts[0], "-show_streams", "-count_packets")
    video = next(stream for stream in probe["streams"] if stream["codec_type"] == "video")
    assert int(video["nb_read_packets"]) == 2 * 30
    assert elapsed < 8, "the relay gave up within its timeouts"


@pytest.mark.parametrize(
    "url",
    ["http://example.com/live/key", "rtmp://", "rtmp:///live", "rtmps://host/live key", "rtmp://user@host/x"],
)
def test_a_relay_url_must_be_rtmp_or_rtmps_with_a_host(url: str) -> None:
    with pytest.raises(InvalidRelayUrl):
        check_relay_url(url)


def test_facebook_style_rtmps_urls_are_accepted() -> None:
    url = "rtmps://live-api-s.facebook.com:443/rtmp/FB-1234567890-0-Abc_dEf"
    assert check_relay_url(url) == url
