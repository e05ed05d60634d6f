"""Folding Vietnamese for search: "nghi quyet" meets "nghị quyết", and offsets lead back to the original text."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from session_server.text import fold, fold_with_origins, index_form, terms


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nghị quyết ngân sách", "nghi quyet ngan sach"),
        ("Đà Nẵng, đường Điện Biên Phủ", "da nang, duong dien bien phu"),
        ("Hội đồng nhân dân", "hoi dong nhan dan"),
        ("ỦY BAN NHÂN DÂN", "uy ban nhan dan"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("quỹ, kỹ, mỹ, lũy", "quy, ky, my, luy"),
    ],
)
def test_fold_drops_diacritics_and_case_and_turns_d_with_stroke_into_d(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_text_in_decomposed_form_folds_like_composed_text() -> None:
    composed = "Nghị quyết về đầu tư công"

    assert fold(unicodedata.normalize("NFD", composed)) == fold(composed) == "nghi quyet ve dau tu cong"


def test_terms_are_the_folded_words_without_punctuation() -> None:
    assert terms("Điều 3. Tổng thu ngân sách đạt 104,6% (dự toán)!") == [
        "dieu",
        "3",
        "tong",
        "thu",
        "ngan",
        "sach",
        "dat",
        "104",
        "6",
        "du",
        "toan",
    ]
    assert terms("snake_case—gạch") == ["snake", "case", "gach"]


def test_the_index_form_is_the_words_separated_by_single_spaces() -> None:
    assert index_form("  Nghị   quyết\n\nsố 12/2026/NQ-HĐND ") == "nghi quyet so 12 2026 nq hdnd"


def test_folded_characters_point_back_to_the_characters_they_came_from() -> None:
    text = "Đầu tư công"
    folded, origins = fold_with_origins(unicodedata.normalize("NFD", text))

    assert folded == "dau tu cong"
    decomposed = unicodedata.normalize("NFD", text)
    assert "".join(decomposed[i] for i in origins) == "Đau tu cong"


@given(st.text())
def test_folding_is_stable_and_its_origins_fit_the_text(text: str) -> None:
    folded, origins = fold_with_origins(text)

    assert fold(folded) == folded
    assert folded == fold(text)
    assert len(origins) == len(folded)
    assert origins == sorted(origins)
    assert all(0 <= index < len(text) for index in origins)
