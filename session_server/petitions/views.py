"""Voter petitions for the council office: agencies and their accounts, voter meetings, petitions through their
workflow (classify, forward, return, close, publish, rate, merge), duplicate suggestions, the public form's queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.auth.schemas import UserIn, UserOut
from session_server.auth.users import create_user
from session_server.db.models import Role, User, utcnow
from session_server.errors import conflict, not_found
from session_server.petitions import duplicates, present, service
from session_server.petitions.access import council_of, staff_petition
from session_server.petitions.models import (
    Agency,
    AgencyAccount,
    Channel,
    Petition,
    Submission,
    SubmissionStatus,
    VoterMeeting,
)
from session_server.petitions.schemas import (
    AgencyAccountIn,
    AgencyIn,
    AgencyOut,
    AgencyPatch,
    ClassifyIn,
    DuplicateOut,
    DuplicateQuery,
    ForwardIn,
    MeetingIn,
    MeetingOut,
    MergeIn,
    PetitionDetail,
    PetitionIn,
    PetitionPage,
    PetitionPatch,
    PublishIn,
    RatingIn,
    SubmissionDecision,
    SubmissionOut,
    VoterIn,
)
from session_server.petitions.search import ListQuery, conditions, listing, run


async def _agency(ctx: Context, db: AsyncSession, agency_id: int) -> Agency:
    agency = await db.get(Agency, agency_id)
    if agency is None:
        raise not_found("Không có cơ quan giải quyết này.", "No such agency.")
    ctx.require_council(agency.council_id)
    return agency


def _taken(name: str) -> Exception:
    return conflict(f"Đã có cơ quan “{name}”.", f"There is already an agency named {name}.")


@api.route(
    "GET",
    "/api/councils/{council_id}/agencies",
    permission=Permission.PETITION_READ,
    response=list[AgencyOut],
    summary="Agencies that resolve the council's petitions",
)
async def list_agencies(ctx: Context) -> list[AgencyOut]:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        agencies = await db.scalars(select(Agency).where(Agency.council_id == council.id).order_by(Agency.name))
        return [AgencyOut.model_validate(a) for a in agencies]


@api.route(
    "POST",
    "/api/councils/{council_id}/agencies",
    permission=Permission.PETITION_WRITE,
    body=AgencyIn,
    response=AgencyOut,
    status=201,
    summary="Add an agency (cơ quan giải quyết)",
)
async def add_agency(ctx: Context, body: AgencyIn) -> AgencyOut:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        if await db.scalar(select(Agency.id).where(Agency.council_id == council.id, Agency.name == body.name)):
            raise _taken(body.name)
        agency = Agency(council_id=council.id, **body.model_dump())
        db.add(agency)
        await db.commit()
        return AgencyOut.model_validate(agency)


@api.route(
    "PATCH",
    "/api/agencies/{agency_id}",
    permission=Permission.PETITION_WRITE,
    body=AgencyPatch,
    response=AgencyOut,
    summary="Edit an agency",
)
async def edit_agency(ctx: Context, body: AgencyPatch) -> AgencyOut:
    async with ctx.sessionmaker() as db:
        agency = await _agency(ctx, db, int_param(ctx, "agency_id"))
        changes = body.model_dump(exclude_unset=True, exclude_none=True)
        if "name" in changes and changes["name"] != agency.name:
            clash = await db.scalar(
                select(Agency.id).where(Agency.council_id == agency.council_id, Agency.name == changes["name"])
            )
            if clash:
                raise _taken(changes["name"])
        for name, value in changes.items():
            setattr(agency, name, value)
        await db.commit()
        return AgencyOut.model_validate(agency)


@api.route(
    "GET",
    "/api/agencies/{agency_id}/accounts",
    permission=Permission.PETITION_READ,
    response=list[UserOut],
    summary="The sign-in accounts of an agency",
)
async def list_agency_accounts(ctx: Context) -> list[UserOut]:
    async with ctx.sessionmaker() as db:
        agency = await _agency(ctx, db, int_param(ctx, "agency_id"))
        users = await db.scalars(
            select(User)
            .join(AgencyAccount, AgencyAccount.user_id == User.id)
            .where(AgencyAccount.agency_id == agency.id)
            .order_by(User.username)
        )
        return [UserOut.of(u) for u in users]


@api.route(
    "POST",
    "/api/agencies/{agency_id}/accounts",
    permission=Permission.PETITION_WRITE,
    body=AgencyAccountIn,
    response=UserOut,
    status=201,
    summary="Create a sign-in account for an agency: it sees and answers only the petitions assigned to it",
)
async def add_agency_account(ctx: Context, body: AgencyAccountIn) -> UserOut:
    async with ctx.sessionmaker() as db:
        agency = await _agency(ctx, db, int_param(ctx, "agency_id"))
        user = await create_user(
            db,
            UserIn(
                username=body.username,
                display_name=body.display_name,
                password=body.password,
                role=Role.AGENCY,
                council_id=agency.council_id,
            ),
        )
        db.add(AgencyAccount(user_id=user.id, agency_id=agency.id))
        await db.commit()
        return UserOut.of(user)


@api.route(
    "GET",
    "/api/councils/{council_id}/voter-meetings",
    permission=Permission.PETITION_READ,
    response=list[MeetingOut],
    summary="Voter meetings (tiếp xúc cử tri), latest first",
)
async def list_meetings(ctx: Context) -> list[MeetingOut]:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        meetings = await db.scalars(
            select(VoterMeeting)
            .where(VoterMeeting.council_id == council.id)
            .order_by(VoterMeeting.held_on.desc(), VoterMeeting.id.desc())
        )
        return [MeetingOut.model_validate(m) for m in meetings]


@api.route(
    "POST",
    "/api/councils/{council_id}/voter-meetings",
    permission=Permission.PETITION_WRITE,
    body=MeetingIn,
    response=MeetingOut,
    status=201,
    summary="Record a voter meeting",
)
async def add_meeting(ctx: Context, body: MeetingIn) -> MeetingOut:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        meeting = VoterMeeting(council_id=council.id, **body.model_dump())
        meeting.term = meeting.term or council.term
        db.add(meeting)
        await db.commit()
        return MeetingOut.model_validate(meeting)


@api.route(
    "PATCH",
    "/api/voter-meetings/{meeting_id}",
    permission=Permission.PETITION_WRITE,
    body=MeetingIn,
    response=MeetingOut,
    summary="Correct a voter meeting",
)
async def edit_meeting(ctx: Context, body: MeetingIn) -> MeetingOut:
    async with ctx.sessionmaker() as db:
        meeting = await db.get(VoterMeeting, int_param(ctx, "meeting_id"))
        if meeting is None:
            raise not_found("Không có cuộc tiếp xúc cử tri này.", "No such voter meeting.")
        ctx.require_council(meeting.council_id)
        for name, value in body.model_dump().items():
            setattr(meeting, name, value)
        await db.commit()
        return MeetingOut.model_validate(meeting)


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions",
    permission=Permission.PETITION_READ,
    response=PetitionPage,
    summary="The council's petitions, newest first: ?q= words without diacritics, status, field, locality, level, "
    "channel, agency_id, term, overdue, published, import_id, page, per_page",
)
async def list_petitions(ctx: Context) -> PetitionPage:
    query = ListQuery.of(dict(ctx.request.query))
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        today = service.today(council.timezone)
        found, total = await run(db, listing(db.bind.dialect.name, query, conditions(query, council.id, today)))
        names = {p.agency_id: name for p, name in found if name is not None}
        items = [present.row(p, names, today) for p, _name in found]
        return PetitionPage(total=total, page=query.page, per_page=query.per_page, items=items)


@api.route(
    "POST",
    "/api/councils/{council_id}/petitions",
    permission=Permission.PETITION_WRITE,
    body=PetitionIn,
    response=PetitionDetail,
    status=201,
    summary="Enter a petition with the voters who raised it",
)
async def add_petition(ctx: Context, body: PetitionIn) -> PetitionDetail:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        petition = await service.create(db, council, body, ctx.user)
        await db.commit()
        return await present.detail(db, petition, service.today(council.timezone))


@api.route(
    "POST",
    "/api/councils/{council_id}/petitions/duplicates",
    permission=Permission.PETITION_READ,
    body=DuplicateQuery,
    response=list[DuplicateOut],
    summary="Petitions of the council that look like this text (before entering it)",
)
async def suggest_for_text(ctx: Context, body: DuplicateQuery) -> list[DuplicateOut]:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        return [present.duplicate(s) for s in await duplicates.suggest(db, council.id, body.content)]


async def _detail(ctx: Context, db: AsyncSession, petition_id: int) -> PetitionDetail:
    petition = await staff_petition(ctx, db, petition_id)
    return await present.detail(db, petition, service.today())


Step = Callable[[AsyncSession, Petition, User], Awaitable[object]]


async def _step(ctx: Context, step: Step) -> PetitionDetail:
    """One step of the path's petition, by the caller, committed; the petition as it is afterwards."""
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        petition = await staff_petition(ctx, db, int_param(ctx, "petition_id"))
        await step(db, petition, ctx.user)
        await db.commit()
        return await _detail(ctx, db, petition.id)


@api.route(
    "GET",
    "/api/petitions/{petition_id}",
    permission=Permission.PETITION_READ,
    response=PetitionDetail,
    summary="A petition with its voters, sources, assignments, answers and log",
)
async def get_petition(ctx: Context) -> PetitionDetail:
    async with ctx.sessionmaker() as db:
        return await _detail(ctx, db, int_param(ctx, "petition_id"))


@api.route(
    "GET",
    "/api/petitions/{petition_id}/duplicates",
    permission=Permission.PETITION_READ,
    response=list[DuplicateOut],
    summary="Petitions that look like this one",
)
async def suggest_for_petition(ctx: Context) -> list[DuplicateOut]:
    async with ctx.sessionmaker() as db:
        petition = await staff_petition(ctx, db, int_param(ctx, "petition_id"))
        found = await duplicates.suggest(db, petition.council_id, petition.content, {petition.id})
        return [present.duplicate(s) for s in found]


@api.route(
    "PATCH",
    "/api/petitions/{petition_id}",
    permission=Permission.PETITION_WRITE,
    body=PetitionPatch,
    response=PetitionDetail,
    summary="Correct a petition's text or facts",
)
async def edit_petition(ctx: Context, body: PetitionPatch) -> PetitionDetail:
    return await _step(ctx, lambda db, petition, user: service.edit(db, petition, body, user))


@api.route(
    "POST",
    "/api/petitions/{petition_id}/voters",
    permission=Permission.PETITION_WRITE,
    body=VoterIn,
    response=PetitionDetail,
    status=201,
    summary="Add a voter who raised this petition",
)
async def add_voter(ctx: Context, body: VoterIn) -> PetitionDetail:
    async with ctx.sessionmaker() as db:
        petition = await staff_petition(ctx, db, int_param(ctx, "petition_id"))
        db.add(service.voter_row(petition.id, body, None))
        service.log(db, petition.id, "voter_added", ctx.user)
        await db.commit()
        return await _detail(ctx, db, petition.id)


@api.route(
    "POST",
    "/api/petitions/{petition_id}/classify",
    permission=Permission.PETITION_WRITE,
    body=ClassifyIn,
    response=PetitionDetail,
    summary="Classify: field, level of competence, locality",
)
async def classify_petition(ctx: Context, body: ClassifyIn) -> PetitionDetail:
    return await _step(ctx, lambda db, petition, user: service.classify(db, petition, body, user))


@api.route(
    "POST",
    "/api/petitions/{petition_id}/forward",
    permission=Permission.PETITION_WRITE,
    body=ForwardIn,
    response=PetitionDetail,
    summary="Forward to the agency that must resolve it, with a deadline (again to reassign)",
)
async def forward_petition(ctx: Context, body: ForwardIn) -> PetitionDetail:
    async def forward(db: AsyncSession, petition: Petition, user: User) -> None:
        agency = await service.agency_of_council(db, body.agency_id, petition.council_id)
        await service.forward(db, petition, agency, body.deadline, user)

    return await _step(ctx, forward)


@api.route(
    "POST",
    "/api/petitions/{petition_id}/close",
    permission=Permission.PETITION_WRITE,
    response=PetitionDetail,
    summary="Close an answered or returned petition",
)
async def close_petition(ctx: Context) -> PetitionDetail:
    return await _step(ctx, service.close)


@api.route(
    "POST",
    "/api/petitions/{petition_id}/publish",
    permission=Permission.PETITION_WRITE,
    body=PublishIn,
    response=PetitionDetail,
    summary="Show the petition and its answer on the council's public page, or take it off",
)
async def publish_petition(ctx: Context, body: PublishIn) -> PetitionDetail:
    return await _step(ctx, lambda db, petition, user: service.publish(db, petition, body.published, user))


@api.route(
    "POST",
    "/api/petitions/{petition_id}/rating",
    permission=Permission.PETITION_WRITE,
    body=RatingIn,
    response=PetitionDetail,
    summary="Record how the voters rated the answer",
)
async def rate_petition(ctx: Context, body: RatingIn) -> PetitionDetail:
    return await _step(ctx, lambda db, petition, user: service.rate(db, petition, body.rating, body.note, user))


@api.route(
    "POST",
    "/api/petitions/{petition_id}/merge",
    permission=Permission.PETITION_WRITE,
    body=MergeIn,
    response=PetitionDetail,
    summary="Merge other petitions into this one (their voters and sources join it)",
)
async def merge_petitions(ctx: Context, body: MergeIn) -> PetitionDetail:
    return await _step(ctx, lambda db, petition, user: service.merge(db, petition, body.petition_ids, user))


@api.route(
    "GET",
    "/api/councils/{council_id}/petition-submissions",
    permission=Permission.PETITION_READ,
    response=list[SubmissionOut],
    summary="Petitions sent through the public form (?status=pending|accepted|rejected), oldest first",
)
async def list_submissions(ctx: Context) -> list[SubmissionOut]:
    wanted = ctx.request.query.get("status", SubmissionStatus.PENDING.value)
    status = SubmissionStatus(wanted) if wanted in SubmissionStatus.__members__.values() else SubmissionStatus.PENDING
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        found = await db.scalars(
            select(Submission)
            .where(Submission.council_id == council.id, Submission.status == status)
            .order_by(Submission.id)
            .limit(500)
        )
        return [SubmissionOut.model_validate(s) for s in found]


@api.route(
    "POST",
    "/api/petition-submissions/{submission_id}/decision",
    permission=Permission.PETITION_WRITE,
    body=SubmissionDecision,
    response=SubmissionOut,
    summary="Accept a submission from the public form as a petition, or reject it with a reason",
)
async def decide_submission(ctx: Context, body: SubmissionDecision) -> SubmissionOut:
    async with ctx.sessionmaker() as db:
        submission = await db.get(Submission, int_param(ctx, "submission_id"))
        if submission is None:
            raise not_found("Không có ý kiến gửi trực tuyến này.", "No such submission.")
        council = await council_of(ctx, db, submission.council_id)
        if submission.status is not SubmissionStatus.PENDING:
            raise conflict("Ý kiến này đã được xử lý.", "This submission was already decided.")
        if body.accept:
            voter = VoterIn(full_name=submission.full_name, contact=submission.contact)
            petition = await service.create(
                db,
                council,
                PetitionIn(
                    content=submission.content,
                    locality=submission.locality,
                    channel=Channel.ONLINE,
                    received_on=submission.created_at.date(),
                    voters=[voter],
                ),
                ctx.user,
                reference=f"Biểu mẫu trực tuyến #{submission.id}",
            )
            submission.petition_id = petition.id
        submission.status = SubmissionStatus.ACCEPTED if body.accept else SubmissionStatus.REJECTED
        submission.reason = body.reason
        submission.decided_at = utcnow()
        await db.commit()
        return SubmissionOut.model_validate(submission)
