"""Reading offices' compilation workbooks: the header row under title rows, columns guessed from varied wording,
section rows as fields, merged cells filled down, dates typed three ways, bad cells listed by line."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from session_server.errors import ApiError
from session_server.petitions.workbook import (
    MAX_COLUMNS,
    guess_target,
    open_book,
    open_sheet,
    parse_date,
    read,
    read_cells,
)
from tests.workbooks import compilation, encrypted, many_rows

LIMIT = 50_000


def _rows(data: bytes) -> list:
    sheet, found = open_sheet(data, LIMIT)
    return read(sheet, found, found.guess, LIMIT)


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("STT", "stt"),
        ("Số TT", "stt"),
        ("Nội dung ý kiến, kiến nghị của cử tri", "content"),
        ("NỘI DUNG KIẾN NGHỊ", "content"),
        ("Ý kiến cử tri", "content"),
        ("Lĩnh vực", "field"),
        ("Địa bàn", "locality"),
        ("Cử tri kiến nghị", "voters"),
        ("Họ và tên cử tri", "voters"),
        ("Số cử tri", "voter_count"),
        ("Số lượng cử tri kiến nghị", "voter_count"),
        ("Cơ quan giải quyết", "agency"),
        ("Cơ quan chủ trì giải quyết", "agency"),
        ("Ngày tiếp xúc", "received_on"),
        ("Thời hạn giải quyết", "deadline"),
        ("Hình thức tiếp nhận", "channel"),
        ("Thẩm quyền giải quyết", "level"),
        ("Tổ đại biểu", "group"),
        ("Ghi chú", "note"),
        ("Chữ ký", "ignore"),
    ],
)
def test_varied_header_wording_is_recognised(header: str, target: str) -> None:
    assert guess_target(header) == target


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("07/12/2026", date(2026, 12, 7)),
        ("7-12-26", date(2026, 12, 7)),
        ("07.12.2026", date(2026, 12, 7)),
        ("2026-12-07", date(2026, 12, 7)),
        ("ngày 07 tháng 12 năm 2026", date(2026, 12, 7)),
        ("Ngày 7 tháng 12 năm 2026", date(2026, 12, 7)),
        (46363, date(2026, 12, 7)),
        (None, None),
    ],
)
def test_dates_typed_in_several_ways_are_read(typed: object, expected: date | None) -> None:
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2026", "tháng sau", "12/2026"])
def test_a_date_that_is_no_date_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)


def test_the_offices_layout_is_understood_title_rows_sections_merged_dates_and_footer() -> None:
    sheet, found = open_sheet(compilation(), LIMIT)

    assert (found.sheet, found.header_row, found.first_data_row) == ("Tổng hợp", 7, 9)
    assert found.guess == {
        "A": "stt",
        "B": "content",
        "C": "voters",
        "D": "locality",
        "E": "received_on",
        "F": "voter_count",
        "G": "agency",
        "H": "deadline",
        "I": "note",
    }
    rows = read(sheet, found, found.guess, LIMIT)
    assert [(r.line, r.sector, r.received_on, r.voter_count) for r in rows] == [
        (10, "Giao thông", date(2026, 11, 7), 14),
        (11, "Giao thông", date(2026, 11, 7), 6),
        (12, "Giao thông", date(2026, 11, 8), 9),
        (14, "Y tế", date(2026, 11, 9), 22),
        (15, "Y tế", date(2026, 11, 9), 5),
    ]
    assert rows[0].voters == ["Nguyễn Văn Tư", "Lê Thị Hoa"]
    assert (rows[3].agency, rows[3].deadline) == ("Ủy ban nhân dân xã Thử Nghiệm", date(2027, 1, 15))
    assert found.rows == 5 and found.sample[0]["B"].startswith("Đề nghị sửa chữa tuyến đường")


def test_bad_cells_are_all_listed_by_line_and_nothing_is_read() -> None:
    def spoil(sheet: Worksheet) -> None:
        sheet["B11"] = '=CONCATENATE("Đề nghị ", "sửa đường")'
        sheet["E12"] = "31/02/2026"
        sheet["F14"] = "nhiều"

    with pytest.raises(ApiError) as refused:
        _rows(compilation(tweak=spoil))

    assert refused.value.code == "invalid"
    assert "chưa nhập dòng nào" in refused.value.vi
    assert [(d["line"], d["column"]) for d in refused.value.details or []] == [(11, "B"), (12, "E"), (14, "F")]
    assert "công thức" in refused.value.details[0]["problem"]


def test_a_sheet_without_a_content_column_is_refused_naming_the_column() -> None:
    def drop_content(sheet: Worksheet) -> None:
        sheet["B7"] = "Mô tả"

    with pytest.raises(ApiError) as refused:
        _rows(compilation(tweak=drop_content))

    assert "nội dung ý kiến" in refused.value.vi
    assert refused.value.details == [{"field": "content", "problem": "missing required column"}]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"STT;Noi dung\n1;Sua duong\n", "không phải bảng tính"),
        (b"PK\x03\x04 not really a zip", "không phải bảng tính"),
        (b"%PDF-1.7\n", "không phải bảng tính"),
        (b"", "không phải bảng tính"),
    ],
)
def test_what_is_not_a_workbook_is_refused_clearly(data: bytes, words: str) -> None:
    with pytest.raises(ApiError) as refused:
        open_sheet(data, LIMIT)
    assert words in refused.value.vi


def test_a_password_protected_workbook_is_refused_with_how_to_remove_the_password() -> None:
    with pytest.raises(ApiError) as refused:
        open_sheet(encrypted(compilation()), LIMIT)
    assert "đặt mật khẩu" in refused.value.vi and "password-protected" in refused.value.en


def test_a_workbook_of_200000_rows_is_refused_before_it_is_read() -> None:
    def huge(sheet: Worksheet) -> None:
        sheet.cell(row=200_010, column=2, value="Dòng cuối")

    with pytest.raises(ApiError) as refused:
        open_sheet(compilation(tweak=huge), LIMIT)
    assert "hơn 50.000 dòng" in refused.value.vi


def test_rows_past_the_limit_are_refused_even_when_the_sheet_hides_its_size() -> None:
    assert len(_rows(many_rows(120))) == 120
    sheet, found = open_sheet(many_rows(120), 100)
    with pytest.raises(ApiError) as refused:
        read(sheet, found, found.guess, 100)
    assert "hơn 100 dòng" in refused.value.vi


def _kinds_of_cells(write_only: bool) -> bytes:
    """A sheet with every kind of cell an office's workbook holds: shared or inline text, whole and decimal numbers,
    dates and times in date styles, booleans, formulas, an error, gaps, a merged range, columns past the limit."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Dữ liệu") if write_only else book.active
    rows: list[list[object]] = [
        ["STT", "Nội dung", "Ngày", "Số", "Có", "Công thức"],
        [1, "Đường liên thôn", date(2026, 11, 7), 14, True, "=SUM(A2:A3)"],
        [],
        [2.5, "  khoảng trắng ", datetime(2026, 11, 7, 8, 30), -3, False, "=A2&B2"],
        [None, None, None, 1e21, None, "#N/A"],
        [*range(1, MAX_COLUMNS + 4)],
    ]
    for values in rows:
        sheet.append(values)
    if not write_only:
        sheet.merge_cells("B7:C9")
        sheet["B7"] = "Gộp ô"
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_each_cell_reads_as_openpyxls_read_only_mode_reads_it(write_only: bool) -> None:
    data = _kinds_of_cells(write_only)
    expected = [
        list(values[:MAX_COLUMNS])
        for values in load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True)
    ]
    book = open_book(data)
    try:
        (_title, path), *_ = book.sheets
        rows, merged = read_cells(book, path, LIMIT)
    finally:
        book.close()

    def trimmed(values: list[object]) -> list[object]:
        while values and values[-1] is None:
            values = values[:-1]
        return values

    assert [trimmed(r) for r in rows] == [trimmed(r) for r in expected]
    assert merged == ([] if write_only else [(2, 7, 3, 9)])


def _with_entity_bomb(data: bytes) -> bytes:
    """The workbook with its sheet's XML declaring entities that expand a billion times, one of them used in a cell."""
    declarations = b'<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8)
    )
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = b"<!DOCTYPE worksheet [" + declarations + b"]>" + body[body.index(b"<worksheet") :]
                body = body.replace(
                    b"</sheetData>", b'<row r="40"><c r="B40" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>'
                )
            target.writestr(info, body)
    return out.getvalue()


def test_a_sheet_whose_entities_would_expand_a_billion_times_is_refused_at_once() -> None:
    with pytest.raises(ApiError) as refused:
        open_sheet(_with_entity_bomb(compilation()), LIMIT)
    assert refused.value.code == "invalid" and "không phải bảng tính" in refused.value.vi


def _with_cell(data: bytes, cell: bytes) -> bytes:
    """The workbook with one more row whose content cell is `cell` (its raw XML)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b'<row r="40">' + cell + b"</row></sheetData>")
            target.writestr(info, body)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="B40" t="s"><v>99999</v></c>',
        b'<c r="B40" t="s"><v>not a number</v></c>',
        b'<c r="B40" t="d"><v>not a date</v></c>',
        b'<c r="B40"><v>1.2.3</v></c>',
    ],
    ids=["missing-shared-string", "shared-string-not-a-number", "bad-iso-date", "bad-number"],
)
def test_a_damaged_cell_refuses_the_workbook_clearly(cell: bytes) -> None:
    with pytest.raises(ApiError) as refused:
        open_sheet(_with_cell(compilation(), cell), LIMIT)
    assert refused.value.code == "invalid" and "không phải bảng tính" in refused.value.vi
