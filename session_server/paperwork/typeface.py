"""The documents' typeface: Liberation Serif (metric-compatible with Times New Roman, every Vietnamese glyph),
shipped in `fonts/` under the SIL Open Font License; and the measuring the layouts share."""

from __future__ import annotations

import enum
from functools import cache
from pathlib import Path

import pymupdf

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FAMILY = "Liberation Serif"
WORD_FAMILY = "Times New Roman"
"""What a Word copy names: offices have it, and Liberation Serif stands in for it with the same metrics."""


class Style(enum.Enum):
    REGULAR = "Regular"
    BOLD = "Bold"
    ITALIC = "Italic"
    BOLD_ITALIC = "BoldItalic"

    @classmethod
    def of(cls, bold: bool, italic: bool) -> Style:
        if bold:
            return cls.BOLD_ITALIC if italic else cls.BOLD
        return cls.ITALIC if italic else cls.REGULAR

    @property
    def path(self) -> Path:
        return FONT_DIR / f"LiberationSerif-{self.value}.ttf"


@cache
def font_bytes(style: Style) -> bytes:
    return style.path.read_bytes()


@cache
def font(style: Style) -> pymupdf.Font:
    return pymupdf.Font(fontbuffer=font_bytes(style))


def width(text: str, size: float, style: Style = Style.REGULAR) -> float:
    """The text's advance width in points."""
    return font(style).text_length(text, fontsize=size)


def wrap(text: str, size: float, room: float, style: Style = Style.REGULAR) -> list[str]:
    """Greedy word wrap into lines no wider than `room` (a single word wider than that keeps its own line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and width(candidate, size, style) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def balanced_wrap(text: str, size: float, room: float, style: Style = Style.REGULAR) -> list[str]:
    """As few lines as `wrap` gives, made as even as they can be (a centred title reads better so)."""
    lines = wrap(text, size, room, style)
    narrow, wide = room / 2, room
    while wide - narrow > 1:
        middle = (narrow + wide) / 2
        if len(wrap(text, size, middle, style)) > len(lines):
            narrow = middle
        else:
            wide = middle
    return wrap(text, size, wide, style)


def fitting_size(text: str, room: float, largest: float, smallest: float, style: Style) -> float:
    """The largest size in half points from `largest` down to `smallest` at which the text fits on one line."""
    size = largest
    while size > smallest and width(text, size, style) > room:
        size -= 0.5
    return size
