"""Vietnamese words the archive and the minutes print for stored values."""

from __future__ import annotations

from session_server.db.models import AgendaKind, AttendanceStatus, BallotType, SpeechKind

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
    AttendanceStatus.PRESENT.value: "có mặt",
    AttendanceStatus.ABSENT_WITH_REASON.value: "vắng có lý do",
    AttendanceStatus.ABSENT.value: "vắng",
}

CHOICE_VI = {"yes": "tán thành", "no": "không tán thành", "abstain": "không biểu quyết"}


def speech_title(speaker: str, kind: str) -> str:
    return f"{speaker} — {SPEECH_KIND_VI.get(kind, kind)}"
