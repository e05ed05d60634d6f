"""The transcript for staff (review, corrections, publication as captions) and for the public (captions and a
search without diacritics whose hits say where in the video the words were spoken)."""

from __future__ import annotations

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from media.speech import captions_webvtt
from session_server.api.context import Context
from session_server.api.routing import api, int_param, json_response
from session_server.archive.job import archive_jobs_of
from session_server.archive.minutes import member_names
from session_server.archive.transcripts.schemas import (
    BlockOut,
    HitOut,
    SegmentEdit,
    SegmentOut,
    TranscriptOut,
)
from session_server.archive.transcripts.store import blocks_of, cues, matching, segments_of
from session_server.archive.views import session_of
from session_server.auth.roles import Permission
from session_server.db.models import (
    ArchiveStatus,
    CouncilSession,
    SessionArchive,
    SessionTranscript,
    SpeakerRequest,
    TranscriptSegment,
    TranscriptStatus,
    utcnow,
)
from session_server.errors import ApiError, conflict, not_found
from session_server.text import index_form

LOW_CONFIDENCE = 0.5
MAX_HITS = 200
PUBLIC_CACHE = "public, max-age=60"
VTT = "text/vtt"


async def _transcript_out(ctx: Context, db: AsyncSession, session: CouncilSession) -> TranscriptOut:
    row = await db.get(SessionTranscript, session.id, populate_existing=True)
    if row is None:
        status = TranscriptStatus.PENDING if ctx.settings.asr_model else TranscriptStatus.UNCONFIGURED
        row = SessionTranscript(session_id=session.id, status=status, total_ms=0, done_ms=0, error="")
    names = await member_names(db, session.council_id)
    rows = await db.execute(
        select(SpeakerRequest.id, SpeakerRequest.kind).where(SpeakerRequest.session_id == session.id)
    )
    kinds = {speech_id: kind.value for speech_id, kind in rows}
    blocks = [
        BlockOut(
            speech_id=block.speech_id,
            member_id=block.member_id,
            speaker=names.get(block.member_id, "") if block.member_id is not None else "",
            chair=block.chair,
            kind=kinds.get(block.speech_id) if block.speech_id is not None else None,
            start=block.segments[0].start_ms / 1000,
            end=block.segments[-1].end_ms / 1000,
            segments=[SegmentOut.of(segment) for segment in block.segments],
        )
        for block in blocks_of(await segments_of(db, session.id))
    ]
    done = row.status is TranscriptStatus.DONE
    return TranscriptOut(
        session_id=session.id,
        status=row.status.value,
        progress=1.0 if done else (row.done_ms / row.total_ms if row.total_ms else 0.0),
        error=row.error,
        language=row.language or ctx.settings.asr_language,
        low_confidence=LOW_CONFIDENCE,
        published_at=row.published_at,
        captions_url=f"/api/sessions/{session.id}/transcript/captions.vtt",
        blocks=blocks,
    )


@api.route(
    "GET",
    "/api/sessions/{session_id}/transcript",
    permission=Permission.TRANSCRIPT_REVIEW,
    response=TranscriptOut,
    summary="The session's transcript for review: progress, one block per speech with its segments, words and "
    "confidence, staff's corrections beside the machine's text",
)
async def get_transcript(ctx: Context) -> TranscriptOut:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        return await _transcript_out(ctx, db, session)


@api.route(
    "PATCH",
    "/api/sessions/{session_id}/transcript/segments/{segment_id}",
    permission=Permission.TRANSCRIPT_REVIEW,
    body=SegmentEdit,
    response=SegmentOut,
    summary="Correct a segment's text (the machine's text is kept beside it); null goes back to the machine's",
)
async def correct_segment(ctx: Context, body: SegmentEdit) -> SegmentOut:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        segment = await db.get(TranscriptSegment, int_param(ctx, "segment_id"))
        if segment is None or segment.session_id != session.id:
            raise not_found("Không có đoạn lời nói này.", "No such transcript segment.")
        text = " ".join(body.text.split()) if body.text is not None else None
        if text is None or text == segment.text:
            segment.corrected, segment.corrected_by_user_id, segment.corrected_at = None, None, None
        else:
            segment.corrected, segment.corrected_by_user_id, segment.corrected_at = text, ctx.user.id, utcnow()
        segment.folded = index_form(segment.current_text)
        await db.commit()
        return SegmentOut.of(segment)


@api.route(
    "POST",
    "/api/sessions/{session_id}/transcript/job",
    permission=Permission.TRANSCRIPT_REVIEW,
    response=TranscriptOut,
    status=202,
    summary="Start the transcript again where it stopped: after a failure, or once a speech model is set",
)
async def rerun_transcript(ctx: Context) -> TranscriptOut:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        archive = await db.get(SessionArchive, session.id)
        if archive is None or archive.status is not ArchiveStatus.DONE:
            raise conflict("Việc lưu trữ kỳ họp chưa xong.", "The session's archive job has not finished.")
        await archive_jobs_of(ctx.request.app).transcripts.again(session.id)
        return await _transcript_out(ctx, db, session)


async def _set_published(ctx: Context, publish: bool) -> TranscriptOut:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        row = await db.get(SessionTranscript, session.id)
        if publish and (row is None or row.status is not TranscriptStatus.DONE):
            raise conflict(
                "Bản ghi lời nói chưa xong, chưa công bố được.",
                "The transcript is not finished; it cannot be published.",
            )
        if row is not None:
            row.published_at = (row.published_at or utcnow()) if publish else None
            await db.commit()
        return await _transcript_out(ctx, db, session)


@api.route(
    "POST",
    "/api/sessions/{session_id}/transcript/publish",
    permission=Permission.ARCHIVE_PUBLISH,
    response=TranscriptOut,
    summary="Publish the transcript: captions on the public archive's video and the transcript search",
)
async def publish_transcript(ctx: Context) -> TranscriptOut:
    return await _set_published(ctx, True)


@api.route(
    "POST",
    "/api/sessions/{session_id}/transcript/withdraw",
    permission=Permission.ARCHIVE_PUBLISH,
    response=TranscriptOut,
    summary="Take the transcript off the public archive (captions and search) until it is published again",
)
async def withdraw_transcript(ctx: Context) -> TranscriptOut:
    return await _set_published(ctx, False)


def _vtt(text: str, cache: str) -> web.Response:
    return web.Response(text=text, content_type=VTT, charset="utf-8", headers={"Cache-Control": cache})


async def _captions(db: AsyncSession, session: CouncilSession, language: str) -> str:
    names = await member_names(db, session.council_id)
    return captions_webvtt(cues(await segments_of(db, session.id), names), language)


@api.route(
    "GET",
    "/api/sessions/{session_id}/transcript/captions.vtt",
    permission=Permission.TRANSCRIPT_REVIEW,
    summary="The transcript as WebVTT captions, corrections included, for the review's video",
)
async def staff_captions(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session = await session_of(ctx, db, int_param(ctx, "session_id"))
        return _vtt(await _captions(db, session, ctx.settings.asr_language), "private, no-cache")


def _not_published() -> ApiError:
    return not_found("Kỳ họp này chưa có bản ghi lời nói được công bố.", "This session has no published transcript.")


async def _published(db: AsyncSession, session_id: int) -> tuple[CouncilSession, SessionTranscript]:
    """A public session in the public archive whose transcript staff published."""
    session = await db.get(CouncilSession, session_id)
    archive = await db.get(SessionArchive, session_id)
    transcript = await db.get(SessionTranscript, session_id)
    if (
        session is None
        or not session.public
        or archive is None
        or archive.published_at is None
        or transcript is None
        or transcript.published_at is None
    ):
        raise _not_published()
    return session, transcript


@api.route(
    "GET",
    "/api/public/archive/{session_id}/captions.vtt",
    permission=Permission.PUBLIC,
    summary="A published session's captions (WebVTT, the session's language), once staff publish the transcript",
)
async def public_captions(ctx: Context) -> web.Response:
    async with ctx.sessionmaker() as db:
        session, transcript = await _published(db, int_param(ctx, "session_id"))
        return _vtt(await _captions(db, session, transcript.language or ctx.settings.asr_language), PUBLIC_CACHE)


@api.route(
    "GET",
    "/api/public/archive/{session_id}/transcript",
    permission=Permission.PUBLIC,
    response=list[HitOut],
    summary="A published transcript's segments; ?q= keeps those with every word, diacritics ignored (at most 200)",
)
async def public_transcript(ctx: Context) -> web.Response:
    query = ctx.request.query.get("q")
    async with ctx.sessionmaker() as db:
        session, _transcript = await _published(db, int_param(ctx, "session_id"))
        names = await member_names(db, session.council_id)
        segments = await segments_of(db, session.id)
    found = segments if query is None else matching(segments, query[:200])[:MAX_HITS]
    hits = [
        HitOut(
            start=segment.start_ms / 1000,
            end=segment.end_ms / 1000,
            speaker=names.get(segment.member_id, "") if segment.member_id is not None else "",
            text=segment.current_text,
        )
        for segment in found
    ]
    response = json_response(hits)
    response.headers["Cache-Control"] = PUBLIC_CACHE
    return response
