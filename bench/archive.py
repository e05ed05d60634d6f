"""Archive benchmark: remuxing a 3-hour recording against ``ffmpeg -f concat -c copy``; minutes PDF of 500 events.

``python -m bench.archive [--hours 3] [--runs 3]``. Everything runs locally:

1. A synthetic recording like the one HopSo's media worker writes (fragmented MP4 parts of 10 minutes and a
   ``recording.json`` manifest): 160x90 at 5 fps, H.264 with a 1 s GOP, mono AAC at 16 kHz, very low bitrate.
   One part is encoded once (cached under the temp folder) and copied for every part.
2. HopSo's remux (:func:`media.archive.make_archive`: one faststart MP4 with chapters, WebVTT, JSON and a poster)
   against ``ffmpeg -f concat -safe 0 -c copy`` of the same parts, plain and with ``-movflags +faststart``;
   best of ``--runs`` wall-clock times each.
3. The minutes of a session with 500 events (50 delegates checked in, 10 agenda items, 220 speeches, 10 named votes) drafted
   from a migrated SQLite database and rendered to PDF, best of ``--runs``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from media.archive import Archive, Chapter, make_archive
from media.outputs.recording import MANIFEST_NAME

PART_SECONDS = 600
SOURCE_DIR = Path(tempfile.gettempdir()) / "hopso-bench-archive"
START = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)


def encode_part(seconds: int) -> Path:
    """One fragmented MP4 part as the recording writes it, encoded once and cached."""
    part = SOURCE_DIR / f"part-{seconds}s.mp4"
    if part.exists():
        return part
    SOURCE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = part.with_name(f".{part.name}")
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=5",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=16000",
            "-t", str(seconds), "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "ultrafast", "-g", "5", "-b:v", "24k", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "16k", "-ac", "1",
            "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", str(tmp),
        ],
        check=True,
    )  # fmt: skip
    tmp.rename(part)
    return part


def make_recording(folder: Path, hours: float) -> list[Path]:
    source = encode_part(PART_SECONDS)
    folder.mkdir(parents=True, exist_ok=True)
    count = round(hours * 3600 / PART_SECONDS)
    parts, entries = [], []
    for number in range(1, count + 1):
        path = folder / f"part-{number:04d}.mp4"
        shutil.copyfile(source, path)
        parts.append(path)
        start = (number - 1) * PART_SECONDS
        entries.append(
            {
                "file": path.name,
                "publish": 1,
                "started_at": (START + timedelta(seconds=start)).isoformat(timespec="milliseconds"),
                "timeline_start": float(start),
                "duration": float(PART_SECONDS),
                "streams": [],
            }
        )
    manifest = {"session_key": "1", "parts": entries, "ended": True, "updated_at": START.isoformat()}
    (folder / MANIFEST_NAME).write_text(json.dumps(manifest))
    return parts


def chapters(hours: float, count: int = 200) -> list[Chapter]:
    step = hours * 3600 / count
    return [Chapter(i * step, (i + 1) * step, f"Đại biểu số {i} — thảo luận") for i in range(count)]


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float
    """CPU seconds of this process and of the children it waited for: steadier than wall time on a busy machine."""


def _cpu() -> float:
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def best_of(runs: int, action: Callable[[], object]) -> Timing:
    timings = []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), _cpu()
        action()
        timings.append(Timing(time.perf_counter() - wall, _cpu() - cpu))
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def ffmpeg_concat(parts: list[Path], output: Path, faststart: bool) -> None:
    listing = output.with_suffix(".txt")
    listing.write_text("".join(f"file '{part}'\n" for part in parts))
    flags = ["-movflags", "+faststart"] if faststart else []
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
         "-i", str(listing), "-map", "0", "-c", "copy", *flags, str(output)],
        check=True,
    )  # fmt: skip


def bench_remux(hours: float, runs: int, work: Path) -> None:
    started = time.perf_counter()
    parts = make_recording(work / "recording", hours)
    print(
        f"recording: {len(parts)} parts of {PART_SECONDS // 60} min, "
        f"{sum(p.stat().st_size for p in parts) / 1e6:.1f} MB, prepared in {time.perf_counter() - started:.1f} s"
    )
    marks = chapters(hours)
    archives: list[Archive] = []
    hopso = best_of(runs, lambda: archives.append(make_archive(work / "recording", work / "hopso", marks)))
    made = archives[-1]
    plain = best_of(runs, lambda: ffmpeg_concat(parts, work / "concat.mp4", faststart=False))
    faststart = best_of(runs, lambda: ffmpeg_concat(parts, work / "concat-faststart.mp4", faststart=True))
    print(
        f"HopSo remux (faststart MP4, {len(marks)} chapters, WebVTT, JSON, poster): {hopso.wall:.2f} s "
        f"({hopso.cpu:.2f} s CPU), {made.packets} packets, {made.duration / 3600:.2f} h"
    )
    for label, baseline in (("-c copy", plain), ("-c copy -movflags +faststart", faststart)):
        print(
            f"ffmpeg -f concat {label}: {baseline.wall:.2f} s ({baseline.cpu:.2f} s CPU) -> HopSo / ffmpeg "
            f"{hopso.wall / baseline.wall:.2f}x wall, {hopso.cpu / baseline.cpu:.2f}x CPU (target <= 1.2x)"
        )


async def bench_minutes(runs: int, work: Path) -> None:
    from sqlalchemy import insert

    from session_server.archive.minutes import compose, draft_minutes
    from session_server.archive.minutes_document import minutes_document
    from session_server.db.engine import make_engine, make_sessionmaker
    from session_server.db.migrate import upgrade
    from session_server.db.models import (
        AgendaItem,
        Attendance,
        AttendanceStatus,
        BallotType,
        Council,
        CouncilSession,
        Event,
        Member,
        Motion,
        MotionStatus,
        SessionStatus,
    )
    from session_server.paperwork import render_pdf

    url = f"sqlite+aiosqlite:///{work / 'minutes.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    sessionmaker = make_sessionmaker(engine)
    async with sessionmaker() as db:
        council = Council(name="Hội đồng nhân dân tỉnh Thử Nghiệm", total_delegates=50)
        db.add(council)
        await db.flush()
        members = [
            Member(council_id=council.id, code=f"DB{i:02d}", full_name=f"Nguyễn Thị Đại Biểu {i}") for i in range(50)
        ]
        db.add_all(members)
        session = CouncilSession(
            council_id=council.id,
            title="Kỳ họp thứ Mười",
            status=SessionStatus.ENDED,
            place="Hội trường tỉnh",
            chair_member_id=None,
        )
        session.agenda = [AgendaItem(position=i + 1, title=f"Nội dung số {i + 1} của kỳ họp") for i in range(10)]
        db.add(session)
        await db.flush()
        events: list[dict[str, object]] = []

        def log(event_type: str, at: datetime, **data: object) -> None:
            events.append(
                {
                    "session_id": session.id,
                    "seq": len(events) + 1,
                    "type": event_type,
                    "data": data,
                    "at": at,
                    "prev_hash": "",
                    "hash": "",
                }
            )

        now = START
        log("session.opened", now)
        for member in members:
            log("attendance.marked", now, member_id=member.id, status="present", reason="")
        for item in session.agenda:
            now += timedelta(minutes=1)
            log("agenda.current", now, item_id=item.id)
            for speaker in range(22):
                request = len(events)
                member = members[(item.position * 7 + speaker) % 50]
                log(
                    "speakers.granted",
                    now,
                    request_id=request,
                    member_id=member.id,
                    kind="discussion",
                    agenda_item_id=item.id,
                )
                now += timedelta(minutes=3)
                log("speakers.ended", now, request_id=request, member_id=member.id)
            named = [{"member_id": m.id, "code": m.code, "name": m.full_name, "choice": "yes"} for m in members]
            text = "Có 50/50 đại biểu tham gia biểu quyết (100,00%); tán thành 50 (100,00%)"
            db.add(
                Motion(
                    agenda_item_id=item.id,
                    position=1,
                    title=f"Thông qua nội dung số {item.position}",
                    ballot_type=BallotType.NAMED,
                    status=MotionStatus.CLOSED,
                    result={"passed": True, "text_vi": text, "text_en": "", "named": named},
                )
            )
        log("session.closed", now)
        await db.execute(insert(Event), events)
        await db.execute(
            insert(Attendance),
            [
                {"session_id": session.id, "member_id": m.id, "status": AttendanceStatus.PRESENT, "at": START}
                for m in members
            ],
        )
        await db.commit()
        session_id, count = session.id, len(events)

    async def once() -> tuple[float, float, int]:
        started = time.perf_counter()
        async with sessionmaker() as db:
            content = await draft_minutes(db, session_id)
        drafted = time.perf_counter()
        rendered = await asyncio.to_thread(render_pdf, minutes_document(compose(content, {}), draft=False))
        pdf = rendered.data
        return drafted - started, time.perf_counter() - drafted, len(pdf)

    results = [await once() for _ in range(runs)]
    await engine.dispose()
    draft, render, size = min(results, key=lambda r: r[0] + r[1])
    print(
        f"minutes of {count} events: drafted from the database in {draft:.3f} s, PDF ({size / 1024:.0f} KB) in "
        f"{render:.3f} s, total {draft + render:.2f} s (target <= 2 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("ffmpeg") is None:
        raise SystemExit("ffmpeg is needed: apt-get install ffmpeg")
    with tempfile.TemporaryDirectory(prefix="hopso-bench-archive-") as folder:
        work = Path(folder)
        bench_remux(args.hours, args.runs, work)
        asyncio.run(bench_minutes(args.runs, work))


if __name__ == "__main__":
    main()
