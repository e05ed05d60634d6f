"""The readable refusals of the document routes, each with its stable code."""

from __future__ import annotations

from session_server.errors import ApiError, forbidden, invalid, not_found

FILE_KINDS = {
    b"PK\x03\x04": ("tệp nén ZIP (có thể là tệp Word hoặc Excel)", "a ZIP archive (perhaps a Word or Excel file)"),
    b"MZ": ("chương trình Windows (EXE)", "a Windows program (EXE)"),
    b"\x7fELF": ("chương trình (ELF)", "a program (ELF)"),
    b"\xd0\xcf\x11\xe0": ("tệp Office cũ (DOC, XLS)", "an old Office file (DOC, XLS)"),
    b"\x89PNG": ("ảnh PNG", "a PNG image"),
    b"\xff\xd8\xff": ("ảnh JPEG", "a JPEG image"),
}
STATE_SECRET_VI = (
    "Không đưa tài liệu mật (bí mật nhà nước) lên hệ thống: pháp luật cấm lưu và truyền tài liệu mật "
    "trên thiết bị, mạng kết nối Internet."
)
STATE_SECRET_EN = (
    "Do not upload state-secret documents (tài liệu mật): the law bars them from devices and networks "
    "connected to the Internet."
)


def no_document() -> ApiError:
    return not_found("Không có tài liệu này.", "No such document.")


def no_session() -> ApiError:
    return not_found("Không có kỳ họp này.", "No such session.")


def no_page(page: int, page_count: int) -> ApiError:
    return not_found(
        f"Tài liệu có {page_count} trang; không có trang {page}.",
        f"The document has {page_count} pages; there is no page {page}.",
    )


def empty_file() -> ApiError:
    return ApiError(
        400, "empty_file", "Tệp tải lên không có dữ liệu (0 byte).", "The uploaded file is empty (0 bytes)."
    )


def not_pdf(head: bytes) -> ApiError:
    looks = next((kind for magic, kind in FILE_KINDS.items() if head.startswith(magic)), None)
    vi, en = (f"là {looks[0]}, không", f"is {looks[1]}, not") if looks else ("không", "is not")
    return ApiError(
        415,
        "not_pdf",
        f"Tệp này {vi} phải PDF. Hãy xuất tài liệu ra PDF rồi tải lên lại.",
        f"This file {en} a PDF. Export the document as PDF and upload it again.",
    )


def damaged_pdf() -> ApiError:
    return ApiError(
        422,
        "damaged_pdf",
        "Tệp PDF bị hỏng hoặc chưa tải lên hết. Hãy mở thử tệp trên máy rồi tải lên lại.",
        "The PDF is damaged or incomplete. Check that it opens on your computer, then upload it again.",
    )


def encrypted_pdf() -> ApiError:
    return ApiError(
        422,
        "encrypted_pdf",
        "Tệp PDF có mật khẩu. Hãy lưu một bản không đặt mật khẩu rồi tải lên lại.",
        "The PDF is password-protected. Save a copy without a password and upload it again.",
    )


def state_secret_not_confirmed() -> ApiError:
    return invalid(
        f"{STATE_SECRET_VI} Hãy xác nhận tài liệu không chứa bí mật nhà nước.",
        f"{STATE_SECRET_EN} Confirm that the document holds no state secret.",
        [{"field": "not_state_secret", "problem": "must be true"}],
    )


def no_download() -> ApiError:
    return forbidden(
        "Tài liệu hạn chế chỉ được xem dưới dạng ảnh trang trên hệ thống, không được tải về hay sao chép chữ.",
        "A restricted document can be read here as page images, but neither downloaded nor copied as text.",
    )


def bad_width(widths: tuple[int, ...]) -> ApiError:
    allowed = ", ".join(str(width) for width in widths)
    return invalid(
        f"Độ rộng ảnh trang phải là một trong: {allowed}.",
        f"The page width must be one of: {allowed}.",
        [{"field": "w", "problem": f"one of {allowed}"}],
    )


def closed_session() -> ApiError:
    return ApiError(
        409,
        "closed",
        "Kỳ họp kín (không công khai) không có trang công khai.",
        "A closed session has no public page.",
    )
