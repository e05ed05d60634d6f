"""Who reads which document: council scoping, classification by role, and what the public may see."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.db.models import (
    AgendaItem,
    Classification,
    CouncilSession,
    Document,
    DocumentVersion,
    Role,
    SessionStatus,
    User,
)
from session_server.documents.refusals import no_document, no_download, no_session

ALL = frozenset(Classification)
PUBLIC = frozenset({Classification.PUBLIC})
READABLE: dict[Role, frozenset[Classification]] = {
    Role.ADMIN: ALL,
    Role.SECRETARY: ALL,
    Role.DELEGATE: ALL,
    Role.AGENCY: PUBLIC,
}


def readable(user: User | None) -> frozenset[Classification]:
    return PUBLIC if user is None else READABLE[user.role]


def shown_to_public(session: CouncilSession) -> bool:
    """A closed session (họp kín) shows nothing; a draft is not announced yet."""
    return session.public and session.status is not SessionStatus.DRAFT


async def council_session(ctx: Context, db: AsyncSession, session_id: int) -> CouncilSession:
    session = await db.get(CouncilSession, session_id)
    if session is None:
        raise no_session()
    ctx.require_council(session.council_id)
    return session


async def readable_document(ctx: Context, db: AsyncSession, document_id: int) -> tuple[Document, CouncilSession]:
    document = await db.get(Document, document_id)
    if document is None or document.deleted_at is not None:
        raise no_document()
    session = await council_session(ctx, db, document.session_id)
    if document.classification not in readable(ctx.user):
        raise no_document()
    return document, session


def refuse_copy(document: Document) -> None:
    """A restricted document is read only as page images watermarked for the viewer: never as its file, its text or
    its words, whichever route asks."""
    if document.classification is Classification.RESTRICTED:
        raise no_download()


async def public_document(db: AsyncSession, document_id: int) -> Document:
    document = await db.get(Document, document_id)
    if document is None or document.deleted_at is not None or document.classification is not Classification.PUBLIC:
        raise no_document()
    session = await db.get(CouncilSession, document.session_id)
    if session is None or not shown_to_public(session):
        raise no_document()
    return document


async def version_of(db: AsyncSession, document: Document, version: int | None = None) -> DocumentVersion:
    found = await db.scalar(
        select(DocumentVersion).where(
            DocumentVersion.document_id == document.id, DocumentVersion.version == (version or document.version)
        )
    )
    if found is None:
        raise no_document()
    return found


def current_documents(
    session_id: int, classifications: Collection[Classification]
) -> Select[tuple[Document, DocumentVersion]]:
    """A session's documents that are not withdrawn, with their current versions, in agenda order."""
    return (
        select(Document, DocumentVersion)
        .join(
            DocumentVersion,
            (DocumentVersion.document_id == Document.id) & (DocumentVersion.version == Document.version),
        )
        .outerjoin(AgendaItem, AgendaItem.id == Document.agenda_item_id)
        .where(
            Document.session_id == session_id,
            Document.deleted_at.is_(None),
            Document.classification.in_(list(classifications)),
        )
        .order_by(AgendaItem.position.nulls_last(), Document.id)
    )
