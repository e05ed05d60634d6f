"""What a closed vote decided, in the words the minutes, the archive and the public page print.

A resolution, an amendment, a procedural matter or a dismissal "đã được thông qua" or "không được thông qua"; an
election names who is elected and who goes to a new round; a confidence vote says whether relief must be proposed;
a confidence poll says what follows for the official; over a list of officials, each has their own.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from voting.confidence import PollOutcome
from voting.errors import VotingError

PASS_OR_FAIL_KINDS = frozenset({"resolution", "amendment", "procedural", "dismissal"})


@dataclass(frozen=True, slots=True)
class Verdict:
    """`carried`: the motion did what it proposed (passed, someone elected, relief or resignation on the table)."""

    carried: bool
    text_vi: str
    text_en: str


def pass_or_fail_verdict(passed: bool) -> Verdict:
    if passed:
        return Verdict(True, "đã được thông qua", "adopted")
    return Verdict(False, "không được thông qua", "not adopted")


def _joined(names: Sequence[str], word: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def election_verdict(elected: Sequence[str], new_round: Sequence[str]) -> Verdict:
    """`elected` and `new_round` are candidates' names, in the ballot's order."""
    vi: list[str] = []
    en: list[str] = []
    if elected:
        vi.append(f"{_joined(elected, 'và')} trúng cử")
        en.append(f"{_joined(elected, 'and')} elected")
    if new_round:
        vi.append(f"bầu lại giữa {_joined(new_round, 'và')}")
        en.append(f"new round between {_joined(new_round, 'and')}")
    if not vi:
        return Verdict(False, "không có người trúng cử", "nobody elected")
    return Verdict(bool(elected), "; ".join(vi), "; ".join(en))


def confidence_vote_verdict(propose_relief: bool) -> Verdict:
    if propose_relief:
        return Verdict(True, "không được tín nhiệm, phải trình miễn nhiệm", "no confidence: relief must be proposed")
    return Verdict(False, "chưa đến mức phải trình miễn nhiệm", "relief not required")


_POLL = {
    PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF: Verdict(
        True, "cơ quan đã giới thiệu phải trình miễn nhiệm", "the nominating body must propose relief"
    ),
    PollOutcome.MAY_RESIGN: Verdict(True, "người được lấy phiếu có thể xin từ chức", "the official may resign"),
    PollOutcome.NO_ACTION: Verdict(
        False, "không thuộc trường hợp xin từ chức hay trình miễn nhiệm", "neither resignation nor relief follows"
    ),
}


def confidence_poll_verdict(outcome: PollOutcome) -> Verdict:
    return _POLL[outcome]


def verdict(kind: str, result: Mapping[str, Any], names: Mapping[str, str] | None = None) -> Verdict:
    """The verdict of a closed motion of `kind` from its stored result.

    Reads `passed` (pass-or-fail kinds), `elected` and `new_round` (election: candidate keys, shown by `names`),
    `propose_relief` (confidence vote) or `outcome` (confidence poll: a `PollOutcome` value).
    """
    if kind in PASS_OR_FAIL_KINDS:
        return pass_or_fail_verdict(bool(result.get("passed")))
    if kind == "election":
        shown = names or {}
        return election_verdict(
            [shown.get(key, key) for key in result.get("elected", ())],
            [shown.get(key, key) for key in result.get("new_round", ())],
        )
    if kind in ("confidence_vote", "confidence_poll") and "officials" in result:
        return officials_verdict(kind, result["officials"])
    if kind == "confidence_vote":
        return confidence_vote_verdict(bool(result.get("propose_relief")))
    if kind == "confidence_poll":
        return confidence_poll_verdict(PollOutcome(result.get("outcome", PollOutcome.NO_ACTION)))
    raise VotingError(f"no verdict for a motion of kind {kind!r}")


def officials_verdict(kind: str, officials: Sequence[Mapping[str, Any]]) -> Verdict:
    """A confidence vote or poll over a list of officials: each official's verdict after their name (each entry
    reads like the result of a vote about one official, with its `name`)."""
    found = [(official.get("name", ""), verdict(kind, official)) for official in officials]
    return Verdict(
        any(one.carried for _, one in found),
        "; ".join(f"{name}: {one.text_vi}" for name, one in found),
        "; ".join(f"{name}: {one.text_en}" for name, one in found),
    )
