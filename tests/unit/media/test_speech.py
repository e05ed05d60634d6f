"""Speech to text's media side: spans of a recording's sound, caption cues and WebVTT, the model check, and the
child process's refusal of a folder that is not a model."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import av
import numpy as np
import pytest

from media.speech import (
    Cue,
    Piece,
    PieceText,
    SpeechError,
    SpeechSettings,
    Word,
    captions_webvtt,
    model_problem,
    transcribe,
)
from media.speech.audio import SAMPLE_RATE, AudioReader
from media.speech.captions import MAX_CHARS, cues_of
from tests.support import speech_model


def words(text: str, start: float = 0.0, step: float = 0.4) -> list[Word]:
    return [Word(start + i * step, start + (i + 1) * step, word, 0.9) for i, word in enumerate(text.split())]


def test_a_short_segment_is_one_cue_timed_by_its_words() -> None:
    text = "Tôi đề nghị sửa đường."
    (cue,) = cues_of(3.0, 6.0, text, words(text, start=3.2), "Lê Văn Khoa")

    assert (cue.start, cue.end, cue.text, cue.speaker) == (3.2, pytest.approx(5.2), text, "Lê Văn Khoa")


def test_a_long_segment_is_cut_at_words_into_cues_of_at_most_two_lines() -> None:
    text = " ".join(["ngân sách"] * 30)
    cues = cues_of(0.0, 24.0, text, words(text))

    assert len(cues) > 1
    assert all(len(cue.text) <= MAX_CHARS and cue.end - cue.start <= 7.0 for cue in cues)
    assert " ".join(cue.text for cue in cues) == text
    assert [cue.start for cue in cues] == sorted(cue.start for cue in cues)


def test_a_segment_whose_words_no_longer_spell_it_stays_one_cue() -> None:
    (cue,) = cues_of(1.0, 4.0, "Văn bản đã sửa", words("machine words here"))

    assert (cue.start, cue.end, cue.text) == (1.0, 4.0, "Văn bản đã sửa")


def test_webvtt_names_the_speaker_and_escapes_markup() -> None:
    vtt = captions_webvtt([Cue(61.5, 63.25, "a <b> & --> c", "Ngô <Kim>"), Cue(1.0, 2.0, "đầu tiên")])

    assert vtt.splitlines() == [
        "WEBVTT",
        "Language: vi",
        "",
        "1",
        "00:00:01.000 --> 00:00:02.000",
        "đầu tiên",
        "",
        "2",
        "00:01:01.500 --> 00:01:03.250",
        "<v Ngô &lt;Kim&gt;>a &lt;b&gt; &amp; → c",
    ]


def test_only_a_folder_with_a_ctranslate2_whisper_model_is_a_model(tmp_path: Path) -> None:
    assert "không có thư mục" in (model_problem(tmp_path / "large-v3") or "")
    (tmp_path / "model.bin").write_bytes(b"")
    assert "tokenizer.json" in (model_problem(tmp_path) or "")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "tokenizer.json").write_text("{}")
    assert model_problem(tmp_path) is None


def write_tone(path: Path, seconds: float, tone_at: float, rate: int = 44100) -> None:
    """AAC in MP4: silence, then a tone from `tone_at` to the end."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        t = np.arange(int(seconds * rate)) / rate
        samples = np.where(t >= tone_at, 0.5 * np.sin(2 * np.pi * 440 * t), 0).astype(np.float32)
        for start in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(
                samples[start : start + 1024].reshape(1, -1), format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, start
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


def test_a_span_is_read_at_16_khz_from_where_it_starts(tmp_path: Path) -> None:
    path = tmp_path / "tone.mp4"
    write_tone(path, 12.0, tone_at=7.0)

    with AudioReader(path) as audio:
        span = audio.read(6.0, 9.0)
        tail = audio.read(11.0, 20.0)

    assert len(span) == pytest.approx(3 * SAMPLE_RATE, abs=SAMPLE_RATE // 50)
    onset = np.flatnonzero(np.abs(span) > 0.1)[0] / SAMPLE_RATE
    assert onset == pytest.approx(1.0, abs=0.05), "the tone starts one second into the span"
    assert len(tail) == pytest.approx(SAMPLE_RATE, abs=SAMPLE_RATE // 20), "a span past the end stops at the end"


async def test_the_speech_process_refuses_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "tone.mp4"
    write_tone(path, 2.0, tone_at=0.5)
    settings = SpeechSettings(model=tmp_path / "no-model", language="vi", nice=0)

    with pytest.raises(SpeechError, match="không có thư mục mô hình"):
        async for _event in transcribe(path, [Piece("0-2000", 0.0, 2.0)], settings):
            pass


def speech_children() -> list[int]:
    """This process's children that run the speech model."""
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        # Threads of this process come and go while it is read: one that is gone has no children.
        with contextlib.suppress(OSError):
            children = (task / "children").read_text().split()
            pids += [int(pid) for pid in children if _runs_speech(pid)]
    return pids


def _runs_speech(pid: str) -> bool:
    try:
        return b"media.speech.process" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def priorities(pid: int) -> set[tuple[int, int]]:
    """(niceness, scheduling policy) of each thread of the process."""
    found = set()
    for thread in Path(f"/proc/{pid}/task").iterdir():
        fields = (thread / "stat").read_text().rsplit(")", 1)[1].split()
        found.add((int(fields[16]), int(fields[38])))
    return found


async def test_the_model_runs_in_a_child_process_in_the_idle_class_below_every_live_session(tmp_path: Path) -> None:
    path = tmp_path / "tone.mp4"
    write_tone(path, 6.0, tone_at=1.0)
    settings = SpeechSettings(model=speech_model(), language="en", nice=19)
    pieces = [Piece("0-3000", 0.0, 3.0), Piece("3000-6000", 3.0, 6.0)]

    seen: list[set[tuple[int, int]]] = []
    async for event in transcribe(path, pieces, settings):
        if isinstance(event, PieceText) and event.key == "0-3000":
            children = speech_children()
            assert len(children) == 1
            seen.append(priorities(children[0]))

    assert seen == [{(19, os.SCHED_IDLE)}], "every thread, those numpy started on import included"
    assert speech_children() == [], "the child is gone once the pieces are done"
