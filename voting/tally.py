"""Ballot choices and their counts."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from voting.errors import InvalidChoiceError
from voting.validation import Lang, check_lang, check_whole


class Choice(StrEnum):
    """What a delegate may choose on a motion."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"

    def label(self, lang: Lang = "vi") -> str:
        """The option as printed on the tablet and in the minutes."""
        check_lang(lang)
        return _LABELS[lang][self]


_LABELS: dict[str, dict[Choice, str]] = {
    "vi": {Choice.YES: "Tán thành", Choice.NO: "Không tán thành", Choice.ABSTAIN: "Không biểu quyết"},
    "en": {Choice.YES: "In favour", Choice.NO: "Against", Choice.ABSTAIN: "Abstain"},
}


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts of each choice on one motion."""

    yes: int = 0
    no: int = 0
    abstain: int = 0

    def __post_init__(self) -> None:
        for name in ("yes", "no", "abstain"):
            check_whole(name, getattr(self, name), 0)

    @property
    def participating(self) -> int:
        """Delegates who took part in the vote: yes + no + abstain."""
        return self.yes + self.no + self.abstain


def parse_choice(value: str) -> Choice:
    """The ``Choice`` named by ``value``, or ``InvalidChoiceError``."""
    try:
        return Choice(value)
    except ValueError:
        expected = ", ".join(choice.value for choice in Choice)
        raise InvalidChoiceError(f"unknown choice {value!r}; expected one of {expected}") from None


def count_choices(choices: Iterable[str]) -> Tally:
    """Count ballot choices (``yes``/``no``/``abstain``), refusing any other value."""
    counts = Counter(parse_choice(value) for value in choices)
    return Tally(yes=counts[Choice.YES], no=counts[Choice.NO], abstain=counts[Choice.ABSTAIN])
