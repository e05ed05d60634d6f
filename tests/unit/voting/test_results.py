import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import (
    MORE_THAN_HALF_OF_TOTAL,
    TWO_THIRDS_OF_TOTAL,
    Tally,
    UnknownRuleError,
    VotingError,
    decide,
    percent_of_total,
    result_text,
)


def test_result_text_matches_the_national_assembly_wording():
    """Results are shown National-Assembly style, percentages of N to two decimals, rounded half up."""
    assert result_text(31, 1, 1, 35) == (
        "Có 33/35 đại biểu tham gia biểu quyết (94,29%); tán thành 31 (88,57%); "
        "không tán thành 1 (2,86%); không biểu quyết 1 (2,86%)"
    )


def test_result_text_in_english_uses_a_decimal_point():
    """The English variant for the UI carries the same figures with a decimal point."""
    assert result_text(31, 1, 1, 35, lang="en") == (
        "33/35 delegates took part in the vote (94.29%); in favour 31 (88.57%); against 1 (2.86%); abstaining 1 (2.86%)"
    )


def test_result_text_percentages_are_of_all_delegates_not_of_participants():
    """Percentages of N: with 20 of 40 taking part, 20 yes is 50,00%, not 100%."""
    assert result_text(20, 0, 0, 40) == (
        "Có 20/40 đại biểu tham gia biểu quyết (50,00%); tán thành 20 (50,00%); "
        "không tán thành 0 (0,00%); không biểu quyết 0 (0,00%)"
    )


def test_result_text_of_unanimous_vote_shows_one_hundred_percent():
    """Percentages of N to two decimals: all of N is 100,00%."""
    assert result_text(35, 0, 0, 35).startswith(
        "Có 35/35 đại biểu tham gia biểu quyết (100,00%); tán thành 35 (100,00%)"
    )


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [
        (1, 8, "12,50%"),
        (1, 3, "33,33%"),
        (2, 3, "66,67%"),
        (1, 35, "2,86%"),
        (31, 35, "88,57%"),
        (0, 35, "0,00%"),
        (35, 35, "100,00%"),
    ],
)
def test_percent_of_total_has_two_decimals_and_a_decimal_comma(count, total, expected):
    """Percentages of N to two decimals, rounded half up, Vietnamese number format (comma decimal)."""
    assert percent_of_total(count, total) == expected


@pytest.mark.parametrize(("count", "total", "expected"), [(3, 480, "0,63%"), (1, 160, "0,63%"), (9, 800, "1,13%")])
def test_percent_of_total_rounds_an_exact_half_up(count, total, expected):
    """Rounded half up: 3/480 = 0,625% shows 0,63% (float round() would give 0,62%)."""
    assert percent_of_total(count, total) == expected


def test_percent_of_total_in_english_uses_a_decimal_point():
    """The English variant writes 12.50%."""
    assert percent_of_total(1, 8, lang="en") == "12.50%"


@given(total=st.integers(1, 2000), data=st.data())
def test_percent_of_total_is_within_half_a_hundredth_of_the_exact_value(total, data):
    """Percentages rounded half up to two decimals: |shown - exact| <= 0,005 and exact halves go up."""
    count = data.draw(st.integers(0, total))
    whole, fraction = percent_of_total(count, total).removesuffix("%").split(",")
    shown_hundredths = int(whole) * 100 + int(fraction)
    # exact value in hundredths is count * 10000 / total; compare scaled by 2 * total to stay in integers
    error = shown_hundredths * 2 * total - count * 20_000
    assert -total < error <= total


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-1, 0, 0, 35), "yes must be a whole number of at least 0"),
        ((0, -1, 0, 35), "no must be a whole number of at least 0"),
        ((20, 10, 6, 35), r"yes \+ no \+ abstain = 36 exceeds the 35 delegates in office"),
        ((0, 0, 0, 0), "total delegates in office must be a whole number of at least 1"),
        ((0, 0, 0, -3), "total delegates in office must be a whole number of at least 1"),
    ],
)
def test_result_text_refuses_impossible_counts(args, message):
    """Validation: counts negative, or yes+no+abstain > N, or total <= 0 raise VotingError."""
    with pytest.raises(VotingError, match=message):
        result_text(*args)


def test_result_text_in_unknown_language_is_refused():
    """Results are written in Vietnamese or English only."""
    with pytest.raises(VotingError, match="language must be one of vi, en"):
        result_text(1, 0, 0, 3, lang="de")  # type: ignore[arg-type]


def test_decide_passes_ordinary_resolution_with_18_of_35():
    """Ordinary resolution passes: yes * 2 > N; N=35, 18 yes passes."""
    decision = decide(Tally(yes=18, no=10, abstain=2), 35)
    assert decision.passed
    assert decision.required == 18
    assert decision.rule is MORE_THAN_HALF_OF_TOTAL
    assert decision.counts == Tally(18, 10, 2)
    assert decision.text == result_text(18, 10, 2, 35)


def test_decide_counts_absent_delegates_as_not_yes():
    """Absent delegates, no and abstain all count as "not yes": 17 yes of 17 present fails for N=35."""
    decision = decide(Tally(yes=17), 35)
    assert not decision.passed
    assert decision.text.startswith("Có 17/35 đại biểu tham gia biểu quyết (48,57%)")


def test_decide_applies_the_motion_rule_by_name():
    """Dismissal (bãi nhiệm) of a delegate: yes * 3 >= N * 2; N=30 needs 20."""
    decision = decide(Tally(yes=20, no=10), 30, "two_thirds_of_total")
    assert decision.passed
    assert decision.required == 20
    assert decision.rule is TWO_THIRDS_OF_TOTAL
    assert not decide(Tally(yes=19, no=11), 30, "two_thirds_of_total").passed


def test_decide_writes_the_text_in_the_requested_language():
    """The English variant is available for the UI."""
    assert decide(Tally(yes=31, no=1, abstain=1), 35, lang="en").text.startswith("33/35 delegates")


def test_decide_refuses_more_ballots_than_delegates():
    """Validation: yes + no + abstain > N raises VotingError."""
    with pytest.raises(VotingError, match="exceeds the 35 delegates"):
        decide(Tally(yes=30, no=6), 35)


def test_decide_refuses_an_unknown_rule():
    """An unknown rule raises a clear ValueError subclass."""
    with pytest.raises(UnknownRuleError):
        decide(Tally(yes=30), 35, "absolute_majority")
