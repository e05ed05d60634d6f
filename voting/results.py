"""The outcome of a motion and its announcement, National-Assembly style."""

from collections.abc import Mapping
from dataclasses import dataclass

from voting.rules import MORE_THAN_HALF_OF_TOTAL, Rule, resolve_rule
from voting.tally import Tally
from voting.validation import Lang, check_count, check_counts, check_lang, check_total

_DECIMAL_SEPARATOR = {"vi": ",", "en": "."}

_RESULT_TEMPLATES = {
    "vi": (
        "Có {participating}/{total} đại biểu tham gia biểu quyết ({participating_pct}); "
        "tán thành {yes} ({yes_pct}); không tán thành {no} ({no_pct}); không biểu quyết {abstain} ({abstain_pct})"
    ),
    "en": (
        "{participating}/{total} delegates took part in the vote ({participating_pct}); "
        "in favour {yes} ({yes_pct}); against {no} ({no_pct}); abstaining {abstain} ({abstain_pct})"
    ),
}


def percent_of_total(count: int, total: int, lang: Lang = "vi") -> str:
    """``count`` as a percentage of ``total``, two decimals rounded half up: ``"94,29%"`` (``"94.29%"`` in English)."""
    check_lang(lang)
    check_total(total)
    check_count("count", count, total)
    # Integer half-up rounding: floor(count * 10000 / total + 1/2), in hundredths of a percent.
    hundredths = (count * 20_000 + total) // (2 * total)
    whole, fraction = divmod(hundredths, 100)
    return f"{whole}{_DECIMAL_SEPARATOR[lang]}{fraction:02d}%"


def result_text(yes: int, no: int, abstain: int, total: int, lang: Lang = "vi") -> str:
    """The announced result, percentages of all ``total`` delegates in office."""
    check_lang(lang)
    check_counts(total, yes=yes, no=no, abstain=abstain)
    participating = yes + no + abstain
    return _RESULT_TEMPLATES[lang].format(
        participating=participating,
        total=total,
        yes=yes,
        no=no,
        abstain=abstain,
        participating_pct=percent_of_total(participating, total, lang),
        yes_pct=percent_of_total(yes, total, lang),
        no_pct=percent_of_total(no, total, lang),
        abstain_pct=percent_of_total(abstain, total, lang),
    )


@dataclass(frozen=True, slots=True)
class Decision:
    """A closed motion: whether it passed, on what counts, against which bar."""

    rule: Rule
    total: int
    counts: Tally
    required: int
    passed: bool
    text: str


def decide(
    counts: Tally,
    total: int,
    rule: str | Rule = MORE_THAN_HALF_OF_TOTAL,
    *,
    rules: Mapping[str, Rule] | None = None,
    lang: Lang = "vi",
) -> Decision:
    """Decide a motion from its counts; absent, no and abstain all count as not yes."""
    text = result_text(counts.yes, counts.no, counts.abstain, total, lang)
    resolved = resolve_rule(rule, rules)
    return Decision(
        rule=resolved,
        total=total,
        counts=counts,
        required=resolved.required(total),
        passed=resolved.is_met(counts.yes, total),
        text=text,
    )
