"""The minutes (biên bản kỳ họp) as an administrative document: what the record says, in the order a council's
minutes tell it, for the paperwork layouts (PDF to sign, Word copy to circulate).

Time, place, chair and secretary; attendance by status with names, reasons and the quorum; each agenda item with its
presenter, documents, speeches (who, kind, time, what was said) and votes (result, verdict, names of a named ballot
under each choice); the resolutions adopted; staff's closing notes; the closing time; the audit chain's head when
the record carries it; the secretary's and the chair's signature columns.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import voting
from session_server.archive.labels import AGENDA_KIND_VI, ATTENDANCE_VI, BALLOT_VI, SPEECH_KIND_VI
from session_server.archive.minutes import Minutes
from session_server.paperwork import (
    AdministrativeDocument,
    Agency,
    Block,
    Heading,
    Paragraph,
    Run,
    Signer,
    date_words,
)

SYMBOL = "BB-HĐND"
SECRETARY, CHAIR = "secretary", "chair"
_COUNCIL = "hội đồng nhân dân "
_LEVELS = ("thành phố ", "thị trấn ", "thị xã ", "đặc khu ", "phường ", "huyện ", "quận ", "tỉnh ", "xã ")
SPEECH_TEXT_KEYS = ("text", "summary", "transcript")
"""Where a speech entry carries what was said: `text`, staff's choice of summary or corrected transcript, first."""


def agency_of(council_name: str) -> Agency:
    """ "Hội đồng nhân dân xã Kiến Minh" heads its documents HỘI ĐỒNG NHÂN DÂN / XÃ KIẾN MINH."""
    if council_name.lower().startswith(_COUNCIL) and len(council_name) > len(_COUNCIL):
        return Agency(("HỘI ĐỒNG NHÂN DÂN", council_name[len(_COUNCIL) :].upper()))
    return Agency((council_name.upper(),))


def place_of(council_name: str) -> str:
    """The place name a council dates its documents with: "Kiến Minh" for the council of xã Kiến Minh."""
    place = council_name[len(_COUNCIL) :] if council_name.lower().startswith(_COUNCIL) else council_name
    for level in _LEVELS:
        if place.lower().startswith(level):
            return place[len(level) :]
    return place


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _long(value: str | None) -> str:
    """ "08 giờ 00 phút, ngày 07 tháng 12 năm 2026"."""
    moment = _moment(value)
    if moment is None:
        return "…"
    return f"{moment:%H} giờ {moment:%M} phút, {date_words(moment.date())}"


def _clock(value: str | None) -> str:
    moment = _moment(value)
    return f"{moment:%H:%M}" if moment else "…"


def speech_text(speech: dict[str, Any]) -> str:
    return next((speech[key] for key in SPEECH_TEXT_KEYS if speech.get(key)), "")


def _plain(text: str, *, indent: bool = True) -> Paragraph:
    return Paragraph.of(text, indent=indent)


def _labelled(label: str, text: str) -> Paragraph:
    return Paragraph((Run(label, bold=True), Run(text)))


def _attendance(minutes: Minutes) -> list[Block]:
    attendance = minutes["attendance"]
    statuses = {entry["status"]: entry["members"] for entry in attendance["statuses"]}
    quorum = attendance["quorum"]
    late, early = len(statuses.get("late", [])), len(statuses.get("left_early", []))
    within = []
    if late:
        within.append(f"{late} đại biểu đến muộn")
    if early:
        within.append(f"{early} đại biểu về sớm")
    attended = f"Có mặt: {attendance['attended']}/{attendance['total']} đại biểu"
    attended += f" (trong đó {', '.join(within)})." if within else "."
    blocks: list[Block] = [
        _plain(f"Tổng số đại biểu Hội đồng nhân dân: {attendance['total']}."),
        _plain(attended),
    ]
    for status, members in statuses.items():
        if not members:
            if status != "present":
                blocks.append(_plain(f"{ATTENDANCE_VI.get(status, status).capitalize()}: không."))
            continue
        names = "; ".join(
            f"{member['name']} ({member['reason']})" if member.get("reason") else member["name"] for member in members
        )
        label = f"{ATTENDANCE_VI.get(status, status).capitalize()} ({len(members)}): "
        blocks.append(_labelled(label, f"{names}."))
    met = "đủ" if quorum["met"] else "không đủ"
    blocks.append(
        _plain(
            f"Số đại biểu có mặt {met} điều kiện để tiến hành kỳ họp "
            f"(cần ít nhất {quorum['required']}/{quorum['total']} đại biểu)."
        )
    )
    return blocks


def _speech(speech: dict[str, Any]) -> list[Block]:
    kind = SPEECH_KIND_VI.get(speech["kind"], speech["kind"])
    said = speech_text(speech)
    heading = Run(f"- Đại biểu {speech['speaker']}", bold=True)
    when = Run(f" ({kind}, {_clock(speech['started_at'])}–{_clock(speech['ended_at'])})" + (": " if said else "."))
    return [Paragraph((heading, when, Run(said)))]


def _motion(motion: dict[str, Any]) -> list[Block]:
    ballot = BALLOT_VI.get(motion["ballot_type"], motion["ballot_type"])
    blocks: list[Block] = [Paragraph((Run(f"Biểu quyết ({ballot}): "), Run(motion["title"], bold=True)))]
    if motion["status"] != "closed":
        return [*blocks, _plain("Chưa biểu quyết.")]
    verdict = motion.get("verdict_vi", "")
    blocks.append(
        Paragraph((Run(f"Kết quả: {motion['text_vi']}. "), Run(f"{verdict[:1].upper()}{verdict[1:]}.", bold=True)))
    )
    named: dict[str, list[str]] = {}
    for row in motion.get("named", []):
        named.setdefault(row["choice"], []).append(row["name"])
    for choice in ("yes", "no", "abstain", *sorted(set(named) - {"yes", "no", "abstain"})):
        if choice in named:
            label = f"{voting.choice_label(choice)} ({len(named[choice])}): "
            blocks.append(Paragraph((Run(label, italic=True), Run(f"{', '.join(named[choice])}.")), small=True))
    return blocks


def _item(item: dict[str, Any]) -> list[Block]:
    blocks: list[Block] = [Heading(f"{item['position']}. {item['title']}", level=2)]
    details = [f"Thời gian: {_clock(item['started_at'])}–{_clock(item['ended_at'])}"]
    if AGENDA_KIND_VI.get(item["kind"]):
        details.append(f"nội dung: {AGENDA_KIND_VI[item['kind']].lower()}")
    if item["presenter"]:
        details.append(f"trình bày: {item['presenter']}")
    blocks.append(_plain("; ".join(details) + "."))
    titles = [document["title"] for document in item["documents"]]
    if item["withheld_documents"]:
        titles.append(f"{item['withheld_documents']} tài liệu không công khai")
    if titles:
        blocks.append(_labelled("Tài liệu: ", "; ".join(titles) + "."))
    if item["speeches"]:
        blocks.append(_plain("Ý kiến phát biểu:"))
        for speech in item["speeches"]:
            blocks += _speech(speech)
    for motion in item["motions"]:
        blocks += _motion(motion)
    if item.get("note"):
        blocks.append(_plain(item["note"]))
    return blocks


def _adopted(minutes: Minutes) -> list[str]:
    return [
        motion["title"]
        for item in minutes["items"]
        for motion in item["motions"]
        if motion["kind"] == "resolution" and motion["status"] == "closed" and motion.get("carried")
    ]


def _body(minutes: Minutes) -> tuple[Block, ...]:
    session = minutes["session"]
    chair = (minutes["chair"] or {}).get("name") or "…"
    secretary = (minutes["secretary"] or {}).get("name") or "…"
    blocks: list[Block] = [
        Heading("I. THỜI GIAN, ĐỊA ĐIỂM, CHỦ TỌA, THƯ KÝ"),
        _labelled("Thời gian bắt đầu: ", f"{_long(session['opened_at'])}."),
        _labelled("Địa điểm: ", f"{session['place'] or '…'}."),
        _labelled("Chủ tọa: ", f"{chair}."),
        _labelled("Thư ký: ", f"{secretary}."),
        Heading("II. THÀNH PHẦN THAM DỰ"),
        *_attendance(minutes),
        Heading("III. NỘI DUNG VÀ DIỄN BIẾN KỲ HỌP"),
    ]
    for item in minutes["items"]:
        blocks += _item(item)
    if minutes["other_speeches"]:
        blocks.append(Heading("Phát biểu ngoài chương trình", level=2))
        for speech in minutes["other_speeches"]:
            blocks += _speech(speech)
    adopted = _adopted(minutes)
    blocks.append(Heading("IV. CÁC NGHỊ QUYẾT ĐÃ ĐƯỢC THÔNG QUA"))
    if adopted:
        blocks += [_plain(f"{number}. {title}.") for number, title in enumerate(adopted, start=1)]
    else:
        blocks.append(_plain("Kỳ họp không thông qua nghị quyết nào."))
    if minutes.get("notes"):
        blocks += [Heading("V. Ý KIẾN KHÁC, GHI CHÚ"), _plain(minutes["notes"])]
    blocks.append(_plain(f"Kỳ họp bế mạc lúc {_long(session['closed_at'])}./."))
    head = minutes.get("chain_head")
    if head:
        blocks.append(
            Paragraph.of(
                f"Mã kiểm tra toàn vẹn của bản ghi kỳ họp: sự kiện số {head['seq']}, mã băm SHA-256 {head['hash']}.",
                italic=True,
                small=True,
                indent=False,
                align="left",
            )
        )
    return tuple(blocks)


def _dated(minutes: Minutes) -> date | None:
    session = minutes["session"]
    moment = _moment(session["closed_at"]) or _moment(session["opened_at"])
    return moment.date() if moment else None


def minutes_document(minutes: Minutes, *, draft: bool) -> AdministrativeDocument:
    """The composed minutes (`archive.minutes.compose`) as the document the secretary and the chair sign."""
    council, session = minutes["council"], minutes["session"]
    summary = [session["title"]]
    if council.get("term"):
        summary.append(f"{council['name']}, nhiệm kỳ {council['term'].replace('-', ' - ')}")
    return AdministrativeDocument(
        agency=agency_of(council["name"]),
        symbol=SYMBOL,
        number=minutes.get("number"),
        place=place_of(council["name"]),
        date=_dated(minutes),
        kind="BIÊN BẢN",
        summary=tuple(summary),
        body=_body(minutes),
        signers=(
            Signer(SECRETARY, "THƯ KÝ", (minutes["secretary"] or {}).get("name", "")),
            Signer(CHAIR, "CHỦ TỌA", (minutes["chair"] or {}).get("name", "")),
        ),
        recipients=(f"Thường trực {council.get('short_name') or council['name']};", "Lưu: VT, hồ sơ kỳ họp."),
        draft=draft,
        author=council["name"],
        created=_moment(session["closed_at"]),
    )
