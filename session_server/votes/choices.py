"""What a delegate may choose in each kind of vote, and how the choice is stored."""

from __future__ import annotations

from typing import Any

from session_server.db.models import Motion, MotionKind
from session_server.errors import invalid

YES_NO_ABSTAIN = ("yes", "no", "abstain")
CHOICES: dict[MotionKind, tuple[str, ...]] = {
    MotionKind.RESOLUTION: YES_NO_ABSTAIN,
    MotionKind.AMENDMENT: YES_NO_ABSTAIN,
    MotionKind.PROCEDURAL: YES_NO_ABSTAIN,
    MotionKind.DISMISSAL: YES_NO_ABSTAIN,
    MotionKind.CONFIDENCE_VOTE: ("confidence", "no_confidence"),
    MotionKind.CONFIDENCE_POLL: ("high", "medium", "low"),
}
LABELS_VI = {
    "yes": "Tán thành",
    "no": "Không tán thành",
    "abstain": "Không biểu quyết",
    "confidence": "Tín nhiệm",
    "no_confidence": "Không tín nhiệm",
    "high": "Tín nhiệm cao",
    "medium": "Tín nhiệm",
    "low": "Tín nhiệm thấp",
}


def candidate_keys(motion: Motion) -> list[str]:
    return [str(option["key"]) for option in motion.options]


def normalize_choice(motion: Motion, choice: Any) -> str:
    """The stored form of a valid choice; an election ballot lists the chosen candidates' keys, sorted."""
    if motion.kind is MotionKind.ELECTION:
        picked = [choice] if isinstance(choice, str) else choice
        if not isinstance(picked, list) or not all(isinstance(key, str) for key in picked):
            raise invalid("Phiếu bầu phải là danh sách ứng cử viên.", "An election ballot is a list of candidates.")
        keys = candidate_keys(motion)
        if len(set(picked)) != len(picked) or any(key not in keys for key in picked):
            raise invalid(
                "Phiếu bầu có ứng cử viên không hợp lệ.", "The ballot names an unknown candidate twice or at all."
            )
        if len(picked) > motion.seats:
            raise invalid(
                f"Chỉ được bầu tối đa {motion.seats} người.", f"At most {motion.seats} candidates may be chosen."
            )
        return ",".join(sorted(picked))
    allowed = CHOICES[motion.kind]
    if choice not in allowed:
        labels = ", ".join(LABELS_VI[c] for c in allowed)
        raise invalid(
            f"Lựa chọn không hợp lệ; chọn một trong: {labels}.", f"Invalid choice; one of: {', '.join(allowed)}."
        )
    return str(choice)
