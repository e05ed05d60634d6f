"""The compiled petitions and the statistics as XLSX workbooks (openpyxl, write-only), every text cell neutralised
so that a petition typed as "=HYPERLINK(…)" stays text."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from session_server.petitions.labels import CHANNEL_VI, LEVEL_VI, RATING_VI, STATUS_VI
from session_server.petitions.schemas import PetitionOut, StatRow, StatsOut
from session_server.spreadsheets import neutralise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = (
    ("STT", 6),
    ("Nội dung ý kiến, kiến nghị", 70),
    ("Lĩnh vực", 18),
    ("Địa bàn", 18),
    ("Số cử tri", 10),
    ("Kênh tiếp nhận", 16),
    ("Cấp giải quyết", 14),
    ("Cơ quan giải quyết", 28),
    ("Hạn giải quyết", 14),
    ("Tình trạng", 16),
    ("Quá hạn", 9),
    ("Đánh giá của cử tri", 18),
)


def vn_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _cells(sheet: WriteOnlyWorksheet, values: Sequence[object], bold: bool = False, wrap: bool = False) -> list[object]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=neutralise(value))
        if bold:
            cell.font = Font(bold=True)
        if wrap or bold:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def petitions_workbook(council_name: str, term: str, made_on: date, rows: Iterable[PetitionOut]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tổng hợp")
    for index, (_title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(64 + index)].width = width
    sheet.append(_cells(sheet, [council_name.upper()], bold=True))
    sheet.append(_cells(sheet, ["BẢNG TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI"], bold=True))
    sheet.append(_cells(sheet, [f"Nhiệm kỳ {term}" if term else "", f"Lập ngày {vn_date(made_on)}"]))
    sheet.append([])
    sheet.append(_cells(sheet, [title for title, _ in COLUMNS], bold=True))
    for number, p in enumerate(rows, start=1):
        sheet.append(
            _cells(
                sheet,
                [
                    number,
                    p.content,
                    p.field,
                    p.locality,
                    p.voter_count,
                    CHANNEL_VI[p.channel],
                    LEVEL_VI.get(p.level, "") if p.level else "",
                    p.agency_name,
                    vn_date(p.deadline),
                    STATUS_VI[p.status],
                    "Quá hạn" if p.overdue else "",
                    RATING_VI[p.rating] if p.rating else "",
                ],
                wrap=True,
            )
        )
    return _save(workbook)


def _table(sheet: WriteOnlyWorksheet, title: str, rows: list[StatRow], label: dict[str, str] | None = None) -> None:
    sheet.append(_cells(sheet, [title], bold=True))
    sheet.append(_cells(sheet, ["", "Tổng số", "Đã trả lời", "Quá hạn"], bold=True))
    for row in rows:
        name = (label or {}).get(row.key, row.key) or "(chưa xác định)"
        sheet.append(_cells(sheet, [name, row.total, row.answered, row.overdue]))
    sheet.append([])


def stats_workbook(council_name: str, stats: StatsOut) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Thống kê")
    sheet.column_dimensions["A"].width = 40
    sheet.append(_cells(sheet, [council_name.upper()], bold=True))
    sheet.append(_cells(sheet, ["THỐNG KÊ Ý KIẾN, KIẾN NGHỊ CỬ TRI"], bold=True))
    sheet.append(_cells(sheet, ["Tổng số", stats.total, "Đã trả lời", stats.answered, "Quá hạn", stats.overdue]))
    sheet.append([])
    _table(sheet, "Theo lĩnh vực", stats.by_field)
    _table(sheet, "Theo cơ quan giải quyết", stats.by_agency)
    _table(sheet, "Theo cấp giải quyết", stats.by_level, {k.value: v for k, v in LEVEL_VI.items()})
    _table(sheet, "Theo tình trạng", stats.by_status, {k.value: v for k, v in STATUS_VI.items()})
    _table(sheet, "Theo nhiệm kỳ", stats.by_term)
    return _save(workbook)
