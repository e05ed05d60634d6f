"""PyMuPDF on stored files: reading and refusing them, pages at a width, WebP or PNG, watermarks, word boxes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from session_server.documents.pdf import ImageFormat, PdfProblem, PdfRefused, inspect, page_words, render_page
from tests.pdfs import encrypted_pdf_bytes, pdf_bytes

PAGES = ["Nghị quyết về ngân sách\nĐiều 1.", "Điều 2. Tổ chức thực hiện."]


@pytest.fixture
def stored(tmp_path: Path) -> str:
    path = tmp_path / "1.pdf"
    path.write_bytes(pdf_bytes(PAGES, outline=[(1, "Nghị quyết", 1), (2, "Điều 2", 2)]))
    return str(path)


def test_inspect_reads_every_pages_text_its_folded_form_and_the_outline(stored: str) -> None:
    facts = inspect(stored)

    assert facts.page_count == 2
    assert facts.pages[0].text == "Nghị quyết về ngân sách\nĐiều 1.\n"
    assert facts.pages[0].folded == "nghi quyet ve ngan sach dieu 1"
    assert facts.outline == [(1, "Nghị quyết", 1), (2, "Điều 2", 2)]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(lambda: pdf_bytes(PAGES)[:-200], PdfProblem.DAMAGED, id="cut-short"),
        pytest.param(lambda: b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n", PdfProblem.DAMAGED, id="no-pages"),
        pytest.param(lambda: b"%PDF-1.7\n\x00\x01\x02 rubbish\n%%EOF", PdfProblem.DAMAGED, id="rubbish"),
        pytest.param(encrypted_pdf_bytes, PdfProblem.ENCRYPTED, id="password"),
    ],
)
def test_inspect_refuses_a_file_it_cannot_read_whole(tmp_path: Path, content, problem: PdfProblem) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content())

    with pytest.raises(PdfRefused) as refused:
        inspect(str(path))

    assert refused.value.problem is problem


def test_a_refusal_survives_the_trip_back_from_a_worker_process() -> None:
    import pickle

    refused = pickle.loads(pickle.dumps(PdfRefused(PdfProblem.ENCRYPTED, "the file needs a password")))

    assert (refused.problem, refused.detail) == (PdfProblem.ENCRYPTED, "the file needs a password")


@pytest.mark.parametrize(("fmt", "pil_format"), [(ImageFormat.WEBP, "WEBP"), (ImageFormat.PNG, "PNG")])
def test_a_page_renders_at_the_width_asked_for(stored: str, fmt: ImageFormat, pil_format: str) -> None:
    image = Image.open(io.BytesIO(render_page(stored, 2, 320, fmt)))

    assert image.format == pil_format
    assert image.width == 320
    assert abs(image.height - 320 * 842 / 595) < 1


def test_a_watermark_changes_the_page_and_differs_per_viewer(stored: str) -> None:
    plain = render_page(stored, 1, 800, ImageFormat.PNG)
    for_an = render_page(stored, 1, 800, ImageFormat.PNG, "Nguyễn Văn An · 10/12/2026 08:05")
    for_binh = render_page(stored, 1, 800, ImageFormat.PNG, "Trần Thị Bình · 10/12/2026 08:05")

    assert len({plain, for_an, for_binh}) == 3
    assert render_page(stored, 1, 800, ImageFormat.PNG) == plain


def test_word_boxes_are_in_points_from_the_top_left(stored: str) -> None:
    words = page_words(stored, 2)

    assert (words.width, words.height) == (595, 842)
    assert [w[4] for w in words.words] == ["Điều", "2.", "Tổ", "chức", "thực", "hiện."]
    x0, y0, x1, y1, _ = words.words[0]
    assert 56 <= x0 < x1 and 56 <= y0 < y1 < 120
