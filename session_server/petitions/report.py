"""The compiled report on voters' petitions (báo cáo tổng hợp ý kiến, kiến nghị cử tri) and the session's report on
their answers, as administrative documents in the layout the minutes use (session_server.paperwork, Decree
30/2020/NĐ-CP): petitions by field with their agency, deadline and answer, then the figures by agency.
No voter's name, address or contact is ever written into them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from session_server.paperwork import AdministrativeDocument, Agency, Column, Heading, Paragraph, Signer, Table
from session_server.paperwork.document import Block, short_date
from session_server.petitions.labels import LEVEL_VI, STATUS_VI
from session_server.petitions.models import PetitionStatus
from session_server.petitions.schemas import AnswerOut, PetitionOut, StatRow

COUNCIL_WORDS = "hội đồng nhân dân"
REPORT_STATUS = {PetitionStatus.FORWARDED: "Đang chờ trả lời"}


@dataclass(frozen=True)
class Entry:
    petition: PetitionOut
    answer: AnswerOut | None


def agency_of(council_name: str) -> Agency:
    """ "Hội đồng nhân dân xã Kiến Minh" → HỘI ĐỒNG NHÂN DÂN / XÃ KIẾN MINH."""
    upper = council_name.strip().upper()
    head = COUNCIL_WORDS.upper()
    if upper.startswith(head) and upper[len(head) :].strip():
        return Agency((head, upper[len(head) :].strip()))
    return Agency((upper,))


def place_of(council_name: str) -> str:
    """The place name of the date line: "Hội đồng nhân dân xã Kiến Minh" → "Kiến Minh"."""
    words = council_name.strip().split()
    for index, word in enumerate(words):
        if word.lower() in ("xã", "phường", "thị", "tỉnh", "thành", "đặc") and index + 1 < len(words):
            rest = words[index + 1 :]
            if word.lower() in ("thị", "thành", "đặc") and len(rest) > 1:
                rest = rest[1:]
            return " ".join(rest)
    return council_name


def _entry_blocks(number: int, entry: Entry) -> list[Block]:
    p = entry.petition
    where = [p.locality] if p.locality else []
    where.append(f"{p.voter_count} cử tri")
    blocks: list[Block] = [Paragraph.of(f"{number}. {p.content} ({'; '.join(where)}).")]
    facts = [f"Tình trạng: {REPORT_STATUS.get(p.status, STATUS_VI[p.status]).lower()}"]
    if p.agency_name:
        facts.append(f"cơ quan giải quyết: {p.agency_name}")
    if p.deadline:
        facts.append(f"hạn trả lời: {short_date(p.deadline)}")
    if p.overdue:
        facts.append("đã quá hạn")
    blocks.append(Paragraph.of("; ".join(facts) + ".", italic=True, small=True))
    if entry.answer is not None:
        answered = entry.answer.answered_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        who = entry.answer.agency_name or "Cơ quan giải quyết"
        blocks.append(Paragraph.of(f"Trả lời của {who} ({short_date(answered)}): {entry.answer.text}", small=True))
    return blocks


def _by_field(entries: list[Entry]) -> list[Block]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.petition.field].append(entry)
    blocks: list[Block] = []
    for index, (name, members) in enumerate(sorted(groups.items(), key=lambda g: (not g[0], g[0])), start=1):
        title = f"Lĩnh vực {name[0].lower()}{name[1:]}" if name else "Chưa phân loại lĩnh vực"
        blocks.append(Heading(f"{index}. {title}", level=2))
        for number, entry in enumerate(members, start=1):
            blocks += _entry_blocks(number, entry)
    return blocks


def _agency_table(rows: list[StatRow]) -> Table:
    return Table(
        (
            Column("STT", 0.08, "center"),
            Column("Cơ quan giải quyết", 0.5),
            Column("Số kiến nghị", 0.14, "center"),
            Column("Đã trả lời", 0.14, "center"),
            Column("Quá hạn", 0.14, "center"),
        ),
        tuple(
            (str(n), row.key or "Chưa giao", str(row.total), str(row.answered), str(row.overdue))
            for n, row in enumerate(rows, start=1)
        ),
    )


def _document(
    council_name: str,
    made_on: date,
    kind_line: str,
    opening: str,
    entries: list[Entry],
    by_agency: list[StatRow],
    created: datetime,
) -> AdministrativeDocument:
    total = len(entries)
    answered = sum(1 for e in entries if e.answer is not None)
    overdue = sum(1 for e in entries if e.petition.overdue)
    levels = defaultdict(int)
    for entry in entries:
        levels[entry.petition.level] += 1
    level_text = "; ".join(
        f"{LEVEL_VI[level].lower()}: {count}" for level, count in levels.items() if level is not None
    )
    body: list[Block] = [
        Paragraph.of(opening),
        Heading("I. KHÁI QUÁT"),
        Paragraph.of(
            f"Tổng số {total} ý kiến, kiến nghị; đã có trả lời {answered}; quá hạn chưa trả lời {overdue}"
            + (f". Theo thẩm quyền giải quyết: {level_text}." if level_text else ".")
        ),
        Heading("II. NỘI DUNG Ý KIẾN, KIẾN NGHỊ VÀ KẾT QUẢ GIẢI QUYẾT"),
        *(_by_field(entries) if entries else [Paragraph.of("Không có ý kiến, kiến nghị nào.")]),
        Heading("III. TÌNH HÌNH GIẢI QUYẾT THEO CƠ QUAN"),
        _agency_table(by_agency) if by_agency else Paragraph.of("Chưa chuyển cơ quan nào giải quyết."),
        Paragraph.of(
            "Thường trực Hội đồng nhân dân đề nghị các cơ quan có thẩm quyền tiếp tục xem xét, giải quyết và trả lời "
            "các ý kiến, kiến nghị chưa được giải quyết, báo cáo kết quả tại kỳ họp tiếp theo./."
        ),
    ]
    return AdministrativeDocument(
        agency=agency_of(council_name),
        symbol="BC-HĐND",
        number=None,
        place=place_of(council_name),
        date=made_on,
        kind="BÁO CÁO",
        summary=(kind_line,),
        body=tuple(body),
        signers=(Signer("chair", "CHỦ TỊCH", "", authority="TM. THƯỜNG TRỰC HĐND"),),
        recipients=("Thường trực HĐND;", "Ủy ban nhân dân;", "Các cơ quan giải quyết;", "Đại biểu HĐND;", "Lưu: VT."),
        author=council_name,
        created=created,
    )


def _agency_rows(entries: list[Entry]) -> list[StatRow]:
    rows: dict[str, StatRow] = {}
    for entry in entries:
        key = entry.petition.agency_name
        row = rows.setdefault(key, StatRow(key=key, total=0, answered=0, overdue=0))
        row.total += 1
        row.answered += entry.answer is not None
        row.overdue += entry.petition.overdue
    return sorted(rows.values(), key=lambda r: (-r.total, r.key))


def compiled_report(
    council_name: str, term: str, made_on: date, entries: list[Entry], created: datetime
) -> AdministrativeDocument:
    """Báo cáo tổng hợp ý kiến, kiến nghị cử tri (of a term, or of the petitions a filter chose)."""
    scope = f" nhiệm kỳ {term}" if term else ""
    return _document(
        council_name,
        made_on,
        f"Tổng hợp ý kiến, kiến nghị cử tri{scope}",
        f"Thường trực {council_name} báo cáo tổng hợp ý kiến, kiến nghị của cử tri{scope} và tình hình giải quyết "
        "như sau:",
        entries,
        _agency_rows(entries),
        created,
    )


def session_report(
    council_name: str, session_title: str, made_on: date, entries: list[Entry], created: datetime
) -> AdministrativeDocument:
    """Báo cáo kết quả giải quyết ý kiến, kiến nghị cử tri, read at the session that takes them up."""
    return _document(
        council_name,
        made_on,
        f"Kết quả giải quyết ý kiến, kiến nghị cử tri trình {session_title}",
        f"Thường trực {council_name} báo cáo kết quả giải quyết, trả lời các ý kiến, kiến nghị của cử tri được "
        f"xem xét tại {session_title} như sau:",
        entries,
        _agency_rows(entries),
        created,
    )
