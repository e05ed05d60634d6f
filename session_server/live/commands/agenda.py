"""Moving through the agenda (chương trình kỳ họp)."""

from __future__ import annotations

from session_server.db.models import AgendaItem
from session_server.errors import not_found
from session_server.inputs import Id
from session_server.live.context import CommandContext
from session_server.live.events import AgendaCurrent
from session_server.live.guards import require_running
from session_server.live.registry import Payload, command


class GoTo(Payload):
    item_id: Id


@command("agenda.goto", GoTo)
async def goto(ctx: CommandContext, payload: GoTo) -> None:
    require_running(ctx.session)
    item = await ctx.db.get(AgendaItem, payload.item_id)
    if item is None or item.session_id != ctx.session.id:
        raise not_found("Không có mục này trong chương trình.", "No such agenda item in this session.")
    ctx.state["agenda"] = {**(ctx.state.get("agenda") or {}), "current_item_id": item.id}
    ctx.record(AgendaCurrent(item_id=item.id, position=item.position, title=item.title))
