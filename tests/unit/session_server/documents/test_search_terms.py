"""Turning a search into engine queries, and a snippet of the original text with the query words marked."""

from __future__ import annotations

from session_server.documents.search import fts5_query, snippet, tsquery


def test_each_word_is_quoted_for_fts5_and_the_last_is_a_prefix() -> None:
    assert fts5_query(["nghi", "quyet", "ngan"]) == '"nghi" "quyet" "ngan"*'


def test_postgres_gets_every_word_and_the_last_as_a_prefix() -> None:
    assert tsquery(["nghi", "quyet", "ngan"]) == "nghi & quyet & ngan:*"


def test_the_snippet_marks_whole_words_and_the_prefix_of_the_last_word() -> None:
    text = "Dự thảo nghị quyết về phân bổ ngân sách năm 2027"

    shown, highlights = snippet(text, ["nghi", "quyet", "ngan", "sa"])

    assert shown == text
    assert [shown[a:b] for a, b in highlights] == ["nghị", "quyết", "ngân", "sách"]


def test_only_the_last_word_is_marked_as_a_prefix() -> None:
    shown, highlights = snippet("Ngành ngân hàng, nông nghiệp", ["ngan", "nong"])

    assert [shown[a:b] for a, b in highlights] == ["ngân", "nông"]


def test_a_long_page_is_cut_around_the_first_match_at_a_word_boundary() -> None:
    text = "Mở đầu. " * 40 + "Kết luận về ngân sách địa phương.\nHết." + " Phụ lục." * 40

    shown, highlights = snippet(text, ["ngan", "sach"])

    assert shown.startswith("…") and shown.endswith("…")
    assert text.replace("\n", " ").find(" " + shown[1:-1]) >= 0
    assert "\n" not in shown
    assert [shown[a:b] for a, b in highlights] == ["ngân", "sách"]
    assert len(shown) <= 222


def test_the_marks_stay_on_the_words_after_a_mark_that_folds_to_nothing() -> None:
    text = "Bảng 2\u0301: ngân sách"  # no precomposed "2" with an acute: the mark stays, and folding drops it

    shown, highlights = snippet(text, ["ngan", "sach"])

    assert [shown[a:b] for a, b in highlights] == ["ngân", "sách"]
