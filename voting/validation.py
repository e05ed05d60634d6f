"""Checks shared by the voting modules."""

from typing import Literal, get_args

from voting.errors import VotingError

Lang = Literal["vi", "en"]
LANGS: tuple[str, ...] = get_args(Lang)


def is_whole(value: object) -> bool:
    """Whether ``value`` is an int; bool is an int subclass, but True delegates is a caller's bug."""
    return isinstance(value, int) and not isinstance(value, bool)


def check_whole(name: str, value: int, minimum: int) -> None:
    """Reject a value that is not a whole number of at least ``minimum``."""
    if not is_whole(value) or value < minimum:
        raise VotingError(f"{name} must be a whole number of at least {minimum}, got {value!r}")


def check_total(total: int) -> None:
    """Reject a total of delegates in office that is not a positive whole number."""
    check_whole("total delegates in office", total, 1)


def check_count(name: str, count: int, total: int) -> None:
    """Reject a count that is negative, not whole, or above the delegates in office."""
    check_whole(name, count, 0)
    if count > total:
        raise VotingError(f"{name} ({count}) exceeds the {total} delegates in office")


def check_counts(total: int, **counts: int) -> None:
    """Check the total, each count, and that the counts together fit within the total."""
    check_total(total)
    for name, count in counts.items():
        check_count(name, count, total)
    if sum(counts.values()) > total:
        names = " + ".join(counts)
        raise VotingError(f"{names} = {sum(counts.values())} exceeds the {total} delegates in office")


def check_lang(lang: str) -> None:
    """Reject a language the result texts are not written in."""
    if lang not in LANGS:
        raise VotingError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
