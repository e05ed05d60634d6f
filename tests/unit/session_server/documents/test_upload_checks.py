"""What an upload is decided from its bytes, and what its name may be once stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from session_server.documents.upload import Received, display_name, sniff
from session_server.errors import ApiError


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system.ini.pdf", "system.ini.pdf"),
        ("/tmp/x/Tờ trình.pdf", "Tờ trình.pdf"),
        ("T%E1%BB%9D%20tr%C3%ACnh.pdf", "Tờ trình.pdf"),
        ("100%.pdf", "100%.pdf"),
        ("bad\x00name\r\n.pdf", "badname.pdf"),
        ("../", "tai-lieu.pdf"),
        ("", "tai-lieu.pdf"),
        ("Báo cáo " + "dài " * 100 + ".pdf", ("Báo cáo " + "dài " * 100 + ".pdf")[:255]),
    ],
)
def test_a_file_name_keeps_no_folder_and_no_control_character(raw: str, shown: str) -> None:
    assert display_name(raw) == shown


def _received(head: bytes, size: int | None = None) -> Received:
    return Received(path=Path("/nonexistent"), head=head, size=len(head) if size is None else size, has_file=True)


@pytest.mark.parametrize(
    ("head", "code", "looks_like"),
    [
        (b"", "empty_file", "0 byte"),
        (b"PK\x03\x04\x14\x00", "not_pdf", "ZIP"),
        (b"MZ\x90\x00", "not_pdf", "EXE"),
        (b"\x7fELF\x02", "not_pdf", "ELF"),
        (b"\x89PNG\r\n", "not_pdf", "PNG"),
        (b"<html>", "not_pdf", "không phải PDF"),
    ],
)
def test_a_file_is_judged_by_its_first_bytes(head: bytes, code: str, looks_like: str) -> None:
    with pytest.raises(ApiError) as refused:
        sniff(_received(head))

    assert refused.value.code == code
    assert looks_like in refused.value.vi


def test_a_pdf_header_after_some_leading_bytes_is_accepted() -> None:
    sniff(_received(b"\xef\xbb\xbf\r\n%PDF-1.4\n"))
