"""Vietnamese words the archive and the minutes print for stored values."""

from __future__ import annotations

from session_server.db.models import AgendaKind, BallotType, SpeechKind

SPEECH_KIND_VI = {
    SpeechKind.DISCUSSION.value: "thảo luận",
    SpeechKind.QUESTION.value: "chất vấn",
    SpeechKind.DEBATE.value: "tranh luận",
    SpeechKind.POINT_OF_ORDER.value: "kiến nghị về thủ tục",
    SpeechKind.EXPLANATION.value: "giải trình",
}

AGENDA_KIND_VI = {
    AgendaKind.REPORT.value: "Báo cáo",
    AgendaKind.DRAFT_RESOLUTION.value: "Dự thảo nghị quyết",
    AgendaKind.QUESTIONING.value: "Chất vấn",
    AgendaKind.DISCUSSION.value: "Thảo luận",
    AgendaKind.VOTE.value: "Biểu quyết",
    AgendaKind.OTHER.value: "",
}

BALLOT_VI = {
    BallotType.OPEN.value: "biểu quyết công khai",
    BallotType.NAMED.value: "biểu quyết ghi danh",
    BallotType.SECRET.value: "bỏ phiếu kín",
}

ATTENDANCE_VI = {
    # By value: the statuses the chair can set (có mặt, đến muộn, về sớm, vắng có lý do, vắng không có lý do).
    "present": "có mặt",
    "late": "đến muộn",
    "left_early": "về sớm",
    "absent_with_reason": "vắng có lý do",
    "absent": "vắng không có lý do",
}


def speech_title(speaker: str, kind: str) -> str:
    return f"{speaker} — {SPEECH_KIND_VI.get(kind, kind)}"
