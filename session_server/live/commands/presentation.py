"""Showing a document page on every tablet that follows the chair (doc.show, doc.page), and who may present."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from session_server.db.models import Classification, Document, Member
from session_server.errors import invalid, not_found
from session_server.live.dispatcher import CommandContext
from session_server.live.guards import require_running
from session_server.live.registry import NoPayload, Payload, command


class Show(Payload):
    document_id: int = Field(ge=1)
    page: int = Field(1, ge=1)


class Page(Payload):
    page: int = Field(ge=1)


class Presenter(Payload):
    member_id: int | None = Field(None, ge=1)


def _public_part(shown: dict[str, Any] | None) -> dict[str, Any] | None:
    if shown and shown.get("classification") == Classification.PUBLIC.value:
        return {k: shown[k] for k in ("document_id", "title", "version", "page", "page_count")}
    return None


def _set(ctx: CommandContext, event_type: str, shown: dict[str, Any] | None) -> None:
    presenter = (ctx.state.get("presentation") or {}).get("presenter_member_id")
    if shown is not None:
        shown = {**shown, "presenter_member_id": presenter}
    elif presenter is not None:
        shown = {"document_id": None, "presenter_member_id": presenter}
    ctx.state["presentation"] = shown
    public = _public_part(shown)
    ctx.record(event_type, dict(shown or {}), changed=("presentation",), public_data=public or {})


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
    _set(ctx, "doc.shown", shown)


@command("doc.page", Page)
async def page(ctx: CommandContext, payload: Page) -> None:
    require_running(ctx.session)
    shown = ctx.state.get("presentation") or {}
    if not shown.get("document_id"):
        raise invalid("Chưa trình chiếu tài liệu nào.", "No document is being shown.")
    _check_page(payload.page, shown["page_count"])
    _set(ctx, "doc.page", {**shown, "page": payload.page})


@command("doc.hide")
async def hide(ctx: CommandContext, _payload: NoPayload) -> None:
    _set(ctx, "doc.hidden", None)


@command("doc.presenter", Presenter)
async def presenter(ctx: CommandContext, payload: Presenter) -> None:
    if payload.member_id is not None:
        member = await ctx.db.get(Member, payload.member_id)
        if member is None or member.council_id != ctx.session.council_id:
            raise not_found("Không có đại biểu này trong hội đồng.", "No such member in this council.")
    shown = dict(ctx.state.get("presentation") or {})
    shown["presenter_member_id"] = payload.member_id
    ctx.state["presentation"] = shown
    ctx.record("doc.presenter", {"member_id": payload.member_id}, changed=("presentation",))
