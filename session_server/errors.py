"""The one error shape of HopSo: `{"error": {"code", "message", "details"?}}` over REST and in Socket.IO acks."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError


class ApiError(Exception):
    """A refusal a person can read, in Vietnamese and English, with a stable machine code."""

    def __init__(self, status: int, code: str, vi: str, en: str, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.vi = vi
        self.en = en
        self.details = details

    def body(self, lang: str = "vi") -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.vi if lang == "vi" else self.en}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def invalid(vi: str, en: str, details: list[dict[str, Any]] | None = None) -> ApiError:
    return ApiError(400, "invalid", vi, en, details)


def not_found(vi: str, en: str) -> ApiError:
    return ApiError(404, "not_found", vi, en)


def forbidden(
    vi: str = "Bạn không có quyền thực hiện thao tác này.", en: str = "You are not allowed to do this."
) -> ApiError:
    return ApiError(403, "forbidden", vi, en)


def unauthenticated() -> ApiError:
    return ApiError(401, "unauthenticated", "Bạn cần đăng nhập.", "You need to sign in.")


def conflict(vi: str, en: str) -> ApiError:
    return ApiError(409, "conflict", vi, en)


def confirmation_required(vi: str, en: str) -> ApiError:
    """An irreversible step asked for without its explicit confirmation (`confirm: true`); the message says what
    would happen, so the client can ask the person before sending it again."""
    return ApiError(409, "confirmation_required", vi, en)


def unavailable() -> ApiError:
    """The database does not answer (restarting, network cut): nothing was changed, the caller may retry."""
    return ApiError(
        503,
        "unavailable",
        "Hệ thống tạm thời không kết nối được cơ sở dữ liệu; chưa có gì thay đổi, vui lòng thử lại sau giây lát.",
        "The database is unreachable for the moment; nothing was changed, please try again shortly.",
    )


def too_large(limit_bytes: int) -> ApiError:
    mb = limit_bytes / (1024 * 1024)
    size = f"{mb:.0f} MB" if mb >= 1 else f"{limit_bytes // 1024} KB"
    return ApiError(
        413, "too_large", f"Dữ liệu gửi lên vượt quá giới hạn {size}.", f"The upload exceeds the {size} limit."
    )


def from_validation_error(exc: ValidationError) -> ApiError:
    details = [
        {"field": ".".join(str(part) for part in error["loc"]) or "body", "problem": error["msg"]}
        for error in exc.errors(include_url=False)
    ]
    fields = ", ".join(sorted({d["field"] for d in details}))
    return invalid(f"Dữ liệu không hợp lệ: {fields}.", f"Invalid input: {fields}.", details)
