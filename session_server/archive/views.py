"""Staff review after the session: the archive job's state and video, the minutes' draft (PDF and Word), edits,
approval (which fixes the PDF the secretary and the chair then sign, see `signing_views`), publication once both
have signed, and reopening approved minutes to correct them. Delegates read their council's minutes once approved."""

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
from session_server.archive.minutes_document import minutes_document
from session_server.archive.public_record import CHAIN_HEAD, chain_head
from session_server.archive.reopening import REOPENED, last_reopening, log_event
from session_server.archive.schemas import (
    ArchiveOut,
    ChapterOut,
    MinutesEdit,
    MinutesOut,
    MinutesReopen,
    PendingOut,
    SignatureOut,
    SigningOut,
    VideoOut,
)
from session_server.archive.signatures import (
    current_checks,
    next_role,
    session_and_council,
    signed_by_both,
    signer_role,
)
from session_server.archive.transcripts.store import FROZEN, frozen, minutes_transcripts
from session_server.auth.roles import Permission
from session_server.db.models import (
    ArchiveChapter,
    ArchiveStatus,
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
from session_server.paperwork import render_docx, render_pdf

PRIVATE = "private, no-cache"


async def session_of(ctx: Context, db: AsyncSession, session_id: int) -> CouncilSession:
    session = await db.get(CouncilSession, session_id)
    if session is None:
        raise not_found("Không có kỳ họp này.", "No such session.")
    ctx.require_council(session.council_id)
    return session


async def minutes_of(ctx: Context, db: AsyncSession, session_id: int) -> Minutes:
    """The session's minutes; a delegate sees them only once approved."""
    await session_of(ctx, db, session_id)
    minutes = await db.get(Minutes, session_id)
    staff = ctx.user is not None and ctx.user.role in (Role.ADMIN, Role.SECRETARY)
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


def signatures_out(minutes: Minutes) -> list[SignatureOut]:
    return [SignatureOut(role=s["role"], mode=s["mode"], **s["check"]) for s in minutes.signatures]


async def minutes_out(ctx: Context, db: AsyncSession, minutes: Minutes) -> MinutesOut:
    session = await db.get(CouncilSession, minutes.session_id)
    assert session is not None
    content = minutes.content
    pending = minutes.signing.get("pending")
    role = next_role(minutes)
    return MinutesOut(
        session_id=minutes.session_id,
        status=minutes.status.value,
        revision=minutes.revision,
        minutes=compose(content, minutes.edits, await minutes_transcripts(db, minutes)),
        edits=minutes.edits,
        signatures=signatures_out(minutes),
        signing=SigningOut(
            next_role=role,
            secretary=(content.get("secretary") or {}).get("name", ""),
            chair=(content.get("chair") or {}).get("name", ""),
            your_role=signer_role(session, ctx.user) if ctx.user else None,
            token_signing=bool(ctx.settings.signing_pkcs11_module),
            timestamp=bool(ctx.settings.signing_tsa_url),
            seal_allowed=signed_by_both(minutes) and not any(s["role"] == "seal" for s in minutes.signatures),
            pending=PendingOut(role=pending["role"], signer=pending["signer"], prepared_at=pending["prepared_at"])
            if pending
            else None,
        ),
        approved_at=minutes.approved_at,
        published_at=minutes.published_at,
        pdf_url=f"/api/sessions/{minutes.session_id}/minutes/pdf",
        docx_url=f"/api/sessions/{minutes.session_id}/minutes/docx",
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
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
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
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
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
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
    return await file_response(storage.video_path(ctx.settings, session.id), PRIVATE)


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive/chapters.vtt",
    permission=Permission.MINUTES_READ,
    summary="The archived video's chapters as WebVTT",
)
async def staff_chapters(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
    return await file_response(storage.chapters_vtt_path(ctx.settings, session.id), PRIVATE)


@api.route(
    "GET",
    "/api/sessions/{session_id}/archive/poster.jpg",
    permission=Permission.MINUTES_READ,
    summary="The archived video's poster",
)
async def staff_poster(ctx: Context) -> web.FileResponse:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
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
        return await minutes_out(ctx, db, await minutes_of(ctx, db, int_param(ctx, "session_id")))


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
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        _require_draft(minutes)
        content = minutes.content
        speeches = {s["id"] for item in content["items"] for s in item["speeches"]}
        speeches |= {s["id"] for s in content["other_speeches"]}
        unknown = sorted(
            (set(body.summaries) - speeches)
            | (set(body.sources) - speeches)
            | (set(body.item_notes) - {i["id"] for i in content["items"]})
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
        return await minutes_out(ctx, db, minutes)


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/pdf",
    permission=Permission.MINUTES_READ,
    summary="The minutes as PDF: once approved, the file being signed (with the signatures so far); before, the "
    "current draft, marked DỰ THẢO",
)
async def minutes_pdf(ctx: Context) -> web.StreamResponse:
    async with ctx.sessionmaker() as db:
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        transcripts = await minutes_transcripts(db, minutes)
    if minutes.status is not MinutesStatus.DRAFT:
        path = storage.signed_minutes_path(ctx.settings, minutes.session_id)
        return await file_response(path, PRIVATE, f"bien-ban-{minutes.session_id}.pdf")
    document = minutes_document(compose(minutes.content, minutes.edits, transcripts), draft=True)
    rendered = await asyncio.to_thread(render_pdf, document)
    return _download(rendered.data, "application/pdf", f"bien-ban-du-thao-{minutes.session_id}.pdf")


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/docx",
    permission=Permission.MINUTES_READ,
    summary="The minutes as a Word copy in the same layout, to circulate and edit (marked DỰ THẢO while a draft); "
    "the signed PDF stays the minutes of record",
)
async def minutes_docx(ctx: Context) -> web.StreamResponse:
    async with ctx.sessionmaker() as db:
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        transcripts = await minutes_transcripts(db, minutes)
    draft = minutes.status is MinutesStatus.DRAFT
    document = minutes_document(compose(minutes.content, minutes.edits, transcripts), draft=draft)
    data = await asyncio.to_thread(render_docx, document)
    name = f"bien-ban-{'du-thao-' if draft else ''}{minutes.session_id}.docx"
    return _download(data, DOCX, name, attachment=True)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(data: bytes, content_type: str, name: str, *, attachment: bool = False) -> web.Response:
    disposition = "attachment" if attachment else "inline"
    return web.Response(
        body=data,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'{disposition}; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/approve",
    permission=Permission.MINUTES_WRITE,
    response=MinutesOut,
    summary="Approve the minutes: their text is fixed as the PDF the secretary, then the chair, sign with their own "
    "certificates; the JSON record is written beside it",
)
async def approve_minutes(ctx: Context) -> MinutesOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        _require_draft(minutes)
        transcripts = await minutes_transcripts(db, minutes)
        # The chain's head goes into the minutes before they are signed: outside the database, it anchors the record.
        head = await chain_head(db, minutes.session_id)
        # The transcript can still be corrected after approval; the minutes keep the texts they were signed with.
        signed_edits = {**minutes.edits, FROZEN: frozen(transcripts), CHAIN_HEAD: head}
        composed, revision = compose(minutes.content, signed_edits, transcripts), minutes.revision
    rendered = await asyncio.to_thread(render_pdf, minutes_document(composed, draft=False))
    boxes = {key: [box.page, *box.pdf_box()] for key, box in rendered.signature_boxes.items()}
    session_id = minutes.session_id
    async with ctx.sessionmaker() as db:
        now = utcnow()
        approved = await db.execute(
            update(Minutes)
            .where(
                Minutes.session_id == session_id,
                Minutes.status == MinutesStatus.DRAFT,
                Minutes.revision == revision,
            )
            .values(
                status=MinutesStatus.APPROVED,
                signed_sha256=hashlib.sha256(rendered.data).hexdigest(),
                edits=signed_edits,
                signatures=[],
                signing={"boxes": boxes},
                approved_by_user_id=ctx.user.id,
                approved_at=now,
                published_at=None,
                updated_at=now,
            )
        )
        if approved.rowcount != 1:
            raise conflict(
                "Biên bản vừa được sửa hoặc phê duyệt ở nơi khác; hãy xem lại.",
                "The minutes were just edited or approved elsewhere; review them again.",
            )
        record = json.dumps(composed, ensure_ascii=False, indent=1).encode()
        pdf_path = storage.signed_minutes_path(ctx.settings, session_id)
        await asyncio.to_thread(write_atomically, pdf_path, rendered.data)
        await asyncio.to_thread(write_atomically, storage.minutes_json_path(ctx.settings, session_id), record)
        await db.commit()
        stored = await db.get(Minutes, session_id, populate_existing=True)
        assert stored is not None
        return await minutes_out(ctx, db, stored)


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
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
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
            "signed_by": [s["role"] for s in minutes.signatures],
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
                # The next approval anchors the chain's head again, the reopening included.
                edits={key: value for key, value in minutes.edits.items() if key != CHAIN_HEAD},
                signed_sha256="",
                signatures=[],
                signing={},
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
        return await minutes_out(ctx, db, stored)


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/signatures",
    permission=Permission.MINUTES_READ,
    response=list[SignatureOut],
    summary="Check every signature of the stored minutes PDF again, as a reader of the file would",
)
async def minutes_signatures(ctx: Context) -> list[SignatureOut]:
    async with ctx.sessionmaker() as db:
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        _session, council = await session_and_council(db, minutes)
    if minutes.status is MinutesStatus.DRAFT:
        raise conflict("Biên bản chưa được phê duyệt và ký.", "The minutes are not approved and signed yet.")
    path = storage.signed_minutes_path(ctx.settings, minutes.session_id)
    checks = await current_checks(ctx.settings, council, minutes, await asyncio.to_thread(path.read_bytes))
    return [
        SignatureOut(role=s["role"], mode=s["mode"], **check)
        for s, check in zip(minutes.signatures, checks, strict=False)
    ]


@api.route(
    "POST",
    "/api/sessions/{session_id}/archive/publish",
    permission=Permission.ARCHIVE_PUBLISH,
    response=ArchiveOut,
    summary="Publish the session in the public archive (approved minutes, the video, public documents, results)",
)
async def publish(ctx: Context) -> ArchiveOut:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        archive = await db.get(SessionArchive, session.id)
        minutes = await db.get(Minutes, session.id)
        if archive is None or archive.status is not ArchiveStatus.DONE:
            raise conflict("Việc lưu trữ kỳ họp chưa xong.", "The session's archive job has not finished.")
        if minutes is None or minutes.status is MinutesStatus.DRAFT:
            raise conflict("Hãy phê duyệt biên bản trước khi công bố.", "Approve the minutes before publishing.")
        if not signed_by_both(minutes):
            raise ApiError(
                409,
                "minutes_not_signed",
                "Biên bản cần đủ chữ ký số của thư ký và chủ tọa trước khi công bố.",
                "The minutes need the secretary's and the chair's digital signatures before publication.",
            )
        now = utcnow()
        if minutes.status is MinutesStatus.APPROVED:
            minutes.status, minutes.published_at, minutes.updated_at = MinutesStatus.PUBLISHED, now, now
        if archive.published_at is None:
            archive.published_at = now
        session.status = SessionStatus.ARCHIVED
        await db.commit()
        return await _archive_out(db, session.id)
