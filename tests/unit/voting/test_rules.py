import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import (
    DEFAULT_RULES,
    MORE_THAN_HALF_OF_TOTAL,
    TWO_THIRDS_OF_TOTAL,
    Rule,
    UnknownRuleError,
    VotingError,
    passes,
    quorum_met,
    required_votes,
    resolve_rule,
)

totals = st.integers(min_value=1, max_value=1000)


def test_more_than_half_of_35_passes_with_18_yes():
    """Ordinary resolution: yes * 2 > N; N=35, 18*2 = 36 > 35."""
    assert passes("more_than_half_of_total", 18, 35)


def test_more_than_half_of_35_fails_with_17_yes():
    """Ordinary resolution: yes * 2 > N; N=35, 17*2 = 34 is not > 35."""
    assert not passes("more_than_half_of_total", 17, 35)


def test_more_than_half_of_even_total_fails_at_exactly_half():
    """Ordinary resolution: yes * 2 > N; N=30, 15 is exactly half and fails, 16 passes."""
    assert not passes("more_than_half_of_total", 15, 30)
    assert passes("more_than_half_of_total", 16, 30)


@pytest.mark.parametrize(("total", "required"), [(35, 18), (30, 16), (1, 1), (2, 2), (99, 50), (100, 51)])
def test_more_than_half_requires_half_of_total_rounded_down_plus_one(total, required):
    """Ordinary resolution: yes * 2 > N (of all delegates in office, not of those present)."""
    assert required_votes("more_than_half_of_total", total) == required


@pytest.mark.parametrize(("total", "required"), [(35, 24), (30, 20), (25, 17), (3, 2), (1, 1), (100, 67)])
def test_two_thirds_requires_two_thirds_of_total_rounded_up(total, required):
    """Dismissal (bãi nhiệm): yes * 3 >= N * 2; N=35 needs 24, N=30 needs 20."""
    assert required_votes("two_thirds_of_total", total) == required


def test_dismissal_of_35_fails_with_23_yes():
    """Dismissal (bãi nhiệm): yes * 3 >= N * 2; N=35, 23*3 = 69 < 70."""
    assert not passes(TWO_THIRDS_OF_TOTAL, 23, 35)
    assert passes(TWO_THIRDS_OF_TOTAL, 24, 35)


def test_two_thirds_of_30_passes_at_exactly_two_thirds():
    """Dismissal (bãi nhiệm): yes * 3 >= N * 2; N=30, 20*3 = 60 = 60 passes, 19 fails."""
    assert passes("two_thirds_of_total", 20, 30)
    assert not passes("two_thirds_of_total", 19, 30)


def test_quorum_of_25_needs_17_present():
    """Quorum: present * 3 >= N * 2; N=25, 17*3 = 51 >= 50 holds, 16*3 = 48 does not."""
    assert quorum_met(17, 25)
    assert not quorum_met(16, 25)


def test_quorum_of_even_total_met_at_exactly_two_thirds():
    """Quorum: present * 3 >= N * 2; N=30, 20 present is exactly two thirds and holds."""
    assert quorum_met(20, 30)
    assert not quorum_met(19, 30)


def test_quorum_of_35_needs_24_present():
    """Quorum: present * 3 >= N * 2; N=35, 24*3 = 72 >= 70, 23*3 = 69 < 70."""
    assert quorum_met(24, 35)
    assert not quorum_met(23, 35)


def test_quorum_threshold_is_data():
    """Every threshold is data: a council may set its quorum to more than half."""
    assert quorum_met(18, 35, rule=MORE_THAN_HALF_OF_TOTAL)
    assert not quorum_met(17, 35, rule="more_than_half_of_total")


def test_council_rules_replace_the_defaults():
    """Every threshold is data on the motion: a council's own rules may add a three-quarters rule."""
    three_quarters = Rule("three_quarters_of_total", 3, 4, strict=False)
    council_rules = {**DEFAULT_RULES, three_quarters.name: three_quarters}
    assert required_votes("three_quarters_of_total", 35, rules=council_rules) == 27
    assert passes("three_quarters_of_total", 27, 35, rules=council_rules)
    assert not passes("three_quarters_of_total", 26, 35, rules=council_rules)


def test_unknown_rule_name_raises_a_voting_error_naming_the_known_rules():
    """required_votes: an unknown rule raises a clear ValueError subclass."""
    with pytest.raises(UnknownRuleError, match=r"'simple_majority'.*more_than_half_of_total") as raised:
        required_votes("simple_majority", 35)
    assert isinstance(raised.value, VotingError)
    assert isinstance(raised.value, ValueError)


def test_rule_name_unknown_to_council_rules_is_refused_even_if_a_default():
    """A council's own rules replace the defaults: a rule it does not define is unknown."""
    with pytest.raises(UnknownRuleError):
        resolve_rule("two_thirds_of_total", {"more_than_half_of_total": MORE_THAN_HALF_OF_TOTAL})


def test_default_rules_cannot_be_modified():
    """The defaults are shared by every council, so they are read-only."""
    with pytest.raises(TypeError):
        DEFAULT_RULES["more_than_half_of_total"] = TWO_THIRDS_OF_TOTAL  # type: ignore[index]


@pytest.mark.parametrize(
    ("numerator", "denominator", "strict"),
    [(0, 2, True), (3, 2, False), (1, 0, False), (1, 1, True), (-1, 2, False)],
)
def test_rule_with_impossible_fraction_is_refused(numerator, denominator, strict):
    """A threshold must be a fraction above 0 and at most 1 of N, and reachable."""
    with pytest.raises(VotingError, match="rule 'custom'"):
        Rule("custom", numerator, denominator, strict)


def test_unanimity_is_a_valid_rule():
    """A non-strict 1/1 threshold means every delegate in office."""
    everyone = Rule("all_of_total", 1, 1, strict=False)
    assert required_votes(everyone, 35) == 35
    assert passes(everyone, 35, 35)
    assert not passes(everyone, 34, 35)


@pytest.mark.parametrize("total", [0, -5, 2.0, True, "35"])
def test_total_that_is_not_a_positive_whole_number_is_refused(total):
    """Validation: total <= 0 (or not a whole number) raises VotingError."""
    with pytest.raises(VotingError, match="total delegates in office"):
        required_votes("more_than_half_of_total", total)


def test_negative_yes_is_refused():
    """Validation: a negative count raises VotingError."""
    with pytest.raises(VotingError, match="yes must be a whole number of at least 0"):
        passes("more_than_half_of_total", -1, 35)


def test_yes_above_total_is_refused():
    """Validation: more yes votes than delegates in office raises VotingError."""
    with pytest.raises(VotingError, match=r"yes \(36\) exceeds the 35 delegates"):
        passes("more_than_half_of_total", 36, 35)


def test_present_above_total_is_refused():
    """Validation: more delegates present than in office raises VotingError."""
    with pytest.raises(VotingError, match=r"present \(26\) exceeds the 25"):
        quorum_met(26, 25)


@given(total=totals, rule=st.sampled_from(sorted(DEFAULT_RULES)))
def test_required_votes_is_the_fewest_yes_that_pass(total, rule):
    """required_votes is the fewest yes votes that pass: it passes and one fewer does not."""
    required = required_votes(rule, total)
    assert 1 <= required <= total
    assert passes(rule, required, total)
    assert not passes(rule, required - 1, total)


@given(
    total=totals,
    fraction=st.tuples(st.integers(1, 20), st.integers(1, 20)).filter(lambda f: f[0] < f[1]),
    strict=st.booleans(),
    data=st.data(),
)
def test_any_rule_passes_exactly_from_its_required_count(total, fraction, strict, data):
    """Every threshold is data: for any fraction, passing is monotone and starts at required_votes."""
    rule = Rule("custom", fraction[0], fraction[1], strict)
    yes = data.draw(st.integers(0, total))
    assert passes(rule, yes, total) == (yes >= required_votes(rule, total))
