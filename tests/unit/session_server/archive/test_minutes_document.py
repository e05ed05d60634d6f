"""The minutes as an administrative document (Decree 30/2020/NĐ-CP layout, see tests/unit/session_server/paperwork): every fact a
biên bản states, from the record: time, place, chair and secretary, attendance under each status with reasons and
the quorum, each item's documents, speeches with what was said, each vote's result with its verdict and a named
ballot's names under each choice, the resolutions adopted, the audit chain's head; the draft marked as one."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest
from docx import Document

from session_server.archive.minutes import apply_edits, compose
from session_server.archive.minutes_document import agency_of, minutes_document, place_of
from session_server.paperwork import render_docx, render_pdf

NAMED_TEXT = "Có 3/5 đại biểu tham gia biểu quyết (60,00%); tán thành 3 (60,00%); không tán thành 0 (0,00%); không biểu quyết 0 (0,00%)"
SECRET_TEXT = "Có 4/5 đại biểu tham gia biểu quyết (80,00%); tán thành 2 (40,00%); không tán thành 1 (20,00%); không biểu quyết 1 (20,00%)"


def person(name: str, reason: str = "") -> dict[str, Any]:
    return {"member_id": 0, "name": name, "reason": reason}


def minutes_content() -> dict[str, Any]:
    speech = {"member_id": 3, "kind": "discussion", "started_at": "2026-12-10T08:05:00+07:00"}
    return {
        "council": {
            "id": 1,
            "name": "Hội đồng nhân dân xã Phiên Họp",
            "short_name": "HĐND xã Phiên Họp",
            "term": "2026-2031",
            "total_delegates": 5,
        },
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
            "statuses": [
                {"status": "present", "members": [person("Bùi Minh Bình"), person("Dương Công Phong")]},
                {"status": "late", "members": [person("Hoàng Thu Lan")]},
                {"status": "left_early", "members": [person("Lê Văn Khoa")]},
                {"status": "absent_with_reason", "members": [person("Ngô Kim Phương", "Đi công tác")]},
                {"status": "absent", "members": []},
            ],
            "attended": 4,
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
                        "carried": True,
                        "verdict_vi": "đã được thông qua",
                        "text_vi": NAMED_TEXT,
                        "text_en": "",
                        "named": [
                            {"name": "Hoàng Thu Lan", "choice": "yes"},
                            {"name": "Lê Văn Khoa", "choice": "yes"},
                            {"name": "Bùi Minh Bình", "choice": "no"},
                        ],
                    },
                    {
                        "id": 32,
                        "title": "Bầu Trưởng ban",
                        "kind": "election",
                        "ballot_type": "secret",
                        "status": "closed",
                        "passed": False,
                        "carried": False,
                        "verdict_vi": "không có người trúng cử",
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


def draft_pdf(content: dict[str, Any], edits: dict[str, Any] | None = None) -> str:
    return text_of(render_pdf(minutes_document(compose(content, edits or {}), draft=True)).data)


def test_the_draft_states_time_place_chair_secretary_and_is_marked_as_a_draft() -> None:
    text = draft_pdf(minutes_content())
    for expected in (
        "HỘI ĐỒNG NHÂN DÂN",
        "XÃ PHIÊN HỌP",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Phiên Họp, ngày 10 tháng 12 năm 2026",
        "BIÊN BẢN",
        "Kỳ họp thứ Năm",
        "Hội đồng nhân dân xã Phiên Họp, nhiệm kỳ 2026 - 2031",
        "Thời gian bắt đầu: 08 giờ 00 phút, ngày 10 tháng 12 năm 2026.",
        "Địa điểm: Hội trường UBND xã.",
        "Chủ tọa: Bùi Minh Bình.",
        "Thư ký: Dương Công Phong.",
        "Kỳ họp bế mạc lúc 11 giờ 30 phút, ngày 10 tháng 12 năm 2026./.",
        "THƯ KÝ",
        "CHỦ TỌA",
        "DỰ THẢO",
    ):
        assert expected in text, expected
    assert "Số:" in text and "/BB-HĐND" in text


def test_attendance_lists_every_status_with_names_reasons_and_the_quorum() -> None:
    text = draft_pdf(minutes_content())
    for expected in (
        "Tổng số đại biểu Hội đồng nhân dân: 5.",
        "Có mặt: 4/5 đại biểu (trong đó 1 đại biểu đến muộn, 1 đại biểu về sớm).",
        "Có mặt (2): Bùi Minh Bình; Dương Công Phong.",
        "Đến muộn (1): Hoàng Thu Lan.",
        "Về sớm (1): Lê Văn Khoa.",
        "Vắng có lý do (1): Ngô Kim Phương (Đi công tác).",
        "Vắng không có lý do: không.",
        "Số đại biểu có mặt đủ điều kiện để tiến hành kỳ họp (cần ít nhất 4/5 đại biểu).",
    ):
        assert expected in text, expected


def test_each_vote_states_its_result_and_verdict_and_a_named_ballot_lists_names_under_each_choice() -> None:
    text = draft_pdf(minutes_content())
    assert f"Kết quả: {NAMED_TEXT}. Đã được thông qua." in text
    assert f"Kết quả: {SECRET_TEXT}. Không có người trúng cử." in text
    assert "Tán thành (2): Hoàng Thu Lan, Lê Văn Khoa." in text
    assert "Không tán thành (1): Bùi Minh Bình." in text
    assert text.count("Tán thành (") == 1, "a secret ballot names nobody"
    assert "IV. CÁC NGHỊ QUYẾT ĐÃ ĐƯỢC THÔNG QUA 1. Thông qua báo cáo." in text


def test_speeches_carry_the_staff_summary_or_else_the_transcript() -> None:
    content = minutes_content()
    content["items"][0]["speeches"][1]["text"] = "Đề nghị làm rõ nguồn vốn cho trường học."
    edits = apply_edits({}, {"summaries": {21: "Đề nghị tăng chi cho giáo dục."}, "notes": "Kỳ họp thành công."})
    text = draft_pdf(content, edits)
    assert "Đại biểu Hoàng Thu Lan (thảo luận, 08:05–08:12): Đề nghị tăng chi cho giáo dục." in text
    assert "Đại biểu Lê Văn Khoa (chất vấn, 08:05–…): Đề nghị làm rõ nguồn vốn cho trường học." in text
    assert "V. Ý KIẾN KHÁC, GHI CHÚ Kỳ họp thành công." in text
    assert "Báo cáo tình hình kinh tế; 1 tài liệu không công khai." in text


def test_the_audit_chains_head_is_printed_when_the_record_carries_it() -> None:
    assert "Mã kiểm tra toàn vẹn" not in draft_pdf(minutes_content())
    content = minutes_content() | {"chain_head": {"seq": 412, "hash": "ab" * 32}}
    text = draft_pdf(content)
    assert "Mã kiểm tra toàn vẹn của bản ghi kỳ họp: sự kiện số 412, mã băm SHA-256" in text
    assert "ab" * 32 in text.replace(" ", "")


def test_the_office_number_goes_in_the_head() -> None:
    edits = apply_edits({}, {"number": 5})
    assert "Số: 05/BB-HĐND" in draft_pdf(minutes_content(), edits)
    assert apply_edits(edits, {"number": None})["number"] is None


def test_the_word_copy_holds_the_same_text() -> None:
    document = minutes_document(compose(minutes_content(), {}), draft=True)
    word = Document(__import__("io").BytesIO(render_docx(document)))
    text = "\n".join(p.text for p in word.paragraphs)
    for expected in (
        "BIÊN BẢN",
        f"Kết quả: {NAMED_TEXT}. Đã được thông qua.",
        "Vắng có lý do (1): Ngô Kim Phương (Đi công tác).",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" in word.sections[0].first_page_header.paragraphs[0].text


def test_the_same_minutes_give_the_same_pdf() -> None:
    content = compose(minutes_content(), {})
    first = render_pdf(minutes_document(content, draft=False)).data
    assert render_pdf(minutes_document(content, draft=False)).data == first


def test_edits_replace_and_an_empty_text_removes() -> None:
    edits = apply_edits({}, {"summaries": {21: "Ý kiến một", 22: "Ý kiến hai"}, "item_notes": {11: "Ghi chú"}})
    edits = apply_edits(edits, {"summaries": {21: "", 22: "Ý kiến hai (sửa)"}})

    assert edits == {
        "summaries": {"22": "Ý kiến hai (sửa)"},
        "item_notes": {"11": "Ghi chú"},
        "sources": {},
        "notes": "",
        "number": None,
    }
    composed = compose(minutes_content(), edits)
    assert [s["summary"] for s in composed["items"][0]["speeches"]] == ["", "Ý kiến hai (sửa)"]
    assert composed["items"][0]["note"] == "Ghi chú"


@pytest.mark.parametrize(
    ("council", "agency", "place"),
    [
        ("Hội đồng nhân dân xã Kiến Minh", ("HỘI ĐỒNG NHÂN DÂN", "XÃ KIẾN MINH"), "Kiến Minh"),
        ("Hội đồng nhân dân phường An Bình", ("HỘI ĐỒNG NHÂN DÂN", "PHƯỜNG AN BÌNH"), "An Bình"),
        ("Hội đồng nhân dân tỉnh Tuyên Quang", ("HỘI ĐỒNG NHÂN DÂN", "TỈNH TUYÊN QUANG"), "Tuyên Quang"),
        ("Hội đồng nhân dân thành phố Hải Phòng", ("HỘI ĐỒNG NHÂN DÂN", "THÀNH PHỐ HẢI PHÒNG"), "Hải Phòng"),
        ("HĐND Thử Nghiệm", ("HĐND THỬ NGHIỆM",), "HĐND Thử Nghiệm"),
    ],
)
def test_the_council_heads_and_dates_its_minutes_with_its_own_names(
    council: str, agency: tuple[str, ...], place: str
) -> None:
    assert agency_of(council).name == agency
    assert place_of(council) == place
