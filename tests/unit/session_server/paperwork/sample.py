"""An administrative document the paperwork tests lay out: a council's minutes with a table and two signers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pymupdf

from session_server.paperwork import (
    AdministrativeDocument,
    Agency,
    Column,
    Heading,
    Paragraph,
    Signer,
    Table,
)

OPENING = (
    "Vào lúc 08 giờ 00 phút, ngày 07 tháng 12 năm 2026, tại Hội trường Ủy ban nhân dân xã Kiến Minh, Hội đồng "
    "nhân dân xã Kiến Minh khóa XIV, nhiệm kỳ 2021 - 2026 tiến hành kỳ họp thứ Mười hai."
)


def minutes(paragraphs: int = 3, **changes: Any) -> AdministrativeDocument:
    body = (
        Heading("I. THÀNH PHẦN THAM DỰ"),
        *(Paragraph.of(OPENING) for _ in range(paragraphs)),
        Table(
            (Column("STT", 0.1, "center"), Column("Họ và tên", 0.5), Column("Lý do vắng", 0.4)),
            (("1", "Ngô Kim Phương", "Đi công tác"), ("2", "Lê Văn Khoa", "Ốm")),
        ),
        Paragraph.of("Kỳ họp bế mạc lúc 11 giờ 30 phút cùng ngày./."),
    )
    document = AdministrativeDocument(
        agency=Agency(("HỘI ĐỒNG NHÂN DÂN", "XÃ KIẾN MINH")),
        symbol="BB-HĐND",
        number=5,
        place="Kiến Minh",
        date=date(2026, 12, 7),
        kind="BIÊN BẢN",
        summary=("Kỳ họp thứ Mười hai, Hội đồng nhân dân xã Kiến Minh khóa XIV, nhiệm kỳ 2021 - 2026",),
        body=body,
        signers=(
            Signer("secretary", "THƯ KÝ KỲ HỌP", "Trần Thị Thu"),
            Signer("chair", "CHỦ TỌA KỲ HỌP", "Nguyễn Văn Minh"),
        ),
        recipients=("Thường trực HĐND xã;", "Lưu: VT, hồ sơ kỳ họp."),
        author="Hội đồng nhân dân xã Kiến Minh",
        created=datetime(2026, 12, 7, 11, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    return replace(document, **changes)


def spans(pdf: bytes) -> list[list[dict[str, Any]]]:
    """Every text span of every page, with its box, font, size, flags and writing direction."""
    pages = []
    with pymupdf.open("pdf", pdf) as doc:
        for page in doc:
            found = []
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        found.append(span | {"dir": line["dir"]})
            pages.append(found)
    return pages


def span(page: list[dict[str, Any]], text: str) -> dict[str, Any]:
    matches = [s for s in page if s["text"].strip() == text]
    assert matches, f"{text!r} not on the page: {[s['text'] for s in page]}"
    return matches[0]


def face(found: dict[str, Any]) -> str:
    """The span's typeface whichever way the PDF spells it: "Liberation Serif Bold" and "LiberationSerif-Bold" alike."""
    return found["font"].replace(" ", "").replace("-", "")
