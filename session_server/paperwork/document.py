"""An administrative document (văn bản hành chính) as data, in the parts Decree 30/2020/NĐ-CP names.

The issuing agency (ô 2), the number and symbol (ô 3), place and date (ô 4), the kind and summary (ô 5a), the body
(ô 6), the signers (ô 7), the recipients (ô 9) and the draft mark. Renderers (`pdf`, `word`) lay these out; callers
only say what the document holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

Align = Literal["justify", "left", "center", "right"]


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Paragraph:
    """Body text: justified with the first line indented by default, as the decree lays out the body."""

    runs: tuple[Run, ...]
    align: Align = "justify"
    indent: bool = True
    small: bool = False

    @classmethod
    def of(
        cls,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align: Align = "justify",
        indent: bool = True,
        small: bool = False,
    ) -> Paragraph:
        return cls((Run(text, bold=bold, italic=italic),), align=align, indent=indent, small=small)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Heading:
    """A section heading in bold ("I. THÀNH PHẦN THAM DỰ" at level 1, "1. Báo cáo…" at level 2)."""

    text: str
    level: Literal[1, 2] = 1


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    """A share of the body's width; a table's shares add up to 1."""
    align: Align = "left"


@dataclass(frozen=True)
class Table:
    """A ruled table with a header row; each cell is plain text."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if any(len(row) != len(self.columns) for row in self.rows):
            raise ValueError("every row of a table has one cell per column")
        if abs(sum(column.width for column in self.columns) - 1) > 0.01:
            raise ValueError("a table's column widths add up to the body's width")


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class Signer:
    """One signature column: authority (e.g. "TM. HỘI ĐỒNG NHÂN DÂN"), title, room to sign, full name.

    `key` names the column's signing box in what a renderer reports, so a digital signature can be placed there.
    """

    key: str
    title: str
    name: str
    authority: str = ""
    note: str = ""


@dataclass(frozen=True)
class Agency:
    """The issuing agency, one line each as printed: `name` in bold, a governing agency in `parent` above it."""

    name: tuple[str, ...]
    parent: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdministrativeDocument:
    agency: Agency
    symbol: str
    """The symbol after the number: "BB-HĐND" prints "Số: 05/BB-HĐND"."""
    number: int | None
    """None leaves the number blank for the office's register ("Số:      /BB-HĐND")."""
    place: str
    """The place name of the date line: "Kiến Minh" prints "Kiến Minh, ngày 07 tháng 12 năm 2026"."""
    date: date | None
    kind: str
    """The kind of document in capitals: "BIÊN BẢN", "BÁO CÁO"."""
    summary: tuple[str, ...]
    """What the document is about (trích yếu), one or more lines under the kind."""
    body: tuple[Block, ...]
    signers: tuple[Signer, ...]
    recipients: tuple[str, ...] = ()
    """"Nơi nhận": one recipient a line, the last usually "Lưu: VT, …"."""
    draft: bool = False
    """Marks every page "DỰ THẢO"."""
    author: str = ""
    created: datetime | None = None
    """Written into the file's metadata; a fixed moment keeps the same document the same bytes."""


def number_line(number: int | None, symbol: str) -> str:
    """ "Số: 05/BB-HĐND": numbers below 10 take a leading zero; no number leaves room to write one."""
    shown = f"{number:02d}" if number is not None else "\u00a0" * 8
    return f"Số: {shown}/{symbol}"


def date_words(day: date | None) -> str:
    """ "ngày 07 tháng 12 năm 2026": days below 10 and the months 1 and 2 take a leading zero."""
    if day is None:
        return "ngày\u00a0\u00a0\u00a0\u00a0 tháng\u00a0\u00a0\u00a0\u00a0 năm\u00a0\u00a0\u00a0\u00a0"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date_line(place: str, day: date | None) -> str:
    return f"{place}, {date_words(day)}"


def short_date(day: date) -> str:
    """ "07/12/2026"."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
