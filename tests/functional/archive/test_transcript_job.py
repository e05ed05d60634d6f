"""The transcript step on its own: no model set, a model that cannot be used, and a restart that carries on with
the first piece not done. Sessions here have no camera; the resumed one gets its video made by ffmpeg."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.app import create_app
from session_server.archive import storage
from session_server.archive.transcripts.job import TranscriptJobs
from session_server.db.models import (
    ArchiveStatus,
    SessionArchive,
    SessionTranscript,
    TranscriptSegment,
    TranscriptStatus,
)
from session_server.services import services_of
from session_server.settings import Settings
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_live_world
from tests.functional.archive.conftest import Api, archived, hold_session, live_clients, sign_both
from tests.functional.archive.speech import SENTENCES, SPOKEN_AT, spoken_sound, word_error_rate
from tests.functional.archive.test_transcript import transcribed
from tests.signing import SigningWorld
from tests.support import speech_model


async def closed_session(
    aiohttp_server: Any, settings: Settings, http: aiohttp.ClientSession
) -> tuple[TestServer, Api, LiveWorld]:
    """A session held and closed without a camera, its archive job done."""
    server: TestServer = await aiohttp_server(create_app(settings))
    api = Api(server, http)
    live = await make_live_world(services_of(server.app).sessionmaker)
    async with live_clients(str(server.make_url("/"))) as connect:
        await hold_session(server, live, connect, api)
    job = await archived(server, live.session_id)
    assert job.status is ArchiveStatus.DONE, job.error
    return server, api, live


async def test_without_a_model_the_review_says_so_and_the_archive_is_published_all_the_same(
    aiohttp_server: Any, tmp_path: Path, database_url: str, signing_world: SigningWorld
) -> None:
    settings = make_settings(tmp_path, database_url, **signing_world.settings_update())
    async with aiohttp.ClientSession() as http:
        _server, api, live = await closed_session(aiohttp_server, settings, http)
        sid, staff = live.session_id, live.secretary.headers

        transcript = await transcribed(api, sid, staff)
        assert (transcript["status"], transcript["blocks"]) == ("unconfigured", [])
        await api.json("POST", f"/api/sessions/{sid}/transcript/publish", 409, staff)
        await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
        await sign_both(api, live, signing_world)
        await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
        assert (await api.call("GET", f"/api/public/archive/{sid}/captions.vtt"))[0] == 404
        assert (await api.call("GET", f"/api/public/archive/{sid}/transcript"))[0] == 404


async def test_a_model_folder_that_is_not_a_whisper_model_fails_the_transcript_alone(
    aiohttp_server: Any, tmp_path: Path, database_url: str, signing_world: SigningWorld
) -> None:
    folder = tmp_path / "not-a-model"
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    settings = make_settings(tmp_path, database_url, asr_model=str(folder), **signing_world.settings_update())
    async with aiohttp.ClientSession() as http:
        _server, api, live = await closed_session(aiohttp_server, settings, http)
        sid, staff = live.session_id, live.secretary.headers

        transcript = await transcribed(api, sid, staff)
        assert transcript["status"] == "failed"
        assert "không phải mô hình Whisper dạng CTranslate2" in transcript["error"]
        assert "model.bin" in transcript["error"]
        archive = await api.json("GET", f"/api/sessions/{sid}/archive", 200, staff)
        assert archive["status"] == "done" and archive["minutes_status"] == "draft"

        again = await api.json("POST", f"/api/sessions/{sid}/transcript/job", 202, staff)
        assert again["status"] in ("pending", "running", "failed")
        assert (await transcribed(api, sid, staff))["status"] == "failed"
        await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
        await sign_both(api, live, signing_world)
        await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)


def make_video(sound: Path, video: Path) -> None:
    """The spoken sound under a test picture, as the archive's MP4."""
    video.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
            "-i", str(sound), "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
            "-movflags", "+faststart", str(video),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip


async def spoken_video_left_midway(
    aiohttp_server: Any, tmp_path: Path, database_url: str, pieces: list[dict[str, Any]], done: list[str]
) -> tuple[Settings, async_sessionmaker[AsyncSession], LiveWorld]:
    """A session archived without a camera, then given the spoken video, and its transcript as a stop left it:
    the plan `pieces` stored and the pieces `done` done."""
    settings = make_settings(tmp_path, database_url, asr_model=str(speech_model()), asr_language="en")
    async with aiohttp.ClientSession() as http:
        server, api, live = await closed_session(aiohttp_server, settings, http)
        await transcribed(api, live.session_id, live.secretary.headers)
    sid, sessionmaker = live.session_id, services_of(server.app).sessionmaker
    await asyncio.to_thread(make_video, spoken_sound(tmp_path), storage.video_path(settings, sid))
    async with sessionmaker() as db:
        await db.execute(
            update(SessionArchive)
            .where(SessionArchive.session_id == sid)
            .values(video=f"{storage.VIDEO_NAME}.mp4", duration_ms=28000)
        )
        await db.execute(
            update(SessionTranscript)
            .where(SessionTranscript.session_id == sid)
            .values(
                status=TranscriptStatus.RUNNING if done else TranscriptStatus.PENDING,
                model=settings.asr_model,
                language="en",
                pieces=pieces,
                done=done,
                total_ms=28000,
                done_ms=sum(round((p["end"] - p["start"]) * 1000) for p in pieces if p["key"] in done),
                lease_until=None,
            )
        )
        await db.commit()
    return settings, sessionmaker, live


def turn(start: float, end: float, member_id: int | None) -> dict[str, Any]:
    return {"start": start, "end": end, "member_id": member_id, "speech_id": None}


async def test_a_restart_carries_on_with_the_first_piece_not_done_and_keeps_staffs_corrections(
    aiohttp_server: Any, tmp_path: Path, database_url: str
) -> None:
    pieces = [
        {"key": "0-13000", "start": 0.0, "end": 13.0, "turns": [turn(0.0, 13.0, None)]},
        {"key": "13000-28000", "start": 13.0, "end": 28.0, "turns": [turn(13.0, 28.0, None)]},
    ]
    settings, sessionmaker, live = await spoken_video_left_midway(
        aiohttp_server, tmp_path, database_url, pieces, ["0-13000"]
    )
    sid = live.session_id
    speakers = [live.members[2].id, live.members[3].id]
    for piece, member_id in zip(pieces, speakers, strict=True):
        piece["turns"][0]["member_id"] = member_id
    kept = "Đoạn đã nhận dạng trước khi máy chủ khởi động lại."
    async with sessionmaker() as db:
        # Begun with another model: staff's correction makes the plan stay rather than start over with this one.
        await db.execute(
            update(SessionTranscript)
            .where(SessionTranscript.session_id == sid)
            .values(pieces=pieces, model="/srv/models/an-earlier-model")
        )
        db.add(
            TranscriptSegment(
                session_id=sid,
                piece="0-13000",
                member_id=speakers[0],
                chair=True,
                start_ms=8000,
                end_ms=12000,
                text="the machine's text",
                corrected=kept,
                confidence=0.9,
                words=[],
                folded="",
            )
        )
        await db.commit()

    restarted = TranscriptJobs(settings, sessionmaker)
    await restarted.start()
    assert set(restarted.tasks) == {sid}
    assert await restarted.tasks[sid] is TranscriptStatus.DONE

    async with sessionmaker() as db:
        row = await db.get(SessionTranscript, sid)
        segments = list(
            await db.scalars(select(TranscriptSegment).where(TranscriptSegment.session_id == sid).order_by("start_ms"))
        )
    assert row is not None and sorted(row.done) == ["0-13000", "13000-28000"] and row.done_ms == row.total_ms
    assert [s.corrected for s in segments if s.piece == "0-13000"] == [kept], "the piece done before is not redone"
    later = [s for s in segments if s.piece == "13000-28000"]
    assert later and all(s.member_id == speakers[1] for s in later)
    assert word_error_rate(SENTENCES[1], " ".join(s.text for s in later)) <= 0.35
    assert abs(later[0].start_ms / 1000 - SPOKEN_AT[1]) <= 1.0


async def test_a_transcript_stopped_by_a_shutdown_is_left_to_be_resumed(
    aiohttp_server: Any, tmp_path: Path, database_url: str
) -> None:
    pieces = [{"key": "0-28000", "start": 0.0, "end": 28.0, "turns": [turn(0.0, 28.0, None)]}]
    settings, sessionmaker, live = await spoken_video_left_midway(aiohttp_server, tmp_path, database_url, pieces, [])
    sid = live.session_id

    jobs = TranscriptJobs(settings, sessionmaker)
    jobs.launch(sid)
    async with asyncio.timeout(30):
        while True:
            async with sessionmaker() as db:
                row = await db.get(SessionTranscript, sid)
            if row is not None and row.status is TranscriptStatus.RUNNING:
                break
            await asyncio.sleep(0.05)
    await jobs.close()

    async with sessionmaker() as db:
        row = await db.get(SessionTranscript, sid)
    assert row is not None and row.status is TranscriptStatus.PENDING and row.lease_until is None
    assert await TranscriptJobs(settings, sessionmaker).run(sid) is TranscriptStatus.DONE
