"""What happens to a petition: each step checks the status it starts from, changes the rows and logs an event with
who and when, in the caller's transaction (the caller commits)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.db.models import Council, User, utcnow
from session_server.errors import ApiError, conflict, invalid, not_found
from session_server.petitions.labels import STATUS_VI
from session_server.petitions.models import (
    Agency,
    Answer,
    Assignment,
    Petition,
    PetitionEvent,
    PetitionSource,
    PetitionStatus,
    PetitionVoter,
    Rating,
    VoterMeeting,
)
from session_server.petitions.schemas import ClassifyIn, PetitionIn, PetitionPatch, VoterIn
from session_server.text import fold, index_form

OPEN = frozenset({PetitionStatus.RECEIVED, PetitionStatus.CLASSIFIED, PetitionStatus.RETURNED})


def searchable(content: str, field: str, locality: str) -> str:
    return index_form(f"{content} {field} {locality}")


def log(db: AsyncSession, petition_id: int, type_: str, actor: User | None, **data: Any) -> None:
    db.add(PetitionEvent(petition_id=petition_id, type=type_, data=data, actor_user_id=actor.id if actor else None))


def wrong_status(petition: Petition, doing_vi: str, doing_en: str) -> ApiError:
    return conflict(
        f"Không thể {doing_vi}: kiến nghị đang ở trạng thái “{STATUS_VI[petition.status]}”.",
        f"Cannot {doing_en}: the petition is {petition.status.value}.",
    )


def is_overdue(petition: Petition, today: date) -> bool:
    return petition.status is PetitionStatus.FORWARDED and petition.deadline is not None and petition.deadline < today


async def petition_in(db: AsyncSession, petition_id: int, council_id: int | None = None) -> Petition:
    """A petition that was not merged away; with `council_id`, only one of that council."""
    petition = await db.get(Petition, petition_id)
    if petition is None or (council_id is not None and petition.council_id != council_id):
        raise not_found("Không có kiến nghị này.", "No such petition.")
    if petition.merged_into_id is not None:
        raise conflict(
            f"Kiến nghị này đã được gộp vào kiến nghị số {petition.merged_into_id}.",
            f"This petition was merged into petition {petition.merged_into_id}.",
        )
    return petition


async def agency_of_council(db: AsyncSession, agency_id: int, council_id: int) -> Agency:
    agency = await db.get(Agency, agency_id)
    if agency is None or agency.council_id != council_id:
        raise invalid(
            "Không có cơ quan giải quyết này.", "No such agency.", [{"field": "agency_id", "problem": "unknown"}]
        )
    if not agency.active:
        raise invalid("Cơ quan này đã ngừng nhận kiến nghị.", "This agency no longer takes petitions.")
    return agency


async def check_meeting(db: AsyncSession, meeting_id: int | None, council_id: int) -> None:
    if meeting_id is None:
        return
    meeting = await db.get(VoterMeeting, meeting_id)
    if meeting is None or meeting.council_id != council_id:
        raise invalid(
            "Không có cuộc tiếp xúc cử tri này.",
            "No such voter meeting.",
            [{"field": "meeting_id", "problem": "unknown"}],
        )


def voter_row(petition_id: int, voter: VoterIn, source_id: int | None) -> PetitionVoter:
    return PetitionVoter(
        petition_id=petition_id,
        source_id=source_id,
        full_name=voter.full_name,
        folded_name=fold(voter.full_name).strip(),
        address=voter.address,
        contact=voter.contact,
    )


async def create(
    db: AsyncSession, council: Council, body: PetitionIn, actor: User | None, reference: str = ""
) -> Petition:
    await check_meeting(db, body.meeting_id, council.id)
    petition = Petition(
        council_id=council.id,
        content=body.content,
        folded=searchable(body.content, body.field, body.locality),
        field=body.field,
        locality=body.locality,
        channel=body.channel,
        level=body.level,
        voter_count=body.voter_count,
        term=body.term or council.term,
        received_on=body.received_on,
        meeting_id=body.meeting_id,
        status=PetitionStatus.CLASSIFIED if body.field and body.level else PetitionStatus.RECEIVED,
        created_by_user_id=actor.id if actor else None,
    )
    db.add(petition)
    await db.flush()
    source = PetitionSource(
        petition_id=petition.id,
        channel=body.channel,
        meeting_id=body.meeting_id,
        received_on=body.received_on,
        content=body.content,
        reference=reference,
        voter_count=body.voter_count,
    )
    db.add(source)
    await db.flush()
    db.add_all(voter_row(petition.id, voter, source.id) for voter in body.voters if voter.full_name or voter.contact)
    log(db, petition.id, "created", actor, channel=body.channel.value, reference=reference)
    return petition


def _refresh_folded(petition: Petition) -> None:
    petition.folded = searchable(petition.content, petition.field, petition.locality)
    petition.updated_at = utcnow()


async def edit(db: AsyncSession, petition: Petition, body: PetitionPatch, actor: User) -> Petition:
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in changes.items():
        setattr(petition, name, value)
    _refresh_folded(petition)
    log(db, petition.id, "edited", actor, fields=sorted(changes))
    return petition


async def classify(db: AsyncSession, petition: Petition, body: ClassifyIn, actor: User) -> Petition:
    if petition.status not in OPEN:
        raise wrong_status(petition, "phân loại", "classify")
    petition.field = body.field
    petition.level = body.level
    if body.locality is not None:
        petition.locality = body.locality
    petition.status = PetitionStatus.CLASSIFIED
    _refresh_folded(petition)
    log(db, petition.id, "classified", actor, field=body.field, level=body.level.value)
    return petition


async def _end_assignment(db: AsyncSession, petition_id: int) -> None:
    await db.execute(
        update(Assignment).where(Assignment.petition_id == petition_id, Assignment.active).values(active=False)
    )


async def forward(db: AsyncSession, petition: Petition, agency: Agency, deadline: date, actor: User) -> Petition:
    if petition.status not in OPEN | {PetitionStatus.FORWARDED}:
        raise wrong_status(petition, "chuyển cơ quan giải quyết", "forward")
    await _end_assignment(db, petition.id)
    db.add(Assignment(petition_id=petition.id, agency_id=agency.id, deadline=deadline, assigned_by_user_id=actor.id))
    petition.agency_id = agency.id
    petition.deadline = deadline
    petition.level = petition.level or agency.level
    petition.status = PetitionStatus.FORWARDED
    petition.return_reason = ""
    petition.updated_at = utcnow()
    log(db, petition.id, "forwarded", actor, agency_id=agency.id, agency=agency.name, deadline=deadline.isoformat())
    return petition


async def return_petition(db: AsyncSession, petition: Petition, reason: str, actor: User) -> Petition:
    if petition.status not in {PetitionStatus.RECEIVED, PetitionStatus.CLASSIFIED, PetitionStatus.FORWARDED}:
        raise wrong_status(petition, "trả lại", "return")
    await _end_assignment(db, petition.id)
    petition.status = PetitionStatus.RETURNED
    petition.return_reason = reason
    petition.updated_at = utcnow()
    log(db, petition.id, "returned", actor, reason=reason, agency_id=petition.agency_id)
    return petition


async def answer(db: AsyncSession, petition: Petition, text: str, actor: User, agency_id: int | None) -> Answer:
    if petition.status not in {PetitionStatus.FORWARDED, PetitionStatus.ANSWERED}:
        raise wrong_status(petition, "trả lời", "answer")
    reply = Answer(petition_id=petition.id, agency_id=agency_id, text=text, answered_by_user_id=actor.id)
    db.add(reply)
    now = utcnow()
    await db.execute(
        update(Assignment)
        .where(Assignment.petition_id == petition.id, Assignment.active, Assignment.answered_at.is_(None))
        .values(answered_at=now)
    )
    petition.status = PetitionStatus.ANSWERED
    petition.updated_at = now
    await db.flush()
    log(db, petition.id, "answered", actor, answer_id=reply.id, agency_id=agency_id)
    return reply


async def close(db: AsyncSession, petition: Petition, actor: User) -> Petition:
    if petition.status not in {PetitionStatus.ANSWERED, PetitionStatus.RETURNED}:
        raise wrong_status(petition, "kết thúc", "close")
    petition.status = PetitionStatus.CLOSED
    petition.updated_at = utcnow()
    log(db, petition.id, "closed", actor)
    return petition


async def publish(db: AsyncSession, petition: Petition, published: bool, actor: User) -> Petition:
    if petition.published != published:
        petition.published = published
        petition.published_at = utcnow() if published else None
        log(db, petition.id, "published" if published else "unpublished", actor)
    return petition


async def rate(db: AsyncSession, petition: Petition, rating: Rating, note: str, actor: User) -> Petition:
    if petition.status not in {PetitionStatus.ANSWERED, PetitionStatus.CLOSED}:
        raise wrong_status(petition, "ghi nhận đánh giá của cử tri", "record the voters' rating")
    petition.rating = rating
    petition.rating_note = note
    log(db, petition.id, "rated", actor, rating=rating.value)
    return petition


async def merge(db: AsyncSession, target: Petition, others: Iterable[int], actor: User) -> Petition:
    """Fold `others` into `target`: their voters and sources move to it, their voters are counted in it, and each
    keeps its own row and log, pointing at `target`."""
    ids = sorted(set(others) - {target.id})
    if not ids:
        raise invalid("Hãy chọn kiến nghị khác để gộp.", "Choose other petitions to merge.")
    merged = list(
        await db.scalars(select(Petition).where(Petition.id.in_(ids), Petition.council_id == target.council_id))
    )
    if len(merged) != len(ids):
        raise not_found("Có kiến nghị không tồn tại trong hội đồng này.", "Some petitions are not in this council.")
    for other in merged:
        if other.merged_into_id is not None:
            raise conflict(
                f"Kiến nghị số {other.id} đã được gộp vào kiến nghị số {other.merged_into_id}.",
                f"Petition {other.id} was already merged into petition {other.merged_into_id}.",
            )
    await db.execute(update(PetitionSource).where(PetitionSource.petition_id.in_(ids)).values(petition_id=target.id))
    await db.execute(update(PetitionVoter).where(PetitionVoter.petition_id.in_(ids)).values(petition_id=target.id))
    await db.execute(update(Petition).where(Petition.merged_into_id.in_(ids)).values(merged_into_id=target.id))
    for other in merged:
        target.voter_count += other.voter_count
        other.merged_into_id = target.id
        other.published = False
        other.updated_at = utcnow()
        log(db, other.id, "merged_into", actor, into=target.id)
    if not target.locality:
        target.locality = next((o.locality for o in merged if o.locality), "")
    _refresh_folded(target)
    log(db, target.id, "merged", actor, petitions=ids)
    return target


def today(timezone: str = "Asia/Ho_Chi_Minh") -> date:
    """The date where the council is: a deadline passes at its midnight, not at UTC's."""
    return datetime.now(ZoneInfo(timezone)).date()
