"""A secretary works within their own council only; an admin (province IT) works on every council."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from session_server.db.models import Council, CouncilSession, Member, User
from session_server.services import services_of
from tests.factories import Account, World, make_member
from tests.functional.api.checks import count, error_of

OWN_COUNCIL_ONLY = "Bạn chỉ làm việc được với hội đồng nhân dân của mình."


@dataclass
class Elsewhere:
    """What the second council holds: a member and a session."""

    member_id: int
    session_id: int


@dataclass
class Call:
    method: str
    path: str
    json: dict[str, Any] | None = None
    csv: str | None = None

    async def send(self, client: TestClient, account: Account) -> ClientResponse:
        if self.csv is not None:
            headers = {**account.headers, "Content-Type": "text/csv"}
            return await client.request(self.method, self.path, data=self.csv.encode(), headers=headers)
        return await client.request(self.method, self.path, json=self.json, headers=account.headers)


@pytest.fixture
async def elsewhere(sqlite_client: TestClient, sqlite_world: World) -> Elsewhere:
    async with services_of(sqlite_client.app).sessionmaker() as db:
        member = await make_member(db, sqlite_world.other_council, "PB01", "Đinh Công Bên")
        session = CouncilSession(council_id=sqlite_world.other_council.id, title="Phiên họp chuyên đề")
        db.add(session)
        await db.commit()
        return Elsewhere(member.id, session.id)


def _calls_on_the_other_council(sqlite_world: World, elsewhere: Elsewhere) -> list[Call]:
    other = sqlite_world.other_council.id
    return [
        Call("GET", f"/api/councils/{other}"),
        Call("PATCH", f"/api/councils/{other}", json={"name": "Bị sửa trái phép"}),
        Call("GET", f"/api/councils/{other}/members"),
        Call("POST", f"/api/councils/{other}/members", json={"code": "X01", "full_name": "Người Lạ"}),
        Call("PATCH", f"/api/members/{elsewhere.member_id}", json={"full_name": "Bị sửa trái phép"}),
        Call("POST", f"/api/councils/{other}/members/import", csv="mã,họ và tên\nX02,Người Lạ Hai\n"),
        Call("GET", f"/api/councils/{other}/sessions"),
        Call("GET", f"/api/sessions/{elsewhere.session_id}"),
    ]


async def test_a_secretary_cannot_read_or_edit_another_council_or_its_members(
    sqlite_client: TestClient, sqlite_world: World, elsewhere: Elsewhere
) -> None:
    for call in _calls_on_the_other_council(sqlite_world, elsewhere):
        error = await error_of(await call.send(sqlite_client, sqlite_world.secretary), 403, "forbidden")
        assert error["message"] == OWN_COUNCIL_ONLY, f"{call.method} {call.path}"

    async with services_of(sqlite_client.app).sessionmaker() as db:
        other = await db.get(Council, sqlite_world.other_council.id)
        member = await db.get(Member, elsewhere.member_id)
        assert other is not None and other.name == "Hội đồng nhân dân phường Bên Cạnh"
        assert member is not None and member.full_name == "Đinh Công Bên"
    assert await count(sqlite_client, Member, Member.council_id == sqlite_world.other_council.id) == 1


async def test_an_admin_reads_and_edits_any_council_and_its_members(
    sqlite_client: TestClient, sqlite_world: World, elsewhere: Elsewhere
) -> None:
    for call in _calls_on_the_other_council(sqlite_world, elsewhere):
        response = await call.send(sqlite_client, sqlite_world.admin)
        assert response.status in (200, 201), f"{call.method} {call.path}: {await response.text()}"

    assert await count(sqlite_client, Member, Member.council_id == sqlite_world.other_council.id) == 3


async def test_a_delegate_cannot_read_a_session_of_another_council(
    sqlite_client: TestClient, sqlite_world: World, elsewhere: Elsewhere
) -> None:
    response = await sqlite_client.get(f"/api/sessions/{elsewhere.session_id}", headers=sqlite_world.delegate.headers)
    error = await error_of(response, 403, "forbidden")
    assert error["message"] == OWN_COUNCIL_ONLY


async def test_a_secretary_lists_only_their_own_council_and_its_accounts(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    councils = await (await sqlite_client.get("/api/councils", headers=sqlite_world.secretary.headers)).json()
    assert [c["id"] for c in councils] == [sqlite_world.council.id]

    users = await (await sqlite_client.get("/api/users", headers=sqlite_world.secretary.headers)).json()
    assert {u["username"] for u in users} == {"thuky", "daibieu"}
    assert await count(sqlite_client, User) == 4


async def test_an_admin_lists_every_council(sqlite_client: TestClient, sqlite_world: World) -> None:
    councils = await (await sqlite_client.get("/api/councils", headers=sqlite_world.admin.headers)).json()
    assert {c["id"] for c in councils} == {sqlite_world.council.id, sqlite_world.other_council.id}
