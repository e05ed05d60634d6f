from datetime import UTC, datetime, timedelta, timezone

import pymupdf

from session_server.paperwork.stamp import signature_stamp, signing_time

HANOI = timezone(timedelta(hours=7))


def test_the_signing_time_reads_as_a_vietnamese_day_with_the_zone_offset() -> None:
    assert signing_time(datetime(2026, 12, 7, 19, 38, 41, tzinfo=HANOI)) == "07/12/2026 19:38:41 +07:00"
    assert signing_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "02/01/2026 03:04:05 +00:00"


def test_the_stamp_shows_who_signed_and_when() -> None:
    at = datetime(2026, 12, 7, 19, 38, 41, tzinfo=HANOI)
    stamp = signature_stamp(180, 70, "Đã ký số", "Nguyễn Văn An", at, seal=False)
    with pymupdf.open(stream=stamp, filetype="pdf") as doc:
        text = " ".join(doc[0].get_text().split())
    assert "Đã ký số" in text and "Nguyễn Văn An" in text
    assert "Thời gian ký: 07/12/2026 19:38:41 +07:00" in text
