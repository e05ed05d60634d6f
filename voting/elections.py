"""Electing office-holders: who is elected, who goes to a new round."""

from collections.abc import Mapping
from dataclasses import dataclass

from voting.errors import VotingError
from voting.rules import MORE_THAN_HALF_OF_TOTAL, Rule, resolve_rule
from voting.validation import check_count, check_total, check_whole


@dataclass(frozen=True, slots=True)
class ElectionResult:
    """Candidates elected, candidates tied above the bar who go to a new round, and seats still open."""

    elected: tuple[str, ...]
    new_round: tuple[str, ...]
    seats_in_new_round: int
    unfilled: int
    required: int


def elect(
    votes: Mapping[str, int],
    total: int,
    seats: int = 1,
    *,
    rule: str | Rule = MORE_THAN_HALF_OF_TOTAL,
    rules: Mapping[str, Rule] | None = None,
) -> ElectionResult:
    """Fill ``seats`` from each candidate's valid votes out of ``total`` delegates in office.

    A candidate is elected above the bar (default ``votes*2 > N``) and with more votes than those left out;
    candidates tied above the bar for the last seats go to a new round among themselves. ``unfilled`` counts
    seats no candidate reached the bar for.
    """
    check_total(total)
    check_whole("seats", seats, 1)
    if not votes:
        raise VotingError("an election needs at least one candidate")
    for candidate, count in votes.items():
        check_count(f"votes for {candidate}", count, total)

    resolved = resolve_rule(rule, rules)
    # sorted() is stable, so equal counts keep the ballot's order of candidates.
    above_bar = sorted((c for c in votes if resolved.is_met(votes[c], total)), key=lambda c: -votes[c])
    if len(above_bar) <= seats:
        return ElectionResult(tuple(above_bar), (), 0, seats - len(above_bar), resolved.required(total))

    cutoff = votes[above_bar[seats - 1]]
    elected = tuple(c for c in above_bar if votes[c] > cutoff)
    tied = tuple(c for c in above_bar if votes[c] == cutoff)
    if len(elected) + len(tied) == seats:
        return ElectionResult(elected + tied, (), 0, 0, resolved.required(total))
    return ElectionResult(elected, tied, seats - len(elected), 0, resolved.required(total))
