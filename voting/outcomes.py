"""A closed vote's result as data, from its ballot form and the written ballots: the counts, what passes or who is
elected, the text the chair reads aloud, and the verdict. The server stores it with the motion and every screen,
the minutes and the archive print from it."""

from collections.abc import Iterable, Mapping
from typing import Any

from voting.ballots import BallotForm, Counts, Kind, Shape, count_ballots
from voting.confidence import PollOutcome, confidence_poll, confidence_vote
from voting.elections import elect
from voting.results import decide, percent_of_total, result_text
from voting.tally import Tally
from voting.verdicts import verdict


def outcome(form: BallotForm, written: Iterable[str], total: int, rule: str) -> dict[str, Any]:
    """The result of the ballots `written` on `form`, out of `total` delegates in office, under `rule`."""
    return counted_outcome(form, count_ballots(form, written), total, rule)


def counted_outcome(form: BallotForm, counted: Counts, total: int, rule: str) -> dict[str, Any]:
    """The same from the ballots' counts (a secret vote's tally keeps no ballot, only its counts)."""
    result: dict[str, Any] = {"total": total, "participating": counted.ballots, "rule": rule}
    if form.shape is Shape.PICK:
        result |= _election(form, dict(counted.candidates), total, rule)
    elif form.shape is Shape.ROWS:
        judge = _confidence_vote if form.kind is Kind.CONFIDENCE_VOTE else _confidence_poll
        officials = [
            {"key": o.key, "name": o.name, "title": o.title} | judge(counted.officials[o.key], total, rule)
            for o in form.options
        ]
        for official in officials:
            found = verdict(form.kind, official)
            official |= {"verdict_vi": found.text_vi, "verdict_en": found.text_en}
        result |= {
            "officials": officials,
            "passed": any(official["passed"] for official in officials),
            "text_vi": "\n".join(f"{o['name']} ({o['title']}): {o['text_vi']}" for o in officials),
            "text_en": "\n".join(f"{o['name']} ({o['title']}): {o['text_en']}" for o in officials),
        }
    elif form.kind is Kind.CONFIDENCE_VOTE:
        result |= _confidence_vote(counted.choices, total, rule)
    elif form.kind is Kind.CONFIDENCE_POLL:
        result |= _confidence_poll(counted.choices, total, rule)
    else:
        result |= _motion(counted.choices, total, rule)
    found = verdict(form.kind, result, {o.key: o.name for o in form.options})
    return result | {"carried": found.carried, "verdict_vi": found.text_vi, "verdict_en": found.text_en}


def _motion(counts: Mapping[str, int], total: int, rule: str) -> dict[str, Any]:
    """A resolution, an amendment, a procedural matter or a dismissal: yes against the rule's bar."""
    tally = Tally(yes=counts["yes"], no=counts["no"], abstain=counts["abstain"])
    decision = decide(tally, total, rule)
    return {
        "counts": {"yes": tally.yes, "no": tally.no, "abstain": tally.abstain},
        "required": decision.required,
        "passed": decision.passed,
        "text_vi": result_text(tally.yes, tally.no, tally.abstain, total, "vi"),
        "text_en": result_text(tally.yes, tally.no, tally.abstain, total, "en"),
    }


def _election(form: BallotForm, votes: dict[str, int], total: int, rule: str) -> dict[str, Any]:
    found = elect(votes, total, form.max_picks, rule=rule)
    names = {o.key: o.name for o in form.options}
    return {
        "votes": votes,
        "elected": list(found.elected),
        "new_round": list(found.new_round),
        "required": found.required,
        "passed": bool(found.elected),
        "text_vi": "; ".join(f"{names[k]}: {v} phiếu ({percent_of_total(v, total)})" for k, v in votes.items()),
        "text_en": "; ".join(f"{names[k]}: {v} votes ({percent_of_total(v, total, 'en')})" for k, v in votes.items()),
    }


def _confidence_vote(counts: Mapping[str, int], total: int, rule: str) -> dict[str, Any]:
    """One official's confidence vote: tín nhiệm / không tín nhiệm, and whether relief is to be proposed."""
    confidence, no_confidence = counts["confidence"], counts["no_confidence"]
    found = confidence_vote(confidence, no_confidence, total, rule=rule)
    return {
        "counts": {"confidence": confidence, "no_confidence": no_confidence},
        "required": found.required,
        "passed": found.propose_relief,
        "propose_relief": found.propose_relief,
        "text_vi": f"Tín nhiệm {confidence} ({percent_of_total(confidence, total)}); "
        f"không tín nhiệm {no_confidence} ({percent_of_total(no_confidence, total)})",
        "text_en": f"Confidence {confidence}; no confidence {no_confidence}",
    }


def _confidence_poll(counts: Mapping[str, int], total: int, _rule: str) -> dict[str, Any]:
    """One official's confidence poll: the three levels, and what follows for the official."""
    high, medium, low = counts["high"], counts["medium"], counts["low"]
    found = confidence_poll(high, medium, low, total)
    return {
        "counts": {"high": high, "medium": medium, "low": low},
        "outcome": found.outcome.value,
        "passed": found.outcome is not PollOutcome.NO_ACTION,
        "text_vi": f"Tín nhiệm cao {high} ({percent_of_total(high, total)}); "
        f"tín nhiệm {medium} ({percent_of_total(medium, total)}); "
        f"tín nhiệm thấp {low} ({percent_of_total(low, total)})",
        "text_en": f"High confidence {high}; confidence {medium}; low confidence {low}",
    }
