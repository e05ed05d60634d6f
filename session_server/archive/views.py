"""Staff review after the session: the archive job's state and video, the minutes' draft, edits, approval with a
PAdES signature, publication, and reopening approved minutes to correct them. Delegates read their council's minutes
once approved."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os

from aiohttp import web
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.archive import storage
from session_server.archive.files import file_response, write_atomically
from session_server.archive.job import ENDED, archive_jobs_of
from session_server.archive.minutes import apply_edits, compose
from session_server.archive.minutes_pdf import render_minutes_pdf
from session_server.archive.reopening import REOPENED, last_reopening, log_event
from session_server.archive.schemas import (
    ArchiveOut,
    ChapterOut,
    MinutesEdit,
    MinutesOut,
    MinutesReopen,
    SignatureOut,
    VideoOut,
)
from session_server.archive.signing import check_signature, council_certificate, sign_pdf
from session_server.auth.roles import Permission
from session_server.db.models import (
    ArchiveChapter,
    ArchiveStatus,
    Council,
    CouncilSession,
    Minutes,
    MinutesStatus,
    Role,
    SessionArchive,
    SessionStatus,
    utcnow,
)
from session_server.errors import ApiError, conflict, invalid, not_found
from session_server.live.guards import STATUS_VI

PRIVATE = "private, no-cache"


async def _session(ctx: Context, db: AsyncSession, session_id: int) -> CouncilSession:
    session = await db.get(CouncilSession, session_id)
    if session is None:
        raise not_found("Không có kỳ họp này.", "No such session.")
    ctx.require_council(session.council_id)
    return session


async def _minutes(ctx: Context, db: AsyncSession, session_id: int) -> Minutes:
    """The session's minutes; a delegate sees them only once approved."""
    await _session(ctx, db, session_id)
    minutes = await db.get(Minutes, session_id)
    staff = ctx.user is not None and ctx.user.role is not Role.DELEGATE
    if minutes is None or (minutes.status is MinutesStatus.DRAFT and not staff):
        raise not_found("Chưa có biên bản của kỳ họp này.", "There are no minutes for this session yet.")
    return minutes


def video_of(archive: SessionArchive, base: str) -> VideoOut | None:
    if not archive.video:
        return None
    return VideoOut(
        url=f"{base}/video",
        poster_url=f"{base}/poster.jpg" if archive.poster else None,
        chapters_vtt_url=f"{base}/chapters.vtt",
        duration=archive.duration_ms / 1000,
    )


async def chapters_of_session(db: AsyncSession, session_id: int) -> list[ChapterOut]:
    rows = await db.scalars(
        select(ArchiveChapter).where(ArchiveChapter.session_id == session_id).order_by(ArchiveChapter.number)
    )
    return [ChapterOut.of(chapter) for chapter in rows]


async def _archive_out(db: AsyncSession, session_id: int) -> ArchiveOut:
    archive = await db.get(SessionArchive, session_id, populate_existing=True)
    if archive is None:
        raise not_found("Kỳ họp này chưa được lưu trữ.", "This session has not been archived.")
    minutes = await db.get(Minutes, session_id)
    return ArchiveOut(
        session_id=session_id,
        status=archive.status.value,
        steps=archive.steps or {},
        attempts=archive.attempts,
        error=archive.error,
        video=video_of(archive, f"/api/sessions/{session_id}/archive"),
        chapters=await chapters_of_session(db, session_id),
        minutes_status=minutes.status.value if minutes else None,
        published_at=archive.published_at,
    )


async def _minutes_out(db: AsyncSession, minutes: Minutes) -> MinutesOut:
    return MinutesOut(
        session_id=minutes.session_id,
        status=minutes.status.value,
        revision=minutes.revision,
        minutes=compose(minutes.content, minutes.edits),
        edits=minutes.edits,
        signature=SignatureOut(**minutes.signature) if minutes.signature else None,
        approved_at=minutes.approved_at,
        published_at=minutes.published_at,
        pdf_url=f"/api/sessions/{minutes.session_id}/minutes/pdf",
        reopened=await last_reopening(db, minutes.session_id),
    )


def _require_draft(minutes: Minutes) -> None:
    if minutes.status is not MinutesStatus.DRAFT:
        raise conflict(
            "Biên bản đã được phê duyệt; hãy mở lại biên bản trước khi sửa.",
            "The minutes are approved; reopen them to make corrections.",
        )


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive",
    permission=Permission.MINUTES_READ,
    response=ArchiveOut,
    summary="The archive job of a closed session: its steps, the video and its chapters, the minutes' state",
)
async def get_archive(ctx: Context) -> ArchiveOut:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        return await _archive_out(db, session.id)


@api.route(
    "POST",
    "/api/sessions/{session_id}/archive/job",
    permission=Permission.ARCHIVE_PUBLISH,
    response=ArchiveOut,
    status=202,
    summary="Run the archive job again (?redo=1 redoes every step; staff's edits to the minutes are kept)",
)
async def rerun_archive(ctx: Context) -> ArchiveOut:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        if session.status not in ENDED:
            raise ApiError(
                409,
                "conflict",
                f"Kỳ họp {STATUS_VI[session.status]}; chỉ lưu trữ được sau khi bế mạc.",
                "A session is archived once it has ended.",
            )
        jobs = archive_jobs_of(ctx.request.app)
        await jobs.register(db, session.id)
        jobs.launch(session.id, redo=ctx.request.query.get("redo") == "1")
        return await _archive_out(db, session.id)


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive/video",
    permission=Permission.MINUTES_READ,
    summary="The archived video (MP4, byte ranges) for review",
)
async def staff_video(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
    return await file_response(storage.video_path(ctx.settings, session.id), PRIVATE)


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive/chapters.vtt",
    permission=Permission.MINUTES_READ,
    summary="The archived video's chapters as WebVTT",
)
async def staff_chapters(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
    return await file_response(storage.chapters_vtt_path(ctx.settings, session.id), PRIVATE)


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive/poster.jpg",
    permission=Permission.MINUTES_READ,
    summary="The archived video's poster",
)
async def staff_poster(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
    return await file_response(storage.poster_path(ctx.settings, session.id), PRIVATE)


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes",
    permission=Permission.MINUTES_READ,
    response=MinutesOut,
    summary="The minutes (biên bản) as data: the draft for staff, approved minutes for delegates",
)
async def get_minutes(ctx: Context) -> MinutesOut:
    async with ctx.sessionmaker() as db:
        return await _minutes_out(db, await _minutes(ctx, db, int_param(ctx, "session_id")))


@api.route(
    "PATCH",
    "/api/sessions/{session_id}/minutes",
    permission=Permission.MINUTES_WRITE,
    body=MinutesEdit,
    response=MinutesOut,
    summary="Edit the draft minutes: speech summaries, notes per agenda item, closing notes",
)
async def edit_minutes(ctx: Context, body: MinutesEdit) -> MinutesOut:
    async with ctx.sessionmaker() as db:
        minutes = await _minutes(ctx, db, int_param(ctx, "session_id"))
        _require_draft(minutes)
        content = minutes.content
        speeches = {s["id"] for item in content["items"] for s in item["speeches"]}
        speeches |= {s["id"] for s in content["other_speeches"]}
        unknown = sorted(
            (set(body.summaries) - speeches) | (set(body.item_notes) - {i["id"] for i in content["items"]})
        )
        if unknown:
            raise invalid(
                f"Không có phát biểu hoặc mục chương trình số {', '.join(map(str, unknown))} trong biên bản.",
                f"No speech or agenda item {', '.join(map(str, unknown))} in these minutes.",
            )
        minutes.edits = apply_edits(minutes.edits, body.model_dump(exclude_unset=True))
        minutes.revision += 1
        minutes.updated_at = utcnow()
        await db.commit()
        return await _minutes_out(db, minutes)


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/pdf",
    permission=Permission.MINUTES_READ,
    summary="The minutes as PDF: the signed file once approved, the current draft before",
)
async def minutes_pdf(ctx: Context) -> web.StreamResponse:
    async with ctx.sessionmaker() as db:
        minutes = await _minutes(ctx, db, int_param(ctx, "session_id"))
    if minutes.status is not MinutesStatus.DRAFT:
        path = storage.signed_minutes_path(ctx.settings, minutes.session_id)
        return await file_response(path, PRIVATE, f"bien-ban-{minutes.session_id}.pdf")
    pdf = await asyncio.to_thread(render_minutes_pdf, compose(minutes.content, minutes.edits))
    return web.Response(
        body=pdf,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="bien-ban-du-thao-{minutes.session_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/approve",
    permission=Permission.MINUTES_WRITE,
    response=MinutesOut,
    summary="Approve the minutes: the PDF is signed (PAdES) with the council's certificate and checked; minutes "
    "reopened after publication are published again",
)
async def approve_minutes(ctx: Context) -> MinutesOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        minutes = await _minutes(ctx, db, int_param(ctx, "session_id"))
        _require_draft(minutes)
        council = await db.scalar(
            select(Council)
            .join(CouncilSession, CouncilSession.council_id == Council.id)
            .where(CouncilSession.id == minutes.session_id)
        )
        assert council is not None
        composed, revision = compose(minutes.content, minutes.edits), minutes.revision
    certificate = await asyncio.to_thread(council_certificate, ctx.settings, council.id, council.name)
    pdf = await asyncio.to_thread(render_minutes_pdf, composed)
    signed = await asyncio.to_thread(
        sign_pdf, pdf, certificate, reason="Phê duyệt biên bản kỳ họp", location=council.name
    )
    check = await asyncio.to_thread(check_signature, signed, certificate)
    session_id = minutes.session_id
    async with ctx.sessionmaker() as db:
        now = utcnow()
        archive = await db.get(SessionArchive, session_id)
        republish = archive is not None and archive.published_at is not None
        approved = await db.execute(
            update(Minutes)
            .where(
                Minutes.session_id == session_id,
                Minutes.status == MinutesStatus.DRAFT,
                Minutes.revision == revision,
            )
            .values(
                status=MinutesStatus.PUBLISHED if republish else MinutesStatus.APPROVED,
                signed_sha256=hashlib.sha256(signed).hexdigest(),
                signature=check.as_dict(),
                approved_by_user_id=ctx.user.id,
                approved_at=now,
                published_at=now if republish else None,
                updated_at=now,
            )
        )
        if approved.rowcount != 1:
            raise conflict(
                "Biên bản vừa được sửa hoặc phê duyệt ở nơi khác; hãy xem lại.",
                "The minutes were just edited or approved elsewhere; review them again.",
            )
        record = json.dumps(composed, ensure_ascii=False, indent=1).encode()
        await asyncio.to_thread(write_atomically, storage.signed_minutes_path(ctx.settings, session_id), signed)
        await asyncio.to_thread(write_atomically, storage.minutes_json_path(ctx.settings, session_id), record)
        await db.commit()
        stored = await db.get(Minutes, session_id, populate_existing=True)
        assert stored is not None
        return await _minutes_out(db, stored)


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/reopen",
    permission=Permission.MINUTES_WRITE,
    body=MinutesReopen,
    response=MinutesOut,
    summary="Reopen approved minutes to correct them: back to draft, the signed PDF withdrawn from the public "
    "archive until approved again; who, when and why go in the session's audit log",
)
async def reopen_minutes(ctx: Context, body: MinutesReopen) -> MinutesOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        minutes = await _minutes(ctx, db, int_param(ctx, "session_id"))
        if minutes.status is MinutesStatus.DRAFT:
            raise ApiError(
                409,
                "minutes_not_approved",
                "Biên bản đang là bản nháp; chỉ mở lại được biên bản đã phê duyệt.",
                "The minutes are a draft; only approved minutes can be reopened.",
            )
        session_id, now = minutes.session_id, utcnow()
        withdrawn = {
            "reason": body.reason,
            "status": minutes.status.value,
            "revision": minutes.revision,
            "signed_sha256": minutes.signed_sha256,
            "approved_at": minutes.approved_at.isoformat() if minutes.approved_at else None,
            "approved_by_user_id": minutes.approved_by_user_id,
        }
        reopened = await db.execute(
            update(Minutes)
            .where(
                Minutes.session_id == session_id,
                Minutes.status == minutes.status,
                Minutes.revision == minutes.revision,
            )
            .values(
                status=MinutesStatus.DRAFT,
                revision=Minutes.revision + 1,
                signed_sha256="",
                signature={},
                approved_by_user_id=None,
                approved_at=None,
                published_at=None,
                updated_at=now,
            )
        )
        if reopened.rowcount != 1:
            raise conflict(
                "Biên bản vừa được thay đổi ở nơi khác; hãy xem lại.",
                "The minutes were just changed elsewhere; review them again.",
            )
        event = await log_event(db, session_id, REOPENED, withdrawn, ctx.user.id, now)
        await db.commit()
        signed = storage.signed_minutes_path(ctx.settings, session_id)
        if await asyncio.to_thread(signed.is_file):
            kept = storage.withdrawn_minutes_path(ctx.settings, session_id, event.seq)
            await asyncio.to_thread(os.replace, signed, kept)
        stored = await db.get(Minutes, session_id, populate_existing=True)
        assert stored is not None
        return await _minutes_out(db, stored)


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/signature",
    permission=Permission.MINUTES_READ,
    response=SignatureOut,
    summary="Check the signature of the stored minutes PDF again",
)
async def minutes_signature(ctx: Context) -> SignatureOut:
    async with ctx.sessionmaker() as db:
        minutes = await _minutes(ctx, db, int_param(ctx, "session_id"))
        council = await db.scalar(
            select(Council)
            .join(CouncilSession, CouncilSession.council_id == Council.id)
            .where(CouncilSession.id == minutes.session_id)
        )
    if minutes.status is MinutesStatus.DRAFT or council is None:
        raise conflict("Biên bản chưa được phê duyệt và ký.", "The minutes are not approved and signed yet.")
    path = storage.signed_minutes_path(ctx.settings, minutes.session_id)
    signed = await asyncio.to_thread(path.read_bytes)
    certificate = await asyncio.to_thread(council_certificate, ctx.settings, council.id, council.name)
    return SignatureOut(**(await asyncio.to_thread(check_signature, signed, certificate)).as_dict())


@api.route(
    "POST",
    "/api/sessions/{session_id}/archive/publish",
    permission=Permission.ARCHIVE_PUBLISH,
    response=ArchiveOut,
    summary="Publish the session in the public archive (approved minutes, the video, public documents, results)",
)
async def publish(ctx: Context) -> ArchiveOut:
    async with ctx.sessionmaker() as db:
        session = await _session(ctx, db, int_param(ctx, "session_id"))
        archive = await db.get(SessionArchive, session.id)
        minutes = await db.get(Minutes, session.id)
        if archive is None or archive.status is not ArchiveStatus.DONE:
            raise conflict("Việc lưu trữ kỳ họp chưa xong.", "The session's archive job has not finished.")
        if minutes is None or minutes.status is MinutesStatus.DRAFT:
            raise conflict("Hãy phê duyệt biên bản trước khi công bố.", "Approve the minutes before publishing.")
        now = utcnow()
        if minutes.status is MinutesStatus.APPROVED:
            minutes.status, minutes.published_at, minutes.updated_at = MinutesStatus.PUBLISHED, now, now
        if archive.published_at is None:
            archive.published_at = now
        session.status = SessionStatus.ARCHIVED
        await db.commit()
        return await _archive_out(db, session.id)
