"""Captions as WebVTT: cues of a few seconds cut from the segments' words, each with its speaker's voice tag."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from media.speech.timed_text import Word
from media.webvtt import vtt_text, vtt_time

MAX_CHARS = 84
"""About two lines of 42 characters, the usual limit for a caption."""
MAX_SECONDS = 7.0


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str
    speaker: str = ""


def cues_of(start: float, end: float, text: str, words: Sequence[Word], speaker: str = "") -> list[Cue]:
    """A segment as caption cues: cut at word boundaries when its words are timed and spell its text, else whole."""
    if not words or " ".join(word.word for word in words).split() != text.split():
        return [Cue(start, end, text, speaker)]
    cues: list[Cue] = []
    line: list[Word] = []
    for word in words:
        if line and (
            len(" ".join(w.word for w in (*line, word))) > MAX_CHARS or word.end - line[0].start > MAX_SECONDS
        ):
            cues.append(Cue(line[0].start, line[-1].end, " ".join(w.word for w in line), speaker))
            line = []
        line.append(word)
    cues.append(Cue(line[0].start, max(line[-1].end, line[0].start), " ".join(w.word for w in line), speaker))
    return cues


def captions_webvtt(cues: Iterable[Cue], language: str = "vi") -> str:
    lines = ["WEBVTT", f"Language: {language}", ""]
    for number, cue in enumerate(sorted(cues, key=lambda cue: cue.start), start=1):
        voice = f"<v {vtt_text(cue.speaker)}>" if cue.speaker else ""
        end = max(cue.end, cue.start + 0.001)
        lines += [str(number), f"{vtt_time(cue.start)} --> {vtt_time(end)}", voice + vtt_text(cue.text), ""]
    return "\n".join(lines)
