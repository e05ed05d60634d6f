import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import Choice, InvalidChoiceError, Tally, VotingError, count_choices, parse_choice


def test_count_choices_counts_each_option():
    """Vote options: Tán thành (yes), Không tán thành (no), Không biểu quyết (abstain)."""
    tally = count_choices(["yes", "no", "yes", "abstain", "yes"])
    assert tally == Tally(yes=3, no=1, abstain=1)


def test_count_choices_of_no_ballots_is_all_zero():
    """Participating = yes + no + abstain; with no ballots nobody took part."""
    assert count_choices([]) == Tally(0, 0, 0)
    assert count_choices([]).participating == 0


def test_count_choices_accepts_choice_members():
    """Choices may come as the enum or as its wire value."""
    assert count_choices([Choice.NO, "no", Choice.ABSTAIN]) == Tally(yes=0, no=2, abstain=1)


@pytest.mark.parametrize("bad", ["Yes", "tán thành", "", "absent", None])
def test_count_choices_refuses_anything_but_the_three_options(bad):
    """Vote options are only yes, no and abstain; any other value is refused."""
    with pytest.raises(InvalidChoiceError, match="expected one of yes, no, abstain"):
        count_choices(["yes", bad])


def test_invalid_choice_is_a_voting_error():
    """Validation errors are ValueError subclasses with a readable message."""
    with pytest.raises(VotingError, match="unknown choice 'maybe'"):
        parse_choice("maybe")


def test_participating_is_yes_plus_no_plus_abstain():
    """Participating = yes + no + abstain."""
    assert Tally(yes=31, no=1, abstain=1).participating == 33


@pytest.mark.parametrize("counts", [{"yes": -1}, {"no": -2}, {"abstain": 1.5}, {"yes": True}])
def test_tally_refuses_negative_or_fractional_counts(counts):
    """Validation: counts negative (or not whole) raise VotingError."""
    with pytest.raises(VotingError, match="must be a whole number of at least 0"):
        Tally(**counts)


@pytest.mark.parametrize(
    ("choice", "vi", "en"),
    [
        (Choice.YES, "Tán thành", "In favour"),
        (Choice.NO, "Không tán thành", "Against"),
        (Choice.ABSTAIN, "Không biểu quyết", "Abstain"),
    ],
)
def test_choice_labels_use_the_official_wording(choice, vi, en):
    """Vote options: Tán thành (yes), Không tán thành (no), Không biểu quyết (abstain)."""
    assert choice.label() == vi
    assert choice.label("vi") == vi
    assert choice.label("en") == en


def test_choice_label_in_unknown_language_is_refused():
    """Results are written in Vietnamese or English only."""
    with pytest.raises(VotingError, match="language must be one of vi, en"):
        Choice.YES.label("fr")  # type: ignore[arg-type]


@given(st.lists(st.sampled_from([choice.value for choice in Choice])))
def test_count_choices_counts_every_ballot_once(choices):
    """Each ballot is counted once: the counts add up to the number of ballots."""
    tally = count_choices(choices)
    assert tally.participating == len(choices)
    assert tally.yes == choices.count("yes")
