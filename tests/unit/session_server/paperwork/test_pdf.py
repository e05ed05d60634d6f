"""The PDF layout of an administrative document, checked where Decree 30/2020/NĐ-CP (Appendix I) puts each part:
A4 with 20/20/30/15 mm margins, agency top left and national name with motto top right on separate lines, the
number under the agency, place and date in italics under the motto, the title centred in bold, a serif face with
Vietnamese glyphs, page numbers centred in the top margin from page 2 on, signer columns side by side, and
"DỰ THẢO" on every page of a draft."""

from __future__ import annotations

from dataclasses import replace

import pymupdf
import pytest

from session_server.paperwork import Paragraph, Signer, render_pdf
from session_server.paperwork import layout as L
from tests.unit.session_server.paperwork.sample import face, minutes, span, spans

MIDDLE = L.LEFT + L.BODY_WIDTH / 2


def centre(found: dict) -> float:
    return (found["bbox"][0] + found["bbox"][2]) / 2


def test_head_puts_agency_left_and_national_name_right_each_on_its_own_line() -> None:
    page = spans(render_pdf(minutes()).data)[0]

    council, commune = span(page, "HỘI ĐỒNG NHÂN DÂN"), span(page, "XÃ KIẾN MINH")
    national, motto = span(page, L.NATIONAL_NAME), span(page, L.MOTTO)
    assert centre(council) < MIDDLE and centre(commune) == pytest.approx(centre(council), abs=1)
    assert centre(national) > MIDDLE and centre(motto) == pytest.approx(centre(national), abs=1)
    assert council["bbox"][1] == pytest.approx(national["bbox"][1], abs=1), "agency and national name share a row"
    assert motto["bbox"][1] > national["bbox"][3] - 1, "the motto has its own line under the national name"
    for bold in (council, commune, national, motto):
        assert face(bold) == "LiberationSerifBold"
    assert national["size"] == L.NATIONAL_SIZE and motto["size"] == L.MOTTO_SIZE


def test_number_sits_under_the_agency_and_the_dated_place_in_italics_under_the_motto() -> None:
    page = spans(render_pdf(minutes()).data)[0]

    number = span(page, "Số: 05/BB-HĐND")
    dated = span(page, "Kiến Minh, ngày 07 tháng 12 năm 2026")
    assert centre(number) == pytest.approx(centre(span(page, "XÃ KIẾN MINH")), abs=1)
    assert number["bbox"][1] > span(page, "XÃ KIẾN MINH")["bbox"][3]
    assert centre(dated) == pytest.approx(centre(span(page, L.MOTTO)), abs=1)
    assert dated["bbox"][1] > span(page, L.MOTTO)["bbox"][3]
    assert face(dated) == "LiberationSerifItalic" and dated["size"] == L.DATE_SIZE
    assert number["bbox"][1] == pytest.approx(dated["bbox"][1], abs=2), "number and date share a row"


def test_rules_run_under_the_agency_and_as_long_as_the_motto() -> None:
    pdf = render_pdf(minutes()).data
    page = spans(pdf)[0]
    with pymupdf.open("pdf", pdf) as doc:
        lines = [item["rect"] for item in doc[0].get_drawings() if item["rect"].height < 2]
    motto, commune = span(page, L.MOTTO), span(page, "XÃ KIẾN MINH")

    def under(found: dict) -> list[pymupdf.Rect]:
        x0, _, x1, y1 = found["bbox"]
        return [r for r in lines if y1 <= r.y0 < y1 + 6 and x0 - 1 <= r.x0 and r.x1 <= x1 + 1]

    under_motto, under_agency = under(motto), under(commune)
    assert len(under_motto) == 1 and under_motto[0].width == pytest.approx(motto["bbox"][2] - motto["bbox"][0], abs=2)
    council_width = span(page, "HỘI ĐỒNG NHÂN DÂN")["bbox"][2] - span(page, "HỘI ĐỒNG NHÂN DÂN")["bbox"][0]
    assert len(under_agency) == 1 and council_width / 3 <= under_agency[0].width <= council_width / 2


def test_title_is_centred_bold_and_the_body_serif_within_the_margins() -> None:
    rendered = render_pdf(minutes(paragraphs=40))
    pages = spans(rendered.data)
    title = span(pages[0], "BIÊN BẢN")
    assert centre(title) == pytest.approx(MIDDLE, abs=1) and face(title) == "LiberationSerifBold"
    with pymupdf.open("pdf", rendered.data) as doc:
        assert tuple(doc[0].rect) == pytest.approx(tuple(pymupdf.paper_rect("a4")), abs=0.5)
        fonts = {font[3].split("+")[-1] for page in doc for font in page.get_fonts()}
    assert all(name.replace(" ", "").startswith("LiberationSerif") for name in fonts), fonts
    body = [s for page in pages for s in page if "Kiến Minh khóa XIV" in s["text"] and s["size"] == L.BODY_SIZE]
    assert body, "the body is set at 14 pt"
    for page in pages:
        for found in page:
            if found["text"].strip():
                x0, _, x1, _ = found["bbox"]
                assert x0 >= L.LEFT - 0.5 and x1 <= L.PAGE_WIDTH - L.RIGHT + 0.5, found["text"]


def test_page_numbers_are_centred_upright_in_the_top_margin_from_page_two() -> None:
    rendered = render_pdf(minutes(paragraphs=40))
    pages = spans(rendered.data)
    assert rendered.page_count >= 3
    assert not [s for s in pages[0] if s["bbox"][3] < L.TOP and s["text"].strip().isdigit()], "none on page 1"
    for number, page in enumerate(pages[1:], start=2):
        label = span(page, str(number))
        assert label["bbox"][3] < L.TOP and centre(label) == pytest.approx(L.PAGE_WIDTH / 2, abs=1)
        assert label["dir"] == (1.0, 0.0), "printed upright, left to right"


def test_signers_stand_side_by_side_secretary_left_chair_right_with_room_to_sign() -> None:
    rendered = render_pdf(minutes())
    last = spans(rendered.data)[-1]
    secretary, chair = span(last, "THƯ KÝ KỲ HỌP"), span(last, "CHỦ TỌA KỲ HỌP")
    assert centre(secretary) < MIDDLE < centre(chair)
    assert secretary["bbox"][1] == pytest.approx(chair["bbox"][1], abs=1)
    for key, title, name in (("secretary", secretary, "Trần Thị Thu"), ("chair", chair, "Nguyễn Văn Minh")):
        box = rendered.signature_boxes[key]
        signed_name = span(last, name)
        assert box.page == rendered.page_count - 1
        assert title["bbox"][3] <= box.rect[1] < box.rect[3] <= signed_name["bbox"][1]
        assert box.rect[3] - box.rect[1] >= 20 * L.MM
        assert box.rect[0] <= centre(signed_name) <= box.rect[2]
    assert face(span(last, "Nơi nhận:")).startswith("LiberationSerifBoldIt")


def test_a_lone_signer_signs_on_the_right_with_the_recipients_beside() -> None:
    rendered = render_pdf(minutes(signers=(Signer("chair", "CHỦ TỌA", "Nguyễn Văn Minh", authority="TM. HĐND"),)))
    last = spans(rendered.data)[-1]
    assert centre(span(last, "CHỦ TỌA")) > MIDDLE and centre(span(last, "TM. HĐND")) > MIDDLE
    assert span(last, "Nơi nhận:")["bbox"][1] == pytest.approx(span(last, "TM. HĐND")["bbox"][1], abs=1)


def test_signers_that_do_not_fit_under_the_body_move_together_to_a_new_page() -> None:
    for paragraphs in range(8, 16):
        rendered = render_pdf(minutes(paragraphs=paragraphs))
        pages = spans(rendered.data)
        last_text = [s["text"] for s in pages[-1]]
        if "Kỳ họp bế mạc lúc 11 giờ 30 phút cùng ngày./." not in " ".join(last_text):
            break
    else:
        pytest.fail("no body length pushed the signers to a page of their own")
    assert "THƯ KÝ KỲ HỌP" in last_text and "Nguyễn Văn Minh" in last_text
    assert rendered.signature_boxes["secretary"].page == rendered.page_count - 1
    assert span(pages[-1], "2" if rendered.page_count == 2 else str(rendered.page_count))


def test_every_page_of_a_draft_says_so_and_a_final_copy_does_not() -> None:
    drafted = spans(render_pdf(minutes(paragraphs=40, draft=True)).data)
    assert len(drafted) >= 3
    for page in drafted:
        mark = span(page, "DỰ THẢO")
        assert mark["bbox"][3] < L.TOP and mark["bbox"][2] > MIDDLE
    final = spans(render_pdf(minutes(paragraphs=40)).data)
    assert not [s for page in final for s in page if "DỰ THẢO" in s["text"]]


def test_a_document_without_a_number_leaves_room_to_write_it() -> None:
    page = spans(render_pdf(minutes(number=None)).data)[0]
    number = next(s for s in page if s["text"].startswith("Số:"))
    assert number["text"].endswith("/BB-HĐND") and not any(c.isdigit() for c in number["text"])


def test_the_same_document_gives_the_same_bytes() -> None:
    first = render_pdf(minutes(paragraphs=20, draft=True)).data
    assert render_pdf(minutes(paragraphs=20, draft=True)).data == first
    changed = replace(minutes(paragraphs=20, draft=True), body=(Paragraph.of("Khác."),))
    assert render_pdf(changed).data != first
