"""What each kind of motion puts on a ballot, how a filled-in ballot is written down, and how ballots are counted.

Three shapes of ballot:

- ``single``: one of the kind's choices (tán thành / không tán thành / không biểu quyết; or, for a confidence vote
  or poll about one unnamed official, its levels of confidence);
- ``pick``: an election, up to ``seats`` of the candidates (a ballot naming nobody is valid and counts for nobody);
- ``rows``: a confidence vote or poll over a list of officials, one choice on each official's row (Nghị quyết
  96/2023/QH15: one ballot paper lists every official, each with its columns).

A ballot is written down as a short string: the choice itself (``single``), the chosen candidates' keys sorted and
joined by commas (``pick``), or one digit per official in the motion's order, the digit being the index of the
choice in the kind's list (``rows``: ``"021"`` is high, low, medium on a confidence poll), so a ballot over forty
officials still fits a short column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from voting.errors import InvalidChoiceError
from voting.validation import Lang, check_lang, check_whole


class Kind(StrEnum):
    """What is voted on."""

    RESOLUTION = "resolution"
    AMENDMENT = "amendment"
    PROCEDURAL = "procedural"
    DISMISSAL = "dismissal"
    ELECTION = "election"
    CONFIDENCE_VOTE = "confidence_vote"
    CONFIDENCE_POLL = "confidence_poll"


class Shape(StrEnum):
    SINGLE = "single"
    PICK = "pick"
    ROWS = "rows"


YES_NO_ABSTAIN = ("yes", "no", "abstain")
CHOICES: Mapping[Kind, tuple[str, ...]] = {
    Kind.RESOLUTION: YES_NO_ABSTAIN,
    Kind.AMENDMENT: YES_NO_ABSTAIN,
    Kind.PROCEDURAL: YES_NO_ABSTAIN,
    Kind.DISMISSAL: YES_NO_ABSTAIN,
    Kind.ELECTION: (),
    Kind.CONFIDENCE_VOTE: ("confidence", "no_confidence"),
    Kind.CONFIDENCE_POLL: ("high", "medium", "low"),
}
"""The choices of each kind, in the order the ballot prints them; an election's are its candidates."""

ALWAYS_SECRET = frozenset({Kind.ELECTION, Kind.CONFIDENCE_VOTE, Kind.CONFIDENCE_POLL})
"""Elections and confidence votes are by secret ballot (bỏ phiếu kín), whatever the motion says."""

WITH_OFFICIALS = frozenset({Kind.CONFIDENCE_VOTE, Kind.CONFIDENCE_POLL})

_LABELS: Mapping[str, Mapping[str, str]] = {
    "vi": {
        "yes": "Tán thành",
        "no": "Không tán thành",
        "abstain": "Không biểu quyết",
        "confidence": "Tín nhiệm",
        "no_confidence": "Không tín nhiệm",
        "high": "Tín nhiệm cao",
        "medium": "Tín nhiệm",
        "low": "Tín nhiệm thấp",
    },
    "en": {
        "yes": "In favour",
        "no": "Against",
        "abstain": "Abstain",
        "confidence": "Confidence",
        "no_confidence": "No confidence",
        "high": "High confidence",
        "medium": "Confidence",
        "low": "Low confidence",
    },
}


def choice_label(choice: str, lang: Lang = "vi") -> str:
    """A choice as the ballot and the minutes print it; an unknown one as itself."""
    check_lang(lang)
    return _LABELS[lang].get(choice, choice)


@dataclass(frozen=True, slots=True)
class Option:
    """A candidate of an election or an official whose confidence is voted on."""

    key: str
    name: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class ChoiceLabel:
    value: str
    vi: str
    en: str


@dataclass(frozen=True, slots=True)
class BallotForm:
    """What a tablet draws: the shape, the choices with their labels, the candidates or officials, and for an
    election how many may be chosen."""

    kind: Kind
    shape: Shape
    choices: tuple[ChoiceLabel, ...]
    options: tuple[Option, ...]
    max_picks: int


def shape_of(kind: Kind, options: Sequence[Option]) -> Shape:
    if kind is Kind.ELECTION:
        return Shape.PICK
    if kind in WITH_OFFICIALS and options:
        return Shape.ROWS
    return Shape.SINGLE


def ballot_form(kind: Kind, options: Sequence[Option] = (), seats: int = 1) -> BallotForm:
    """The ballot of a motion of ``kind`` over ``options`` (candidates or officials)."""
    check_whole("seats", seats, 1)
    choices = tuple(ChoiceLabel(c, choice_label(c, "vi"), choice_label(c, "en")) for c in CHOICES[kind])
    shape = shape_of(kind, options)
    return BallotForm(kind, shape, choices, tuple(options), seats if shape is Shape.PICK else 1)


def write_ballot(form: BallotForm, filled: str | Sequence[str] | Mapping[str, str]) -> str:
    """The written form of a filled-in ballot, or ``InvalidChoiceError`` saying what is wrong with it."""
    keys = [option.key for option in form.options]
    if form.shape is Shape.PICK:
        picked = [filled] if isinstance(filled, str) else filled
        if not isinstance(picked, Sequence) or not all(isinstance(key, str) for key in picked):
            raise InvalidChoiceError("an election ballot is a list of candidate keys")
        if len(set(picked)) != len(picked) or any(key not in keys for key in picked):
            raise InvalidChoiceError("the ballot names an unknown candidate, or one candidate twice")
        if len(picked) > form.max_picks:
            raise InvalidChoiceError(f"at most {form.max_picks} candidates may be chosen")
        return ",".join(sorted(picked))
    allowed = CHOICES[form.kind]
    if form.shape is Shape.ROWS:
        if not isinstance(filled, Mapping) or set(filled) != set(keys):
            raise InvalidChoiceError("the ballot must give one choice for each official")
        if any(filled[key] not in allowed for key in keys):
            raise InvalidChoiceError(f"each official's choice is one of {', '.join(allowed)}")
        return "".join(str(allowed.index(filled[key])) for key in keys)
    if not isinstance(filled, str) or filled not in allowed:
        raise InvalidChoiceError(f"the choice is one of {', '.join(allowed)}")
    return filled


def invalid_ballot_text(form: BallotForm) -> str:
    """What a ballot of ``form`` asks for, in Vietnamese, for a delegate whose ballot was refused."""
    labels = ", ".join(c.vi for c in form.choices)
    if form.shape is Shape.PICK:
        return f"Phiếu bầu không hợp lệ: chọn tối đa {form.max_picks} người trong danh sách ứng cử."
    if form.shape is Shape.ROWS:
        return f"Phiếu không hợp lệ: mỗi người trong danh sách cần đúng một lựa chọn ({labels})."
    return f"Lựa chọn không hợp lệ; chọn một trong: {labels}."


def read_ballot(form: BallotForm, written: str) -> str | list[str] | dict[str, str]:
    """A written ballot back as it was filled in (for a delegate's own ballot, or a named list)."""
    if form.shape is Shape.PICK:
        return [key for key in written.split(",") if key]
    if form.shape is Shape.ROWS:
        allowed = CHOICES[form.kind]
        return {option.key: allowed[int(digit)] for option, digit in zip(form.options, written, strict=True)}
    return written


@dataclass(frozen=True, slots=True)
class Counts:
    """What the ballots add up to: per choice (``single``), per candidate (``pick``), or per official and choice
    (``rows``); ``ballots`` is how many were counted."""

    ballots: int
    choices: Mapping[str, int]
    candidates: Mapping[str, int]
    officials: Mapping[str, Mapping[str, int]]


def count_ballots(form: BallotForm, written: Iterable[str]) -> Counts:
    """Add up written ballots; a ballot that does not fit the form is refused with ``InvalidChoiceError``."""
    allowed = CHOICES[form.kind]
    ballots = 0
    choices: Counter[str] = Counter({c: 0 for c in allowed})
    candidates: Counter[str] = Counter({o.key: 0 for o in form.options} if form.shape is Shape.PICK else {})
    officials = {o.key: Counter({c: 0 for c in allowed}) for o in form.options} if form.shape is Shape.ROWS else {}
    for ballot in written:
        ballots += 1
        if form.shape is Shape.PICK:
            marks = [key for key in ballot.split(",") if key]
            if any(key not in candidates for key in marks):
                raise InvalidChoiceError(f"a ballot names an unknown candidate: {ballot!r}")
            candidates.update(marks)
        elif form.shape is Shape.ROWS:
            if len(ballot) != len(form.options) or any(not d.isdigit() or int(d) >= len(allowed) for d in ballot):
                raise InvalidChoiceError(f"a ballot does not fit the list of officials: {ballot!r}")
            for option, digit in zip(form.options, ballot, strict=True):
                officials[option.key][allowed[int(digit)]] += 1
        else:
            if ballot not in allowed:
                raise InvalidChoiceError(f"unknown choice {ballot!r}; expected one of {', '.join(allowed)}")
            choices[ballot] += 1
    return Counts(
        ballots=ballots,
        choices=dict(choices) if form.shape is Shape.SINGLE else {},
        candidates=dict(candidates),
        officials={key: dict(counter) for key, counter in officials.items()},
    )


def counter_names(form: BallotForm) -> tuple[str, ...]:
    """The counters of a running tally, in a fixed order: ``ballots`` first, then one per choice (``single``), per
    candidate (``pick``) or per official and choice (``rows``, as ``official:choice``)."""
    allowed = CHOICES[form.kind]
    if form.shape is Shape.PICK:
        return ("ballots", *(o.key for o in form.options))
    if form.shape is Shape.ROWS:
        return ("ballots", *(f"{o.key}:{c}" for o in form.options for c in allowed))
    return ("ballots", *allowed)


def counters_of(form: BallotForm, counts: Counts) -> tuple[int, ...]:
    """``counts`` as the counters of ``counter_names``."""
    if form.shape is Shape.PICK:
        return (counts.ballots, *(counts.candidates[o.key] for o in form.options))
    if form.shape is Shape.ROWS:
        allowed = CHOICES[form.kind]
        return (counts.ballots, *(counts.officials[o.key][c] for o in form.options for c in allowed))
    return (counts.ballots, *(counts.choices[c] for c in CHOICES[form.kind]))


def counts_from_counters(form: BallotForm, counters: Sequence[int]) -> Counts:
    """The counts a running tally holds; ``InvalidChoiceError`` if the counters do not fit the form."""
    names = counter_names(form)
    if len(counters) != len(names) or any(not isinstance(n, int) or n < 0 for n in counters):
        raise InvalidChoiceError(f"a tally of this ballot has {len(names)} whole counters, got {list(counters)!r}")
    by_name = dict(zip(names, counters, strict=True))
    allowed = CHOICES[form.kind]
    return Counts(
        ballots=by_name["ballots"],
        choices={c: by_name[c] for c in allowed} if form.shape is Shape.SINGLE else {},
        candidates={o.key: by_name[o.key] for o in form.options} if form.shape is Shape.PICK else {},
        officials=(
            {o.key: {c: by_name[f"{o.key}:{c}"] for c in allowed} for o in form.options}
            if form.shape is Shape.ROWS
            else {}
        ),
    )


def add_ballots(form: BallotForm, counters: Sequence[int], written: Iterable[str]) -> tuple[int, ...]:
    """A running tally with ``written`` ballots added: every counter is rewritten, whichever the ballots changed."""
    added = counters_of(form, count_ballots(form, written))
    current = counters_of(form, counts_from_counters(form, counters))
    return tuple(a + b for a, b in zip(current, added, strict=True))
