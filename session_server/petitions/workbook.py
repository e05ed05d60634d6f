"""Reading the compilation workbooks council offices already keep (bảng tổng hợp ý kiến, kiến nghị cử tri).

Such a sheet has title rows, a header row in the office's own wording (sometimes two, with a row of column numbers
under them), an STT column, section rows ("I. LĨNH VỰC GIAO THÔNG"), cells merged down a group of rows, dates typed
in several ways, and signatures at the bottom. `inspect` finds the header row and guesses what each column means;
`read` turns every data row into a `Row` with the secretary's mapping, or lists every bad row by its line.

openpyxl opens the workbook in read-only mode (its sheets, shared strings, date styles); the sheet's cells are read
from its XML in one lxml pass that turns each cell into its value as openpyxl would and keeps the merged ranges,
which read-only mode does not give, at several times openpyxl's own speed. Blocking: callers run these in a worker
thread.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.xml.constants import SHEET_MAIN_NS

from session_server.errors import ApiError, invalid
from session_server.inputs import clean_text
from session_server.petitions.models import Channel, Level
from session_server.text import fold

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
MAX_UNPACKED = 512 * 1024 * 1024
HEADER_SCAN = 25
HEADER_LENGTH = 80
MAX_COLUMNS = 60
SAMPLE_ROWS = 5

IGNORE = "ignore"
# What a column can mean, and how offices word its header (folded). The longest wording found in a header decides.
WORDINGS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "so tt", "tt", "so thu tu"),
    "content": (
        "noi dung",
        "noi dung y kien",
        "noi dung kien nghi",
        "noi dung y kien kien nghi",
        "y kien kien nghi",
        "y kien cu tri",
        "kien nghi cu tri",
        "y kien",
        "kien nghi",
    ),
    "field": ("linh vuc", "nhom linh vuc", "phan loai", "nhom van de"),
    "locality": ("dia ban", "dia phuong", "xa phuong", "thon xom", "thon to dan pho", "khu vuc", "noi phat sinh"),
    "voters": ("cu tri", "ho ten cu tri", "ho va ten cu tri", "nguoi kien nghi", "cu tri kien nghi", "ho va ten"),
    "voter_count": (
        "so cu tri",
        "so luong cu tri",
        "so luot cu tri",
        "so cu tri kien nghi",
        "so luong cu tri kien nghi",
        "so nguoi",
        "so luong",
        "so luot",
    ),
    "channel": ("kenh", "kenh tiep nhan", "hinh thuc", "hinh thuc tiep nhan", "nguon", "nguon tiep nhan"),
    "level": ("cap giai quyet", "tham quyen", "cap tham quyen", "tham quyen giai quyet", "cap"),
    "agency": (
        "co quan giai quyet",
        "co quan chu tri",
        "co quan chu tri giai quyet",
        "don vi giai quyet",
        "co quan tham muu",
        "trach nhiem giai quyet",
        "co quan co tham quyen",
        "co quan",
    ),
    "received_on": (
        "ngay",
        "ngay tiep xuc",
        "ngay tiep nhan",
        "thoi gian tiep xuc",
        "ngay kien nghi",
        "thoi gian",
    ),
    "deadline": ("han giai quyet", "thoi han", "han tra loi", "thoi han giai quyet", "thoi han tra loi"),
    "group": ("to dai bieu", "to dbhdnd", "to db", "dai bieu tiep xuc"),
    "note": ("ghi chu",),
}
TARGETS = (*WORDINGS, IGNORE)
# Columns whose merged cells stand for every row they cover (a field or a meeting date for a group of rows).
FILL_DOWN = frozenset({"field", "locality", "voters", "channel", "level", "agency", "received_on", "deadline", "group"})
ROMAN = re.compile(r"^(?=[IVXLC]+\.?$)M{0,3}(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})\.?$")
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
SECTION_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-Z])[.)]\s+")
SECTION_LETTER = re.compile(r"^[A-Z][.)]?$")
SECTION_WORDS = re.compile(r"^(?:lĩnh vực|nhóm)\s+", re.IGNORECASE)
FOOTER = re.compile(r"^(tong cong|tong so|cong)\b")
DATE_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})$")
DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})")
EXCEL_EPOCH = date(1899, 12, 30)
NUMBER = re.compile(r"\d+")
NAME_SEPARATORS = re.compile(r"[;\n]|,(?!\s*\d)")
HONORIFIC = re.compile(r"^(ông|bà|anh|chị|cử tri|đ/c|đồng chí)\s+", re.IGNORECASE)
CHANNEL_WORDS = (
    (Channel.HOTLINE, ("duong day nong", "hotline", "dien thoai")),
    (Channel.ONLINE, ("truc tuyen", "online", "cong thong tin", "zalo", "fanpage", "facebook", "email", "website")),
    (Channel.LETTER, ("don", "thu", "van ban", "cong van")),
    (Channel.MEETING, ("tiep xuc", "hoi nghi", "truc tiep")),
)
LEVEL_WORDS = (
    (Level.CENTRAL, ("trung uong", "chinh phu", "quoc hoi", "bo ")),
    (Level.PROVINCE, ("tinh", "thanh pho", "so ")),
    (Level.COMMUNE, ("xa", "phuong", "dac khu", "ubnd xa")),
)


@dataclass
class Row:
    """One petition as the workbook gives it."""

    line: int
    content: str
    sector: str = ""
    locality: str = ""
    voters: list[str] = field(default_factory=list)
    voter_count: int | None = None
    channel: Channel | None = None
    level: Level | None = None
    agency: str = ""
    received_on: date | None = None
    deadline: date | None = None
    group: str = ""
    note: str = ""


@dataclass
class Layout:
    """Where the data is: the sheet, the header row, each column's header text and its guessed meaning."""

    sheet: str
    header_row: int
    first_data_row: int
    headers: dict[str, str]
    guess: dict[str, str]
    sample: list[dict[str, object]]
    rows: int


@dataclass
class Problem:
    line: int
    column: str
    problem: str

    def detail(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "problem": self.problem}


def refused(vi: str, en: str, details: list[dict[str, Any]] | None = None) -> ApiError:
    return invalid(vi, en, details)


def check_file(data: bytes, max_rows: int) -> None:
    """Refuse what is not an .xlsx workbook before openpyxl opens it."""
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARK in data:
            raise refused(
                "Bảng tính được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) "
                "rồi tải lên lại.",
                "The workbook is password-protected. Open it in Excel, remove the password, and upload it again.",
            )
        raise refused(
            "Đây là tệp Excel kiểu cũ (.xls). Hãy mở bằng Excel và lưu lại dưới dạng .xlsx.",
            "This is an old-style Excel file (.xls). Open it in Excel and save it as .xlsx.",
        )
    if not data.startswith(ZIP_MAGIC):
        raise not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise not_a_workbook() from exc
    if "xl/workbook.xml" not in names:
        raise not_a_workbook()
    if unpacked > MAX_UNPACKED:
        raise too_many_rows(max_rows)


def not_a_workbook() -> ApiError:
    return refused(
        "Tệp tải lên không phải bảng tính Excel (.xlsx).", "The uploaded file is not an Excel workbook (.xlsx)."
    )


def too_many_rows(max_rows: int) -> ApiError:
    return refused(
        f"Bảng tính có hơn {max_rows:,} dòng; hãy chia thành nhiều tệp nhỏ hơn.".replace(",", "."),
        f"The workbook has more than {max_rows:,} rows; split it into smaller files.",
    )


def open_book(data: bytes) -> Book:
    """The workbook's parts a sheet's cells need, read by openpyxl's reader as `load_workbook(read_only=True)` does,
    without its measuring every sheet's size first (a whole pass over a sheet that does not state it)."""
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise not_a_workbook() from exc
    return Book(reader)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value)).strip()


def _folded(value: object) -> str:
    return " ".join(re.findall(r"[^\W_]+", fold(_text(value))))


def guess_target(header: str) -> str:
    """The meaning whose wording fits the header best: the longest wording equal to, or inside, the header."""
    folded = _folded(header)
    if not folded:
        return IGNORE
    best, length = IGNORE, 0
    padded = f" {folded} "
    for target, wordings in WORDINGS.items():
        for wording in wordings:
            if (folded == wording or f" {wording} " in padded) and len(wording) > length:
                best, length = target, len(wording)
    return best


def _json_value(value: object) -> object:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    return str(value)


def _from_json(value: dict[str, Any]) -> object:
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    return value


_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_FORMULA = f"{{{SHEET_MAIN_NS}}}f"
_INLINE = f"{{{SHEET_MAIN_NS}}}is"
_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
_MERGE = f"{{{SHEET_MAIN_NS}}}mergeCell"
_DIMENSION = f"{{{SHEET_MAIN_NS}}}dimension"
_REFERENCE = re.compile(r"([A-Z]{1,3})(\d+)")


@dataclass
class Book:
    """What a sheet's cells need from the workbook: the shared strings, the date styles and the epoch."""

    reader: ExcelReader

    @property
    def sheets(self) -> list[tuple[str, str]]:
        """(title, path in the archive) of every worksheet, in the workbook's order; chart sheets are left out."""
        return [
            (sheet.name, rel.target)
            for sheet, rel in self.reader.parser.find_sheets()
            if rel.target in self.reader.valid_files and "chartsheet" not in rel.Type
        ]

    def close(self) -> None:
        self.reader.archive.close()


def _cell_value(cell: Any, book: Workbook, strings: list[str]) -> object:
    """A cell's value as openpyxl's read-only mode gives it, formulas as their text ("=SUM(A1:A3)"). The children
    are walked, not searched: lxml's `find` costs more than the rest of the cell."""
    raw = inline = None
    for child in cell:
        if child.tag == _VALUE:
            raw = child.text
        elif child.tag == _FORMULA:
            return "=" + (child.text or "")
        elif child.tag == _INLINE:
            inline = child
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        if inline is None:
            return None
        runs = []
        for part in inline:
            if part.tag == _TEXT:
                return part.text or ""
            if part.tag == _RUN:
                runs.extend(text.text or "" for text in part if text.tag == _TEXT)
        return "".join(runs)
    if not raw:
        return None
    if kind == "n":
        number: int | float = float(raw) if "." in raw or "E" in raw or "e" in raw else int(raw)
        style = int(cell.get("s", 0))
        if style and style in book._date_formats:
            try:
                return from_excel(number, book.epoch, timedelta=style in book._timedelta_formats)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return strings[int(raw)]
    if kind == "b":
        return bool(int(raw))
    if kind == "d":
        return from_ISO8601(raw)
    return raw


def read_cells(book: Book, path: str, max_rows: int) -> tuple[list[list[object]], list[tuple[int, int, int, int]]]:
    """Every row's values (row n at index n - 1, the first MAX_COLUMNS columns) and the merged ranges as
    (min_col, min_row, max_col, max_row), in one pass over the sheet's XML."""
    workbook, strings = book.reader.wb, book.reader.shared_strings
    rows: list[list[object]] = []
    merged: list[tuple[int, int, int, int]] = []
    columns: dict[str, int] = {}
    with book.reader.archive.open(path) as source:
        for _, element in etree.iterparse(
            source, events=("end",), tag=(_DIMENSION, _ROW, _MERGE), resolve_entities=False
        ):
            if element.tag == _DIMENSION:
                # The size the sheet states before its rows: one too large is refused before any row is read.
                stated = _REFERENCE.findall(element.get("ref", ""))
                if stated and int(stated[-1][1]) > max_rows + HEADER_SCAN:
                    raise too_many_rows(max_rows)
                continue
            if element.tag == _MERGE:
                found = _REFERENCE.findall(element.get("ref", ""))
                if len(found) == 2:
                    (first_col, first_row), (last_col, last_row) = found
                    merged.append(
                        (
                            column_index_from_string(first_col),
                            int(first_row),
                            column_index_from_string(last_col),
                            int(last_row),
                        )
                    )
                continue
            number = int(element.get("r") or len(rows) + 1)
            if number > max_rows + HEADER_SCAN:
                raise too_many_rows(max_rows)
            values: list[object] = []
            for cell in element.iterchildren(_CELL):
                reference = cell.get("r")
                if reference:
                    letters = reference.rstrip("0123456789")
                    col = columns.get(letters) or columns.setdefault(letters, column_index_from_string(letters))
                else:
                    col = len(values) + 1
                if col > MAX_COLUMNS:
                    continue
                value = _cell_value(cell, workbook, strings)
                if col > len(values):
                    values.extend([None] * (col - len(values)))
                values[col - 1] = value
            while len(rows) < number - 1:
                rows.append([])
            rows.append(values)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return rows, merged


class Sheet:
    """The values of one sheet, read once, with merged cells resolved. `dumps` keeps them as JSON between the
    preview and the import, so the workbook is read once."""

    def __init__(self, title: str, rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> None:
        self.title = title
        self.rows = rows
        while self.rows and all(v is None or _text(v) == "" for v in self.rows[-1]):
            self.rows.pop()
        self.width = max((len(r) for r in self.rows), default=0)
        self.merged = merged
        self.merged_from: dict[tuple[int, int], tuple[int, int]] = {}
        for first_col, first_row, last_col, last_row in merged:
            if (last_row - first_row + 1) * (last_col - first_col + 1) > 100_000:
                continue
            for row in range(first_row, last_row + 1):
                for col in range(first_col, min(last_col, MAX_COLUMNS) + 1):
                    if (row, col) != (first_row, first_col):
                        self.merged_from[(row, col)] = (first_row, first_col)

    @classmethod
    def from_book(cls, book: Book, title: str, path: str, max_rows: int) -> Sheet:
        rows, merged = read_cells(book, path, max_rows)
        return cls(title, rows, merged)

    def dumps(self) -> str:
        return json.dumps({"title": self.title, "rows": self.rows, "merged": self.merged}, default=_json_value)

    @classmethod
    def loads(cls, text: str) -> Sheet:
        kept = json.loads(text, object_hook=_from_json)
        return cls(kept["title"], kept["rows"], [tuple(m) for m in kept["merged"]])

    def value(self, row: int, col: int, fill_merged: bool = True) -> object:
        """The cell at 1-based (row, col); inside a merged range, the range's first cell's value."""
        if fill_merged and (row, col) in self.merged_from:
            row, col = self.merged_from[(row, col)]
        values = self.rows[row - 1] if row <= len(self.rows) else ()
        return values[col - 1] if col <= len(values) else None

    def header_row(self) -> int | None:
        """The row within the first rows whose cells read most like headers, one of them the content's."""
        best, score = None, 1
        for row in range(1, min(len(self.rows), HEADER_SCAN) + 1):
            texts = [_text(self.value(row, col, fill_merged=False)) for col in range(1, self.width + 1)]
            targets = {guess_target(text) for text in texts if len(text) <= HEADER_LENGTH}
            meaningful = targets - {IGNORE}
            if "content" in meaningful and len(meaningful) > score:
                best, score = row, len(meaningful)
        return best


def _subheader(sheet: Sheet, row: int) -> bool:
    """A second header row: header-like words, no STT number, no long text."""
    if row > len(sheet.rows):
        return False
    cells = [_text(sheet.value(row, col, fill_merged=False)) for col in range(1, sheet.width + 1)]
    filled = [c for c in cells if c]
    return (
        bool(filled)
        and all(len(c) <= 60 and not c.isdigit() for c in filled)
        and any(guess_target(c) != IGNORE for c in filled)
    )


def _column_numbers(sheet: Sheet, row: int) -> bool:
    """The row of column numbers, (1) (2) (3)…, that many offices put under the headers."""
    if row > len(sheet.rows):
        return False
    cells = [_text(sheet.value(row, col, fill_merged=False)) for col in range(1, sheet.width + 1)]
    filled = [c for c in cells if c]
    return len(filled) >= 3 and all(COLUMN_NUMBER.match(c) for c in filled)


def layout(sheet: Sheet) -> Layout | None:
    header = sheet.header_row()
    if header is None:
        return None
    headers: dict[str, str] = {}
    for col in range(1, sheet.width + 1):
        headers[get_column_letter(col)] = _text(sheet.value(header, col))
    first = header + 1
    if _subheader(sheet, first):
        for col in range(1, sheet.width + 1):
            below = _text(sheet.value(first, col, fill_merged=False))
            letter = get_column_letter(col)
            if below:
                headers[letter] = f"{headers[letter]} – {below}" if headers[letter] else below
        first += 1
    if _column_numbers(sheet, first):
        first += 1
    headers = {letter: text for letter, text in headers.items() if text}
    guess: dict[str, str] = {}
    for letter, text in headers.items():
        target = guess_target(text.split(" – ")[-1]) if " – " in text else IGNORE
        if target == IGNORE:
            target = guess_target(text)
        guess[letter] = target if target not in guess.values() else IGNORE
    content_col = next((column_index_from_string(k) for k, v in guess.items() if v == "content"), 0)
    data_rows = [r for r in range(first, len(sheet.rows) + 1) if _data_row(sheet, r, content_col)]
    sample = [
        {letter: _display(sheet.value(r, column_index_from_string(letter))) for letter in headers}
        for r in data_rows[:SAMPLE_ROWS]
    ]
    return Layout(sheet.title, header, first, headers, guess, sample, len(data_rows))


def _display(value: object) -> object:
    """A cell as the preview shows it; dates the Vietnamese way (07/11/2026)."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return _text(value)


def _data_row(sheet: Sheet, row: int, content_col: int) -> bool:
    """A petition's row: some content, and neither a section title nor the footer's total."""
    content = _text(sheet.value(row, content_col, fill_merged=False)) if content_col else ""
    return bool(content) and not _footer(content) and _section(sheet, row) is None


def _footer(content: str) -> bool:
    """The total at the foot of the sheet ("Tổng cộng: 25 ý kiến"), never a petition's long text."""
    return len(content) < 60 and bool(FOOTER.match(_folded(content)))


def open_sheet(data: bytes, max_rows: int) -> tuple[Sheet, Layout]:
    """The first sheet that has a recognisable header row, and its layout."""
    check_file(data, max_rows)
    book = open_book(data)
    try:
        for title, path in book.sheets:
            try:
                sheet = Sheet.from_book(book, title, path, max_rows)
            except (etree.XMLSyntaxError, IndexError, KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
                raise not_a_workbook() from exc
            found = layout(sheet)
            if found is not None:
                return sheet, found
    finally:
        book.close()
    raise refused(
        "Không tìm thấy dòng tiêu đề có cột nội dung ý kiến, kiến nghị (ví dụ “Nội dung ý kiến, kiến nghị”).",
        "No header row with a petition content column (such as “Nội dung ý kiến, kiến nghị”) was found.",
        [{"field": "content", "problem": "missing required column"}],
    )


def parse_date(value: object) -> date | None:
    """A date cell or text: 07/12/2026, 7-12-26, 07.12.2026, 2026-12-07, “ngày 7 tháng 12 năm 2026”, or an Excel
    serial number. None for an empty cell; ValueError for anything else."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 20000 < value < 80000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = _text(value)
    if match := DATE_DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        return date(year + 2000 if year < 100 else year, month, day)
    if match := DATE_YMD.match(text):
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if match := DATE_WORDS.search(_folded(text)):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    raise ValueError(text)


def _from_words(text: str, table: tuple[tuple[Any, tuple[str, ...]], ...]) -> Any:
    padded = f" {_folded(text)} "
    for value, words in table:
        if any(f" {word.strip()} " in padded or padded.strip().startswith(word.strip()) for word in words):
            return value
    return None


def _voters(text: str) -> list[str]:
    names = []
    for piece in NAME_SEPARATORS.split(text):
        name = HONORIFIC.sub("", piece.strip()).strip(" .-")
        if name:
            names.append(name[:200])
    return names


def _section(sheet: Sheet, row: int) -> str | None:
    """A section row ("I. LĨNH VỰC GIAO THÔNG", or "II" beside "Y tế"): its title, else None."""
    values = sheet.rows[row - 1] if row <= len(sheet.rows) else []
    if sum(1 for v in values if v is not None and v != "") > 2:
        return None
    texts = [t for col in range(1, sheet.width + 1) if (t := _text(sheet.value(row, col, fill_merged=False)))]
    if len(texts) == 2 and (ROMAN.match(texts[0].upper()) or SECTION_LETTER.match(texts[0])):
        title = texts[1]
    elif len(texts) == 1 and (SECTION_NUMBER.match(texts[0]) or texts[0].isupper()):
        title = texts[0]
    else:
        return None
    title = SECTION_NUMBER.sub("", title)
    title = SECTION_WORDS.sub("", title).strip(" .:-")
    if not title:
        return None
    return title.capitalize() if title.isupper() else title


def read(sheet: Sheet, found: Layout, mapping: dict[str, str], max_rows: int) -> list[Row]:
    """Every data row with the secretary's `mapping` (column letter → meaning), or an ApiError listing every bad
    row by its line."""
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for letter, target in mapping.items():
        if target not in TARGETS:
            raise refused(
                f"Cột {letter}: không có loại cột “{target}”.",
                f"Column {letter}: there is no column kind “{target}”.",
                [{"field": f"mapping.{letter}", "problem": "unknown column kind"}],
            )
        if not re.fullmatch(r"[A-Z]{1,3}", letter) or column_index_from_string(letter) > MAX_COLUMNS:
            raise refused(f"Không có cột {letter}.", f"There is no column {letter}.")
        if target == IGNORE:
            continue
        if target in columns:
            raise refused(
                f"Hai cột cùng được chọn là “{target}”.",
                f"Two columns are both mapped to “{target}”.",
                [{"field": "mapping", "problem": f"{target} chosen twice"}],
            )
        columns[target] = column_index_from_string(letter)
    if "content" not in columns:
        raise refused(
            "Thiếu cột bắt buộc: nội dung ý kiến, kiến nghị.",
            "A required column is missing: the petition's content.",
            [{"field": "mapping", "problem": "no column is mapped to content"}],
        )
    rows: list[Row] = []
    section = ""
    content_col = columns["content"]
    stt_col = columns.get("stt")
    for line in range(found.first_data_row, len(sheet.rows) + 1):
        title = _section(sheet, line)
        if title is not None:
            section = title
            continue
        content = _text(sheet.value(line, content_col, fill_merged=False))
        if not content or _footer(content):
            stt = _text(sheet.value(line, stt_col, fill_merged=False)) if stt_col else ""
            if not content and stt.isdigit():
                problems.append(Problem(line, get_column_letter(content_col), "STT có số nhưng thiếu nội dung"))
            continue
        row = _row(sheet, line, columns, section, problems)
        if row is not None:
            rows.append(row)
        if len(rows) > max_rows:
            raise too_many_rows(max_rows)
    if problems:
        shown = problems[:200]
        raise refused(
            f"Bảng tính có {len(problems)} ô lỗi; chưa nhập dòng nào. Hãy sửa các dòng được liệt kê rồi tải lên lại.",
            f"The workbook has {len(problems)} bad cells; nothing was imported. Fix the rows listed and upload again.",
            [p.detail() for p in shown],
        )
    return rows


def _row(sheet: Sheet, line: int, columns: dict[str, int], section: str, problems: list[Problem]) -> Row | None:
    values: dict[str, object] = {}
    before = len(problems)
    for target, col in columns.items():
        value = sheet.value(line, col, fill_merged=target in FILL_DOWN)
        if isinstance(value, str) and value.startswith("="):
            problems.append(
                Problem(
                    line, get_column_letter(col), f"ô chứa công thức ({value[:40]}); hãy dán giá trị thay cho công thức"
                )
            )
            continue
        values[target] = value
    row = Row(line=line, content=_text(values.get("content"))[:20000])
    if "content" in values and len(row.content) < 3:
        problems.append(Problem(line, get_column_letter(columns["content"]), "nội dung quá ngắn"))
    row.sector = (_text(values.get("field")) or section)[:100]
    row.locality = _text(values.get("locality"))[:200]
    row.agency = _text(values.get("agency"))[:300]
    row.group = _text(values.get("group"))[:200]
    row.note = _text(values.get("note"))[:4000]
    row.voters = _voters(_text(values.get("voters")))
    count = values.get("voter_count")
    if _text(count):
        digits = NUMBER.search(_text(count))
        if digits is None or not 1 <= int(digits.group()) <= 1_000_000:
            problems.append(
                Problem(line, get_column_letter(columns["voter_count"]), f"số cử tri không đọc được: {_text(count)}")
            )
        else:
            row.voter_count = int(digits.group())
    if _text(values.get("channel")):
        row.channel = _from_words(_text(values["channel"]), CHANNEL_WORDS)
    if _text(values.get("level")):
        row.level = _from_words(_text(values["level"]), LEVEL_WORDS)
    for target in ("received_on", "deadline"):
        if target not in values:
            continue
        try:
            setattr(row, target, parse_date(values[target]))
        except ValueError:
            problems.append(
                Problem(line, get_column_letter(columns[target]), f"ngày không đọc được: {_text(values[target])[:40]}")
            )
    return row if len(problems) == before else None
