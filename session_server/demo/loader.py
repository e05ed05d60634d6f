"""Loads the demo council (the project's own data, no outside files) and its logins; a second run reuses them."""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from session_server.auth.schemas import UserIn
from session_server.auth.users import create_user
from session_server.councils.members import upsert_members
from session_server.councils.schemas import MemberIn
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import (
    AgendaItem,
    AgendaKind,
    BallotType,
    Classification,
    Council,
    CouncilSession,
    Document,
    DocumentKind,
    Member,
    Motion,
    Role,
    SessionKind,
    SessionStatus,
    User,
)
from session_server.demo.pdfs import demo_documents
from session_server.documents.ingest import commit_version
from session_server.documents.pdf import inspect
from session_server.documents.upload import Received
from session_server.petitions.demo import AGENCY_LOGIN, add_demo_petitions
from session_server.settings import Settings

DEMO_FILE = Path(__file__).resolve().parent / "demo-council.json"
DEMO_PASSWORD = "hopso-demo-2026"


@dataclass
class DemoSummary:
    council_id: int
    session_id: int
    created: bool
    logins: list[tuple[str, str]] = field(default_factory=list)


def demo_data() -> dict:
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


async def load_demo(settings: Settings) -> DemoSummary:
    data = demo_data()
    engine = make_engine(settings.effective_database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            council = await db.scalar(select(Council).where(Council.name == data["council"]["name"]))
            created = council is None
            if council is None:
                council = Council(**data["council"])
                db.add(council)
                await db.flush()
                await upsert_members(db, council.id, (MemberIn(**m) for m in data["members"]))
                session = await _add_session(db, council, data["session"])
                await _add_logins(db, council, data)
                secretary = await db.scalar(select(User).where(User.username == "thuky"))
                await add_demo_petitions(db, council, secretary, DEMO_PASSWORD)
                await db.commit()
                await _add_documents(db, session, data, settings)
            else:
                session = await db.scalar(select(CouncilSession).where(CouncilSession.council_id == council.id))
            summary = DemoSummary(council.id, session.id if session else 0, created)
            summary.logins = await _login_list(db, council)
    finally:
        await engine.dispose()
    return summary


async def _add_session(db, council: Council, spec: dict) -> CouncilSession:
    members = {m.code: m.id for m in await db.scalars(select(Member).where(Member.council_id == council.id))}
    session = CouncilSession(
        council_id=council.id,
        title=spec["title"],
        kind=SessionKind(spec["kind"]),
        status=SessionStatus.SCHEDULED,
        public=spec["public"],
        starts_at=datetime.fromisoformat(spec["starts_at"]),
        place=spec["place"],
        chair_member_id=members[spec["chair"]],
        secretary_member_id=members[spec["secretary"]],
    )
    for position, item in enumerate(spec["agenda"], start=1):
        agenda_item = AgendaItem(position=position, title=item["title"], kind=AgendaKind(item["kind"]))
        agenda_item.motions = [
            Motion(position=index, title=m["title"], ballot_type=BallotType(m["ballot"]), rule=m["rule"])
            for index, m in enumerate(item.get("motions", []), start=1)
        ]
        session.agenda.append(agenda_item)
    db.add(session)
    await db.flush()
    return session


async def _add_documents(db, session: CouncilSession, data: dict, settings: Settings) -> None:
    """The demo agenda's reports as public session documents, stored the way an upload is stored."""
    secretary = await db.scalar(select(User).where(User.username == "thuky"))
    items = {
        item.title: item.id for item in await db.scalars(select(AgendaItem).where(AgendaItem.session_id == session.id))
    }
    with tempfile.TemporaryDirectory() as folder:
        files = demo_documents(Path(folder), data["council"]["name"])
        for item in data["session"]["agenda"]:
            for name in item.get("documents", []):
                path = files[name]
                received = Received(
                    path=path,
                    file_name=path.name,
                    size=path.stat().st_size,
                    sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                    has_file=True,
                )
                document = Document(
                    session_id=session.id,
                    agenda_item_id=items[item["title"]],
                    title=item["title"],
                    kind=DocumentKind.REPORT,
                    classification=Classification.PUBLIC,
                    version=1,
                    created_by_user_id=secretary.id,
                )
                await commit_version(db, document, received, inspect(str(path)), secretary.id, settings.data_dir)


async def _add_logins(db, council: Council, data: dict) -> None:
    if await db.scalar(select(User.id).where(User.username == "admin")) is None:
        await create_user(
            db, UserIn(username="admin", display_name="Quản trị hệ thống", password=DEMO_PASSWORD, role=Role.ADMIN)
        )
    await create_user(
        db,
        UserIn(
            username="thuky",
            display_name="Văn phòng HĐND (thư ký)",
            password=DEMO_PASSWORD,
            role=Role.SECRETARY,
            council_id=council.id,
        ),
    )
    members = await db.scalars(select(Member).where(Member.council_id == council.id).order_by(Member.code))
    for member in members:
        await create_user(
            db,
            UserIn(
                username=member.code.lower(),
                display_name=member.full_name,
                password=DEMO_PASSWORD,
                role=Role.DELEGATE,
                council_id=council.id,
                member_id=member.id,
            ),
        )


async def _login_list(db, council: Council) -> list[tuple[str, str]]:
    shown = ["admin", "thuky", "db01", "db02", "db03", AGENCY_LOGIN]
    users = {u.username: u for u in await db.scalars(select(User).where(User.username.in_(shown)))}
    return [(name, users[name].display_name) for name in shown if name in users]


def demo_banner(settings: Settings, summary: DemoSummary) -> str:
    base = settings.effective_public_url
    logins = "\n".join(f"    {name:<8} {label}" for name, label in summary.logins)
    return (
        f"\nHopSo đang chạy / is running — {base}/\n\n"
        f"  Máy tính bảng đại biểu (delegate tablet): {base}/tablet/\n"
        f"  Bàn điều hành chủ tọa (chair console):    {base}/chair/\n"
        f"  Trang công khai (public page):            {base}/public/\n"
        f"  Văn phòng HĐND (staff console):           {base}/staff/\n"
        f"  Kiến nghị cử tri (voter petitions):       {base}/staff/petitions/\n"
        f"  Trả lời kiến nghị (public petitions):     {base}/public/petitions/?council={summary.council_id}\n"
        f"  Đăng nhập (sign in):                      {base}/login/\n\n"
        f"  Tài khoản trình diễn (demo logins), mật khẩu / password: {DEMO_PASSWORD}\n{logins}\n"
        f"    db01…db35 là 35 đại biểu; db01 là chủ tọa, db02 là thư ký kỳ họp.\n"
    )
