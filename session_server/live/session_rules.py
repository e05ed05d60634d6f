"""A council's session rules (nội quy kỳ họp) as data, with the National Assembly's rules (2022, Art. 18) as defaults."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from session_server.db.models import SpeechKind


class SpeechLimits(BaseModel):
    """Seconds a speech may last, by kind; a delegate's first discussion speech on an item is longer than the next."""

    model_config = ConfigDict(extra="forbid")

    discussion_first: int = Field(7 * 60, ge=30)
    discussion_next: int = Field(3 * 60, ge=30)
    question: int = Field(3 * 60, ge=30)
    debate: int = Field(3 * 60, ge=30)
    point_of_order: int = Field(60, ge=30)
    explanation: int = Field(10 * 60, ge=30)


class SessionRules(BaseModel):
    model_config = ConfigDict(extra="ignore")

    speech_limits: SpeechLimits = SpeechLimits()


def rules_of(council_rules: dict[str, Any]) -> SessionRules:
    return SessionRules.model_validate(council_rules or {})


def speech_limit(rules: SessionRules, kind: SpeechKind, earlier_speeches_on_item: int) -> int:
    """Seconds allowed for a speech of `kind` by a delegate who already spoke that many times on the item."""
    limits = rules.speech_limits
    if kind is SpeechKind.DISCUSSION:
        return limits.discussion_first if earlier_speeches_on_item == 0 else limits.discussion_next
    return {
        SpeechKind.QUESTION: limits.question,
        SpeechKind.DEBATE: limits.debate,
        SpeechKind.POINT_OF_ORDER: limits.point_of_order,
        SpeechKind.EXPLANATION: limits.explanation,
    }[kind]
