"""What voters see without an account: a council's published petitions and their answers (searchable without
diacritics, filtered by field, locality, status), the answers' files, and the form that sends a new petition to the
office's moderation queue. Nothing here ever carries a voter's name, address or contact."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.auth.roles import Permission
from session_server.db.models import AgendaItem, ArchiveChapter, Council, CouncilSession, SessionArchive, utcnow
from session_server.errors import ApiError, not_found
from session_server.petitions import proof
from session_server.petitions.answer_views import file_response
from session_server.petitions.models import Answer, Attachment, Petition, Submission
from session_server.petitions.present import agency_names, latest_answers
from session_server.petitions.schemas import (
    ChallengeOut,
    PublicAttachment,
    PublicDiscussion,
    PublicPage,
    PublicPetition,
    PublicSubmissionIn,
    SubmissionReceipt,
)
from session_server.petitions.search import ListQuery, distinct_values, listing, run

PUBLIC_CACHE = "public, max-age=30"
COUNCIL_FLOOD = 300
WINDOW = timedelta(hours=1)


def _no_petition() -> ApiError:
    return not_found("Không có kiến nghị công khai này.", "No such published petition.")


async def _council(db: AsyncSession, council_id: int) -> Council:
    council = await db.get(Council, council_id)
    if council is None:
        raise not_found("Không có hội đồng này.", "No such council.")
    return council


async def _discussed(db: AsyncSession, agenda_item_id: int | None) -> PublicDiscussion | None:
    """The published, public session where the petition was taken up, and the video chapter of that item."""
    if agenda_item_id is None:
        return None
    row = (
        await db.execute(
            select(CouncilSession.id, CouncilSession.title, AgendaItem.title)
            .join(AgendaItem, AgendaItem.session_id == CouncilSession.id)
            .join(SessionArchive, SessionArchive.session_id == CouncilSession.id)
            .where(
                AgendaItem.id == agenda_item_id,
                CouncilSession.public,
                SessionArchive.published_at.is_not(None),
            )
        )
    ).first()
    if row is None:
        return None
    start = await db.scalar(
        select(ArchiveChapter.start_ms)
        .where(ArchiveChapter.agenda_item_id == agenda_item_id, ArchiveChapter.speech_id.is_(None))
        .order_by(ArchiveChapter.number)
        .limit(1)
    )
    return PublicDiscussion(session_id=row[0], session_title=row[1], agenda_title=row[2], start_ms=start)


async def public_petitions_of(db: AsyncSession, petitions: list[Petition]) -> list[PublicPetition]:
    """The public view of these petitions, with a handful of queries whatever their number."""
    answers = await latest_answers(db, [p.id for p in petitions])
    names = await agency_names(db, (p.agency_id for p in petitions))
    discussions = {item: await _discussed(db, item) for item in {p.agenda_item_id for p in petitions} if item}
    found = []
    for petition in petitions:
        reply = answers.get(petition.id)
        found.append(
            PublicPetition(
                id=petition.id,
                council_id=petition.council_id,
                content=petition.content,
                field=petition.field,
                locality=petition.locality,
                status=petition.status,
                level=petition.level,
                agency_name=names.get(petition.agency_id or 0, ""),
                voter_count=petition.voter_count,
                received_on=petition.received_on,
                answer=reply.text if reply else "",
                answered_at=reply.answered_at if reply else None,
                attachments=[
                    PublicAttachment(id=f.id, file_name=f.file_name, url=f"/api/public/petition-attachments/{f.id}")
                    for f in (reply.attachments if reply else [])
                ],
                discussed=discussions.get(petition.agenda_item_id or 0),
            )
        )
    return found


@api.route(
    "GET",
    "/api/public/councils/{council_id}/petitions",
    permission=Permission.PUBLIC,
    response=PublicPage,
    summary="A council's published petitions and answers, newest first: ?q= without diacritics, field, locality, "
    "status, page, per_page",
)
async def public_petitions(ctx: Context) -> web.Response:
    query = ListQuery.of(
        {k: v for k, v in ctx.request.query.items() if k in ("q", "field", "locality", "status", "page", "per_page")}
    )
    async with ctx.sessionmaker() as db:
        council = await _council(db, int_param(ctx, "council_id"))
        where = [Petition.council_id == council.id, Petition.merged_into_id.is_(None), Petition.published]
        if query.status is not None:
            where.append(Petition.status == query.status)
        if query.field:
            where.append(Petition.field == query.field)
        if query.locality:
            where.append(Petition.locality == query.locality)
        found, total = await run(db, listing(db.bind.dialect.name, query, where))
        page = PublicPage(
            council_name=council.name,
            total=total,
            page=query.page,
            per_page=query.per_page,
            items=await public_petitions_of(db, [p for p, _name in found]),
            fields=list(await db.scalars(distinct_values(council.id, "field", Petition.published))),
            localities=list(await db.scalars(distinct_values(council.id, "locality", Petition.published))),
        )
    response = json_response(page)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


async def _published(db: AsyncSession, petition_id: int) -> Petition:
    petition = await db.get(Petition, petition_id)
    if petition is None or not petition.published or petition.merged_into_id is not None:
        raise _no_petition()
    return petition


@api.route(
    "GET",
    "/api/public/petitions/{petition_id}",
    permission=Permission.PUBLIC,
    response=PublicPetition,
    summary="One published petition with its answer",
)
async def public_petition_detail(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        [found] = await public_petitions_of(db, [await _published(db, int_param(ctx, "petition_id"))])
    response = json_response(found)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response


@api.route(
    "GET",
    "/api/public/petition-attachments/{attachment_id}",
    permission=Permission.PUBLIC,
    summary="A file of the answer to a published petition",
)
async def public_attachment(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        attachment = await db.get(Attachment, int_param(ctx, "attachment_id"))
        reply = await db.get(Answer, attachment.answer_id) if attachment else None
        if attachment is None or reply is None:
            raise _no_petition()
        await _published(db, reply.petition_id)
    return file_response(ctx, attachment)


@api.route(
    "GET",
    "/api/public/sessions/{session_id}/petitions",
    permission=Permission.PUBLIC,
    response=list[PublicPetition],
    summary="The published petitions taken up in a public session, each with its video chapter",
)
async def public_session_petitions(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session = await db.get(CouncilSession, int_param(ctx, "session_id"))
        if session is None or not session.public:
            raise not_found("Không có kỳ họp này.", "No such session.")
        found = await db.scalars(
            select(Petition)
            .join(AgendaItem, AgendaItem.id == Petition.agenda_item_id)
            .where(AgendaItem.session_id == session.id, Petition.published, Petition.merged_into_id.is_(None))
            .order_by(AgendaItem.position, Petition.id)
        )
        items = await public_petitions_of(db, list(found))
    return json_response(items)


@api.route(
    "POST",
    "/api/public/councils/{council_id}/petition-challenge",
    permission=Permission.PUBLIC,
    response=ChallengeOut,
    summary="The proof-of-work challenge the public petition form solves before sending",
)
async def petition_challenge(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        council = await _council(db, int_param(ctx, "council_id"))
    challenge = proof.issue(ctx.settings.secret_key, council.id)
    response = json_response(ChallengeOut(challenge=challenge, bits=ctx.settings.petition_form_work_bits))
    response.headers["Cache-Control"] = "no-store"
    return response


def _flooded(minutes: int) -> ApiError:
    return ApiError(
        429,
        "rate_limited",
        f"Đã nhận đủ ý kiến từ địa chỉ này trong một giờ; hãy gửi lại sau khoảng {minutes} phút.",
        f"Enough petitions came from this address this hour; send again in about {minutes} minutes.",
        [{"retry_after": minutes * 60}],
    )


def _sender(secret: str, address: str) -> str:
    """A keyed hash of the sender's address: enough to count, not enough to find the person."""
    return hmac.new(secret.encode(), f"petition-sender:{address}".encode(), hashlib.sha256).hexdigest()


@api.route(
    "POST",
    "/api/public/councils/{council_id}/petition-submissions",
    permission=Permission.PUBLIC,
    body=PublicSubmissionIn,
    response=SubmissionReceipt,
    status=202,
    summary="Send a petition through the public form (no account; name and contact optional) to the office's "
    "moderation queue; needs a solved challenge; a few per address and hour",
)
async def submit_petition(ctx: Context, body: PublicSubmissionIn) -> SubmissionReceipt:
    settings = ctx.settings
    async with ctx.sessionmaker() as db:
        council = await _council(db, int_param(ctx, "council_id"))
    fingerprint = proof.check(
        settings.secret_key,
        council.id,
        body.challenge,
        body.nonce,
        settings.petition_form_work_bits,
        settings.petition_form_min_seconds,
    )
    thanks = SubmissionReceipt(
        received=True,
        message="Văn phòng đã nhận ý kiến của bạn; ý kiến sẽ được xem xét, tổng hợp và trả lời công khai trên trang này.",
    )
    if body.website:
        return thanks
    sender = _sender(settings.secret_key, ctx.client_address)
    since = utcnow() - WINDOW
    async with ctx.sessionmaker() as db:
        recent = await db.scalar(
            select(func.count(Submission.id)).where(Submission.sender == sender, Submission.created_at >= since)
        )
        if (recent or 0) >= settings.petition_form_per_hour:
            raise _flooded(60)
        queued = await db.scalar(
            select(func.count(Submission.id)).where(Submission.council_id == council.id, Submission.created_at >= since)
        )
        if (queued or 0) >= COUNCIL_FLOOD:
            raise _flooded(30)
        db.add(
            Submission(
                council_id=council.id,
                content=body.content,
                locality=body.locality,
                full_name=body.full_name,
                contact=body.contact,
                challenge=fingerprint,
                sender=sender,
            )
        )
        try:
            await db.commit()
        except IntegrityError as exc:
            raise proof.used() from exc
    return thanks
