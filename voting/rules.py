"""Thresholds on N, the council's total delegates in office, and the quorum."""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from voting.errors import UnknownRuleError, VotingError
from voting.validation import check_count, check_total, is_whole


@dataclass(frozen=True, slots=True)
class Rule:
    """A count passes when count/N is above (``strict``) or at least ``numerator/denominator``."""

    name: str
    numerator: int
    denominator: int
    strict: bool

    def __post_init__(self) -> None:
        if not (is_whole(self.numerator) and is_whole(self.denominator)):
            raise VotingError(f"rule {self.name!r}: numerator and denominator must be whole numbers")
        if not 0 < self.numerator <= self.denominator:
            raise VotingError(
                f"rule {self.name!r}: the fraction {self.numerator}/{self.denominator} must be above 0 and at most 1"
            )
        if self.strict and self.numerator == self.denominator:
            raise VotingError(f"rule {self.name!r}: more than all delegates can never be reached")

    def is_met(self, count: int, total: int) -> bool:
        """Whether ``count`` of ``total`` delegates reaches this threshold."""
        check_total(total)
        check_count("count", count, total)
        if self.strict:
            return count * self.denominator > total * self.numerator
        return count * self.denominator >= total * self.numerator

    def required(self, total: int) -> int:
        """The fewest delegates out of ``total`` that reach this threshold."""
        check_total(total)
        if self.strict:
            return total * self.numerator // self.denominator + 1
        return -(-total * self.numerator // self.denominator)


MORE_THAN_HALF_OF_TOTAL = Rule("more_than_half_of_total", 1, 2, strict=True)
"""Ordinary resolutions, elections, the confidence vote: ``yes * 2 > N``."""

TWO_THIRDS_OF_TOTAL = Rule("two_thirds_of_total", 2, 3, strict=False)
"""Quorum, dismissal (bãi nhiệm) of a delegate: ``yes * 3 >= N * 2``."""

DEFAULT_RULES: Mapping[str, Rule] = MappingProxyType(
    {rule.name: rule for rule in (MORE_THAN_HALF_OF_TOTAL, TWO_THIRDS_OF_TOTAL)}
)


def resolve_rule(rule: str | Rule, rules: Mapping[str, Rule] | None = None) -> Rule:
    """Return ``rule`` itself, or the rule of that name in ``rules`` (default: ``DEFAULT_RULES``)."""
    if isinstance(rule, Rule):
        return rule
    known = DEFAULT_RULES if rules is None else rules
    try:
        return known[rule]
    except KeyError:
        raise UnknownRuleError(f"unknown voting rule {rule!r}; known rules: {', '.join(sorted(known))}") from None


def passes(rule: str | Rule, yes: int, total: int, *, rules: Mapping[str, Rule] | None = None) -> bool:
    """Whether ``yes`` votes out of ``total`` delegates in office pass under ``rule``."""
    check_total(total)
    check_count("yes", yes, total)
    return resolve_rule(rule, rules).is_met(yes, total)


def required_votes(rule: str | Rule, total: int, *, rules: Mapping[str, Rule] | None = None) -> int:
    """The fewest yes votes out of ``total`` delegates in office that pass under ``rule``."""
    return resolve_rule(rule, rules).required(total)


def quorum_met(
    present: int,
    total: int,
    *,
    rule: str | Rule = TWO_THIRDS_OF_TOTAL,
    rules: Mapping[str, Rule] | None = None,
) -> bool:
    """Whether ``present`` delegates out of ``total`` in office may hold the session (default ``present*3 >= N*2``)."""
    check_total(total)
    check_count("present", present, total)
    return resolve_rule(rule, rules).is_met(present, total)


@dataclass(frozen=True, slots=True)
class Quorum:
    """Delegates present out of ``total`` in office, the fewest that make the quorum, and whether they do."""

    present: int
    total: int
    required: int
    met: bool


def quorum(present: int, total: int, *, rule: str | Rule = TWO_THIRDS_OF_TOTAL) -> Quorum:
    """The quorum of a sitting (default two thirds of all delegates in office, ``present*3 >= N*2``): the one place
    the live screens, the vote's check and the minutes get it from."""
    resolved = resolve_rule(rule)
    return Quorum(present, total, resolved.required(total), quorum_met(present, total, rule=resolved))
