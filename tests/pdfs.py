"""PDFs made for the tests with PyMuPDF, in Noto Sans so that Vietnamese text keeps its diacritics."""

from __future__ import annotations

from functools import cache

import pymupdf

FONT = "notos"


@cache
def _font() -> pymupdf.Font:
    return pymupdf.Font(FONT)


def _write(page: pymupdf.Page, text: str) -> None:
    writer = pymupdf.TextWriter(page.rect)
    writer.fill_textbox(
        pymupdf.Rect(56, 56, page.rect.width - 56, page.rect.height - 56), text, font=_font(), fontsize=12
    )
    writer.write_text(page)


def pdf_document(pages: list[str], outline: list[tuple[int, str, int]] | None = None) -> pymupdf.Document:
    doc = pymupdf.open()
    for text in pages:
        _write(doc.new_page(), text)
    if outline:
        doc.set_toc([list(entry) for entry in outline])
    return doc


def pdf_bytes(pages: list[str], outline: list[tuple[int, str, int]] | None = None) -> bytes:
    with pdf_document(pages, outline) as doc:
        return doc.tobytes(garbage=3, deflate=True)


def encrypted_pdf_bytes(password: str = "mat-khau") -> bytes:
    with pdf_document(["Tài liệu có mật khẩu"]) as doc:
        return doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw=password, owner_pw=password + "-chu")


def numbered_pages(count: int, topic: str = "Báo cáo tình hình kinh tế - xã hội") -> list[str]:
    return [f"{topic}\nTrang {number} trên {count}" for number in range(1, count + 1)]


@cache
def many_pages_pdf_bytes(count: int) -> bytes:
    """A long file made fast: a block of pages in a built-in font (nothing embedded), copied until `count` pages."""
    with pymupdf.open() as block, pymupdf.open() as doc:
        for number in range(1, 21):
            block.new_page().insert_text((72, 72), f"Bao cao ngan sach, trang {number} cua khoi", fontname="helv")
        while doc.page_count < count:
            doc.insert_pdf(block, to_page=min(block.page_count, count - doc.page_count) - 1)
        return doc.tobytes(deflate=True)


def repeated_kid_pdf_bytes(repeats: int = 20_000) -> bytes:
    """A PDF whose page tree names one page `repeats` times: a reader walking it counts pages that are not there."""
    kids = " ".join(["3 0 R"] * repeats)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {repeats} >>".encode(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
