"""A whole session through the API with ffmpeg as the hall camera, closed, archived, reviewed, signed, published."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from session_server.archive import storage
from session_server.archive.job import archive_jobs_of
from session_server.archive.signing import SigningSetup, check_signatures
from session_server.db.models import ArchiveChapter, ArchiveStatus, Council, Minutes, Motion, SpeakerRequest
from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.archive.conftest import (
    DOCUMENTS,
    Api,
    Connect,
    archived_recording,
    hold_session,
    pdf_text,
    sign_both,
)
from tests.signing import SigningWorld, pdfsig

CAMERA_SECONDS = 90


def ffprobe(path: Path, *args: str) -> dict[str, Any]:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args, str(path)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


async def outputs(server: TestServer, session_id: int) -> dict[str, Any]:
    """What the archive job made: the files' hashes, the chapter rows, the minutes' content."""
    settings = services_of(server.app).settings
    files = [storage.video_path(settings, session_id), storage.chapters_vtt_path(settings, session_id)]
    files.append(storage.chapters_json_path(settings, session_id))
    hashes = {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}
    async with services_of(server.app).sessionmaker() as db:
        chapters = [
            (c.number, c.kind, c.start_ms, c.end_ms, c.title, c.speech_id)
            for c in await db.scalars(select(ArchiveChapter).where(ArchiveChapter.session_id == session_id))
        ]
        minutes = await db.get(Minutes, session_id)
        assert minutes is not None
        return {"files": hashes, "chapters": chapters, "minutes": minutes.content}


async def test_a_recorded_session_becomes_a_chaptered_video_signed_minutes_and_a_public_page(
    recording_server: TestServer,
    recording_connect: Connect,
    http: aiohttp.ClientSession,
    signing_world: SigningWorld,
    tmp_path: Path,
) -> None:
    server, api = recording_server, Api(recording_server, http)
    sessionmaker = services_of(server.app).sessionmaker
    live = await make_live_world(sessionmaker)
    staff = live.secretary.headers
    sid = live.session_id

    sitting = await hold_session(
        server, live, recording_connect, api, camera_seconds=CAMERA_SECONDS, speech_seconds=1.5, documents=True
    )
    job = await archived_recording(server, sitting)
    assert job.status is ArchiveStatus.DONE, job.error

    # The video: one faststart MP4 whose chapters sit where the speeches were, by wall clock, within a second.
    settings = services_of(server.app).settings
    video = storage.video_path(settings, sid)
    manifest = json.loads((storage.recording_dir(settings, sid) / "recording.json").read_text())
    recording_start = datetime.fromisoformat(manifest["parts"][0]["started_at"])
    probe = ffprobe(video, "-show_chapters", "-show_format")
    async with sessionmaker() as db:
        speeches = list(await db.scalars(select(SpeakerRequest).where(SpeakerRequest.session_id == sid)))
    chapters_json = json.loads(storage.chapters_json_path(settings, sid).read_text())
    in_mp4 = [c for c in probe["chapters"] if "—" in c["tags"]["title"]]
    in_json = [c for c in chapters_json if "—" in c["title"]]
    assert len(in_mp4) == len(in_json) == len(speeches) == 3
    for speech, mp4, listed in zip(sorted(speeches, key=lambda s: s.id), in_mp4, in_json, strict=True):
        assert speech.started_at is not None and speech.ended_at is not None
        expected = [(moment - recording_start).total_seconds() for moment in (speech.started_at, speech.ended_at)]
        # MP4 chapters store only their starts (a chapter lasts until the next), so ends are checked in the JSON.
        found = [float(mp4["start_time"]), listed["start"], listed["end"]]
        assert all(abs(a - b) < 1.0 for a, b in zip(found, [expected[0], *expected], strict=True)), (found, expected)
    titles = [c["tags"]["title"] for c in probe["chapters"]]
    assert titles[0] == "2. Báo cáo kinh tế - xã hội"
    assert [t for t in titles if "—" in t] == [
        f"{sitting.speakers[0]} — thảo luận",
        f"{sitting.speakers[1]} — chất vấn",
        f"{sitting.speakers[2]} — tranh luận",
    ]
    assert abs(float(probe["format"]["duration"]) - job.duration_ms / 1000) < 0.1
    vtt = storage.chapters_vtt_path(settings, sid).read_text()
    assert vtt.startswith("WEBVTT") and vtt.count(" --> ") == len(titles)
    assert [c["title"] for c in chapters_json] == titles

    # Staff review: the archive's state, the video for seeking, the draft minutes, an edit.
    state = await api.json("GET", f"/api/sessions/{sid}/archive", 200, staff)
    assert [c["title"] for c in state["chapters"]] == titles and state["minutes_status"] == "draft"
    status, part, headers = await api.call("GET", state["video"]["url"], {**staff, "Range": "bytes=0-99"})
    assert status == 206 and len(part) == 100 and headers["Content-Type"] == "video/mp4"
    assert (await api.call("GET", state["video"]["poster_url"], staff))[0] == 200
    draft = await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff)
    first_speech = draft["minutes"]["items"][1]["speeches"][0]["id"]
    await api.json("GET", f"/api/sessions/{sid}/minutes", 404, live.delegates[2].headers)
    summary = "Đại biểu đề nghị ưu tiên vốn cho trường học."
    edit = {"summaries": {str(first_speech): summary}, "notes": "Kỳ họp kết thúc đúng chương trình."}
    edited = await api.json("PATCH", f"/api/sessions/{sid}/minutes", 200, staff, json=edit)
    assert edited["minutes"]["items"][1]["speeches"][0]["summary"] == summary

    # Running the job again, from scratch, gives the same video, chapters and minutes; staff's edit stays.
    before = await outputs(server, sid)
    assert await archive_jobs_of(server.app).run(sid) is None, "a finished job is not run again"
    assert await archive_jobs_of(server.app).run(sid, redo=True) is ArchiveStatus.DONE
    assert await outputs(server, sid) == before
    kept = await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff)
    assert kept["edits"]["summaries"] == {str(first_speech): summary}

    # Approval fixes the text; the secretary then the chair sign it; the PDF holds every speaker, result and
    # verdict, no secret choice, and two signatures pyHanko and pdfsig validate.
    approved = await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    assert approved["status"] == "approved" and approved["signatures"] == []
    assert approved["signing"]["next_role"] == "secretary"
    signed_minutes = await sign_both(api, live, signing_world)
    assert [(s["role"], s["mode"], s["ok"], s["trusted"]) for s in signed_minutes["signatures"]] == [
        ("secretary", "pkcs11", True, True),
        ("chair", "external", True, True),
    ]
    status, signed, _ = await api.call("GET", f"/api/sessions/{sid}/minutes/pdf", staff)
    assert status == 200
    text = pdf_text(signed)
    async with sessionmaker() as db:
        results = {
            m.id: m.result
            for m in await db.scalars(
                select(Motion).where(Motion.id.in_([sitting.named_motion, sitting.secret_motion]))
            )
        }
        council = await db.get(Council, live.council.id)
    for name in sitting.speakers:
        assert name in text
    for result in results.values():
        assert result is not None and result["text_vi"] in text
    assert "Đã được thông qua." in text
    assert summary in text and "Đi công tác" in text
    assert text.count("Tán thành (") == 1, "names are listed for the named ballot only"
    secret_part = text.split("Nghị quyết về chủ trương đầu tư trường học", 1)[1].split("Kỳ họp bế mạc")[0]
    assert not any(member.full_name in secret_part for member in live.members), "no one's secret choice"
    assert DOCUMENTS["restricted"] not in text and DOCUMENTS["internal"] not in text
    assert DOCUMENTS["public"] in text
    assert council is not None
    checks = await asyncio.to_thread(check_signatures, signed, SigningSetup.of(settings))
    assert [(c.signer, c.ok) for c in checks] == [(m.full_name, True) for m in (live.members[1], live.members[0])]
    assert pdfsig(signed, tmp_path).count("Signature is Valid.") == 2
    altered = bytearray(signed)
    altered[len(signed) // 3] ^= 0x01
    assert not any(c.ok for c in await asyncio.to_thread(check_signatures, bytes(altered), SigningSetup.of(settings)))
    checked = await api.json("GET", f"/api/sessions/{sid}/minutes/signatures", 200, staff)
    assert [(c["ok"], c["trusted"]) for c in checked] == [(True, True), (True, True)]
    await api.json("PATCH", f"/api/sessions/{sid}/minutes", 409, staff, json={"notes": "sửa sau khi duyệt"})
    delegate_view = await api.json("GET", f"/api/sessions/{sid}/minutes", 200, live.delegates[2].headers)
    assert delegate_view["status"] == "approved"

    # The public archive: nothing before publication, then the video, chapters, results, minutes, public documents.
    await api.json("GET", f"/api/public/archive/{sid}", 404)
    assert await api.json("GET", f"/api/public/councils/{live.council.id}/archive", 200) == []
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
    status, raw, _ = await api.call("GET", f"/api/public/archive/{sid}")
    assert status == 200
    page = json.loads(raw)
    assert page["video"]["url"] == f"/api/public/archive/{sid}/video"
    assert [c["title"] for c in page["chapters"]] == titles
    votes = {v["motion_id"]: v for v in page["votes"]}
    assert votes[sitting.named_motion]["text_vi"] == results[sitting.named_motion]["text_vi"]
    assert [row["name"] for row in votes[sitting.named_motion]["named"]] == [m.full_name for m in live.members[:4]]
    assert votes[sitting.secret_motion]["named"] == [] and votes[sitting.secret_motion]["ballot_type"] == "secret"
    assert [d["title"] for d in page["documents"]] == [DOCUMENTS["public"]]
    shown = raw.decode()
    assert DOCUMENTS["internal"] not in shown and DOCUMENTS["restricted"] not in shown
    assert [s["ok"] for s in page["minutes"]["signatures"]] == [True, True]
    assert votes[sitting.named_motion]["verdict_vi"] == "đã được thông qua"
    status, public_pdf, _ = await api.call("GET", page["minutes"]["pdf_url"])
    assert status == 200 and public_pdf == signed
    for path in (page["video"]["url"], page["video"]["chapters_vtt_url"], page["video"]["poster_url"]):
        assert (await api.call("GET", path))[0] == 200, path

    found = await api.json("GET", f"/api/public/councils/{live.council.id}/archive?q=bao cao kinh te", 200)
    assert [s["id"] for s in found] == [sid]
    assert await api.json("GET", f"/api/public/councils/{live.council.id}/archive?q=nhan su han che", 200) == []
