"""The minutes as a PDF: PyMuPDF lays out HTML in Noto Sans (every Vietnamese glyph), A4, numbered pages.

Blocking; callers run it in a worker thread. The same minutes give the same bytes (fixed dates, no new file id).
"""

from __future__ import annotations

import io
from datetime import datetime
from html import escape
from typing import Any

import pymupdf

from session_server.archive.labels import AGENDA_KIND_VI, BALLOT_VI, CHOICE_VI, SPEECH_KIND_VI
from session_server.archive.minutes import Minutes

A4 = pymupdf.paper_rect("a4")
MARGIN = 56
BODY = pymupdf.Rect(MARGIN, MARGIN, A4.width - MARGIN, A4.height - MARGIN)
CSS = """
@font-face { font-family: NotoSans; src: url(notos.ttf); }
@font-face { font-family: NotoSans; src: url(notosbo.ttf); font-weight: bold; }
body { font-family: NotoSans; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 15pt; text-align: center; margin: 14pt 0 2pt 0; }
h2 { font-size: 12pt; margin: 12pt 0 4pt 0; }
h3 { font-size: 11pt; margin: 10pt 0 3pt 0; }
p { margin: 2pt 0; text-align: justify; }
.center { text-align: center; }
.small { font-size: 9.5pt; }
.result { margin-left: 14pt; }
td { vertical-align: top; text-align: center; font-size: 10.5pt; }
"""


def _fonts() -> pymupdf.Archive:
    archive = pymupdf.Archive()
    archive.add(pymupdf.Font("notos").buffer, "notos.ttf")
    archive.add(pymupdf.Font("notosbo").buffer, "notosbo.ttf")
    return archive


def _clock(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%H:%M:%S") if value else "…"


def _long_time(value: str | None) -> str:
    if not value:
        return "…"
    moment = datetime.fromisoformat(value)
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment.day:02d} tháng {moment.month:02d} năm {moment.year}"


def _speech(speech: dict[str, Any]) -> str:
    kind = SPEECH_KIND_VI.get(speech["kind"], speech["kind"])
    line = (
        f"<p>– Đại biểu <b>{escape(speech['speaker'])}</b> ({escape(kind)}), "
        f"{_clock(speech['started_at'])}–{_clock(speech['ended_at'])}.</p>"
    )
    if speech.get("summary"):
        line += f'<p class="result">{escape(speech["summary"])}</p>'
    return line


def _motion(motion: dict[str, Any]) -> str:
    ballot = BALLOT_VI.get(motion["ballot_type"], motion["ballot_type"])
    html = f"<p>Biểu quyết ({escape(ballot)}): <b>{escape(motion['title'])}</b></p>"
    if motion["status"] != "closed":
        return html + '<p class="result">Chưa biểu quyết.</p>'
    outcome = "Được thông qua." if motion.get("passed") else "Không được thông qua."
    html += f'<p class="result">Kết quả: {escape(motion["text_vi"])}. {outcome}</p>'
    if motion.get("named"):
        listed = "; ".join(
            f"{escape(row['name'])}: {escape(CHOICE_VI.get(row['choice'], row['choice']))}" for row in motion["named"]
        )
        html += f'<p class="result small">Danh sách biểu quyết: {listed}.</p>'
    return html


def _item(item: dict[str, Any]) -> str:
    kind = AGENDA_KIND_VI.get(item["kind"], "")
    html = f"<h3>{item['position']}. {escape(item['title'])}</h3>"
    details = [f"Thời gian: {_clock(item['started_at'])}–{_clock(item['ended_at'])}"]
    if kind:
        details.append(f"Loại: {escape(kind)}")
    if item["presenter"]:
        details.append(f"Trình bày: {escape(item['presenter'])}")
    html += f"<p>{'; '.join(details)}.</p>"
    if item["documents"] or item["withheld_documents"]:
        titles = [escape(d["title"]) for d in item["documents"]]
        if item["withheld_documents"]:
            titles.append(f"{item['withheld_documents']} tài liệu không công khai")
        html += f"<p>Tài liệu: {'; '.join(titles)}.</p>"
    if item["speeches"]:
        html += "<p>Ý kiến phát biểu:</p>" + "".join(_speech(s) for s in item["speeches"])
    html += "".join(_motion(m) for m in item["motions"])
    if item.get("note"):
        html += f"<p>{escape(item['note'])}</p>"
    return html


def minutes_html(minutes: Minutes) -> str:
    council, session = minutes["council"], minutes["session"]
    attendance = minutes["attendance"]
    quorum = attendance["quorum"]
    chair = (minutes["chair"] or {}).get("name", "")
    secretary = (minutes["secretary"] or {}).get("name", "")
    parts = [
        "<table width='100%'><tr>"
        f"<td width='45%'><b>{escape(council['name'].upper())}</b></td>"
        "<td width='55%'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br/><b>Độc lập - Tự do - Hạnh phúc</b></td>"
        "</tr></table>",
        f"<h1>BIÊN BẢN</h1><p class='center'><b>{escape(session['title'])}</b></p>",
        "<h2>I. Thời gian, địa điểm, chủ tọa, thư ký</h2>",
        f"<p>Khai mạc lúc {_long_time(session['opened_at'])}; bế mạc lúc {_long_time(session['closed_at'])}.</p>",
        f"<p>Địa điểm: {escape(session['place'] or '…')}.</p>",
        f"<p>Chủ tọa: {escape(chair or '…')}. Thư ký: {escape(secretary or '…')}.</p>",
        "<h2>II. Thành phần tham dự</h2>",
        f"<p>Tổng số đại biểu: {attendance['total']}; có mặt: {quorum['present']}; "
        f"vắng có lý do: {len(attendance['absent_with_reason'])}; vắng: {len(attendance['absent'])}.</p>",
    ]
    for row in attendance["absent_with_reason"]:
        parts.append(f"<p>– {escape(row['name'])}: vắng có lý do ({escape(row['reason'])}).</p>")
    if attendance["absent"]:
        parts.append(f"<p>Vắng không có lý do: {escape(', '.join(attendance['absent']))}.</p>")
    met = "đủ" if quorum["met"] else "không đủ"
    parts.append(
        f"<p>Số đại biểu có mặt {met} điều kiện tiến hành kỳ họp (cần ít nhất {quorum['required']}/{quorum['total']}).</p>"
    )
    parts.append("<h2>III. Nội dung và diễn biến</h2>")
    parts += [_item(item) for item in minutes["items"]]
    if minutes["other_speeches"]:
        parts.append("<h3>Phát biểu ngoài chương trình</h3>" + "".join(_speech(s) for s in minutes["other_speeches"]))
    if minutes.get("notes"):
        parts.append(f"<h2>IV. Ghi chú</h2><p>{escape(minutes['notes'])}</p>")
    parts.append(f"<p>Kỳ họp bế mạc lúc {_long_time(session['closed_at'])}.</p>")
    parts.append(
        "<table width='100%'><tr>"
        f"<td width='50%'><b>THƯ KÝ</b><br/><br/><br/><br/>{escape(secretary)}</td>"
        f"<td width='50%'><b>CHỦ TỌA</b><br/><br/><br/><br/>{escape(chair)}</td>"
        "</tr></table>"
    )
    return "".join(parts)


def render_minutes_pdf(minutes: Minutes) -> bytes:
    story = pymupdf.Story(minutes_html(minutes), user_css=CSS, archive=_fonts())
    laid_out = io.BytesIO()
    writer = pymupdf.DocumentWriter(laid_out)
    more = True
    while more:
        device = writer.begin_page(A4)
        more, _ = story.place(BODY)
        story.draw(device)
        writer.end_page()
    writer.close()
    doc = pymupdf.open("pdf", laid_out.getvalue())
    font = pymupdf.Font("notos")
    for page in doc:
        label = f"Trang {page.number + 1}/{doc.page_count}"
        footer = pymupdf.TextWriter(page.rect)
        footer.append(
            (A4.width / 2 - font.text_length(label, 9) / 2, A4.height - MARGIN / 2), label, font=font, fontsize=9
        )
        footer.write_text(page)
    stamp = _pdf_date(minutes["session"]["closed_at"])
    doc.set_metadata(
        {
            "title": f"Biên bản — {minutes['session']['title']}",
            "author": minutes["council"]["name"],
            "subject": "Biên bản kỳ họp",
            "creator": "HopSo",
            "producer": "HopSo",
            "creationDate": stamp,
            "modDate": stamp,
        }
    )
    pdf = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return pdf


def _pdf_date(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value)
    offset = moment.strftime("%z")
    return f"D:{moment:%Y%m%d%H%M%S}{offset[:3]}'{offset[3:]}'"
