"""Storing an accepted upload: the rows and the file together, or neither."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import Document, DocumentPage, DocumentVersion, utcnow
from session_server.documents import storage
from session_server.documents.pdf import PdfFacts
from session_server.documents.upload import Received
from session_server.errors import conflict

PAGE_BATCH = 200


async def commit_version(
    db: AsyncSession, document: Document, received: Received, facts: PdfFacts, user_id: int, data_dir: Path
) -> DocumentVersion:
    """Store `received` as version 1 of a new `document`, or as the next version of a stored one, and commit.

    The file moves to its final name only once its rows are written, and is removed again if the commit fails.
    """
    if document.id is None:
        db.add(document)
    else:
        document.version += 1
        document.updated_at = utcnow()
    document.page_count = facts.page_count
    version = DocumentVersion(
        version=document.version,
        file_name=received.file_name,
        size_bytes=received.size,
        sha256=received.sha256,
        page_count=facts.page_count,
        outline=[list(entry) for entry in facts.outline],
        uploaded_by_user_id=user_id,
    )
    try:
        await db.flush()
        version.document_id = document.id
        db.add(version)
        await db.flush()
    except IntegrityError as exc:
        await db.rollback()
        raise conflict(
            "Tài liệu vừa được người khác cập nhật; hãy tải lại trang rồi thử lại.",
            "Someone else has just updated this document; reload and try again.",
        ) from exc
    rows = [
        {"version_id": version.id, "number": number, "text": page.text, "folded": page.folded}
        for number, page in enumerate(facts.pages, start=1)
    ]
    # In batches, so a 2,000-page file does not hold the event loop while the driver encodes every row at once.
    for start in range(0, len(rows), PAGE_BATCH):
        await db.execute(insert(DocumentPage), rows[start : start + PAGE_BATCH])
    final = storage.version_path(data_dir, document.id, version.version)
    await asyncio.to_thread(storage.place, received.path, final)
    try:
        await db.commit()
    except BaseException:
        await asyncio.to_thread(storage.remove, final)
        raise
    return version
