"""The Word copy of an administrative document: the same parts in the same places as the PDF, made to be edited
(A4 and the decree's margins, a borderless head table, Times New Roman, a PAGE field that page 1 does not show,
the draft mark in the headers, ruled tables, signer columns)."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from session_server.paperwork import layout as L
from session_server.paperwork import render_docx
from tests.unit.session_server.paperwork.sample import OPENING, minutes


def opened(**changes: object) -> Document:
    return Document(io.BytesIO(render_docx(minutes(**changes))))


def texts(cell: object) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]  # type: ignore[attr-defined]


def test_the_page_is_a4_with_the_decree_margins() -> None:
    section = opened().sections[0]
    assert section.page_width == pytest.approx(Mm(210), abs=Mm(0.5))
    assert section.page_height == pytest.approx(Mm(297), abs=Mm(0.5))
    for margin, mm in (
        (section.top_margin, 20),
        (section.bottom_margin, 20),
        (section.left_margin, 30),
        (section.right_margin, 15),
    ):
        assert margin == pytest.approx(Mm(mm), abs=Mm(0.2))


def test_head_table_holds_agency_and_number_left_national_name_motto_and_date_right() -> None:
    word = opened()
    agency, national = word.tables[0].rows[0].cells
    assert texts(agency) == ["HỘI ĐỒNG NHÂN DÂN", "XÃ KIẾN MINH", "Số: 05/BB-HĐND"]
    assert texts(national) == [L.NATIONAL_NAME, L.MOTTO, "Kiến Minh, ngày 07 tháng 12 năm 2026"]
    assert agency.paragraphs[1].runs[0].bold and national.paragraphs[1].runs[0].bold
    dated = next(p for p in national.paragraphs if p.text.startswith("Kiến Minh"))
    assert dated.runs[0].italic
    assert word.tables[0].columns[0].width < word.tables[0].columns[1].width
    rules = [
        p for p in (*agency.paragraphs, *national.paragraphs) if p._p.find(qn("w:pPr")).find(qn("w:pBdr")) is not None
    ]
    assert len(rules) == 2, "a rule under the agency and one under the motto"


def test_title_is_centred_bold_and_the_body_justified_with_indented_first_lines() -> None:
    word = opened()
    title = next(p for p in word.paragraphs if p.text == "BIÊN BẢN")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    body = next(p for p in word.paragraphs if p.text == OPENING)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.first_line_indent == pytest.approx(Mm(10), abs=Mm(0.2))
    assert body.runs[0].font.size.pt == L.BODY_SIZE


def test_it_names_times_new_roman_for_every_script() -> None:
    fonts = opened().styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(key)) for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")} == {"Times New Roman"}


def test_page_numbers_are_a_field_in_the_header_that_page_one_does_not_show() -> None:
    section = opened().sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_a_draft_is_marked_in_both_headers_and_a_final_copy_is_not() -> None:
    drafted = opened(draft=True).sections[0]
    assert "DỰ THẢO" in drafted.first_page_header.paragraphs[0].text
    assert "DỰ THẢO" in drafted.header.paragraphs[0].text
    final = opened().sections[0]
    assert "DỰ THẢO" not in final.header.paragraphs[0].text + final.first_page_header.paragraphs[0].text


def test_body_tables_are_ruled_and_signers_stand_side_by_side() -> None:
    word = opened()
    listed = word.tables[1]
    assert listed.style.name == "Table Grid"
    assert [c.text for c in listed.rows[0].cells] == ["STT", "Họ và tên", "Lý do vắng"]
    assert [c.text for c in listed.rows[1].cells] == ["1", "Ngô Kim Phương", "Đi công tác"]
    secretary, chair = word.tables[2].rows[0].cells
    assert texts(secretary) == ["THƯ KÝ KỲ HỌP", "Trần Thị Thu"]
    assert texts(chair) == ["CHỦ TỌA KỲ HỌP", "Nguyễn Văn Minh"]
    assert [p.text for p in word.paragraphs][-3:] == ["Nơi nhận:", "- Thường trực HĐND xã;", "- Lưu: VT, hồ sơ kỳ họp."]
