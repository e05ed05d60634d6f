"""Confidence votes (bỏ phiếu tín nhiệm) and confidence polls (lấy phiếu tín nhiệm)."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from voting.rules import MORE_THAN_HALF_OF_TOTAL, TWO_THIRDS_OF_TOTAL, Rule, resolve_rule
from voting.validation import check_counts


@dataclass(frozen=True, slots=True)
class ConfidenceVoteResult:
    """A confidence vote: ``propose_relief`` when enough delegates vote không tín nhiệm."""

    confidence: int
    no_confidence: int
    total: int
    required: int
    propose_relief: bool


def confidence_vote(
    confidence: int,
    no_confidence: int,
    total: int,
    *,
    rule: str | Rule = MORE_THAN_HALF_OF_TOTAL,
    rules: Mapping[str, Rule] | None = None,
) -> ConfidenceVoteResult:
    """Decide a confidence vote (tín nhiệm / không tín nhiệm); default bar ``no_confidence*2 > N``."""
    check_counts(total, confidence=confidence, no_confidence=no_confidence)
    resolved = resolve_rule(rule, rules)
    return ConfidenceVoteResult(
        confidence=confidence,
        no_confidence=no_confidence,
        total=total,
        required=resolved.required(total),
        propose_relief=resolved.is_met(no_confidence, total),
    )


class PollOutcome(StrEnum):
    """What follows a confidence poll for the official."""

    NO_ACTION = "no_action"
    MAY_RESIGN = "may_resign"
    NOMINATOR_MUST_PROPOSE_RELIEF = "nominator_must_propose_relief"


@dataclass(frozen=True, slots=True)
class ConfidencePollResult:
    """A confidence poll's counts (tín nhiệm cao / tín nhiệm / tín nhiệm thấp) and its outcome."""

    high: int
    medium: int
    low: int
    total: int
    outcome: PollOutcome


def confidence_poll(
    high: int,
    medium: int,
    low: int,
    total: int,
    *,
    resign_rule: str | Rule = MORE_THAN_HALF_OF_TOTAL,
    relief_rule: str | Rule = TWO_THIRDS_OF_TOTAL,
    rules: Mapping[str, Rule] | None = None,
) -> ConfidencePollResult:
    """Decide a confidence poll from the tín nhiệm thấp count.

    Defaults: ``low*3 >= N*2`` and the nominator must propose relieving the official; otherwise
    ``low*2 > N`` and the official may resign; otherwise no action.
    """
    check_counts(total, high=high, medium=medium, low=low)
    if resolve_rule(relief_rule, rules).is_met(low, total):
        outcome = PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF
    elif resolve_rule(resign_rule, rules).is_met(low, total):
        outcome = PollOutcome.MAY_RESIGN
    else:
        outcome = PollOutcome.NO_ACTION
    return ConfidencePollResult(high=high, medium=medium, low=low, total=total, outcome=outcome)
