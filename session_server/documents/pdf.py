"""PyMuPDF work on one stored PDF: check and read it, render a page (optionally watermarked), list a page's words.

Everything here is synchronous, and MuPDF holds the GIL while it works, so the app runs these functions in worker
processes (see workers.py), never on the event loop.
"""

from __future__ import annotations

import enum
import functools
import io
from dataclasses import dataclass

import pymupdf
from PIL import Image

from session_server.inputs import clean_text
from session_server.text import index_form

EOF_WINDOW = 1024
MAX_HEIGHT_PX = 8192
WATERMARK_FONT = "notos"
WEBP_QUALITY = 80
# Method 0 costs a quarter less CPU than 1 for files 1 % larger (text pages and scans alike).
WEBP_METHOD = 0


class ImageFormat(enum.StrEnum):
    WEBP = "webp"
    PNG = "png"

    @property
    def media_type(self) -> str:
        return f"image/{self.value}"


class PdfProblem(enum.StrEnum):
    DAMAGED = "damaged"
    ENCRYPTED = "encrypted"


class PdfRefused(Exception):
    def __init__(self, problem: PdfProblem, detail: str) -> None:
        super().__init__(problem, detail)  # both in args, so the refusal crosses back from a worker process
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class PageText:
    text: str
    folded: str


@dataclass(frozen=True)
class PdfFacts:
    pages: list[PageText]
    outline: list[tuple[int, str, int]]

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass(frozen=True)
class PageWords:
    width: float
    height: float
    words: list[tuple[float, float, float, float, str]]


def inspect(path: str) -> PdfFacts:
    """Open the file as a PDF, refuse it if it is cut short, damaged or password-protected, and read every page."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - EOF_WINDOW))
        if b"%%EOF" not in handle.read():
            raise PdfRefused(PdfProblem.DAMAGED, "no %%EOF marker at the end: the file is cut short")
    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as exc:
        raise PdfRefused(PdfProblem.DAMAGED, f"PyMuPDF cannot open it: {exc}") from exc
    with doc:
        if doc.needs_pass:
            raise PdfRefused(PdfProblem.ENCRYPTED, "the file needs a password")
        # Counting pages walks the page tree, which a damaged file can make loop ("Invalid number of pages").
        try:
            if doc.page_count == 0:
                raise PdfRefused(PdfProblem.DAMAGED, "the file has no pages")
            pages = [_page_text(page) for page in doc]
            outline = [(level, clean_text(title), page) for level, title, page in doc.get_toc(simple=True) if page >= 1]
        except PdfRefused:
            raise
        except Exception as exc:
            raise PdfRefused(PdfProblem.DAMAGED, f"a page cannot be read: {exc}") from exc
    return PdfFacts(pages, outline)


def _page_text(page: pymupdf.Page) -> PageText:
    text = clean_text(page.get_text())
    return PageText(text, index_form(text))


@functools.lru_cache(maxsize=16)
def _open(path: str) -> pymupdf.Document:
    """Stored versions never change, so a worker keeps its recently used files open."""
    return pymupdf.open(path, filetype="pdf")


@functools.lru_cache(maxsize=1)
def _watermark_font() -> pymupdf.Font:
    return pymupdf.Font(WATERMARK_FONT)


def render_page(path: str, number: int, width: int, fmt: ImageFormat, watermark: str | None = None) -> bytes:
    """Page `number` (from 1) as an image `width` pixels wide (less for a page taller than MAX_HEIGHT_PX allows)."""
    source = _open(path)
    if watermark is None:
        return _image(source[number - 1], width, fmt)
    page = source[number - 1]
    with pymupdf.open() as stamped:
        copy = stamped.new_page(width=page.rect.width, height=page.rect.height)
        copy.show_pdf_page(copy.rect, source, number - 1)
        _stamp(copy, watermark)
        return _image(copy, width, fmt)


def render_upload_page(path: str, number: int, width: int, fmt: ImageFormat) -> bytes:
    """`render_page` for a file not stored yet: it is opened for this page only, so no worker keeps it open."""
    with pymupdf.open(path, filetype="pdf") as source:
        return _image(source[number - 1], width, fmt)


def _image(page: pymupdf.Page, width: int, fmt: ImageFormat) -> bytes:
    zoom = min(width / page.rect.width, MAX_HEIGHT_PX / page.rect.height)
    return encode(page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False), fmt)


def _stamp(page: pymupdf.Page, text: str) -> None:
    """The viewer's name and the time, three times across the page on a diagonal, in a font with Vietnamese glyphs."""
    font = _watermark_font()
    rect = page.rect
    size = min(28.0, 0.8 * rect.width / max(font.text_length(text, fontsize=1), 1.0))
    length = font.text_length(text, fontsize=size)
    for fraction in (0.25, 0.5, 0.75):
        writer = pymupdf.TextWriter(rect)
        writer.append(((rect.width - length) / 2, rect.height * fraction), text, font=font, fontsize=size)
        center = pymupdf.Point(rect.width / 2, rect.height * fraction)
        writer.write_text(page, color=(0.7, 0.1, 0.1), opacity=0.3, morph=(center, pymupdf.Matrix(35)))


def encode(pixmap: pymupdf.Pixmap, fmt: ImageFormat) -> bytes:
    """An RGB pixmap as the image file tablets get."""
    if fmt is ImageFormat.PNG:
        return pixmap.tobytes("png")
    # A view of the pixmap's memory, not a copy of its 10 MB of samples.
    image = Image.frombuffer("RGB", (pixmap.width, pixmap.height), pixmap.samples_mv, "raw", "RGB", pixmap.stride, 1)
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    return buffer.getvalue()


def page_words(path: str, number: int) -> PageWords:
    """The words of a page with their boxes in PDF points (origin top left), for selection on the tablet."""
    page = _open(path)[number - 1]
    words = [(x0, y0, x1, y1, clean_text(word)) for x0, y0, x1, y1, word, *_ in page.get_text("words")]
    return PageWords(page.rect.width, page.rect.height, words)
