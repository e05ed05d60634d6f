"""A user's capacities in one session (delegate, chair, presenter, staff): what the role table's commands ask for."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from session_server.auth.roles import Capacity
from session_server.db.models import CouncilSession, Member, Role, User
from session_server.errors import ApiError, forbidden


async def capacities_of(db: AsyncSession, user: User, session: CouncilSession) -> frozenset[Capacity]:
    """The user's capacities in this session; refused (`not_in_session`) if the session is not theirs to see."""
    member = await db.get(Member, user.member_id) if user.member_id is not None else None
    capacities = capacities_for(user, member, session)
    if not capacities:
        raise not_in_session(member, session)
    return capacities


def capacities_for(user: User, member: Member | None, session: CouncilSession) -> frozenset[Capacity]:
    """The same, given the user's member record (None if they are not a member)."""
    if user.role is Role.ADMIN:
        return frozenset({Capacity.STAFF})
    if user.council_id != session.council_id:
        return frozenset()
    found: set[Capacity] = set()
    if user.role is Role.SECRETARY:
        found.add(Capacity.STAFF)
    if member is not None and member.council_id == session.council_id and member.in_office:
        found.add(Capacity.DELEGATE)
        if member.id == session.chair_member_id:
            found.add(Capacity.CHAIR)
        if member.id == session.secretary_member_id:
            found.add(Capacity.STAFF)
        presentation = (session.snapshot or {}).get("presentation") or {}
        if presentation.get("presenter_member_id") == member.id:
            found.add(Capacity.PRESENTER)
    return frozenset(found)


def not_in_session(member: Member | None, session: CouncilSession) -> ApiError:
    """Why a user has no capacity in a session: a delegate of its council no longer in office, or another council."""
    if member is not None and member.council_id == session.council_id and not member.in_office:
        return forbidden(
            "Bạn không còn là đại biểu đương nhiệm của hội đồng này.",
            "You are no longer a delegate in office of this council.",
        )
    return forbidden("Kỳ họp này không thuộc hội đồng của bạn.", "This session is not in your council.")
