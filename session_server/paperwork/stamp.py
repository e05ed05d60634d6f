"""What a digital signature shows on the page (Decree 30/2020/NĐ-CP, Appendix I, part II): a person's signature in
blue where the hand would sign, an agency's in red, each with who signed and when: the Vietnamese day, the time to the second and the ISO 8601
zone offset ("07/12/2026 19:38:41 +07:00").

A one-page PDF the size of the signature box; a signing library draws it as the signature field's appearance.
"""

from __future__ import annotations

from datetime import datetime

import pymupdf

from session_server.paperwork.typeface import Style, font, width, wrap

BLUE = (0.05, 0.2, 0.65)
RED = (0.8, 0.05, 0.05)
SIZE = 10.0


def signing_time(at: datetime) -> str:
    offset = at.strftime("%z") or "+0000"
    return f"{at:%d/%m/%Y %H:%M:%S} {offset[:3]}:{offset[3:]}"


def signature_stamp(
    box_width: float, box_height: float, heading: str, signer: str, at: datetime, *, seal: bool
) -> bytes:
    """ "Đã ký số" (or the agency's name for a seal), the signer and the moment, framed and centred in the box."""
    colour = RED if seal else BLUE
    lines = [(heading, Style.BOLD)]
    lines += [(line, Style.REGULAR) for line in wrap(signer, SIZE, box_width - 12)]
    lines.append((f"Thời gian ký: {signing_time(at)}", Style.ITALIC))
    doc = pymupdf.open()
    page = doc.new_page(width=box_width, height=box_height)
    step = SIZE * 1.3
    top = (box_height - step * len(lines)) / 2
    frame = pymupdf.Rect(2, max(2, top - 4), box_width - 2, min(box_height - 2, top + step * len(lines) + 4))
    page.draw_rect(frame, color=colour, width=1.2)
    writer = pymupdf.TextWriter(page.rect, color=colour)
    for index, (text, style) in enumerate(lines):
        size = SIZE
        while size > 6 and width(text, size, style) > box_width - 12:
            size -= 0.5
        x = (box_width - width(text, size, style)) / 2
        writer.append((x, top + index * step + font(style).ascender * SIZE), text, font=font(style), fontsize=size)
    writer.write_text(page)
    doc.subset_fonts()
    data = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data
