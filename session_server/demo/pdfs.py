"""Demo session documents, generated with PyMuPDF in a font that has every Vietnamese glyph."""

from __future__ import annotations

from pathlib import Path

import pymupdf

A4 = pymupdf.paper_rect("a4")
MARGIN = 56
FONT = "notos"
BOLD = "notosbo"


def _page(doc: pymupdf.Document, header: str, title: str, paragraphs: list[str]) -> None:
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_font(fontname=FONT, fontbuffer=pymupdf.Font(FONT).buffer)
    page.insert_font(fontname=BOLD, fontbuffer=pymupdf.Font(BOLD).buffer)
    box = pymupdf.Rect(MARGIN, MARGIN, A4.width - MARGIN, A4.height - MARGIN)
    page.insert_textbox(pymupdf.Rect(box.x0, box.y0, box.x1, box.y0 + 40), header, fontname=BOLD, fontsize=10, align=1)
    page.insert_textbox(
        pymupdf.Rect(box.x0, box.y0 + 50, box.x1, box.y0 + 110), title, fontname=BOLD, fontsize=14, align=1
    )
    body = "\n\n".join(paragraphs)
    page.insert_textbox(
        pymupdf.Rect(box.x0, box.y0 + 120, box.x1, box.y1 - 20), body, fontname=FONT, fontsize=11, align=3
    )
    page.insert_textbox(
        pymupdf.Rect(box.x0, box.y1 - 14, box.x1, box.y1),
        f"Trang {page.number + 1}",
        fontname=FONT,
        fontsize=9,
        align=1,
    )


def write_demo_pdf(path: Path, council: str, title: str, sections: list[tuple[str, list[str]]]) -> Path:
    """A multi-page PDF with a title page and one page per section."""
    doc = pymupdf.open()
    header = f"{council.upper()}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc"
    for heading, paragraphs in sections:
        _page(doc, header, f"{title}\n{heading}", paragraphs)
    doc.set_metadata({"title": title, "author": council, "subject": "Tài liệu kỳ họp (bản trình diễn)"})
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def demo_documents(folder: Path, council: str) -> dict[str, Path]:
    """The demo session's documents, by the file names the demo agenda uses."""
    return {
        "ke-hoach-57-hdnd-phuong-an-binh.pdf": write_demo_pdf(
            folder / "bao-cao-kinh-te-xa-hoi-2026.pdf",
            council,
            "BÁO CÁO Tình hình kinh tế - xã hội năm 2026, phương hướng nhiệm vụ năm 2027",
            [
                (
                    "I. Kết quả thực hiện năm 2026",
                    [
                        "Tổng thu ngân sách nhà nước trên địa bàn đạt 104,6% dự toán; chi ngân sách bảo đảm đúng quy định.",
                        "Sản xuất nông nghiệp ổn định; giá trị sản xuất trên một héc-ta canh tác đạt 152 triệu đồng.",
                        "Công tác chuyển đổi số được đẩy mạnh: 100% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến.",
                    ],
                ),
                (
                    "II. Hạn chế, nguyên nhân",
                    [
                        "Tiến độ giải ngân vốn đầu tư công một số dự án còn chậm.",
                        "Nguồn nhân lực công nghệ thông tin ở cơ sở còn thiếu.",
                    ],
                ),
                (
                    "III. Phương hướng, nhiệm vụ năm 2027",
                    [
                        "Phấn đấu tổng thu ngân sách tăng 8% so với năm 2026.",
                        "Hoàn thành họp không giấy tờ tại 100% kỳ họp Hội đồng nhân dân.",
                        "Ghi hình và truyền trực tiếp 100% kỳ họp; công khai nghị quyết và kết quả biểu quyết.",
                    ],
                ),
            ],
        ),
        "ke-hoach-chuyen-doi-so-hdnd-kien-minh-2026.pdf": write_demo_pdf(
            folder / "bao-cao-chuyen-doi-so-2026.pdf",
            council,
            "BÁO CÁO Kết quả thực hiện Kế hoạch chuyển đổi số của HĐND xã năm 2026",
            [
                (
                    "I. Mục tiêu",
                    [
                        "Tổ chức kỳ họp không giấy tờ; tài liệu kỳ họp được gửi đến đại biểu qua máy tính bảng.",
                        "Biểu quyết điện tử; kết quả được công bố ngay tại hội trường và trên cổng thông tin.",
                    ],
                ),
                (
                    "II. Kết quả",
                    [
                        "35/35 đại biểu được cấp tài khoản và tập huấn sử dụng hệ thống họp số.",
                        "Nghị quyết về ngân sách được công khai trong vòng 05 ngày làm việc sau kỳ họp.",
                    ],
                ),
            ],
        ),
    }
