"""Errors raised by the voting rules; all are ``ValueError`` subclasses."""


class VotingError(ValueError):
    """Figures or settings of a vote that break the rules; the message says which."""


class UnknownRuleError(VotingError):
    """A rule name the council's rules do not define."""


class InvalidChoiceError(VotingError):
    """A ballot choice other than yes, no or abstain."""


class AuditError(VotingError):
    """An audit event whose content cannot be hashed."""
