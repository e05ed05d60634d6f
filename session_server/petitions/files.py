"""Files sent with an answer: a PDF or a picture, sniffed from its bytes, stored by id under
`data_dir/petitions/attachments/`, never under a name the sender chose."""

from __future__ import annotations

from pathlib import Path

from session_server.errors import ApiError, invalid

KINDS = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def media_type(head: bytes) -> str:
    for magic, kind in KINDS:
        if head.startswith(magic):
            return kind
    raise not_accepted()


def not_accepted() -> ApiError:
    return invalid("Tệp đính kèm phải là PDF, PNG hoặc JPEG.", "An attachment must be a PDF, PNG or JPEG file.")


def attachment_path(data_dir: Path, attachment_id: int) -> Path:
    return data_dir / "petitions" / "attachments" / str(attachment_id)
