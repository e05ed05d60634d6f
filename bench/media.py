"""Media benchmark: CPU of HopSo's RTMP ingest against ffmpeg doing the same, HLS latency, CPU of a WHIP stream.

``python -m bench.media [--seconds 20]`` (``--seconds 60`` for the full figure). Everything is on loopback:

1. A 1080p30 H.264 4 Mb/s + AAC file is encoded once (cached under the temp folder), then published in real time
   with ``ffmpeg -re -c copy -f flv`` into HopSo's embedded nginx-rtmp, so the publisher's CPU is not counted.
2. HopSo's media stack (:mod:`bench.media_server`: RtmpIngest, StreamWorker, HLS + recording) pulls and writes;
   then, in the same run, the source is published again under a key HopSo does not pull, and ``ffmpeg -c copy``
   pulls it from the same nginx and writes an HLS playlist and a fragmented MP4. One pipeline at a time, so each
   side's nginx CPU (ingest and one player) is its own. CPU seconds over the window: nginx's processes, and
   HopSo's process minus its idle baseline or ffmpeg's.
3. Latency: for each live segment, when it appeared in the playlist minus when the publisher pushed its first
   frame (ffmpeg's ``-progress`` gives the push clock), against the segment's length + 1 s.
4. WHIP: an aiortc client publishes a generated 720p30 pattern + tone; HopSo's CPU (its process and the
   publisher's child process) per stream.
Every child is stopped at the end, and on error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiohttp
import psutil

from media import rtmp_availability
from tests.functional.streams.whip_client import whip_publish
from tests.support import free_port

SOURCE_DIR = Path(tempfile.gettempdir()) / "hopso-bench-media"
WARMUP = 4.0
IDLE_SECONDS = 3.0


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    times = {}
    for process in processes:
        try:
            cpu = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        times[process.pid] = cpu.user + cpu.system
    return times


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots, for the processes present in both."""
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def source_file(seconds: float) -> Path:
    """1080p30 H.264 at 4 Mb/s with a 1 s keyframe interval, AAC 128 kb/s; encoded once per length."""
    SOURCE_DIR.mkdir(exist_ok=True)
    path = SOURCE_DIR / f"testsrc2-1080p30-4M-{int(seconds)}s.mp4"
    if path.exists():
        return path
    print(f"encoding the {int(seconds)} s 1080p30 source once (cached in {SOURCE_DIR}) …", flush=True)
    partial = path.with_suffix(".part.mp4")
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
         "-t", str(int(seconds)), "-map", "0:v", "-map", "1:a",
         "-c:v", "libx264", "-preset", "veryfast", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "4M",
         "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", str(partial)],
        check=True, timeout=max(600, seconds * 20),
    )  # fmt: skip
    partial.rename(path)
    return path


@dataclass
class Segment:
    program_date_time: datetime
    duration: float
    appeared: float


@dataclass
class PlaylistWatch:
    """Polls a playlist file and notes when each segment first appears (wall clock)."""

    path: Path
    segments: dict[str, Segment] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(0.02):
            try:
                lines = self.path.read_text().splitlines()
            except OSError:
                continue
            now = time.time()
            stamp, duration = "", 0.0
            for line in lines:
                if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
                    stamp = line.partition(":")[2]
                elif line.startswith("#EXTINF:"):
                    duration = float(line.partition(":")[2].rstrip(","))
                elif line and not line.startswith("#") and stamp:
                    if line not in self.segments:
                        self.segments[line] = Segment(datetime.fromisoformat(stamp), duration, now)
                    stamp = ""

    def start(self) -> PlaylistWatch:
        threading.Thread(target=self.run, daemon=True).start()
        return self


@dataclass
class PushClock:
    """ffmpeg's ``-progress`` lines: at wall time W the publisher had pushed up to media time M."""

    samples: list[tuple[float, float]] = field(default_factory=list)

    def read(self, stream: object) -> None:
        for line in iter(stream.readline, b""):  # type: ignore[attr-defined]
            key, _, value = line.decode(errors="replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                self.samples.append((time.time(), int(value) / 1e6))

    def pushed_at(self, media_time: float) -> float | None:
        later = [(wall, media) for wall, media in self.samples if media >= media_time]
        if not later:
            return None
        wall, media = later[0]
        return wall - (media - media_time)


class Children:
    """Every process this benchmark starts, stopped at the end whatever happens."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, args: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(args, **kwargs)  # type: ignore[call-overload]
        self.processes.append(process)
        return process

    def stop(self, process: subprocess.Popen[bytes], timeout: float = 10) -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            try:
                descendants = psutil.Process(process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                descendants = []
            self.stop(process)
            for child in descendants:
                if child.is_running():
                    child.kill()


def wait_until(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise TimeoutError(what)


def ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


def latency_rows(watch: PlaylistWatch, clock: PushClock, skip: int = 1) -> tuple[list[float], list[float]]:
    """Per segment: appeared - pushed (first frame), and appeared - program date time; the first ``skip`` left out."""
    segments = sorted(watch.segments.values(), key=lambda s: s.program_date_time)[skip:]
    first = min(watch.segments.values(), key=lambda s: s.program_date_time).program_date_time
    pushed, listed = [], []
    for segment in segments:
        listed.append(segment.appeared - segment.program_date_time.timestamp())
        at = clock.pushed_at((segment.program_date_time - first).total_seconds())
        if at is not None:
            pushed.append(segment.appeared - at)
    return pushed, listed


def _publish(children: Children, source: Path, url: str) -> tuple[subprocess.Popen[bytes], PushClock]:
    """The hall's encoder: the source in real time, copied, with ffmpeg's push clock on its stdout."""
    clock = PushClock()
    publisher = children.start(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-i", str(source), "-c", "copy",
         "-progress", "pipe:1", "-stats_period", "0.1", "-f", "flv", url],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    threading.Thread(target=clock.read, args=(publisher.stdout,), daemon=True).start()
    return publisher, clock


def rtmp_run(
    children: Children, server: psutil.Process, rtmp_port: int, data: Path, seconds: float
) -> dict[str, object]:
    """Two pipelines one after the other through the same nginx-rtmp, each with a publisher and one player:
    HopSo's worker pulling ``bench``, then ``ffmpeg -c copy`` pulling ``direct`` (which HopSo lets in unpulled)."""
    source = source_file(seconds + WARMUP + 8)
    base = f"rtmp://127.0.0.1:{rtmp_port}/live"
    nginx = server.children(recursive=True)

    hopso_watch = PlaylistWatch(data / "hls" / "bench" / "index.m3u8").start()
    publisher, clock = _publish(children, source, f"{base}/bench")
    wait_until(lambda: hopso_watch.segments, 20, "HopSo wrote no HLS segment")
    time.sleep(WARMUP / 2)
    before = (cpu_seconds([server]), cpu_seconds(nginx))
    time.sleep(seconds)
    after = (cpu_seconds([server]), cpu_seconds(nginx))
    children.stop(publisher)
    hopso_watch.stop.set()
    hopso = {"worker": spent(before[0], after[0]), "nginx_hopso": spent(before[1], after[1])}

    out = data / "ffmpeg"
    out.mkdir()
    ffmpeg_watch = PlaylistWatch(out / "index.m3u8").start()
    publisher, _ = _publish(children, source, f"{base}/direct")
    comparator = children.start(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-rtmp_live", "live", "-i", f"{base}/direct",
         "-map", "0:v", "-map", "0:a", "-c", "copy", "-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
         "-hls_flags", "delete_segments+program_date_time", str(out / "index.m3u8"),
         "-map", "0:v", "-map", "0:a", "-c", "copy", "-f", "mp4",
         "-movflags", "+frag_keyframe+empty_moov+default_base_moof", str(out / "recording.mp4")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_until(lambda: ffmpeg_watch.segments, 20, "ffmpeg wrote no HLS segment")
    except TimeoutError:
        children.stop(comparator)
        raise RuntimeError(f"ffmpeg wrote no HLS segment: {comparator.stderr.read().decode()}") from None  # type: ignore[union-attr]
    time.sleep(WARMUP / 2)
    ffmpeg_proc = psutil.Process(comparator.pid)
    before = (cpu_seconds([ffmpeg_proc]), cpu_seconds(nginx), cpu_seconds([server]))
    time.sleep(seconds)
    after = (cpu_seconds([ffmpeg_proc]), cpu_seconds(nginx), cpu_seconds([server]))
    children.stop(publisher)
    try:
        comparator.wait(15)
    except subprocess.TimeoutExpired:
        children.stop(comparator)
    ffmpeg_watch.stop.set()
    return hopso | {
        "ffmpeg": spent(before[0], after[0]),
        "nginx_ffmpeg": spent(before[1], after[1]),
        "worker_while_ffmpeg": spent(before[2], after[2]),
        "nginx_processes": len(nginx),
        "hopso_latency": latency_rows(hopso_watch, clock),
        "segment": statistics.median(s.duration for s in hopso_watch.segments.values()),
    }


async def whip_run(server: psutil.Process, port: int, seconds: float) -> dict[str, float]:
    me = psutil.Process()
    async with aiohttp.ClientSession() as http:
        publisher = await whip_publish(http, f"http://127.0.0.1:{port}/whip", "bench", width=1280, height=720)
        if publisher.status != 201:
            raise RuntimeError(f"WHIP refused: {publisher.status} {publisher.body}")
        await asyncio.sleep(WARMUP)
        whip_children = [child for child in server.children() if "media.whip_process" in " ".join(child.cmdline())]
        before = (cpu_seconds([server]), cpu_seconds(whip_children), cpu_seconds([me]))
        await asyncio.sleep(seconds)
        after = (cpu_seconds([server]), cpu_seconds(whip_children), cpu_seconds([me]))
        assert publisher.location is not None
        await publisher.delete(f"http://127.0.0.1:{port}/whip/{publisher.location}", "bench")
        await publisher.close()
    return {
        "server": spent(before[0], after[0]),
        "child": spent(before[1], after[1]),
        "client": spent(before[2], after[2]),
    }


def describe(values: list[float]) -> str:
    if not values:
        return "n/a"
    return f"median {statistics.median(values):.2f} s, max {max(values):.2f} s ({len(values)} segments)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=20, help="measurement window per part (60 for the full figure)"
    )
    args = parser.parse_args()
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed: apt-get install ffmpeg")
    availability = rtmp_availability()
    if not availability.ok:
        sys.exit(availability.reason)
    children = Children()
    with tempfile.TemporaryDirectory(prefix="hopso-bench-media-") as folder:
        data = Path(folder)
        port, rtmp_port = free_port(), free_port()
        try:
            process = children.start(
                [sys.executable, "-m", "bench.media_server", str(port), str(rtmp_port), str(data)],
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip
            wait_until(lambda: ready(f"http://127.0.0.1:{port}/ready"), 20, "the media server did not start")
            server = psutil.Process(process.pid)
            idle_before = cpu_seconds([server])
            time.sleep(IDLE_SECONDS)
            idle_rate = spent(idle_before, cpu_seconds([server])) / IDLE_SECONDS
            rtmp = rtmp_run(children, server, rtmp_port, data, args.seconds)
            whip = asyncio.run(whip_run(server, port, args.seconds))
        finally:
            children.stop_all()
    report(args.seconds, idle_rate, rtmp, whip)


def report(seconds: float, idle_rate: float, rtmp: dict[str, object], whip: dict[str, float]) -> None:
    idle = idle_rate * seconds
    worker = max(0.0, float(rtmp["worker"]) - idle)  # type: ignore[arg-type]
    ffmpeg = float(rtmp["ffmpeg"])  # type: ignore[arg-type]
    nginx_hopso = float(rtmp["nginx_hopso"])  # type: ignore[arg-type]
    nginx_ffmpeg = float(rtmp["nginx_ffmpeg"])  # type: ignore[arg-type]
    pushed, listed = rtmp["hopso_latency"]  # type: ignore[misc]
    segment = float(rtmp["segment"])  # type: ignore[arg-type]
    whip_cpu = whip["server"] - idle + whip["child"]
    print()
    print(f"HopSo media benchmark, {seconds:.0f} s windows, {os.cpu_count()} CPUs, loopback")
    print(f"{'measure':58} {'value':>12} {'baseline':>12} {'ratio':>7}")
    rows = [
        ("RTMP 1080p30 4 Mb/s -> HLS + recording, CPU s (nginx + puller)", nginx_hopso + worker, nginx_ffmpeg + ffmpeg),
        ("  the puller alone: HopSo's process vs ffmpeg -c copy", worker, ffmpeg),
        ("  nginx-rtmp (ingest and one player)", nginx_hopso, nginx_ffmpeg),
        (
            "  CPU share of one core, nginx + puller",
            (nginx_hopso + worker) / seconds,
            (nginx_ffmpeg + ffmpeg) / seconds,
        ),
    ]
    for name, value, base in rows:
        print(f"{name:58} {value:12.3f} {base:12.3f} {value / base if base else float('nan'):7.2f}")
    print(f"{'  idle baseline of the HopSo process, CPU s (subtracted)':58} {idle:12.2f}")
    print(f"{'  nginx-rtmp processes measured':58} {rtmp['nginx_processes']:12}")
    print(f"{'  HopSo process while ffmpeg pulled (not pulling), CPU s':58} {float(rtmp['worker_while_ffmpeg']):12.2f}")  # type: ignore[arg-type]
    print(f"{'WHIP 720p30 -> H.264/AAC -> HLS + recording, CPU s':58} {whip_cpu:12.2f}")
    print(f"{'  of which the publisher child process':58} {whip['child']:12.2f}")
    print(f"{'  CPU share of one core per WHIP stream':58} {whip_cpu / seconds:12.2f}")
    print(f"{'  (aiortc client in the bench process, not counted)':58} {whip['client']:12.2f}")
    print()
    print(f"HLS segment length (median): {segment:.2f} s; target latency <= {segment + 1:.2f} s")
    print(f"HopSo: pushed -> listed in the playlist: {describe(pushed)}")
    print(f"HopSo: program date time -> listed:     {describe(listed)}")


if __name__ == "__main__":
    main()
