"""Short readable addresses: folded words joined by hyphens, cut at a word, never one of the public pages' names."""

from __future__ import annotations

from session_server.public.slugs import MAX_LENGTH, first_free, slugify


def test_a_name_becomes_its_folded_words_joined_by_hyphens() -> None:
    assert slugify("HĐND xã Hòa Bình", "hoi-dong") == "hdnd-xa-hoa-binh"
    assert slugify("Kỳ họp thứ Mười (kỳ họp thường lệ cuối năm 2026)", "ky-hop") == (
        "ky-hop-thu-muoi-ky-hop-thuong-le-cuoi-nam-2026"
    )


def test_a_long_name_is_cut_at_a_word_and_an_empty_one_gets_the_fallback() -> None:
    slug = slugify("Nghị quyết về dự toán ngân sách nhà nước và phân bổ ngân sách địa phương năm 2027", "ky-hop")
    assert len(slug) <= MAX_LENGTH and not slug.endswith("-")
    assert slug == "nghi-quyet-ve-du-toan-ngan-sach-nha-nuoc-va-phan-bo-ngan"
    assert slugify("—", "ky-hop") == "ky-hop"


def test_a_taken_address_or_a_page_of_its_own_gets_the_next_number() -> None:
    taken = {"ky-hop-thu-muoi", "ky-hop-thu-muoi-2"}
    assert first_free("ky-hop-thu-muoi", taken.__contains__) == "ky-hop-thu-muoi-3"
    assert first_free("petitions", taken.__contains__) == "petitions-2"
    assert first_free("ky-hop-bat-thuong", taken.__contains__) == "ky-hop-bat-thuong"
