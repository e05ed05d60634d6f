"""Petitions in and out: the compilation workbook's import (preview with a column mapping, then all rows or none),
the XLSX export, statistics, and a voter's personal data exported or erased on request (Decree 13/2023/NĐ-CP)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import secrets
import time
from pathlib import Path

from aiohttp import web
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param, read_body
from session_server.auth.roles import Permission
from session_server.db.models import Council, utcnow
from session_server.documents.upload import display_name
from session_server.errors import invalid, not_found
from session_server.petitions import duplicates, export, importing, present, service, stats, workbook
from session_server.petitions.access import council_of
from session_server.petitions.models import (
    Petition,
    PetitionImport,
    PetitionVoter,
    Submission,
)
from session_server.petitions.schemas import (
    DuplicateGroup,
    ErasedOut,
    ImportColumn,
    ImportIn,
    ImportPreview,
    ImportResult,
    StatsOut,
    VoterDataIn,
    VoterDataOut,
    VoterRecord,
)
from session_server.petitions.search import ListQuery, conditions, matching
from session_server.text import fold

IMPORT_LIFETIME = 24 * 3600
DUPLICATE_CHECKS = 300
EXPORT_ROWS = 200_000


def _imports(data_dir: Path) -> Path:
    folder = data_dir / "petitions" / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old(folder: Path) -> None:
    cutoff = time.time() - IMPORT_LIFETIME
    for path in folder.iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep(folder: Path, token: str, sheet: workbook.Sheet, meta: dict[str, object]) -> None:
    _forget_old(folder)
    (folder / f"{token}.sheet.json").write_text(sheet.dumps())
    (folder / f"{token}.json").write_text(json.dumps(meta))


def _kept(folder: Path, token: str) -> tuple[workbook.Sheet, dict[str, object]]:
    try:
        sheet = workbook.Sheet.loads((folder / f"{token}.sheet.json").read_text())
        return sheet, json.loads((folder / f"{token}.json").read_text())
    except FileNotFoundError as exc:
        raise not_found(
            "Không còn bản xem trước này (quá 24 giờ hoặc đã nhập); hãy tải bảng tính lên lại.",
            "This preview is gone (older than 24 hours, or already imported); upload the workbook again.",
        ) from exc


def _drop(folder: Path, token: str) -> None:
    for suffix in (".sheet.json", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


@api.route(
    "POST",
    "/api/councils/{council_id}/petitions/import/preview",
    permission=Permission.PETITION_WRITE,
    response=ImportPreview,
    raw_body=export.XLSX,
    summary="Read a compilation workbook (.xlsx; ?file_name= for display): the header row found, each column's "
    "guessed meaning, the first rows and how many there are; nothing is stored as petitions yet",
)
async def preview_import(ctx: Context) -> ImportPreview:
    data = await read_body(ctx.request, ctx.settings.max_upload_bytes)
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
    if not data:
        raise invalid("Chưa có tệp bảng tính.", "No workbook was sent.")
    sheet, found = await asyncio.to_thread(workbook.open_sheet, data, ctx.settings.petition_import_max_rows)
    token = secrets.token_hex(16)
    file_name = display_name(ctx.request.query.get("file_name", "")) or "bang-tong-hop.xlsx"
    meta = {"council_id": council.id, "file_name": file_name, "sha256": hashlib.sha256(data).hexdigest()}
    await asyncio.to_thread(_keep, _imports(ctx.settings.data_dir), token, sheet, meta)
    return ImportPreview(
        token=token,
        file_name=file_name,
        sheet=found.sheet,
        header_row=found.header_row,
        columns=[
            ImportColumn(letter=letter, header=header, target=found.guess[letter])
            for letter, header in found.headers.items()
        ],
        targets=list(workbook.TARGETS),
        sample=found.sample,
        rows=found.rows,
    )


def _read(sheet: workbook.Sheet, mapping: dict[str, str], max_rows: int) -> list[workbook.Row]:
    found = workbook.layout(sheet)
    assert found is not None, "the preview found this sheet's layout"
    return workbook.read(sheet, found, mapping, max_rows)


@api.route(
    "POST",
    "/api/councils/{council_id}/petitions/import",
    permission=Permission.PETITION_WRITE,
    body=ImportIn,
    response=ImportResult,
    status=201,
    summary="Import the previewed workbook with the secretary's column mapping: every row, or none and the bad rows "
    "by line",
)
async def run_import(ctx: Context, body: ImportIn) -> ImportResult:
    assert ctx.user is not None
    folder = _imports(ctx.settings.data_dir)
    sheet, meta = await asyncio.to_thread(_kept, folder, body.token)
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        if meta.get("council_id") != council.id:
            raise not_found("Không có bản xem trước này.", "No such preview.")
        await service.check_meeting(db, body.meeting_id, council.id)
    rows = await asyncio.to_thread(_read, sheet, body.mapping, ctx.settings.petition_import_max_rows)
    if not rows:
        raise invalid("Bảng tính không có dòng kiến nghị nào.", "The workbook has no petition rows.")
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, council.id)
        batch = PetitionImport(
            council_id=council.id,
            file_name=str(meta["file_name"]),
            sha256=str(meta["sha256"]),
            rows=0,
            created_by_user_id=ctx.user.id,
        )
        created = await importing.store(db, council, rows, batch, ctx.user, body.channel, body.term, body.meeting_id)
        await db.commit()
    await asyncio.to_thread(_drop, folder, body.token)
    return ImportResult(import_id=batch.id, created=created)


@api.route(
    "GET",
    "/api/petition-imports/{import_id}/duplicates",
    permission=Permission.PETITION_READ,
    response=list[DuplicateGroup],
    summary="Likely duplicates among and against the petitions of one import (its first 300), for a person to merge",
)
async def import_duplicates(ctx: Context) -> list[DuplicateGroup]:
    async with ctx.sessionmaker() as db:
        batch = await db.get(PetitionImport, int_param(ctx, "import_id"))
        if batch is None:
            raise not_found("Không có lần nhập này.", "No such import.")
        ctx.require_council(batch.council_id)
        imported = list(
            await db.scalars(
                select(Petition)
                .where(Petition.import_id == batch.id, Petition.merged_into_id.is_(None))
                .order_by(Petition.id)
                .limit(DUPLICATE_CHECKS)
            )
        )
        groups: list[DuplicateGroup] = []
        grouped: set[int] = set()
        for petition in imported:
            if petition.id in grouped:
                continue
            found = await duplicates.suggest(db, batch.council_id, petition.content, {petition.id} | grouped)
            if found:
                grouped |= {petition.id, *(s.petition.id for s in found)}
                groups.append(
                    DuplicateGroup(
                        petition=present.duplicate(duplicates.Suggestion(petition, 100.0)),
                        candidates=[present.duplicate(s) for s in found],
                    )
                )
        return groups


async def _council_rows(db: AsyncSession, council: Council, query: ListQuery) -> list[Petition]:
    where = conditions(query, council.id, service.today(council.timezone))
    statement = select(Petition).where(*where).order_by(Petition.field, Petition.id).limit(EXPORT_ROWS)
    if query.words:
        statement = matching(db.bind.dialect.name, statement, query.words)
    return list(await db.scalars(statement))


def xlsx_response(data: bytes, name: str) -> web.Response:
    return web.Response(
        body=data,
        content_type=export.XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions/export.xlsx",
    permission=Permission.PETITION_READ,
    summary="The compiled petitions (the list's filters apply) as an XLSX workbook, without voters' personal data",
)
async def export_petitions(ctx: Context) -> web.Response:
    query = ListQuery.of(dict(ctx.request.query))
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        today = service.today(council.timezone)
        rows = await present.rows(db, await _council_rows(db, council, query), today)
    data = await asyncio.to_thread(export.petitions_workbook, council.name, query.term or council.term, today, rows)
    return xlsx_response(data, f"tong-hop-kien-nghi-{today.isoformat()}.xlsx")


async def _stats(ctx: Context) -> tuple[Council, StatsOut]:
    term = ctx.request.query.get("term", "")[:100]
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        return council, await stats.figures(db, council.id, term, service.today(council.timezone))


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions/stats",
    permission=Permission.PETITION_READ,
    response=StatsOut,
    summary="Petitions by field, agency, level, status and term, with answered and overdue counts (?term=)",
)
async def petition_stats(ctx: Context) -> StatsOut:
    return (await _stats(ctx))[1]


@api.route(
    "GET",
    "/api/councils/{council_id}/petitions/stats.xlsx",
    permission=Permission.PETITION_READ,
    summary="The same figures as an XLSX table",
)
async def petition_stats_xlsx(ctx: Context) -> web.Response:
    council, figures = await _stats(ctx)
    data = await asyncio.to_thread(export.stats_workbook, council.name, figures)
    return xlsx_response(data, "thong-ke-kien-nghi.xlsx")


def _person(body: VoterDataIn) -> tuple[str, str]:
    return fold(body.full_name).strip(), body.contact.strip()


async def _records(
    db: AsyncSession, council_id: int, body: VoterDataIn
) -> tuple[list[PetitionVoter], list[Submission]]:
    name, contact = _person(body)
    voters = select(PetitionVoter).join(Petition, Petition.id == PetitionVoter.petition_id)
    voters = voters.where(Petition.council_id == council_id, PetitionVoter.folded_name == name)
    submissions = select(Submission).where(Submission.council_id == council_id, Submission.erased_at.is_(None))
    if contact:
        voters = voters.where(PetitionVoter.contact == contact)
        submissions = submissions.where(Submission.contact == contact)
    found_submissions = [
        s for s in await db.scalars(submissions.order_by(Submission.id)) if fold(s.full_name).strip() == name
    ]
    return list(await db.scalars(voters.order_by(PetitionVoter.id))), found_submissions


@api.route(
    "POST",
    "/api/councils/{council_id}/voter-data/export",
    permission=Permission.PETITION_WRITE,
    body=VoterDataIn,
    response=VoterDataOut,
    summary="Everything held about one voter (name, and contact if given), for an access request",
)
async def export_voter_data(ctx: Context, body: VoterDataIn) -> VoterDataOut:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        voters, submissions = await _records(db, council.id, body)
        contents = {
            p.id: p.content
            for p in await db.scalars(select(Petition).where(Petition.id.in_({v.petition_id for v in voters})))
        }
        records = [
            VoterRecord(
                kind="petition_voter",
                id=v.id,
                petition_id=v.petition_id,
                full_name=v.full_name,
                address=v.address,
                contact=v.contact,
                content=contents.get(v.petition_id, ""),
                created_at=None,
            )
            for v in voters
        ] + [
            VoterRecord(
                kind="online_submission",
                id=s.id,
                petition_id=s.petition_id,
                full_name=s.full_name,
                address=s.locality,
                contact=s.contact,
                content=s.content,
                created_at=s.created_at,
            )
            for s in submissions
        ]
        return VoterDataOut(full_name=body.full_name, contact=body.contact, records=records)


@api.route(
    "POST",
    "/api/councils/{council_id}/voter-data/erase",
    permission=Permission.PETITION_WRITE,
    body=VoterDataIn,
    response=ErasedOut,
    summary="Erase one voter's name, address and contact everywhere (the petitions themselves stay)",
)
async def erase_voter_data(ctx: Context, body: VoterDataIn) -> ErasedOut:
    async with ctx.sessionmaker() as db:
        council = await council_of(ctx, db, int_param(ctx, "council_id"))
        voters, submissions = await _records(db, council.id, body)
        now = utcnow()
        if voters:
            await db.execute(
                update(PetitionVoter)
                .where(PetitionVoter.id.in_([v.id for v in voters]))
                .values(full_name="", folded_name="", address="", contact="", erased_at=now)
            )
            for petition_id in sorted({v.petition_id for v in voters}):
                service.log(db, petition_id, "voter_erased", ctx.user)
        if submissions:
            await db.execute(
                update(Submission)
                .where(or_(*(Submission.id == s.id for s in submissions)))
                .values(full_name="", contact="", erased_at=now)
            )
        await db.commit()
        return ErasedOut(erased=len(voters) + len(submissions))
