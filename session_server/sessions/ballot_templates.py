"""A council's ballot templates: motion settings kept under a name for staff to start a motion from (the yearly
confidence poll's list of officials, an open vote with a one-minute countdown)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.auth.roles import Permission
from session_server.councils.schemas import BallotTemplateOut
from session_server.db.models import BallotTemplate, Council
from session_server.errors import conflict, not_found
from session_server.sessions.schemas import BallotTemplateIn


async def _saved(db: AsyncSession, template: BallotTemplate) -> BallotTemplateOut:
    """Commit the template; its name is unique within the council."""
    try:
        await db.commit()
    except IntegrityError:
        raise conflict(
            "Hội đồng đã có mẫu phiếu mang tên này.", "The council already has a template of that name."
        ) from None
    return BallotTemplateOut.model_validate(template)


async def _template(ctx: Context, db: AsyncSession, template_id: int) -> BallotTemplate:
    template = await db.get(BallotTemplate, template_id)
    if template is None:
        raise not_found("Không có mẫu phiếu này.", "No such ballot template.")
    ctx.require_council(template.council_id)
    return template


@api.route(
    "GET",
    "/api/councils/{council_id}/ballot-templates",
    permission=Permission.SESSION_WRITE,
    response=list[BallotTemplateOut],
    summary="The council's ballot templates, by name",
)
async def list_templates(ctx: Context) -> list[BallotTemplateOut]:
    council_id = int_param(ctx, "council_id")
    ctx.require_council(council_id)
    async with ctx.sessionmaker() as db:
        rows = await db.scalars(
            select(BallotTemplate).where(BallotTemplate.council_id == council_id).order_by(BallotTemplate.name)
        )
        return [BallotTemplateOut.model_validate(row) for row in rows]


@api.route(
    "POST",
    "/api/councils/{council_id}/ballot-templates",
    permission=Permission.SESSION_WRITE,
    body=BallotTemplateIn,
    response=BallotTemplateOut,
    status=201,
    summary="Keep motion settings as a named ballot template of the council",
)
async def create_template(ctx: Context, body: BallotTemplateIn) -> BallotTemplateOut:
    council_id = int_param(ctx, "council_id")
    ctx.require_council(council_id)
    fields = body.motion_fields()
    async with ctx.sessionmaker() as db:
        if await db.get(Council, council_id) is None:
            raise not_found("Không có hội đồng này.", "No such council.")
        template = BallotTemplate(council_id=council_id, name=body.name, **fields)
        db.add(template)
        return await _saved(db, template)


@api.route(
    "PUT",
    "/api/ballot-templates/{template_id}",
    permission=Permission.SESSION_WRITE,
    body=BallotTemplateIn,
    response=BallotTemplateOut,
    summary="Rewrite a ballot template (every field, as when making it)",
)
async def edit_template(ctx: Context, body: BallotTemplateIn) -> BallotTemplateOut:
    fields = body.motion_fields()
    async with ctx.sessionmaker() as db:
        template = await _template(ctx, db, int_param(ctx, "template_id"))
        for field, value in (fields | {"name": body.name}).items():
            setattr(template, field, value)
        return await _saved(db, template)


@api.route(
    "DELETE",
    "/api/ballot-templates/{template_id}",
    permission=Permission.SESSION_WRITE,
    summary="Remove a ballot template (motions made from it keep their settings)",
)
async def delete_template(ctx: Context) -> dict[str, bool]:
    async with ctx.sessionmaker() as db:
        await db.delete(await _template(ctx, db, int_param(ctx, "template_id")))
        await db.commit()
    return {"ok": True}
