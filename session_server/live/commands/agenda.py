"""Moving through the agenda (chương trình kỳ họp)."""

from __future__ import annotations

from pydantic import Field

from session_server.db.models import AgendaItem
from session_server.errors import not_found
from session_server.live.dispatcher import CommandContext
from session_server.live.guards import require_running
from session_server.live.registry import Payload, command


class GoTo(Payload):
    item_id: int = Field(ge=1)


@command("agenda.goto", GoTo)
async def goto(ctx: CommandContext, payload: GoTo) -> None:
    require_running(ctx.session)
    item = await ctx.db.get(AgendaItem, payload.item_id)
    if item is None or item.session_id != ctx.session.id:
        raise not_found("Không có mục này trong chương trình.", "No such agenda item in this session.")
    ctx.state["agenda"] = {**(ctx.state.get("agenda") or {}), "current_item_id": item.id}
    data = {"item_id": item.id, "position": item.position, "title": item.title}
    ctx.record("agenda.current", data, changed=("agenda",), public=True)
