"""Administrative documents (văn bản hành chính) laid out as Decree 30/2020/NĐ-CP sets them: described once as
data (`document`), rendered as PDF (`pdf`, PyMuPDF) and as a Word copy (`word`, python-docx); `stamp` draws what a
digital signature shows on the page."""

from session_server.paperwork.document import (
    AdministrativeDocument,
    Agency,
    Block,
    Column,
    Heading,
    Paragraph,
    Run,
    Signer,
    Table,
    date_words,
    number_line,
    place_date_line,
    short_date,
)
from session_server.paperwork.pdf import RenderedPdf, SignatureBox, render_pdf
from session_server.paperwork.stamp import signature_stamp
from session_server.paperwork.word import render_docx

__all__ = [
    "AdministrativeDocument",
    "Agency",
    "Block",
    "Column",
    "Heading",
    "Paragraph",
    "RenderedPdf",
    "Run",
    "SignatureBox",
    "Signer",
    "Table",
    "date_words",
    "number_line",
    "place_date_line",
    "render_docx",
    "render_pdf",
    "short_date",
    "signature_stamp",
]
