"""Members from a CSV file: UTF-8 (Excel's BOM accepted), Vietnamese or English headers, every row checked first."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from pydantic import ValidationError

from session_server.councils.schemas import MemberIn
from session_server.errors import ApiError, invalid
from session_server.inputs import clean_text

HEADERS = {
    "code": "code",
    "mã": "code",
    "mã đại biểu": "code",
    "full_name": "full_name",
    "họ và tên": "full_name",
    "họ tên": "full_name",
    "title": "title",
    "chức vụ": "title",
    "group": "group",
    "tổ": "group",
    "tổ đại biểu": "group",
    "committee": "committee",
    "ban": "committee",
}
REQUIRED = ("code", "full_name")
MAX_ROWS = 2000


@dataclass(frozen=True)
class MemberRow:
    line: int
    member: MemberIn


def _problem(line: int, vi: str, en: str) -> dict[str, object]:
    return {"line": line, "problem": en, "problem_vi": vi}


def parse_members_csv(raw: bytes) -> list[MemberRow]:
    """Every row, or an ApiError listing each bad row by its line number."""
    try:
        return _parse(raw)
    except csv.Error as exc:
        # The csv module refuses some inputs outright (a field over its 128 KiB limit).
        raise invalid(
            "Tệp CSV không đọc được: một ô quá dài hoặc sai định dạng.",
            "The CSV file cannot be read: a cell is too long or malformed.",
            [_problem(0, "tệp CSV sai định dạng", str(exc))],
        ) from exc


def _parse(raw: bytes) -> list[MemberRow]:
    try:
        text = clean_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise invalid(
            "Tệp CSV phải dùng mã UTF-8 (trong Excel: Lưu dạng “CSV UTF-8”).",
            "The CSV file must be UTF-8 (in Excel: save as “CSV UTF-8”).",
            [_problem(text_line(raw, exc.start), "byte không hợp lệ với UTF-8", "not valid UTF-8")],
        ) from exc
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise invalid("Tệp CSV trống.", "The CSV file is empty.")
    columns = [HEADERS.get(name.strip().lower()) for name in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise invalid(
            "Tệp CSV thiếu cột: " + ", ".join(missing) + " (cần ít nhất “mã” và “họ và tên”).",
            "The CSV file lacks the columns: " + ", ".join(missing) + ".",
        )
    rows: list[MemberRow] = []
    problems: list[dict[str, object]] = []
    first_line_of_code: dict[str, int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(rows) + len(problems) >= MAX_ROWS:
            raise invalid(f"Tệp CSV có quá {MAX_ROWS} dòng.", f"The CSV file has more than {MAX_ROWS} rows.")
        record = {column: value for column, value in zip(columns, values, strict=False) if column}
        try:
            member = MemberIn.model_validate(record)
        except ValidationError as exc:
            fields = ", ".join(str(error["loc"][0]) for error in exc.errors())
            problems.append(_problem(line, f"giá trị không hợp lệ ở cột {fields}", f"invalid value in {fields}"))
            continue
        if member.code in first_line_of_code:
            first = first_line_of_code[member.code]
            problems.append(
                _problem(line, f"mã {member.code} trùng với dòng {first}", f"code {member.code} repeats line {first}")
            )
            continue
        first_line_of_code[member.code] = line
        rows.append(MemberRow(line, member))
    if problems:
        raise ApiError(
            400,
            "invalid",
            f"Tệp CSV có {len(problems)} dòng lỗi; chưa nhập dòng nào.",
            f"The CSV file has {len(problems)} bad rows; nothing was imported.",
            problems,
        )
    if not rows:
        raise invalid("Tệp CSV không có dòng dữ liệu.", "The CSV file has no data rows.")
    return rows


def text_line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1
