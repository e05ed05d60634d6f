"""The counts of a yes / no / abstain vote (the choices themselves, their labels and their counting are in ballots)."""

from dataclasses import dataclass

from voting.validation import check_whole


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
