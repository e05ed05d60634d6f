"""Showing a document page on every tablet that follows the chair (doc.show, doc.page), and who may present."""

from __future__ import annotations

from typing import Any

from session_server.db.models import Document, Member
from session_server.errors import invalid, not_found
from session_server.inputs import Id
from session_server.live.context import CommandContext
from session_server.live.events import DocHidden, DocPage, DocPresenter, DocShown, Presentation
from session_server.live.guards import require_running
from session_server.live.registry import NoPayload, Payload, command


class Show(Payload):
    document_id: Id
    page: Id = 1


class Page(Payload):
    page: Id


class Presenter(Payload):
    member_id: Id | None = None


def _set(ctx: CommandContext, event: type[Presentation], shown: dict[str, Any] | None) -> None:
    presenter = (ctx.state.get("presentation") or {}).get("presenter_member_id")
    if shown is not None:
        shown = {**shown, "presenter_member_id": presenter}
    elif presenter is not None:
        shown = {"document_id": None, "presenter_member_id": presenter}
    ctx.state["presentation"] = shown
    ctx.record(event(**(shown or {})))


def _check_page(page: int, page_count: int) -> None:
    if page > page_count:
        raise invalid(f"Tài liệu chỉ có {page_count} trang.", f"The document has only {page_count} pages.")


@command("doc.show", Show)
async def show(ctx: CommandContext, payload: Show) -> None:
    require_running(ctx.session)
    document = await ctx.db.get(Document, payload.document_id)
    if document is None or document.session_id != ctx.session.id or document.deleted_at is not None:
        raise not_found("Không có tài liệu này trong kỳ họp.", "No such document in this session.")
    _check_page(payload.page, document.page_count)
    shown = {
        "document_id": document.id,
        "title": document.title,
        "classification": document.classification.value,
        "version": document.version,
        "page": payload.page,
        "page_count": document.page_count,
    }
    _set(ctx, DocShown, shown)


@command("doc.page", Page)
async def page(ctx: CommandContext, payload: Page) -> None:
    require_running(ctx.session)
    shown = ctx.state.get("presentation") or {}
    if not shown.get("document_id"):
        raise invalid("Chưa trình chiếu tài liệu nào.", "No document is being shown.")
    _check_page(payload.page, shown["page_count"])
    _set(ctx, DocPage, {**shown, "page": payload.page})


@command("doc.hide")
async def hide(ctx: CommandContext, _payload: NoPayload) -> None:
    _set(ctx, DocHidden, None)


@command("doc.presenter", Presenter)
async def presenter(ctx: CommandContext, payload: Presenter) -> None:
    if payload.member_id is not None:
        member = await ctx.db.get(Member, payload.member_id)
        if member is None or member.council_id != ctx.session.council_id:
            raise not_found("Không có đại biểu này trong hội đồng.", "No such member in this council.")
    shown = dict(ctx.state.get("presentation") or {})
    shown["presenter_member_id"] = payload.member_id
    ctx.state["presentation"] = shown
    ctx.record(DocPresenter(member_id=payload.member_id))
