"""Spoken sessions for the transcript tests: espeak-ng says known sentences, ffmpeg publishes them as the hall's
sound through nginx-rtmp, and the delegates have the floor while their sentence plays."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media.speech.audio import SAMPLE_RATE, AudioReader
from session_server.text import terms
from tests.factories import LiveWorld
from tests.functional.archive.conftest import Api, speak, start_camera
from tests.functional.conftest import Connect
from tests.support import require_executable

SENTENCES = (
    "The council approved the budget for the new school in the northern district.",
    "The committee will report on the price of rice and clean water next month.",
)
SPOKEN_AT = (8.0, 18.0)
"""Seconds into the published sound where each sentence starts."""
FLOOR = ((5.5, 14.0), (15.0, 25.0))
"""Seconds after the encoder starts when each delegate is given the floor and when it ends."""
SOUND_SECONDS = 28.0


def spoken_sound(folder: Path) -> Path:
    """A WAV of SOUND_SECONDS with each of SENTENCES spoken at its SPOKEN_AT."""
    espeak = require_executable("espeak-ng", "apt-get install espeak-ng")
    require_executable("ffmpeg", "apt-get install ffmpeg")
    voices = []
    for number, sentence in enumerate(SENTENCES):
        voice = folder / f"sentence-{number}.wav"
        subprocess.run([espeak, "-v", "en-us", "-s", "150", "-w", str(voice), sentence], check=True, timeout=30)
        voices.append(voice)
    delays = ";".join(f"[{number}]adelay={round(at * 1000)}:all=1[s{number}]" for number, at in enumerate(SPOKEN_AT))
    mix = "".join(f"[s{number}]" for number in range(len(voices)))
    sound = folder / "hall.wav"
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *[arg for v in voices for arg in ("-i", str(v))],
            "-filter_complex",
            f"{delays};{mix}amix=inputs={len(voices)}:duration=longest:normalize=0,apad=whole_dur={SOUND_SECONDS}",
            "-ar", "44100", "-ac", "1", str(sound),
        ],
        check=True,
        timeout=60,
    )  # fmt: skip
    return sound


@dataclass
class SpokenSitting:
    live: LiveWorld
    speakers: list[str]
    """The delegate who had the floor for each of SENTENCES."""
    camera: asyncio.subprocess.Process


async def hold_spoken_session(live: LiveWorld, connect_client: Connect, api: Api, sound: Path) -> SpokenSitting:
    """The hall's sound published from before the opening; each sentence falls inside its delegate's floor."""
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    tablets = [chair]
    for account in live.delegates[1:4]:
        tablet = await connect_client(account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    loop = asyncio.get_running_loop()
    started = loop.time()
    camera = await start_camera(api, live, chair, SOUND_SECONDS + 30, sound)
    await chair.ok("session.open")
    for tablet in tablets:
        await tablet.ok("checkin")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[1]})

    async def at(seconds: float) -> None:
        await asyncio.sleep(max(0.0, started + seconds - loop.time()))

    speakers = []
    for (begin, end), tablet, member in zip(FLOOR, tablets[2:4], live.members[2:4], strict=True):
        await at(begin)
        await speak(chair, tablet, "discussion", 0)
        speakers.append(member.full_name)
        await at(end)
        await chair.ok("speakers.end")
    await chair.ok("session.close", {"confirm": True})
    return SpokenSitting(live, speakers, camera)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length, on folded words (case and punctuation ignored)."""
    ref, hyp = terms(reference), terms(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, start=1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[len(hyp)] / max(1, len(ref))


def voice_onset(video: Path, start: float, end: float, threshold: float = 0.02) -> float:
    """Where sound first rises above `threshold` (of full scale) in the video between `start` and `end`, in seconds."""
    with AudioReader(video) as audio:
        samples = audio.read(start, end)
    window = SAMPLE_RATE // 100
    frames = samples[: len(samples) // window * window].reshape(-1, window)
    loud = np.flatnonzero(np.abs(frames).max(axis=1) > threshold)
    assert loud.size, f"no sound between {start} and {end} s"
    return start + float(loud[0]) * window / SAMPLE_RATE
