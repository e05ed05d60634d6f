"""Transcripts through the real pipeline: espeak-ng speech published over RTMP, the archive job, faster-whisper with
a small registry-shipped model, then review, corrections, minutes, captions and the public search."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer

from session_server.app import create_app
from session_server.archive import storage
from session_server.db.models import ArchiveStatus
from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.archive.conftest import (
    Api,
    archived,
    live_clients,
    pdf_text,
    recording_settings,
    sign_both,
)
from tests.functional.archive.speech import (
    SENTENCES,
    hold_spoken_session,
    spoken_sound,
    voice_onset,
    word_error_rate,
)
from tests.signing import SigningWorld
from tests.support import speech_model

CUE = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")


async def transcribed(api: Api, session_id: int, headers: dict[str, str], within: float = 180) -> dict[str, Any]:
    async with asyncio.timeout(within):
        while True:
            transcript = await api.json("GET", f"/api/sessions/{session_id}/transcript", 200, headers)
            if transcript["status"] in ("done", "failed", "unconfigured"):
                return transcript
            await asyncio.sleep(0.5)


def cue_starts(vtt: str) -> list[tuple[float, str]]:
    """Each cue's start (s) and its text line."""
    lines = vtt.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = CUE.match(line)
        if match:
            h, m, s, ms = (int(part) for part in match.groups()[:4])
            found.append((h * 3600 + m * 60 + s + ms / 1000, lines[index + 1]))
    return found


async def test_each_speech_is_transcribed_named_by_the_floor_captioned_corrected_and_searchable(
    camera_tools: None, aiohttp_server: Any, tmp_path: Path, postgres_database: str, signing_world: SigningWorld
) -> None:
    """On PostgreSQL; the browser's transcript test runs the same spoken session on SQLite."""
    database_url = postgres_database
    model = speech_model()
    sound = spoken_sound(tmp_path)
    settings = recording_settings(tmp_path, database_url, signing_world).model_copy(
        update={"asr_model": str(model), "asr_language": "en"}
    )
    server: TestServer = await aiohttp_server(create_app(settings), port=settings.port)
    live = await make_live_world(services_of(server.app).sessionmaker)
    staff, sid = live.secretary.headers, live.session_id
    async with aiohttp.ClientSession() as http, live_clients(str(server.make_url("/"))) as connect:
        api = Api(server, http)
        sitting = await hold_spoken_session(live, connect, api, sound)
        job = await archived(server, sid)
        if sitting.camera.returncode is None:
            sitting.camera.kill()
        await sitting.camera.wait()
        assert job.status is ArchiveStatus.DONE, job.error

        transcript = await transcribed(api, sid, staff)
        assert transcript["status"] == "done", transcript["error"]
        assert transcript["progress"] == 1

        # Every sentence comes back in the turn of the delegate who had the floor, its words close to what was said.
        speeches = [block for block in transcript["blocks"] if not block["chair"]]
        assert [block["speaker"] for block in speeches] == sitting.speakers
        for block, sentence in zip(speeches, SENTENCES, strict=True):
            said = " ".join(segment["text"] for segment in block["segments"])
            assert word_error_rate(sentence, said) <= 0.35, (sentence, said)
            for segment in block["segments"]:
                assert 0 < segment["confidence"] <= 1
                assert segment["words"] and all(0 <= word["probability"] <= 1 for word in segment["words"])
        chair_text = " ".join(s["text"] for block in transcript["blocks"] if block["chair"] for s in block["segments"])
        assert word_error_rate(SENTENCES[0], chair_text) > 0.9, "the chair's turns hold none of the speeches"

        # Captions start within a second of the speech in the video.
        video = storage.video_path(settings, sid)
        captions = await http.get(api.url(f"/api/sessions/{sid}/transcript/captions.vtt"), headers=staff)
        assert captions.status == 200 and captions.headers["Content-Type"].startswith("text/vtt")
        cues = cue_starts(await captions.text())
        for block, speaker in zip(speeches, sitting.speakers, strict=True):
            onset = await asyncio.to_thread(voice_onset, video, block["start"] - 2, block["end"])
            first = min(start for start, text in cues if start >= block["start"] - 0.01 and speaker in text)
            assert abs(first - onset) <= 1.0, (first, onset)

        # The minutes carry each speech's transcript until staff write a summary instead.
        minutes = (await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff))["minutes"]
        entries = [speech for item in minutes["items"] for speech in item["speeches"]]
        assert [entry["source"] for entry in entries] == ["transcript", "transcript"]
        assert word_error_rate(SENTENCES[1], entries[1]["text"]) <= 0.35

        # A correction is kept beside the machine's text; the minutes and the search read the correction.
        segment = speeches[0]["segments"][0]
        corrected = "Hội đồng thông qua dự toán xây trường học mới ở phía bắc."
        answer = await api.json(
            "PATCH", f"/api/sessions/{sid}/transcript/segments/{segment['id']}", 200, staff, json={"text": corrected}
        )
        assert answer["text"] == corrected and answer["machine_text"] == segment["text"] and answer["corrected"]
        summary = "Đại biểu đề nghị báo cáo giá gạo và nước sạch."
        second = entries[1]["id"]
        await api.json(
            "PATCH",
            f"/api/sessions/{sid}/minutes",
            200,
            staff,
            json={"summaries": {second: summary}, "sources": {second: "summary"}},
        )
        minutes = (await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff))["minutes"]
        entries = [speech for item in minutes["items"] for speech in item["speeches"]]
        assert entries[0]["text"].startswith(corrected) and entries[1]["text"] == summary

        # Published: captions on the public video, and a search without diacritics that says where to seek.
        public = f"/api/public/archive/{sid}"
        await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
        await sign_both(api, live, signing_world)
        await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
        assert (await api.call("GET", f"{public}/captions.vtt"))[0] == 404
        await api.json("POST", f"/api/sessions/{sid}/transcript/publish", 200, staff)
        status, vtt, headers = await api.call("GET", f"{public}/captions.vtt")
        assert status == 200 and headers["Content-Type"].startswith("text/vtt")
        assert corrected in vtt.decode()
        hits = await api.json("GET", f"{public}/transcript?q=TRUONG+hoc", 200)
        assert [hit["text"] for hit in hits] == [corrected]
        assert hits[0]["start"] == segment["start"] and hits[0]["speaker"] == sitting.speakers[0]
        # The small model's spelling of a word varies with the CPU it runs on: search a word of the second sentence
        # that it heard.
        heard = " ".join(segment["text"] for segment in speeches[1]["segments"]).lower()
        word = next(word for word in ("committee", "report", "price", "rice", "water", "month") if word in heard)
        hits = await api.json("GET", f"{public}/transcript?q={word.upper()}", 200)
        assert len(hits) >= 1 and {hit["speaker"] for hit in hits} == {sitting.speakers[1]}
        assert speeches[1]["start"] <= hits[0]["start"] <= speeches[1]["end"]
        assert await api.json("GET", f"{public}/transcript?q=khongcotu", 200) == []

        # The signed minutes keep the texts they were approved with.
        _, pdf, _ = await api.call("GET", f"/api/sessions/{sid}/minutes/pdf", staff)
        signed = pdf_text(pdf)
        assert "trường học mới" in signed and summary in signed
