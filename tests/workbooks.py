"""Compilation workbooks as council offices make them (openpyxl): title rows, merged cells, an STT column, section
rows per field, a row of column numbers, dates typed three ways, a footer with signatures."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

HEADERS = (
    "STT",
    "Nội dung ý kiến, kiến nghị của cử tri",
    "Cử tri kiến nghị",
    "Địa bàn",
    "Ngày tiếp xúc",
    "Số cử tri",
    "Cơ quan giải quyết",
    "Thời hạn giải quyết",
    "Ghi chú",
)


@dataclass(frozen=True)
class Item:
    content: str
    voters: str = ""
    locality: str = ""
    count: int | str = ""
    agency: str = ""
    deadline: object = ""


# Last term's compilation: two fields, a meeting date merged over the rows of one meeting, two near-duplicates.
LAST_TERM: dict[str, list[tuple[object, list[Item]]]] = {
    "LĨNH VỰC GIAO THÔNG": [
        (
            datetime(2026, 11, 7),
            [
                Item(
                    "Đề nghị sửa chữa tuyến đường liên thôn Đông – thôn Tây đã xuống cấp nghiêm trọng, "
                    "mùa mưa đi lại rất khó khăn.",
                    "Ông Nguyễn Văn Tư; Bà Lê Thị Hoa",
                    "Thôn Đông",
                    14,
                ),
                Item(
                    "Đề nghị lắp đặt đèn chiếu sáng công cộng tuyến đường trục chính thôn Bắc.",
                    "Ông Trần Văn Ba",
                    "Thôn Bắc",
                    6,
                ),
            ],
        ),
        (
            "08/11/2026",
            [
                Item(
                    "Cử tri thôn Tây kiến nghị sớm sửa chữa đường liên thôn Đông – thôn Tây bị xuống cấp, "
                    "đi lại khó khăn vào mùa mưa.",
                    "Bà Phạm Thị Mai",
                    "Thôn Tây",
                    "9 cử tri",
                ),
            ],
        ),
    ],
    "LĨNH VỰC Y TẾ": [
        (
            "ngày 9 tháng 11 năm 2026",
            [
                Item(
                    "Đề nghị bổ sung bác sĩ cho Trạm Y tế xã, hiện chỉ có một bác sĩ thường trực.",
                    "Ông Đỗ Văn Nam",
                    "Toàn xã",
                    22,
                    "Ủy ban nhân dân xã Thử Nghiệm",
                    "15/01/2027",
                ),
                Item(
                    "Cử tri đề nghị cấp thẻ bảo hiểm y tế kịp thời cho người cao tuổi từ 75 tuổi trở lên.",
                    "Bà Hoàng Thị Năm",
                    "Thôn Nam",
                    5,
                ),
            ],
        )
    ],
}


def _title_rows(sheet: Worksheet, council: str, session: str) -> None:
    sheet.append([council.upper(), None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    sheet.append(["THƯỜNG TRỰC", None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("E1:I1")
    sheet.merge_cells("A2:C2")
    sheet.merge_cells("E2:I2")
    sheet.append([])
    sheet.append(["BẢNG TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI"])
    sheet.append([f"({session})"])
    sheet.merge_cells("A4:I4")
    sheet.merge_cells("A5:I5")
    sheet.append([])
    sheet.append(list(HEADERS))
    for cell in sheet[7]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.append([f"({n})" for n in range(1, len(HEADERS) + 1)])


def compilation(
    sections: dict[str, list[tuple[object, list[Item]]]] | None = None,
    council: str = "HĐND xã Thử Nghiệm",
    session: str = "Trước Kỳ họp thứ Mười, HĐND xã khóa XV, nhiệm kỳ 2021 – 2026",
    tweak: Callable[[Worksheet], None] | None = None,
) -> bytes:
    """The workbook's bytes; `tweak` may spoil the sheet afterwards (a formula, a bad date)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tổng hợp"
    _title_rows(sheet, council, session)
    number = 0
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
    for index, (title, meetings) in enumerate((sections or LAST_TERM).items()):
        sheet.append([roman[index], title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=9)
        for held_on, items in meetings:
            first = sheet.max_row + 1
            for item_index, item in enumerate(items):
                number += 1
                sheet.append(
                    [
                        number,
                        item.content,
                        item.voters,
                        item.locality,
                        held_on if item_index == 0 else None,
                        item.count,
                        item.agency,
                        item.deadline,
                        "",
                    ]
                )
            if len(items) > 1:
                sheet.merge_cells(start_row=first, start_column=5, end_row=sheet.max_row, end_column=5)
    sheet.append([f"Tổng cộng: {number} ý kiến, kiến nghị"])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=9)
    sheet.append([])
    sheet.append(["NGƯỜI LẬP BIỂU", None, None, None, None, "TM. THƯỜNG TRỰC HĐND"])
    sheet.column_dimensions["B"].width = 60
    if tweak is not None:
        tweak(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def many_rows(count: int, locality_count: int = 40) -> bytes:
    """`count` petitions under the offices' title rows and headers (benchmarks, size limits); write-only."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tổng hợp")
    sheet.append(["HĐND XÃ THỬ NGHIỆM"])
    sheet.append(["BẢNG TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỬ TRI"])
    sheet.append([])
    sheet.append(list(HEADERS))
    topics = (
        "sửa chữa đường giao thông nông thôn",
        "lắp đặt đèn chiếu sáng công cộng",
        "nạo vét kênh mương nội đồng",
        "bổ sung giáo viên trường tiểu học",
        "cấp nước sạch cho khu dân cư",
        "thu gom rác thải sinh hoạt",
    )
    for n in range(1, count + 1):
        topic = topics[n % len(topics)]
        sheet.append(
            [
                n,
                f"Cử tri thôn {n % locality_count + 1} đề nghị {topic} (kiến nghị số {n}).",
                f"Ông Nguyễn Văn {n}",
                f"Thôn {n % locality_count + 1}",
                f"{(n % 28) + 1:02d}/11/2026",
                (n % 30) + 1,
                "",
                "",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encrypted(data: bytes, password: str = "mat-khau") -> bytes:
    """The workbook as Excel saves it with a password to open (msoffcrypto-tool, ECMA-376 agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()
