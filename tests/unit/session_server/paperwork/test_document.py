"""The words of an administrative document's head as Decree 30/2020/NĐ-CP writes them."""

from __future__ import annotations

from datetime import date

import pytest

from session_server.paperwork import Column, Table, number_line, place_date_line, short_date


def test_numbers_below_ten_take_a_leading_zero() -> None:
    assert number_line(5, "BB-HĐND") == "Số: 05/BB-HĐND"
    assert number_line(123, "BB-HĐND") == "Số: 123/BB-HĐND"


def test_no_number_leaves_a_blank_for_the_register() -> None:
    line = number_line(None, "BB-HĐND")
    assert line.startswith("Số: ") and line.endswith("/BB-HĐND") and not any(c.isdigit() for c in line)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 12, 7), "Kiến Minh, ngày 07 tháng 12 năm 2026"),
        (date(2027, 2, 15), "Kiến Minh, ngày 15 tháng 02 năm 2027"),
        (date(2027, 1, 1), "Kiến Minh, ngày 01 tháng 01 năm 2027"),
        (date(2027, 3, 9), "Kiến Minh, ngày 09 tháng 3 năm 2027"),
    ],
)
def test_days_below_ten_and_the_first_two_months_take_a_leading_zero(day: date, expected: str) -> None:
    assert place_date_line("Kiến Minh", day) == expected


def test_a_short_date_is_day_month_year() -> None:
    assert short_date(date(2026, 12, 7)) == "07/12/2026"


def test_a_table_row_must_fill_every_column() -> None:
    columns = (Column("STT", 0.2), Column("Nội dung", 0.8))
    with pytest.raises(ValueError, match="one cell per column"):
        Table(columns, (("1",),))
    with pytest.raises(ValueError, match="add up"):
        Table((Column("STT", 0.2), Column("Nội dung", 0.5)), ())
