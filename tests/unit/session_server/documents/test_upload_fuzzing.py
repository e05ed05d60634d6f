"""Uploads fuzzed with Hypothesis: the member CSV importer and the PDF checks answer every input with their refusal
or their result, never with an unexpected exception (which a person would see as "internal error")."""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from session_server.councils.csv_import import HEADERS, MAX_ROWS, parse_members_csv
from session_server.documents.pdf import PdfRefused, inspect
from session_server.documents.upload import Received, display_name, sniff
from session_server.errors import ApiError
from tests.pdfs import pdf_bytes

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

cells = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
csv_text = st.builds(
    lambda header, rows, delimiter: "\n".join(delimiter.join(row) for row in [header, *rows]),
    st.lists(st.sampled_from([*HEADERS, "", "ghi chú", "CODE", " Họ và tên "]), min_size=1, max_size=7),
    st.lists(st.lists(cells, max_size=8), max_size=20),
    st.sampled_from([",", ";", "\t"]),
)


def _import(raw: bytes) -> None:
    try:
        rows = parse_members_csv(raw)
    except ApiError as refusal:
        assert refusal.status == 400 and refusal.code == "invalid"
        assert refusal.vi and refusal.en
        return
    assert 0 < len(rows) <= MAX_ROWS
    assert len({row.member.code for row in rows}) == len(rows)


@FUZZ
@given(st.binary(max_size=4096))
@example(b"\xef\xbb\xbfm\xc3\xa3,h\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan\nDB01,L\xc3\xaa V\xc4\x83n A\n")
@example(b"code,full_name\nDB01,\x00\x00\n")
@example(b'code,full_name\nDB01,"' + b"a" * 200_000 + b'"\n')
@example(b"code,full_name\n" + b"DB,A\n" * (MAX_ROWS + 1))
def test_the_member_csv_importer_refuses_or_imports_any_bytes(raw: bytes) -> None:
    _import(raw)


@FUZZ
@given(csv_text, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_the_member_csv_importer_refuses_or_imports_any_csv_shaped_text(text: str, encoding: str) -> None:
    _import(text.encode(encoding))


@functools.cache
def _pdf() -> bytes:
    return pdf_bytes(["Tờ trình về dự toán ngân sách năm 2027", "Phụ lục: bảng số liệu"])


def _check_pdf(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.bin"
        path.write_bytes(data)
        received = Received(path, size=len(data), head=data[:1024], has_file=True)
        try:
            sniff(received)
        except ApiError as refusal:
            assert refusal.status in (400, 415) and refusal.code
            return
        try:
            facts = inspect(str(path))
        except PdfRefused as refused:
            assert refused.detail
            return
        assert facts.page_count >= 1
        assert all("\x00" not in page.text for page in facts.pages)


@FUZZ
@given(st.binary(max_size=2048))
def test_the_pdf_checks_refuse_or_accept_any_bytes(data: bytes) -> None:
    _check_pdf(data)


@FUZZ
@given(st.data())
def test_the_pdf_checks_refuse_or_accept_any_damaged_pdf(data: st.DataObject) -> None:
    pdf = bytearray(_pdf())
    for _ in range(data.draw(st.integers(1, 12), label="changes")):
        at = data.draw(st.integers(0, len(pdf) - 1), label="offset")
        action = data.draw(st.sampled_from(["flip", "cut", "insert"]), label="action")
        if action == "flip":
            pdf[at] ^= data.draw(st.integers(1, 255), label="mask")
        elif action == "cut":
            del pdf[at : at + data.draw(st.integers(1, 256), label="length")]
        else:
            pdf[at:at] = data.draw(st.binary(min_size=1, max_size=64), label="bytes")
        if not pdf:
            break
    if data.draw(st.booleans(), label="keep the end marker"):
        pdf += b"\n%%EOF\n"
    _check_pdf(bytes(pdf))


@FUZZ
@given(st.text(max_size=300))
@example("../../etc/passwd")
@example("..\\..\\hopso.sqlite3")
@example("%2e%2e%2fsecret_key")
def test_an_uploaded_file_name_never_names_a_folder_or_carries_control_characters(raw: str) -> None:
    name = display_name(raw)

    assert name and len(name) <= 255
    assert "/" not in name and "\\" not in name
    assert name.strip(".")
    assert all(ord(char) >= 32 and ord(char) != 127 for char in name)
