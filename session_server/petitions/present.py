"""Rows into answers: the staff view, the agency view and the public view of a petition, each its own model."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import User
from session_server.petitions.duplicates import Suggestion
from session_server.petitions.models import (
    Agency,
    Answer,
    Assignment,
    Attachment,
    Petition,
    PetitionEvent,
    PetitionImport,
    PetitionSource,
    PetitionVoter,
)
from session_server.petitions.schemas import (
    AnswerOut,
    AssignedOut,
    AssignmentOut,
    AttachmentOut,
    DuplicateOut,
    EventOut,
    PetitionDetail,
    PetitionOut,
    SourceOut,
    VoterOut,
)
from session_server.petitions.service import is_overdue


async def agency_names(db: AsyncSession, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {id_: name for id_, name in await db.execute(select(Agency.id, Agency.name).where(Agency.id.in_(wanted)))}


def duplicate(suggestion: Suggestion) -> DuplicateOut:
    p = suggestion.petition
    return DuplicateOut(id=p.id, content=p.content, status=p.status, locality=p.locality, score=suggestion.score)


def row(petition: Petition, names: dict[int, str], today: date) -> PetitionOut:
    return PetitionOut(
        id=petition.id,
        content=petition.content,
        field=petition.field,
        locality=petition.locality,
        channel=petition.channel,
        level=petition.level,
        agency_id=petition.agency_id,
        agency_name=names.get(petition.agency_id or 0, ""),
        deadline=petition.deadline,
        status=petition.status,
        voter_count=petition.voter_count,
        term=petition.term,
        received_on=petition.received_on,
        published=petition.published,
        overdue=is_overdue(petition, today),
        agenda_item_id=petition.agenda_item_id,
        rating=petition.rating,
    )


async def rows(db: AsyncSession, petitions: list[Petition], today: date) -> list[PetitionOut]:
    names = await agency_names(db, (p.agency_id for p in petitions))
    return [row(p, names, today) for p in petitions]


def attachment_url(attachment: Attachment, public: bool) -> str:
    prefix = "/api/public/petition-attachments" if public else "/api/petition-attachments"
    return f"{prefix}/{attachment.id}"


async def answers(db: AsyncSession, petition_id: int) -> list[AnswerOut]:
    return await answers_of(db, [petition_id])


async def latest_answers(db: AsyncSession, petition_ids: list[int]) -> dict[int, AnswerOut]:
    """Each petition's current (latest) answer."""
    return {answer.petition_id: answer for answer in await answers_of(db, petition_ids)}


async def answers_of(db: AsyncSession, petition_ids: list[int]) -> list[AnswerOut]:
    """The answers to these petitions, oldest first, with their files."""
    replies: list[Answer] = []
    for start in range(0, len(petition_ids), 500):
        replies += await db.scalars(select(Answer).where(Answer.petition_id.in_(petition_ids[start : start + 500])))
    replies.sort(key=lambda r: (r.answered_at, r.id))
    if not replies:
        return []
    files: list[Attachment] = []
    for start in range(0, len(replies), 500):
        ids = [r.id for r in replies[start : start + 500]]
        files += await db.scalars(select(Attachment).where(Attachment.answer_id.in_(ids)).order_by(Attachment.id))
    names = await agency_names(db, (r.agency_id for r in replies))
    return [
        AnswerOut(
            id=reply.id,
            petition_id=reply.petition_id,
            agency_id=reply.agency_id,
            agency_name=names.get(reply.agency_id or 0, ""),
            text=reply.text,
            answered_at=reply.answered_at,
            attachments=[
                AttachmentOut(
                    id=f.id,
                    file_name=f.file_name,
                    media_type=f.media_type,
                    size_bytes=f.size_bytes,
                    url=attachment_url(f, public=False),
                )
                for f in files
                if f.answer_id == reply.id
            ],
        )
        for reply in replies
    ]


async def detail(db: AsyncSession, petition: Petition, today: date) -> PetitionDetail:
    voters = await db.scalars(
        select(PetitionVoter).where(PetitionVoter.petition_id == petition.id).order_by(PetitionVoter.id)
    )
    sources = await db.scalars(
        select(PetitionSource).where(PetitionSource.petition_id == petition.id).order_by(PetitionSource.id)
    )
    assignments = await db.scalars(
        select(Assignment).where(Assignment.petition_id == petition.id).order_by(Assignment.id)
    )
    events = (
        await db.execute(
            select(PetitionEvent, User.display_name)
            .outerjoin(User, User.id == PetitionEvent.actor_user_id)
            .where(PetitionEvent.petition_id == petition.id)
            .order_by(PetitionEvent.id)
        )
    ).all()
    names = await agency_names(db, [petition.agency_id])
    base = row(petition, names, today)
    return PetitionDetail(
        **base.model_dump(),
        return_reason=petition.return_reason,
        rating_note=petition.rating_note,
        meeting_id=petition.meeting_id,
        merged_into_id=petition.merged_into_id,
        published_at=petition.published_at,
        voters=[
            VoterOut(
                id=v.id,
                full_name=v.full_name,
                address=v.address,
                contact=v.contact,
                source_id=v.source_id,
                erased=v.erased_at is not None,
            )
            for v in voters
        ],
        sources=[SourceOut.model_validate(s) for s in sources],
        assignments=[AssignmentOut.model_validate(a) for a in assignments],
        answers=await answers(db, petition.id),
        events=await _imported(db, petition)
        + [EventOut(type=e.type, data=e.data, actor=name or "", at=e.at) for e, name in events],
    )


async def _imported(db: AsyncSession, petition: Petition) -> list[EventOut]:
    """The history's first line for a petition that came with a workbook: the import is its record (one row for
    thousands of petitions), not an event row of each."""
    if petition.import_id is None:
        return []
    found = (
        await db.execute(
            select(PetitionImport, User.display_name)
            .outerjoin(User, User.id == PetitionImport.created_by_user_id)
            .where(PetitionImport.id == petition.import_id)
        )
    ).first()
    if found is None:
        return []
    batch, name = found
    data: dict[str, object] = {"import_id": batch.id, "file_name": batch.file_name}
    return [EventOut(type="imported", data=data, actor=name or "", at=batch.created_at)]


async def assigned(db: AsyncSession, petition: Petition, council_name: str, today: date) -> AssignedOut:
    names = await agency_names(db, [petition.agency_id])
    return AssignedOut(
        id=petition.id,
        content=petition.content,
        field=petition.field,
        locality=petition.locality,
        level=petition.level,
        deadline=petition.deadline,
        status=petition.status,
        voter_count=petition.voter_count,
        overdue=is_overdue(petition, today),
        council_name=council_name,
        agency_name=names.get(petition.agency_id or 0, ""),
        answers=await answers(db, petition.id),
    )
