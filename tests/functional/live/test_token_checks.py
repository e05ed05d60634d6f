"""A connection's token is checked again while it stays connected: the account it signs in comes back as it was
while nothing about it changes, a changed account is read again, a revoked token signs nobody in."""

from __future__ import annotations

import asyncio

from aiohttp.test_utils import TestClient
from sqlalchemy import update

from session_server.auth import tokens
from session_server.db.models import Role, User
from session_server.realtime.token_checks import TokenChecks
from session_server.services import services_of
from tests.factories import World


async def test_a_connections_account_is_kept_while_unchanged_read_again_when_changed_and_gone_when_revoked(
    client: TestClient, world: World
) -> None:
    sessionmaker = services_of(client.app).sessionmaker
    checks = TokenChecks(sessionmaker)
    token = world.delegate.token

    first = await checks.user_for(token)
    assert first is not None and first.id == world.delegate.user.id
    assert await checks.user_for(token, first) is first

    async with sessionmaker() as db:
        await db.execute(update(User).where(User.id == first.id).values(display_name="Nguyễn Văn Mới"))
        await db.commit()
    renamed = await checks.user_for(token, first)
    assert renamed is not None and renamed is not first and renamed.display_name == "Nguyễn Văn Mới"

    async with sessionmaker() as db:
        await tokens.revoke(db, token)
        await db.commit()
    assert await checks.user_for(token, renamed) is None


async def test_tokens_checked_together_each_get_their_own_account(client: TestClient, world: World) -> None:
    checks = TokenChecks(services_of(client.app).sessionmaker)
    accounts = [world.delegate, world.secretary, world.admin]

    found = await asyncio.gather(
        *(checks.user_for(account.token) for account in accounts), checks.user_for("no such token")
    )

    assert [user.id if user else None for user in found] == [a.user.id for a in accounts] + [None]
    assert [user.role for user in found[:3] if user] == [Role.DELEGATE, Role.SECRETARY, Role.ADMIN]
