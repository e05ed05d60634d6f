"""HopSo's voting rules: quorum, majorities, tallies, elections, confidence votes, audit chain.

Pure functions and values, no I/O. N, the ``total`` everywhere, is the council's delegates in office.
"""

from voting.audit import (
    GENESIS_HASH,
    ChainedEvent,
    EventContent,
    canonical_content,
    event_hash,
    verify_chain,
)
from voting.confidence import (
    ConfidencePollResult,
    ConfidenceVoteResult,
    PollOutcome,
    confidence_poll,
    confidence_vote,
)
from voting.elections import ElectionResult, elect
from voting.errors import AuditError, InvalidChoiceError, UnknownRuleError, VotingError
from voting.results import Decision, decide, percent_of_total, result_text
from voting.rules import (
    DEFAULT_RULES,
    MORE_THAN_HALF_OF_TOTAL,
    TWO_THIRDS_OF_TOTAL,
    Rule,
    passes,
    quorum_met,
    required_votes,
    resolve_rule,
)
from voting.tally import Choice, Tally, count_choices, parse_choice
from voting.validation import Lang

__all__ = [
    "DEFAULT_RULES",
    "GENESIS_HASH",
    "MORE_THAN_HALF_OF_TOTAL",
    "TWO_THIRDS_OF_TOTAL",
    "AuditError",
    "ChainedEvent",
    "Choice",
    "ConfidencePollResult",
    "ConfidenceVoteResult",
    "Decision",
    "ElectionResult",
    "EventContent",
    "InvalidChoiceError",
    "Lang",
    "PollOutcome",
    "Rule",
    "Tally",
    "UnknownRuleError",
    "VotingError",
    "canonical_content",
    "confidence_poll",
    "confidence_vote",
    "count_choices",
    "decide",
    "elect",
    "event_hash",
    "parse_choice",
    "passes",
    "percent_of_total",
    "quorum_met",
    "required_votes",
    "resolve_rule",
    "result_text",
    "verify_chain",
]
