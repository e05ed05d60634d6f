"""What a session's link looks like away from the screen: the A4 poster staff print for the hall's door and the
notice board (council, session, date, the QR code and the address), and the picture a shared link shows in Zalo or
Facebook (a 1200×630 card with the council and the session)."""

from __future__ import annotations

from dataclasses import dataclass

import pymupdf

from session_server.documents.qr import qr_png
from session_server.paperwork.typeface import Style, balanced_wrap, font_bytes

A4 = pymupdf.paper_rect("a4")
CARD = pymupdf.Rect(0, 0, 1200, 630)
INK = (0.08, 0.15, 0.3)
MUTED = (0.25, 0.3, 0.4)
BAND = (0.72, 0.07, 0.1)


@dataclass(frozen=True)
class Sign:
    council: str
    title: str
    when: str
    """'Ngày 07/12/2026, Hội trường UBND xã', or '' when the date and place are not set."""
    url: str


def _fonts(page: pymupdf.Page) -> None:
    page.insert_font(fontname="body", fontbuffer=font_bytes(Style.REGULAR))
    page.insert_font(fontname="bold", fontbuffer=font_bytes(Style.BOLD))


def _centred(page: pymupdf.Page, text: str, top: float, size: float, bold: bool, color: tuple[float, ...]) -> float:
    """Centred lines of `text` from `top`; returns the baseline below the last line."""
    style = Style.BOLD if bold else Style.REGULAR
    room = page.rect.width - 96
    for line in balanced_wrap(text, size, room, style):
        width = pymupdf.Font(fontbuffer=font_bytes(style)).text_length(line, fontsize=size)
        top += size * 1.25
        page.insert_text(
            ((page.rect.width - width) / 2, top), line, fontname="bold" if bold else "body", fontsize=size, color=color
        )
    return top


def poster_pdf(sign: Sign) -> bytes:
    """One A4 page: the council and the session to follow, when and where, the QR code, and the address in full."""
    document = pymupdf.open()
    page = document.new_page(width=A4.width, height=A4.height)
    _fonts(page)
    page.draw_rect(pymupdf.Rect(0, 0, A4.width, 14), color=None, fill=BAND)
    top = _centred(page, sign.council.upper(), 48, 20, True, INK)
    top = _centred(page, "THEO DÕI TRỰC TIẾP KỲ HỌP", top + 24, 16, False, MUTED)
    top = _centred(page, sign.title, top + 8, 26, True, INK)
    if sign.when:
        top = _centred(page, sign.when, top + 10, 14, False, MUTED)
    side = 360
    box = pymupdf.Rect((A4.width - side) / 2, top + 28, (A4.width + side) / 2, top + 28 + side)
    page.insert_image(box, stream=qr_png(sign.url))
    top = _centred(
        page,
        "Quét mã QR bằng điện thoại để xem trực tiếp, chương trình, tài liệu và kết quả",
        box.y1 + 12,
        13,
        False,
        INK,
    )
    _centred(page, sign.url, top + 8, 13, True, INK)
    page.draw_rect(pymupdf.Rect(0, A4.height - 14, A4.width, A4.height), color=None, fill=BAND)
    document.set_metadata({"title": f"{sign.council}: {sign.title}", "creator": "HopSo"})
    return document.tobytes(garbage=3, deflate=True)


def card_png(council: str, title: str, when: str) -> bytes:
    """The link preview's picture: council, title and date on the council's colours, 1200×630 as Open Graph asks."""
    document = pymupdf.open()
    page = document.new_page(width=CARD.width, height=CARD.height)
    _fonts(page)
    page.draw_rect(CARD, color=None, fill=(0.97, 0.96, 0.93))
    page.draw_rect(pymupdf.Rect(0, 0, CARD.width, 24), color=None, fill=BAND)
    top = _centred(page, council, 170, 44, True, INK)
    top = _centred(page, title, top + 40, 56, True, BAND)
    if when:
        _centred(page, when, top + 36, 34, False, MUTED)
    return page.get_pixmap().tobytes("png")
