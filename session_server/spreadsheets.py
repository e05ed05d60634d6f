"""Cells for exported spreadsheets (XLSX, CSV): text a spreadsheet program would run as a formula is neutralised."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text starting like a formula (= + - @, a tab, a carriage return) gets a leading apostrophe, so Excel and
    LibreOffice show it as text instead of running it (CWE-1236); other values are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
