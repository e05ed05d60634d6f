"""What speech recognition gives back: segments of text with their times, words and confidence."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Piece:
    """A span of the recording to transcribe, in seconds from its start; `key` names it in the results."""

    key: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of speech, in seconds from the recording's start; `confidence` is the words' mean probability."""

    start: float
    end: float
    text: str
    confidence: float
    words: tuple[Word, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Segment:
        words = tuple(Word(**word) for word in data.get("words", ()))
        return cls(data["start"], data["end"], data["text"], data["confidence"], words)
