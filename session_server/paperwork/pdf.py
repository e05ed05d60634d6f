"""An administrative document as PDF (PyMuPDF): the head, title and signers placed by hand, the body flowed.

The first page's head (agency, national name and motto with their rules, number, place and date) and the title are
set line by line at the places the decree gives them; the body flows through as many pages as it needs (PyMuPDF's
Story: justified paragraphs, headings, ruled tables); the signer columns follow on the last page, or on a new one if
they do not fit, and each reports the box left blank for its signature. Page numbers go in the top margin from
page 2, the draft mark on every page of a draft. The same document gives the same bytes.

Blocking; callers run it in a worker thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from html import escape

import pymupdf

from session_server.paperwork import layout as L
from session_server.paperwork.document import (
    AdministrativeDocument,
    Block,
    Heading,
    Paragraph,
    Signer,
    Table,
    number_line,
    place_date_line,
)
from session_server.paperwork.typeface import Style, balanced_wrap, fitting_size, font, font_bytes, width, wrap

PAGE = pymupdf.Rect(0, 0, L.PAGE_WIDTH, L.PAGE_HEIGHT)
BODY_RIGHT = L.PAGE_WIDTH - L.RIGHT
BODY_BOTTOM = L.PAGE_HEIGHT - L.BOTTOM


@dataclass(frozen=True)
class SignatureBox:
    """Where a signer's signature goes: a page (from 0) and a rectangle in points from the page's top left."""

    page: int
    rect: tuple[float, float, float, float]

    def pdf_box(self, page_height: float = L.PAGE_HEIGHT) -> tuple[int, int, int, int]:
        """The rectangle in PDF user space (origin bottom left), as signature fields take it."""
        x0, y0, x1, y1 = self.rect
        return round(x0), round(page_height - y1), round(x1), round(page_height - y0)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    page_count: int
    signature_boxes: dict[str, SignatureBox]
    """By `Signer.key`."""


@dataclass(frozen=True)
class _Text:
    x: float
    baseline: float
    text: str
    size: float
    style: Style


@dataclass(frozen=True)
class _Rule:
    x0: float
    x1: float
    y: float


class _Sheet:
    """Text and rules placed on one page, measured before they are drawn."""

    def __init__(self) -> None:
        self.texts: list[_Text] = []
        self.rules: list[_Rule] = []

    def line(self, text: str, left: float, room: float, top: float, size: float, style: Style, align: str) -> float:
        """Set one line in the column [left, left + room]; return the top of the next line."""
        advance = width(text, size, style)
        x = {"left": left, "center": left + (room - advance) / 2, "right": left + room - advance}[align]
        self.texts.append(_Text(x, top + font(style).ascender * size, text, size, style))
        return top + size * L.LINE

    def lines(self, texts: list[str], left: float, room: float, top: float, size: float, style: Style) -> float:
        for text in texts:
            top = self.line(text, left, room, top, size, style, "center")
        return top

    def rule_under(self, left: float, room: float, top: float, length: float) -> float:
        """A centred rule just under the line that ended at `top`; return the room's new top."""
        middle = left + room / 2
        y = top + 2.5
        self.rules.append(_Rule(middle - length / 2, middle + length / 2, y))
        return y + L.RULE_WIDTH

    def draw(self, page: pymupdf.Page) -> None:
        writer = pymupdf.TextWriter(page.rect)
        for text in self.texts:
            writer.append((text.x, text.baseline), text.text, font=font(text.style), fontsize=text.size)
        writer.write_text(page)
        for rule in self.rules:
            page.draw_line((rule.x0, rule.y), (rule.x1, rule.y), width=L.RULE_WIDTH)


def _head(document: AdministrativeDocument, sheet: _Sheet) -> float:
    """Agency, national name and motto, number, place and date, kind and summary; return where the body starts."""
    left, right = L.LEFT, L.LEFT + L.AGENCY_WIDTH
    agency_bottom = L.TOP
    for lines, style in ((document.agency.parent, Style.REGULAR), (document.agency.name, Style.BOLD)):
        for line in lines:
            size = fitting_size(line, L.AGENCY_WIDTH, L.AGENCY_SIZE, L.AGENCY_MIN_SIZE, style)
            agency_bottom = sheet.lines(
                wrap(line, size, L.AGENCY_WIDTH, style), left, L.AGENCY_WIDTH, agency_bottom, size, style
            )
    widest = max((width(line, L.AGENCY_SIZE, Style.BOLD) for line in document.agency.name), default=0)
    agency_bottom = sheet.rule_under(left, L.AGENCY_WIDTH, agency_bottom, min(widest, L.AGENCY_WIDTH) * L.RULE_SHARE)

    national_size = fitting_size(L.NATIONAL_NAME, L.NATIONAL_WIDTH, L.NATIONAL_SIZE, L.NATIONAL_MIN_SIZE, Style.BOLD)
    national_bottom = sheet.line(L.NATIONAL_NAME, right, L.NATIONAL_WIDTH, L.TOP, national_size, Style.BOLD, "center")
    national_bottom = sheet.line(L.MOTTO, right, L.NATIONAL_WIDTH, national_bottom, L.MOTTO_SIZE, Style.BOLD, "center")
    national_bottom = sheet.rule_under(
        right, L.NATIONAL_WIDTH, national_bottom, width(L.MOTTO, L.MOTTO_SIZE, Style.BOLD)
    )

    top = max(agency_bottom, national_bottom) + 8
    after_number = sheet.line(
        number_line(document.number, document.symbol), left, L.AGENCY_WIDTH, top, L.NUMBER_SIZE, Style.REGULAR, "center"
    )
    dated = place_date_line(document.place, document.date)
    date_size = fitting_size(dated, L.NATIONAL_WIDTH, L.DATE_SIZE, L.NUMBER_SIZE, Style.ITALIC)
    after_date = sheet.line(dated, right, L.NATIONAL_WIDTH, top, date_size, Style.ITALIC, "center")

    top = max(after_number, after_date) + 20
    top = sheet.line(document.kind, L.LEFT, L.BODY_WIDTH, top, L.KIND_SIZE, Style.BOLD, "center")
    summary = [
        line for text in document.summary for line in balanced_wrap(text, L.SUMMARY_SIZE, L.BODY_WIDTH, Style.BOLD)
    ]
    top = sheet.lines(summary, L.LEFT, L.BODY_WIDTH, top, L.SUMMARY_SIZE, Style.BOLD)
    if summary:
        widest = max(width(line, L.SUMMARY_SIZE, Style.BOLD) for line in summary)
        top = sheet.rule_under(L.LEFT, L.BODY_WIDTH, top, widest * L.RULE_SHARE)
    return top + 14


CSS = f"""
@font-face {{ font-family: Body; src: url(r.ttf); }}
@font-face {{ font-family: Body; src: url(b.ttf); font-weight: bold; }}
@font-face {{ font-family: Body; src: url(i.ttf); font-style: italic; }}
@font-face {{ font-family: Body; src: url(bi.ttf); font-weight: bold; font-style: italic; }}
body {{ font-family: Body; font-size: {L.BODY_SIZE}pt; line-height: {L.BODY_LINE}; margin: 0; }}
p {{ margin: 0 0 {L.PARAGRAPH_AFTER}pt 0; text-align: justify; }}
p.indent {{ text-indent: {L.INDENT:.2f}pt; }}
p.left {{ text-align: left; }}
p.center {{ text-align: center; }}
p.right {{ text-align: right; }}
p.small {{ font-size: {L.SMALL_SIZE}pt; }}
p.h1 {{ font-weight: bold; margin-top: {L.PARAGRAPH_AFTER}pt; text-align: left; }}
p.h2 {{ font-weight: bold; text-indent: {L.INDENT:.2f}pt; text-align: left; }}
table {{ border-collapse: collapse; margin: 0 0 {L.PARAGRAPH_AFTER}pt 0; }}
th, td {{ border: 0.5pt solid black; padding: 2pt 3pt; font-size: {L.TABLE_SIZE}pt; line-height: 1.15;
  vertical-align: top; }}
th {{ font-weight: bold; text-align: center; }}
"""
_FONT_FILES = {Style.REGULAR: "r.ttf", Style.BOLD: "b.ttf", Style.ITALIC: "i.ttf", Style.BOLD_ITALIC: "bi.ttf"}


def _archive() -> pymupdf.Archive:
    archive = pymupdf.Archive()
    for style, name in _FONT_FILES.items():
        archive.add(font_bytes(style), name)
    return archive


def _paragraph_html(paragraph: Paragraph) -> str:
    classes = [paragraph.align if paragraph.align != "justify" else ""]
    if paragraph.indent:
        classes.append("indent")
    if paragraph.small:
        classes.append("small")
    inner = ""
    for run in paragraph.runs:
        text = escape(run.text).replace("\n", "<br/>")
        if run.italic:
            text = f"<i>{text}</i>"
        if run.bold:
            text = f"<b>{text}</b>"
        inner += text
    return f"<p class='{' '.join(c for c in classes if c)}'>{inner}</p>"


def _table_html(table: Table) -> str:
    widths = [f"width:{column.width * L.BODY_WIDTH - 7:.1f}pt" for column in table.columns]
    head = "".join(f"<th style='{w}'>{escape(c.title)}</th>" for c, w in zip(table.columns, widths, strict=True))
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td style='{w};text-align:{c.align}'>{escape(cell).replace(chr(10), '<br/>')}</td>"
            for cell, c, w in zip(row, table.columns, widths, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _block_html(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<p class='h{block.level}'>{escape(block.text)}</p>"
    if isinstance(block, Table):
        return _table_html(block)
    return _paragraph_html(block)


def _flow_body(document: AdministrativeDocument, first_top: float) -> tuple[bytes, float]:
    """The body over as many pages as it needs; returns the PDF and where the text ends on its last page."""
    html = "".join(_block_html(block) for block in document.body) or "<p></p>"
    story = pymupdf.Story(html, user_css=CSS, archive=_archive())
    out = io.BytesIO()
    writer = pymupdf.DocumentWriter(out)
    top, more, end = first_top, True, first_top
    while more:
        device = writer.begin_page(PAGE)
        more, filled = story.place(pymupdf.Rect(L.LEFT, top, BODY_RIGHT, BODY_BOTTOM))
        story.draw(device)
        writer.end_page()
        end, top = pymupdf.Rect(filled).y1, L.TOP
    writer.close()
    return out.getvalue(), end


def _signer_height(signer: Signer) -> float:
    lines = 1 + bool(signer.authority) + bool(signer.note)
    return lines * L.SIGNER_SIZE * L.LINE + L.SIGNING_ROOM + L.SIGNER_SIZE * L.LINE


def _recipients_height(recipients: tuple[str, ...]) -> float:
    if not recipients:
        return 0
    return L.RECIPIENTS_LABEL_SIZE * L.LINE + len(recipients) * L.RECIPIENTS_SIZE * L.LINE


def _closing(document: AdministrativeDocument, sheet: _Sheet, page: int, top: float) -> dict[str, SignatureBox]:
    """Signer columns from `top` (one signer on the right half, several side by side), recipients beside or under."""
    signers = document.signers
    boxes: dict[str, SignatureBox] = {}
    if not signers:
        columns: list[tuple[float, float]] = []
    elif len(signers) == 1:
        columns = [(L.LEFT + L.BODY_WIDTH / 2, L.BODY_WIDTH / 2)]
    else:
        share = L.BODY_WIDTH / len(signers)
        columns = [(L.LEFT + share * index, share) for index in range(len(signers))]
    bottom = top
    for signer, (left, room) in zip(signers, columns, strict=True):
        y = top
        if signer.authority:
            y = sheet.line(signer.authority, left, room, y, L.SIGNER_SIZE, Style.BOLD, "center")
        y = sheet.line(signer.title, left, room, y, L.SIGNER_SIZE, Style.BOLD, "center")
        if signer.note:
            y = sheet.line(signer.note, left, room, y, L.SIGNER_SIZE, Style.ITALIC, "center")
        boxes[signer.key] = SignatureBox(page, (left + 6, y + 2, left + room - 6, y + L.SIGNING_ROOM - 2))
        y = sheet.line(signer.name, left, room, y + L.SIGNING_ROOM, L.SIGNER_SIZE, Style.BOLD, "center")
        bottom = max(bottom, y)
    if document.recipients:
        y = top if len(signers) == 1 else bottom + 12
        room = L.BODY_WIDTH / 2
        y = sheet.line("Nơi nhận:", L.LEFT, room, y, L.RECIPIENTS_LABEL_SIZE, Style.BOLD_ITALIC, "left")
        for recipient in document.recipients:
            y = sheet.line(f"- {recipient}", L.LEFT, room, y, L.RECIPIENTS_SIZE, Style.REGULAR, "left")
    return boxes


def _closing_height(document: AdministrativeDocument) -> float:
    signers = max((_signer_height(s) for s in document.signers), default=0)
    recipients = _recipients_height(document.recipients)
    return max(signers, recipients) if len(document.signers) == 1 else signers + 12 + recipients


def _mark_draft(page: pymupdf.Page) -> None:
    size = L.DRAFT_SIZE
    advance = width(L.DRAFT_MARK, size, Style.BOLD)
    box = pymupdf.Rect(BODY_RIGHT - advance - 12, L.DRAFT_BOX_TOP, BODY_RIGHT, L.DRAFT_BOX_TOP + size * 1.6)
    page.draw_rect(box, width=1)
    writer = pymupdf.TextWriter(page.rect)
    baseline = box.y0 + (box.height - size) / 2 + font(Style.BOLD).ascender * size
    writer.append((box.x0 + 6, baseline), L.DRAFT_MARK, font=font(Style.BOLD), fontsize=size)
    writer.write_text(page)


def _number_page(page: pymupdf.Page) -> None:
    label = str(page.number + 1)
    writer = pymupdf.TextWriter(page.rect)
    x = L.PAGE_WIDTH / 2 - width(label, L.PAGE_NUMBER_SIZE) / 2
    writer.append((x, L.PAGE_NUMBER_BASELINE), label, font=font(Style.REGULAR), fontsize=L.PAGE_NUMBER_SIZE)
    writer.write_text(page)


def _pdf_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    offset = moment.strftime("%z") or "+0000"
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"


def render_pdf(document: AdministrativeDocument) -> RenderedPdf:
    head = _Sheet()
    body_top = _head(document, head)
    body, end = _flow_body(document, body_top)
    doc = pymupdf.open("pdf", body)
    for page in doc:
        # The laid-out content leaves its coordinate transform in force; what is drawn after must not inherit it.
        page.wrap_contents()
    head.draw(doc[0])

    top = end + 14
    if top + _closing_height(document) > BODY_BOTTOM:
        doc.new_page(width=L.PAGE_WIDTH, height=L.PAGE_HEIGHT)
        top = L.TOP
    closing = _Sheet()
    boxes = _closing(document, closing, doc.page_count - 1, top)
    closing.draw(doc[-1])

    for page in doc:
        if page.number > 0:
            _number_page(page)
        if document.draft:
            _mark_draft(page)
    stamp = _pdf_date(document.created)
    title = " ".join([document.kind.capitalize(), *document.summary])
    doc.set_metadata(
        {
            "title": title,
            "author": document.author,
            "subject": title,
            "creator": "HopSo",
            "producer": "HopSo",
            "creationDate": stamp,
            "modDate": stamp,
        }
    )
    doc.subset_fonts()
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    count = doc.page_count
    doc.close()
    return RenderedPdf(data, count, boxes)
