"""Receiving an upload: a multipart form with one PDF, streamed to a temporary file within the size limit and sniffed."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import HttpProcessingError

from session_server.documents import storage
from session_server.documents.refusals import empty_file, not_pdf
from session_server.errors import ApiError, invalid, too_large
from session_server.inputs import clean_text

FILE_FIELD = "file"
FIELD_LIMIT = 4096
FORM_OVERHEAD = 64 * 1024
CHUNK = 256 * 1024
SNIFF_WINDOW = 1024
PDF_MAGIC = b"%PDF-"


@dataclass
class Received:
    """The form's text fields and the file, kept under a temporary name until the upload is accepted."""

    path: Path
    fields: dict[str, str] = field(default_factory=dict)
    file_name: str = ""
    size: int = 0
    sha256: str = ""
    head: bytes = b""
    has_file: bool = False

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def display_name(raw: str) -> str:
    """The uploader's file name for display and downloads only: no folders, no control characters.

    Forms may percent-encode the name (HTML does it for quotes and line breaks, aiohttp for every non-ASCII letter).
    """
    with contextlib.suppress(UnicodeDecodeError):
        raw = unquote(raw, errors="strict")
    name = PurePosixPath(unicodedata.normalize("NFC", raw).replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    return name[:255] if name.strip(".") else "tai-lieu.pdf"


def sniff(received: Received) -> None:
    """The bytes decide what the file is; its name and the browser's content type are not trusted."""
    if received.size == 0:
        raise empty_file()
    if PDF_MAGIC not in received.head:
        raise not_pdf(received.head)


async def receive(request: web.Request, data_dir: Path, limit: int) -> Received:
    """Read the form; on any refusal nothing is left on disk."""
    if request.content_type != "multipart/form-data":
        raise invalid(
            "Hãy gửi tệp dưới dạng biểu mẫu multipart/form-data (trường 'file').",
            "Send the file as a multipart/form-data form (field 'file').",
        )
    if request.content_length is not None and request.content_length > limit + FORM_OVERHEAD:
        raise too_large(limit)
    received = Received(await asyncio.to_thread(storage.incoming_path, data_dir))
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                raise _bad_form("a nested multipart part")
            if part.filename is None:
                received.fields[part.name or ""] = await _text_field(part)
            elif part.name != FILE_FIELD or received.has_file:
                raise _bad_form("one file only, in the field 'file'")
            else:
                received.file_name = display_name(part.filename)
                await _save(part, received, limit)
    except ValueError as exc:
        received.discard()
        raise _bad_form(str(exc)) from exc
    except HttpProcessingError as exc:
        received.discard()
        raise _bad_form(exc.message) from exc
    except BaseException:
        received.discard()
        raise
    if not received.has_file:
        received.discard()
        raise invalid("Thiếu tệp tài liệu (trường 'file').", "The document file is missing (field 'file').")
    return received


async def _text_field(part: BodyPartReader) -> str:
    raw = bytearray()
    while chunk := await part.read_chunk(FIELD_LIMIT):
        raw += chunk
        if len(raw) > FIELD_LIMIT:
            raise _bad_form(f"the field '{part.name}' is longer than {FIELD_LIMIT} bytes")
    try:
        return clean_text(raw.decode("utf-8")).strip()
    except UnicodeDecodeError as exc:
        raise _bad_form(f"the field '{part.name}' is not UTF-8") from exc


async def _save(part: BodyPartReader, received: Received, limit: int) -> None:
    digest = hashlib.sha256()
    handle = await asyncio.to_thread(received.path.open, "wb")
    try:
        while chunk := await part.read_chunk(CHUNK):
            received.size += len(chunk)
            if received.size > limit:
                raise too_large(limit)
            if len(received.head) < SNIFF_WINDOW:
                received.head = (received.head + chunk)[:SNIFF_WINDOW]
            digest.update(chunk)
            await asyncio.to_thread(handle.write, chunk)
    finally:
        await asyncio.to_thread(handle.close)
    received.sha256 = digest.hexdigest()
    received.has_file = True


def _bad_form(problem: str) -> ApiError:
    return invalid("Biểu mẫu tải lên không hợp lệ.", f"The upload form is not valid: {problem}.")
