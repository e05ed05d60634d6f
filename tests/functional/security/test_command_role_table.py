"""The live commands' role table, one test per cell, generated from the command registry.

Every registered Socket.IO command is sent by a chair, a staff member, a delegate, the presenter and an outsider,
over real Socket.IO connections to one live session (an anonymous client cannot open /live at all:
tests/functional/api/test_socketio_connect.py). Who may send what is written here independently of
`session_server.auth.roles`, so widening a row of the app's table fails a cell; a new command without a policy row
or a sample payload here fails its cells with a message saying what to add.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from sqlalchemy import select

import session_server.live.commands  # noqa: F401 - registers the commands
from session_server.app import create_app
from session_server.auth.roles import COMMAND_CAPACITIES
from session_server.db.models import SpeakerRequest
from session_server.live.registry import COMMANDS, command
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import LiveWorld, make_document, make_live_world, make_motion
from tests.live_clients import LiveClient, connect

IN_THE_HALL = pytest.mark.asyncio(loop_scope="module")

RUNS = frozenset({"chair", "staff"})
SHOWS = RUNS | {"presenter"}
DELEGATE = frozenset({"delegate"})
NOBODY = frozenset[str]()

# The policy (DESIGN.md §1, §5): which capacities in a session let a user send a command. The chair and staff run
# the sitting; the presenter only turns the pages of what is shown; a delegate acts only for themself; the stream's
# status comes from HopSo itself and from no user.
WHO_MAY: dict[str, frozenset[str]] = {
    "session.open": RUNS,
    "session.pause": RUNS,
    "session.resume": RUNS,
    "session.close": RUNS,
    "checkin": DELEGATE,
    "attendance.mark": RUNS,
    "attendance.mark_checked_in": RUNS,
    "attendance.undo": RUNS,
    "agenda.goto": RUNS,
    "doc.show": SHOWS,
    "doc.page": SHOWS,
    "doc.hide": SHOWS,
    "doc.presenter": RUNS,
    "speakers.request": DELEGATE,
    "speakers.withdraw": DELEGATE,
    "speakers.add": RUNS,
    "speakers.grant": RUNS,
    "speakers.end": RUNS,
    "speakers.extend": RUNS,
    "speakers.reorder": RUNS,
    "speakers.remove": RUNS,
    "motion.add": RUNS,
    "vote.open": RUNS,
    "vote.cast": DELEGATE,
    "vote.close": RUNS,
    "stream.status": NOBODY,
}

# What each caller is in the session; the chair and the presenter are delegates too.
PERSONAS: dict[str, frozenset[str]] = {
    "chair": frozenset({"chair", "delegate"}),
    "staff": frozenset({"staff"}),
    "delegate": frozenset({"delegate"}),
    "presenter": frozenset({"delegate", "presenter"}),
    "outsider": frozenset(),
}


@dataclass
class Hall:
    live: LiveWorld
    document_id: int
    motion_id: int
    request_id: int
    clients: dict[str, LiveClient]
    joins: dict[str, dict[str, Any]]

    @property
    def presenter_member_id(self) -> int:
        return self.live.members[3].id


# A payload that passes each command's schema: the capacity check comes after it, so a refusal must be for the role.
SAMPLES: dict[str, Callable[[Hall], dict[str, Any]]] = {
    "attendance.mark": lambda h: {"member_id": h.live.members[4].id, "status": "present"},
    "attendance.undo": lambda h: {"member_id": h.live.members[4].id},
    "agenda.goto": lambda h: {"item_id": h.live.agenda_ids[1]},
    "doc.show": lambda h: {"document_id": h.document_id, "page": 1},
    "doc.page": lambda h: {"page": 2},
    "doc.presenter": lambda h: {"member_id": h.presenter_member_id},
    "speakers.request": lambda h: {"kind": "discussion"},
    "speakers.add": lambda h: {"member_id": h.live.members[4].id, "kind": "question"},
    "speakers.grant": lambda h: {"request_id": h.request_id},
    "speakers.extend": lambda h: {"seconds": 60},
    "speakers.reorder": lambda h: {"request_id": h.request_id, "position": 1},
    "speakers.remove": lambda h: {"request_id": h.request_id},
    "motion.add": lambda h: {"title": "Kéo dài thời gian thảo luận", "agenda_item_id": h.live.agenda_ids[1]},
    "vote.open": lambda h: {"motion_id": h.motion_id},
    "vote.cast": lambda h: {"motion_id": h.motion_id, "choice": "yes"},
    "vote.close": lambda h: {"motion_id": h.motion_id},
    "stream.status": lambda h: {"status": "waiting"},
}


def _payload(name: str, hall: Hall) -> dict[str, Any]:
    fields = COMMANDS[name].payload.model_fields
    if name in SAMPLES:
        return SAMPLES[name](hall)
    if any(field.is_required() for field in fields.values()):
        pytest.fail(f"command {name} takes a payload: add a valid sample to SAMPLES in {__name__}")
    return {}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def hall(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Hall]:
    folder = tmp_path_factory.mktemp("command-roles")
    shutil.copy(sqlite_template, folder / "hopso.sqlite3")
    app = create_app(make_settings(folder, f"sqlite+aiosqlite:///{folder / 'hopso.sqlite3'}"))
    server = TestServer(app)
    await server.start_server()
    sessionmaker = services_of(app).sessionmaker
    live = await make_live_world(sessionmaker)
    document_id = await make_document(sessionmaker, live.session_id)
    motion_id = await make_motion(sessionmaker, live.agenda_ids[2])
    url = str(server.make_url("/"))
    accounts = {
        "chair": live.chair,
        "staff": live.secretary,
        "delegate": live.delegates[2],
        "presenter": live.delegates[3],
        "outsider": live.outsider,
    }
    clients: dict[str, LiveClient] = {}
    joins: dict[str, dict[str, Any]] = {}
    try:
        clients["chair"] = await connect(url, token=live.chair.token)
        await clients["chair"].join(live.session_id)
        await clients["chair"].ok("session.open")
        await clients["chair"].ok("doc.presenter", {"member_id": live.members[3].id})
        asker = await connect(url, token=live.delegates[4].token)
        await asker.join(live.session_id)
        await asker.ok("checkin")
        await asker.ok("speakers.request", {"kind": "discussion"})
        await asker.close()
        async with sessionmaker() as db:
            request_id = await db.scalar(select(SpeakerRequest.id).where(SpeakerRequest.session_id == live.session_id))
        assert request_id is not None
        for persona, account in accounts.items():
            if persona not in clients:
                clients[persona] = await connect(url, token=account.token)
            joins[persona] = await clients[persona].join(live.session_id)
        yield Hall(live, document_id, motion_id, request_id, clients, joins)
    finally:
        for client in clients.values():
            await client.close()
        await server.close()


@IN_THE_HALL
@pytest.mark.parametrize("persona", sorted(PERSONAS))
async def test_each_caller_joins_with_the_capacities_the_table_assumes(hall: Hall, persona: str) -> None:
    answer = hall.joins[persona]
    if not PERSONAS[persona]:
        assert answer["error"]["code"] == "forbidden", answer
        return
    assert answer["ok"], answer
    assert set(answer["me"]["capacities"]) == PERSONAS[persona]


@IN_THE_HALL
@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("name", sorted(COMMANDS))
async def test_command_cell(hall: Hall, name: str, persona: str) -> None:
    if name not in WHO_MAY:
        pytest.fail(f"command {name} has no policy row: add who may send it to WHO_MAY in {__name__}")
    answer = await hall.clients[persona].send(name, _payload(name, hall))

    if not PERSONAS[persona]:
        assert answer["error"]["code"] == "not_joined", answer
    elif PERSONAS[persona] & WHO_MAY[name]:
        assert answer.get("ok") or answer["error"]["code"] != "forbidden", f"{persona} was refused {name}: {answer}"
    else:
        assert answer["error"] == {"code": "forbidden", "message": answer["error"]["message"]}, answer
        assert answer["error"]["message"] == "Bạn không có quyền thực hiện thao tác này."


def test_the_app_table_and_the_registry_name_the_same_commands() -> None:
    assert set(COMMAND_CAPACITIES) == set(COMMANDS)


def test_a_command_without_a_role_table_row_cannot_be_registered() -> None:
    with pytest.raises(KeyError, match="no row in the role table"):
        command("agenda.teleport")
