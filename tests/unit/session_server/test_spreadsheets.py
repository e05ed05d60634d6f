"""What HopSo writes as a spreadsheet (XLSX, CSV) cannot run as a formula when opened: text imported as
`=HYPERLINK(...)` or `+cmd|...` (a member's name, a petition) is neutralised by the one neutraliser on the way out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from session_server.spreadsheets import neutralise

PACKAGE = Path(__file__).resolve().parents[3] / "session_server"
WRITES_SPREADSHEETS = re.compile(r"from openpyxl import .*\bWorkbook\b|csv\.(writer|DictWriter)\(")


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example", "Bấm vào")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_text_a_spreadsheet_would_run_is_written_as_text(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "", 42, 3.5, None])
def test_other_values_are_written_as_they_are(value: object) -> None:
    assert neutralise(value) == value


def test_every_module_that_writes_a_spreadsheet_neutralises_its_cells() -> None:
    writers = [path for path in PACKAGE.rglob("*.py") if WRITES_SPREADSHEETS.search(path.read_text(encoding="utf-8"))]
    unguarded = [
        str(path.relative_to(PACKAGE))
        for path in writers
        if "from session_server.spreadsheets import neutralise" not in path.read_text(encoding="utf-8")
    ]

    assert writers, "no spreadsheet writer found: the pattern no longer matches how exports are written"
    assert unguarded == []
