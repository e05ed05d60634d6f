"""The minutes PDF (Noto Sans, the same bytes for the same minutes) and its PAdES signature with the council's
certificate: valid as signed, broken by a single altered byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from session_server.archive.minutes import apply_edits, compose
from session_server.archive.minutes_pdf import render_minutes_pdf
from session_server.archive.signing import check_signature, council_certificate, sign_pdf
from session_server.settings import Settings, load_settings

NAMED_TEXT = "Có 3/5 đại biểu tham gia biểu quyết (60,00%); tán thành 3 (60,00%); không tán thành 0 (0,00%); không biểu quyết 0 (0,00%)"
SECRET_TEXT = "Có 4/5 đại biểu tham gia biểu quyết (80,00%); tán thành 2 (40,00%); không tán thành 1 (20,00%); không biểu quyết 1 (20,00%)"


def minutes_content() -> dict[str, Any]:
    speech = {"member_id": 3, "kind": "discussion", "started_at": "2026-12-10T08:05:00+07:00"}
    return {
        "council": {"id": 1, "name": "Hội đồng nhân dân xã Phiên Họp", "total_delegates": 5},
        "session": {
            "id": 9,
            "title": "Kỳ họp thứ Năm",
            "kind": "regular",
            "public": True,
            "place": "Hội trường UBND xã",
            "timezone": "Asia/Ho_Chi_Minh",
            "opened_at": "2026-12-10T08:00:00+07:00",
            "closed_at": "2026-12-10T11:30:00+07:00",
        },
        "chair": {"member_id": 1, "name": "Bùi Minh Bình"},
        "secretary": {"member_id": 2, "name": "Dương Công Phong"},
        "attendance": {
            "total": 5,
            "present": ["Bùi Minh Bình", "Dương Công Phong", "Hoàng Thu Lan", "Lê Văn Khoa"],
            "absent_with_reason": [{"name": "Ngô Kim Phương", "reason": "Đi công tác"}],
            "absent": [],
            "quorum": {"present": 4, "total": 5, "required": 4, "met": True},
        },
        "items": [
            {
                "id": 11,
                "position": 1,
                "title": "Báo cáo kinh tế - xã hội",
                "kind": "report",
                "presenter": "Chủ tịch UBND xã",
                "started_at": "2026-12-10T08:01:00+07:00",
                "ended_at": "2026-12-10T09:00:00+07:00",
                "documents": [{"id": 4, "title": "Báo cáo tình hình kinh tế", "classification": "public"}],
                "withheld_documents": 1,
                "speeches": [
                    {**speech, "id": 21, "speaker": "Hoàng Thu Lan", "ended_at": "2026-12-10T08:12:00+07:00"},
                    {**speech, "id": 22, "speaker": "Lê Văn Khoa", "kind": "question", "ended_at": None},
                ],
                "motions": [
                    {
                        "id": 31,
                        "title": "Thông qua báo cáo",
                        "kind": "resolution",
                        "ballot_type": "named",
                        "status": "closed",
                        "passed": True,
                        "text_vi": NAMED_TEXT,
                        "text_en": "",
                        "named": [{"name": "Hoàng Thu Lan", "choice": "yes"}, {"name": "Lê Văn Khoa", "choice": "yes"}],
                    },
                    {
                        "id": 32,
                        "title": "Bầu Trưởng ban",
                        "kind": "election",
                        "ballot_type": "secret",
                        "status": "closed",
                        "passed": False,
                        "text_vi": SECRET_TEXT,
                        "text_en": "",
                    },
                ],
            }
        ],
        "other_speeches": [],
    }


def text_of(pdf: bytes) -> str:
    with pymupdf.open("pdf", pdf) as doc:
        return " ".join(" ".join(page.get_text().split()) for page in doc)


def test_the_pdf_has_every_speaker_result_summary_and_both_signature_blocks() -> None:
    edits = apply_edits({}, {"summaries": {21: "Đề nghị tăng chi cho giáo dục."}, "notes": "Kỳ họp thành công."})
    pdf = render_minutes_pdf(compose(minutes_content(), edits))
    text = text_of(pdf)

    for expected in (
        "BIÊN BẢN",
        "Kỳ họp thứ Năm",
        "Hoàng Thu Lan",
        "Lê Văn Khoa",
        NAMED_TEXT,
        SECRET_TEXT,
        "Đề nghị tăng chi cho giáo dục.",
        "Kỳ họp thành công.",
        "Ngô Kim Phương: vắng có lý do (Đi công tác)",
        "1 tài liệu không công khai",
        "THƯ KÝ",
        "CHỦ TỌA",
        "Trang 1/",
    ):
        assert expected in text, expected
    assert text.count("Danh sách biểu quyết") == 1, "only the named ballot lists names"
    with pymupdf.open("pdf", pdf) as doc:
        fonts = {font[3] for page in doc for font in page.get_fonts()}
    assert {"Noto Sans Regular", "Noto Sans Bold"} <= {name.split("+")[-1] for name in fonts}


def test_the_same_minutes_give_the_same_pdf() -> None:
    content = compose(minutes_content(), {})

    assert render_minutes_pdf(content) == render_minutes_pdf(content)


def test_edits_replace_and_an_empty_text_removes() -> None:
    edits = apply_edits({}, {"summaries": {21: "Ý kiến một", 22: "Ý kiến hai"}, "item_notes": {11: "Ghi chú"}})
    edits = apply_edits(edits, {"summaries": {21: "", 22: "Ý kiến hai (sửa)"}})

    assert edits == {"summaries": {"22": "Ý kiến hai (sửa)"}, "item_notes": {"11": "Ghi chú"}, "notes": ""}
    composed = compose(minutes_content(), edits)
    assert [s["summary"] for s in composed["items"][0]["speeches"]] == ["", "Ý kiến hai (sửa)"]
    assert composed["items"][0]["note"] == "Ghi chú"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(environ={}, data_dir=tmp_path / "data", secret_key="test-secret-key")


def test_signed_minutes_validate_against_the_councils_certificate_and_one_altered_byte_breaks_them(
    settings: Settings,
) -> None:
    certificate = council_certificate(settings, 1, "Hội đồng nhân dân xã Phiên Họp")
    signed = sign_pdf(
        render_minutes_pdf(compose(minutes_content(), {})), certificate, reason="Phê duyệt", location="VN"
    )

    check = check_signature(signed, certificate)
    assert (check.ok, check.intact, check.valid, check.trusted, check.coverage) == (
        True,
        True,
        True,
        True,
        "entire_file",
    )
    assert "Hội đồng nhân dân xã Phiên Họp" in check.signer

    altered = bytearray(signed)
    altered[len(signed) // 3] ^= 0x01
    broken = check_signature(bytes(altered), certificate)
    assert not broken.ok and not broken.intact


def test_another_councils_certificate_does_not_vouch_for_the_signature(settings: Settings) -> None:
    ours = council_certificate(settings, 1, "Hội đồng nhân dân xã Phiên Họp")
    theirs = council_certificate(settings, 2, "Hội đồng nhân dân phường Khác")
    signed = sign_pdf(render_minutes_pdf(compose(minutes_content(), {})), ours, reason="Phê duyệt", location="VN")

    check = check_signature(signed, theirs)
    assert check.intact and not check.trusted and not check.ok
    assert council_certificate(settings, 1, "x").path == ours.path, "the demo certificate is made once per council"
