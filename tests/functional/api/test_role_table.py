"""The role table, one test per cell, generated from the route table: a new route is covered the day it is declared.

Who may do what is written here independently of `session_server.auth.roles`, so a change to the app's table that
widens a permission fails a cell instead of passing silently. A new route whose path parameter, body model or raw
media type has no sample here fails its cells with a message saying what to add.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from pydantic import BaseModel

import session_server.app  # noqa: F401 - importing the app registers every view module's routes
from session_server.api.routing import Route, api
from session_server.archive.schemas import ExternalFinish, ExternalPrepare, MinutesEdit, MinutesReopen, TokenSign
from session_server.archive.transcripts.schemas import SegmentEdit
from session_server.auth import tokens
from session_server.auth.roles import Permission
from session_server.auth.schemas import DeviceTokenIn, PasswordChangeIn, PasswordResetIn, UserIn
from session_server.councils.schemas import CouncilIn, CouncilPatch, MemberIn, MemberPatch
from session_server.db.models import AgendaItem, Council, CouncilSession, Role
from session_server.documents.schemas import DocumentPatch, NoteIn, NotePatch
from session_server.petitions import service as petitions
from session_server.petitions.export import XLSX
from session_server.petitions.models import Agency, Attachment, PetitionImport, Submission, VoterMeeting
from session_server.petitions.schemas import (
    AgencyAccountIn,
    AgencyIn,
    AgencyPatch,
    AnswerIn,
    ClassifyIn,
    DuplicateQuery,
    ForwardIn,
    ImportIn,
    MeetingIn,
    MergeIn,
    PetitionIds,
    PetitionIn,
    PetitionPatch,
    PublishIn,
    RatingIn,
    ReasonIn,
    SubmissionDecision,
    VoterDataIn,
    VoterIn,
)
from session_server.services import services_of
from session_server.sessions.schemas import (
    AgendaItemIn,
    AgendaItemPatch,
    BallotTemplateIn,
    MotionIn,
    SessionIn,
    SessionPatch,
)
from session_server.streams.schemas import RelayIn, StreamKeyIn
from tests.factories import PASSWORD, Account, World, make_agency, make_member
from tests.functional.api.checks import error_of
from tests.pdfs import pdf_bytes
from tests.workbooks import compilation

ANONYMOUS = "anonymous"
STAFF = frozenset({Role.ADMIN, Role.SECRETARY})
EVERYONE_SIGNED_IN = frozenset(Role)
# The council's own people; an agency that answers petitions is not one of them.
COUNCIL = frozenset({Role.ADMIN, Role.SECRETARY, Role.DELEGATE})

# The policy (DESIGN.md §1, §10): which roles a permission lets in. Anonymous callers are let into none of these.
WHO_MAY: dict[Permission, frozenset[Role]] = {
    Permission.SIGNED_IN: EVERYONE_SIGNED_IN,
    Permission.COUNCIL_READ: COUNCIL,
    Permission.COUNCIL_CREATE: frozenset({Role.ADMIN}),
    Permission.COUNCIL_EDIT: STAFF,
    Permission.MEMBER_READ: COUNCIL,
    Permission.MEMBER_WRITE: STAFF,
    Permission.USER_READ: STAFF,
    Permission.USER_WRITE: STAFF,
    Permission.SESSION_READ: COUNCIL,
    Permission.SESSION_WRITE: STAFF,
    Permission.LIVE_JOIN: COUNCIL,
    Permission.METRICS_READ: frozenset({Role.ADMIN}),
    Permission.DOCUMENT_READ: COUNCIL,
    Permission.DOCUMENT_WRITE: STAFF,
    Permission.NOTE_WRITE: COUNCIL,
    Permission.MINUTES_READ: COUNCIL,
    Permission.MINUTES_WRITE: STAFF,
    Permission.MINUTES_SIGN: COUNCIL,
    Permission.ARCHIVE_PUBLISH: STAFF,
    Permission.DEVICE_PAIR: STAFF,
    Permission.TRANSCRIPT_REVIEW: STAFF,
    Permission.PETITION_READ: STAFF,
    Permission.PETITION_WRITE: STAFF,
    Permission.PETITION_ANSWER: frozenset({Role.ADMIN, Role.SECRETARY, Role.AGENCY}),
}


@functools.cache
def _pdf() -> bytes:
    return pdf_bytes(["Tờ trình dự toán ngân sách năm 2027"])


def _pdf_form() -> aiohttp.FormData:
    form = aiohttp.FormData()
    form.add_field("not_state_secret", "true")
    form.add_field("file", _pdf(), filename="to-trinh.pdf", content_type="application/pdf")
    return form


@dataclass
class RoleWorld:
    """The first council's things a route can name; each method fills the path parameter of its name."""

    client: TestClient
    world: World
    session: int
    agenda_item: int
    spare_member: int
    _document: int | None = field(default=None, repr=False)
    _templates: int = field(default=0, repr=False)

    async def council_id(self, caller: Account) -> int:
        return self.world.council.id

    async def member_id(self, caller: Account) -> int:
        return self.world.member.id

    async def user_id(self, caller: Account) -> int:
        """The council's delegate account: routes about an account act on delegates."""
        return self.world.delegate.user.id

    async def device_id(self, caller: Account) -> int:
        """A device of the council's delegate, paired for this request (a revoke removes it)."""
        async with services_of(self.client.app).sessionmaker() as db:
            await tokens.issue(db, self.world.delegate.user, tokens.DEVICE, timedelta(days=1), "Máy tính bảng")
            await db.commit()
            return max(found.id for found in await tokens.credentials(db, self.world.delegate.user))

    async def session_id(self, caller: Account) -> int:
        return self.session

    async def item_id(self, caller: Account) -> int:
        return self.agenda_item

    async def page(self, caller: Account) -> int:
        return 1

    async def motion_id(self, caller: Account) -> int:
        """A motion of the caller's council made for this request (a delete removes it)."""
        response = await self.client.post(
            f"/api/agenda/{self.agenda_item}/motions",
            json={"title": "Biểu quyết thủ tục"},
            headers=self.world.admin.headers,
        )
        assert response.status == 201, await response.text()
        return (await response.json())["id"]

    async def template_id(self, caller: Account) -> int:
        """A ballot template of the caller's council made for this request (a delete removes it)."""
        self._templates += 1
        response = await self.client.post(
            f"/api/councils/{self.world.council.id}/ballot-templates",
            json={"name": f"Mẫu phiếu số {self._templates}"},
            headers=self.world.admin.headers,
        )
        assert response.status == 201, await response.text()
        return (await response.json())["id"]

    async def segment_id(self, caller: Account) -> int:
        """No transcript exists: an allowed role gets past the role check to a plain not found."""
        return 1

    async def document_id(self, caller: Account) -> int:
        """A PDF uploaded by the admin, on first need (only document routes pay for it)."""
        if self._document is None:
            response = await self.client.post(
                f"/api/sessions/{self.session}/documents", data=_pdf_form(), headers=self.world.admin.headers
            )
            assert response.status == 201, await response.text()
            self._document = (await response.json())["id"]
        return self._document

    async def agency_id(self, caller: Account) -> int:
        return self.world.agency.id

    async def meeting_id(self, caller: Account) -> int:
        return await self._add(
            VoterMeeting(council_id=self.world.council.id, held_on=date(2026, 11, 20), place="Nhà văn hóa thôn 3")
        )

    async def petition_id(self, caller: Account) -> int:
        """A petition forwarded to the council's agency, so that the agency may answer it."""
        return (await self._forwarded())[0]

    async def answer_id(self, caller: Account) -> int:
        return (await self._forwarded(answered=True))[1]

    async def attachment_id(self, caller: Account) -> int:
        answer = (await self._forwarded(answered=True))[1]
        return await self._add(
            Attachment(
                answer_id=answer, file_name="tra-loi.pdf", media_type="application/pdf", size_bytes=1, sha256="0"
            )
        )

    async def submission_id(self, caller: Account) -> int:
        return await self._add(
            Submission(council_id=self.world.council.id, content="Đường thôn 2 ngập nước", challenge="c1", sender="s")
        )

    async def import_id(self, caller: Account) -> int:
        return await self._add(PetitionImport(council_id=self.world.council.id, file_name="t.xlsx", sha256="0", rows=0))

    async def _add(self, row: Any) -> int:
        async with services_of(self.client.app).sessionmaker() as db:
            db.add(row)
            await db.commit()
            return row.id

    async def _forwarded(self, answered: bool = False) -> tuple[int, int]:
        async with services_of(self.client.app).sessionmaker() as db:
            council = await db.get(Council, self.world.council.id)
            assert council is not None
            admin = self.world.admin.user
            petition = await petitions.create(db, council, PetitionIn(content="Sửa đường liên thôn"), admin)
            agency = await db.get(Agency, self.world.agency.id)
            assert agency is not None
            await petitions.forward(db, petition, agency, date(2027, 1, 15), admin)
            answer = await petitions.answer(db, petition, "Đã sửa xong", admin, agency.id) if answered else None
            await db.commit()
            return petition.id, answer.id if answer else 0

    async def note_id(self, caller: Account) -> int:
        """A note of the caller's own (notes are private to their writer); a delegate's for a caller who keeps none."""
        writer = caller if caller.user.role in WHO_MAY[Permission.NOTE_WRITE] else self.world.delegate
        response = await self.client.post(
            f"/api/documents/{await self.document_id(caller)}/notes",
            json={"page": 1, "text": "Ghi chú riêng"},
            headers=writer.headers,
        )
        assert response.status == 201, await response.text()
        return (await response.json())["id"]


# A valid body per request model, for the caller's own council: an allowed role must get past validation too.
BODIES: dict[type[BaseModel], Callable[[RoleWorld], dict[str, Any]]] = {
    DeviceTokenIn: lambda w: {"label": "Máy tính bảng số 7"},
    PasswordChangeIn: lambda w: {"current_password": PASSWORD, "new_password": "mat-khau-moi-123"},
    PasswordResetIn: lambda w: {"password": "mat-khau-moi-123"},
    UserIn: lambda w: {
        "username": "daibieu-moi",
        "display_name": "Lê Văn Mới",
        "password": "mat-khau-moi-123",
        "role": "delegate",
        "council_id": w.world.council.id,
        "member_id": w.spare_member,
    },
    CouncilIn: lambda w: {"name": "Hội đồng nhân dân xã Mới Lập", "total_delegates": 15},
    CouncilPatch: lambda w: {"short_name": "HĐND xã Thử Nghiệm"},
    MemberIn: lambda w: {"code": "DB99", "full_name": "Phạm Văn Chín", "title": "Ủy viên"},
    MemberPatch: lambda w: {"title": "Ủy viên Ban Pháp chế"},
    SessionIn: lambda w: {"title": "Kỳ họp chuyên đề về đầu tư công", "kind": "thematic"},
    SessionPatch: lambda w: {"place": "Hội trường UBND xã"},
    AgendaItemIn: lambda w: {"title": "Thảo luận tại tổ", "kind": "discussion"},
    AgendaItemPatch: lambda w: {"presenter": "Chủ tịch UBND xã"},
    MotionIn: lambda w: {"title": "Thông qua Nghị quyết dự toán ngân sách năm 2027"},
    BallotTemplateIn: lambda w: {
        "name": "Bầu Phó Chủ tịch HĐND",
        "kind": "election",
        "options": [{"name": "Lê Văn A"}],
    },
    DocumentPatch: lambda w: {"title": "Tờ trình dự toán ngân sách (bản sửa)"},
    NoteIn: lambda w: {"page": 1, "text": "Cần hỏi về chi đầu tư công"},
    NotePatch: lambda w: {"text": "Đã hỏi"},
    RelayIn: lambda w: {"url": "rtmps://live-api-s.facebook.com:443/rtmp/FB-1-2-3"},
    StreamKeyIn: lambda w: {"confirm": True},
    MinutesEdit: lambda w: {"notes": "Kỳ họp kết thúc đúng chương trình."},
    MinutesReopen: lambda w: {"reason": "Sửa họ tên đại biểu ghi sai"},
    TokenSign: lambda w: {"token_label": "HOPSO", "key_label": "chu-toa", "pin": "123456"},
    ExternalPrepare: lambda w: {"certificate": "MIIBszCCAVmgAwIBAgIU" + "A" * 40},
    ExternalFinish: lambda w: {"cms": "MIAGCSqGSIb3DQEHAqCAMIACAQEx"},
    SegmentEdit: lambda w: {"text": "Tôi đề nghị sửa đường vào trường học."},
    AgencyIn: lambda w: {"name": "Công ty Điện lực huyện", "level": "province", "email": "dienluc@example.vn"},
    AgencyPatch: lambda w: {"email": "ubnd@example.vn"},
    AgencyAccountIn: lambda w: {"username": "dienluc", "display_name": "Điện lực", "password": "mat-khau-dien-luc"},
    MeetingIn: lambda w: {"held_on": "2026-11-20", "place": "Nhà văn hóa thôn 3", "group": "Tổ 1", "voter_count": 85},
    PetitionIn: lambda w: {"content": "Đề nghị sửa chữa đường liên thôn 3 – thôn 5", "locality": "Thôn 3"},
    PetitionPatch: lambda w: {"locality": "Thôn 5"},
    VoterIn: lambda w: {"full_name": "Nguyễn Văn Tư", "contact": "0912 345 678"},
    ClassifyIn: lambda w: {"field": "Giao thông", "level": "commune"},
    ForwardIn: lambda w: {"agency_id": w.world.agency.id, "deadline": "2027-01-31"},
    PublishIn: lambda w: {"published": True},
    RatingIn: lambda w: {"rating": "satisfied"},
    MergeIn: lambda w: {"petition_ids": [1]},
    DuplicateQuery: lambda w: {"content": "Sửa chữa đường liên thôn"},
    SubmissionDecision: lambda w: {"accept": False, "reason": "Trùng nội dung"},
    AnswerIn: lambda w: {"text": "UBND xã đã bố trí kinh phí sửa chữa trong quý I/2027."},
    ReasonIn: lambda w: {"reason": "Không thuộc thẩm quyền của xã"},
    ImportIn: lambda w: {"token": "0" * 32, "mapping": {"B": "content"}},
    VoterDataIn: lambda w: {"full_name": "Nguyễn Văn Tư"},
    PetitionIds: lambda w: {"petition_ids": [1]},
}
# The request arguments of a body the handler reads itself, by its media type.
RAW_BODIES: dict[str, Callable[[], dict[str, Any]]] = {
    "text/csv": lambda: {"data": "mã,họ và tên\nDB98,Lý Thị Tám\n".encode(), "headers": {"Content-Type": "text/csv"}},
    "multipart/form-data": lambda: {"data": _pdf_form()},
    XLSX: lambda: {"data": compilation(), "headers": {"Content-Type": XLSX}},
}

GUARDED = [route for route in api.routes if route.permission is not Permission.PUBLIC]
CELLS = [
    pytest.param(route, role, id=f"{route.name} as {role}")
    for route in GUARDED
    for role in [*(r.value for r in Role), ANONYMOUS]
]


@pytest.fixture
async def role_world(sqlite_client: TestClient, sqlite_world: World) -> RoleWorld:
    async with services_of(sqlite_client.app).sessionmaker() as db:
        session = CouncilSession(council_id=sqlite_world.council.id, title="Kỳ họp thứ Nhất")
        session.agenda = [AgendaItem(position=1, title="Dự toán ngân sách năm 2027")]
        db.add(session)
        spare = await make_member(db, sqlite_world.council, "DB02", "Võ Thị Hai")
        council = await db.merge(sqlite_world.council)
        sqlite_world.agency_, sqlite_world.agency_account = await make_agency(db, council, "UBND xã", "ubndxa")
        await db.commit()
        return RoleWorld(sqlite_client, sqlite_world, session.id, session.agenda[0].id, spare.id)


async def _path(route: Route, world: RoleWorld, caller: Account) -> str:
    path = route.path
    for name in re.findall(r"{(\w+)}", route.path):
        if name.startswith("_") or not callable(getattr(RoleWorld, name, None)):
            pytest.fail(f"{route.name}: no value for path parameter {{{name}}}; add a method {name} to RoleWorld")
        path = path.replace(f"{{{name}}}", str(await getattr(world, name)(caller)))
    return path


def _request_kwargs(route: Route, world: RoleWorld) -> dict[str, Any]:
    if route.body is not None:
        if route.body not in BODIES:
            pytest.fail(f"{route.name}: no sample body for {route.body.__name__}; add one to BODIES")
        return {"json": BODIES[route.body](world)}
    if route.raw_body is not None:
        if route.raw_body not in RAW_BODIES:
            pytest.fail(f"{route.name}: no sample {route.raw_body} body; add one to RAW_BODIES")
        return RAW_BODIES[route.raw_body]()
    return {}


@pytest.mark.parametrize(("route", "role"), CELLS)
async def test_role_table_cell(sqlite_client: TestClient, role_world: RoleWorld, route: Route, role: str) -> None:
    if route.permission not in WHO_MAY:
        pytest.fail(f"{route.name}: permission {route.permission} has no row in WHO_MAY; decide who may use it")
    caller = role_world.world.delegate if role == ANONYMOUS else role_world.world.account(Role(role))
    path = await _path(route, role_world, caller)
    kwargs = _request_kwargs(route, role_world)
    if role != ANONYMOUS:
        kwargs["headers"] = {**kwargs.get("headers", {}), **caller.headers}

    response = await sqlite_client.request(route.method, path, **kwargs)

    if role == ANONYMOUS:
        await error_of(response, 401, "unauthenticated")
    elif Role(role) in WHO_MAY[route.permission]:
        assert response.status not in (401, 403), f"{role} was refused {route.name}: {await response.text()}"
    else:
        error = await error_of(response, 403, "forbidden")
        assert error["message"] == "Bạn không có quyền thực hiện thao tác này."


def test_the_policy_has_a_row_for_every_permission() -> None:
    assert set(WHO_MAY) == set(Permission) - {Permission.PUBLIC}


def test_the_generated_role_table_includes_the_known_guarded_routes() -> None:
    names = {route.name for route in GUARDED}
    for expected in ("GET /api/auth/me", "POST /api/councils", "POST /api/councils/{council_id}/members/import"):
        assert expected in names, "the view modules were not imported, so the role table is empty"


async def test_every_route_is_described_in_the_openapi_document(sqlite_client: TestClient) -> None:
    document = await (await sqlite_client.get("/api/openapi.json")).json()
    for route in api.routes:
        operation = document["paths"].get(route.path, {}).get(route.method.lower())
        assert operation is not None, f"{route.name} is missing from /api/openapi.json"
        assert operation["x-permission"] == route.permission.value
        if route.permission is not Permission.PUBLIC:
            assert operation["security"], f"{route.name} is guarded but the document does not say so"


async def test_every_api_route_of_the_app_goes_through_the_route_table(sqlite_client: TestClient) -> None:
    declared = {route.name for route in api.routes}
    assert sqlite_client.app is not None
    served = set()
    for route in sqlite_client.app.router.routes():
        path = route.resource.canonical if route.resource is not None else ""
        if path.startswith("/api/") or path in ("/healthz", "/metrics"):
            served.add(f"{route.method} {path}")
    assert served - declared == set(), "routes served without a permission from the route table"
    assert declared <= served
