"""An administrative document as a Word file (python-docx), in the same layout as the PDF.

Offices pass drafts around in Word, so this copy is made to be edited: the head is a borderless two-column table,
rules are paragraph borders sized to the text above them, page numbers are a PAGE field in a header that page 1
does not show, the draft mark sits in the headers. It names Times New Roman, which every office has (Liberation
Serif, with the same metrics, stands in for it elsewhere), so lines break where the PDF breaks them.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph

from session_server.paperwork import layout as L
from session_server.paperwork.document import (
    AdministrativeDocument,
    Align,
    Heading,
    Paragraph,
    Run,
    Table,
    number_line,
    place_date_line,
)
from session_server.paperwork.typeface import WORD_FAMILY, Style, balanced_wrap, width

ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
WORD_LINE = L.BODY_LINE / L.LINE
"""The PDF's body line height as a multiple of Word's single spacing."""


def _set_font(run_properties: OxmlElement) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), WORD_FAMILY)


def _paragraph(
    container: Document | _Cell | object,
    runs: tuple[Run, ...] = (),
    *,
    size: float = L.BODY_SIZE,
    align: Align = "center",
    indent: bool = False,
    after: float = 0,
    line: float = 1.0,
) -> WordParagraph:
    paragraph: WordParagraph = container.add_paragraph()  # type: ignore[attr-defined]
    layout = paragraph.paragraph_format
    layout.alignment = ALIGN[align]
    layout.space_before = Pt(0)
    layout.space_after = Pt(after)
    layout.line_spacing = line
    if indent:
        layout.first_line_indent = Pt(L.INDENT)
    for piece in runs:
        run = paragraph.add_run(piece.text)
        run.bold, run.italic, run.font.size = piece.bold, piece.italic, Pt(size)
    # The paragraph mark has a size of its own: an empty paragraph is as tall as its mark.
    mark = OxmlElement("w:rPr")
    for key in ("w:sz", "w:szCs"):
        element = OxmlElement(key)
        element.set(qn("w:val"), str(round(size * 2)))
        mark.append(element)
    paragraph._p.get_or_add_pPr().append(mark)
    return paragraph


def _line(container: object, text: str, size: float, style: Style, align: Align = "center") -> WordParagraph:
    bold = style in (Style.BOLD, Style.BOLD_ITALIC)
    italic = style in (Style.ITALIC, Style.BOLD_ITALIC)
    return _paragraph(container, (Run(text, bold=bold, italic=italic),), size=size, align=align)


def _rule(cell: _Cell | Document, room: float, length: float) -> None:
    """A rule `length` long, centred in `room`: an empty paragraph's bottom border, indented from both sides."""
    paragraph = _paragraph(cell, size=2)
    layout = paragraph.paragraph_format
    layout.left_indent = layout.right_indent = Pt(max(0.0, (room - length) / 2))
    paragraph.add_run().font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _plain(table: WordTable) -> None:
    """No borders and no side padding: the head and the signer columns are a layout, not a table to read."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "0")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    properties.append(margins)


def _fixed_table(container: Document, widths: list[float], *, ruled: bool) -> WordTable:
    table = container.add_table(rows=1, cols=len(widths))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    if ruled:
        table.style = "Table Grid"
    else:
        _plain(table)
    for column, room in zip(table.columns, widths, strict=True):
        column.width = Pt(room)
    _emptied(table.rows[0].cells, widths)
    return table


def _emptied(cells: list[_Cell], widths: list[float]) -> list[_Cell]:
    """New cells sized to their column, without the empty paragraph Word gives them (content is added next)."""
    for cell, room in zip(cells, widths, strict=True):
        cell.width = Pt(room)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return cells


def _head(word: Document, document: AdministrativeDocument) -> None:
    table = _fixed_table(word, [L.AGENCY_WIDTH, L.NATIONAL_WIDTH], ruled=False)
    agency, national = table.rows[0].cells
    for line in document.agency.parent:
        _line(agency, line, L.AGENCY_SIZE, Style.REGULAR)
    for line in document.agency.name:
        _line(agency, line, L.AGENCY_SIZE, Style.BOLD)
    widest = max((width(line, L.AGENCY_SIZE, Style.BOLD) for line in document.agency.name), default=0)
    _rule(agency, L.AGENCY_WIDTH, min(widest, L.AGENCY_WIDTH) * L.RULE_SHARE)
    _line(national, L.NATIONAL_NAME, L.NATIONAL_SIZE, Style.BOLD)
    _line(national, L.MOTTO, L.MOTTO_SIZE, Style.BOLD)
    _rule(national, L.NATIONAL_WIDTH, width(L.MOTTO, L.MOTTO_SIZE, Style.BOLD))
    _paragraph(agency, size=6)
    _paragraph(national, size=6)
    _line(agency, number_line(document.number, document.symbol), L.NUMBER_SIZE, Style.REGULAR)
    _line(national, place_date_line(document.place, document.date), L.DATE_SIZE, Style.ITALIC)

    _paragraph(word, size=L.KIND_SIZE)
    _line(word, document.kind, L.KIND_SIZE, Style.BOLD)
    summary = [
        line for text in document.summary for line in balanced_wrap(text, L.SUMMARY_SIZE, L.BODY_WIDTH, Style.BOLD)
    ]
    for line in summary:
        _line(word, line, L.SUMMARY_SIZE, Style.BOLD)
    if summary:
        widest = max(width(line, L.SUMMARY_SIZE, Style.BOLD) for line in summary)
        _rule(word, L.BODY_WIDTH, widest * L.RULE_SHARE)
    _paragraph(word, size=L.BODY_SIZE)


def _table(word: Document, table: Table) -> None:
    widths = [column.width * L.BODY_WIDTH for column in table.columns]
    grid = _fixed_table(word, widths, ruled=True)
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        _paragraph(cell, (Run(column.title, bold=True),), size=L.TABLE_SIZE)
    for row in table.rows:
        cells = _emptied(grid.add_row().cells, widths)
        for cell, text, column in zip(cells, row, table.columns, strict=True):
            for part in text.split("\n"):
                _paragraph(cell, (Run(part),), size=L.TABLE_SIZE, align=column.align)
    _paragraph(word, size=L.PARAGRAPH_AFTER)


def _body(word: Document, document: AdministrativeDocument) -> None:
    for block in document.body:
        if isinstance(block, Heading):
            _paragraph(
                word,
                (Run(block.text, bold=True),),
                align="left",
                indent=block.level == 2,
                after=L.PARAGRAPH_AFTER,
                line=WORD_LINE,
            )
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Paragraph):
            _paragraph(
                word,
                block.runs,
                size=L.SMALL_SIZE if block.small else L.BODY_SIZE,
                align=block.align,
                indent=block.indent,
                after=L.PARAGRAPH_AFTER,
                line=WORD_LINE,
            )


def _closing(word: Document, document: AdministrativeDocument) -> None:
    signers = document.signers
    if signers:
        columns = len(signers) if len(signers) > 1 else 2
        table = _fixed_table(word, [L.BODY_WIDTH / columns] * columns, ruled=False)
        cells = table.rows[0].cells[-len(signers) :]
        if len(signers) == 1:
            table.rows[0].cells[0].add_paragraph()
        for cell, signer in zip(cells, signers, strict=True):
            if signer.authority:
                _line(cell, signer.authority, L.SIGNER_SIZE, Style.BOLD)
            _line(cell, signer.title, L.SIGNER_SIZE, Style.BOLD)
            if signer.note:
                _line(cell, signer.note, L.SIGNER_SIZE, Style.ITALIC)
            room = _paragraph(cell, size=L.SIGNER_SIZE)
            room.paragraph_format.space_after = Pt(L.SIGNING_ROOM - L.SIGNER_SIZE * L.LINE)
            _line(cell, signer.name, L.SIGNER_SIZE, Style.BOLD)
    if document.recipients:
        _paragraph(word, size=L.RECIPIENTS_SIZE)
        _line(word, "Nơi nhận:", L.RECIPIENTS_LABEL_SIZE, Style.BOLD_ITALIC, "left")
        for recipient in document.recipients:
            _line(word, f"- {recipient}", L.RECIPIENTS_SIZE, Style.REGULAR, "left")


def _field(paragraph: WordParagraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES): Word fills it in; `shown` is what a reader sees before it does."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", shown), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(L.PAGE_NUMBER_SIZE)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
            run._r.append(element)
        elif kind == "text":
            run.text = text or ""
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)


def _draft_mark(paragraph: WordParagraph) -> None:
    run = paragraph.add_run(L.DRAFT_MARK)
    run.bold, run.font.size = True, Pt(L.DRAFT_SIZE)
    border = OxmlElement("w:bdr")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
        border.set(qn(key), value)
    run._r.get_or_add_rPr().append(border)


def _headers(word: Document, document: AdministrativeDocument) -> None:
    section = word.sections[0]
    section.different_first_page_header_footer = True
    for header, numbered in ((section.first_page_header, False), (section.header, True)):
        paragraph = header.paragraphs[0]
        if numbered:
            stops = paragraph.paragraph_format.tab_stops
            stops.add_tab_stop(Pt(L.BODY_WIDTH / 2), WD_TAB_ALIGNMENT.CENTER)
            stops.add_tab_stop(Pt(L.BODY_WIDTH), WD_TAB_ALIGNMENT.RIGHT)
            paragraph.add_run("\t")
            _field(paragraph, "PAGE", "2")
            paragraph.add_run("\t")
        else:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if document.draft:
            _draft_mark(paragraph)


def render_docx(document: AdministrativeDocument) -> bytes:
    word = new_document()
    section = word.sections[0]
    section.page_width, section.page_height = Pt(L.PAGE_WIDTH), Pt(L.PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Pt(L.TOP), Pt(L.BOTTOM)
    section.left_margin, section.right_margin = Pt(L.LEFT), Pt(L.RIGHT)
    section.header_distance = Pt(L.PAGE_NUMBER_BASELINE - L.PAGE_NUMBER_SIZE)
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = WORD_FAMILY, Pt(L.BODY_SIZE)
    _set_font(normal.element.get_or_add_rPr())
    word._body.clear_content()

    _head(word, document)
    _body(word, document)
    _closing(word, document)
    _headers(word, document)

    properties = word.core_properties
    properties.title = " ".join([document.kind.capitalize(), *document.summary])
    properties.author = properties.last_modified_by = document.author
    properties.comments = "Dự thảo" if document.draft else ""
    if document.created is not None:
        properties.created = properties.modified = document.created
    properties.revision = 1
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
