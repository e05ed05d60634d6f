"""Test data made through the same code paths the app uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.auth import tokens
from session_server.auth.passwords import hash_password
from session_server.db.engine import make_engine, make_sessionmaker
from session_server.db.models import Council, Member, Role, User, utcnow
from session_server.petitions.models import Agency, AgencyAccount

PASSWORD = "mat-khau-thu-nghiem"


@cache
def password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class Account:
    user: User
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


async def make_council(db: AsyncSession, name: str = "Hội đồng nhân dân xã Thử Nghiệm", total: int = 35) -> Council:
    council = Council(name=name, short_name=name.replace("Hội đồng nhân dân", "HĐND"), total_delegates=total)
    db.add(council)
    await db.flush()
    return council


async def make_member(db: AsyncSession, council: Council, code: str, full_name: str = "Nguyễn Văn An") -> Member:
    member = Member(council_id=council.id, code=code, full_name=full_name)
    db.add(member)
    await db.flush()
    return member


async def make_user(
    db: AsyncSession,
    username: str,
    role: Role,
    council: Council | None = None,
    member: Member | None = None,
    display_name: str = "",
) -> Account:
    user = User(
        username=username,
        display_name=display_name or (member.full_name if member else username),
        password_hash=password_hash(),
        role=role,
        council_id=council.id if council else None,
        member_id=member.id if member else None,
    )
    db.add(user)
    await db.flush()
    token = await tokens.issue(db, user, tokens.DEVICE, timedelta(days=1))
    return Account(user, token)


@dataclass
class World:
    """One council with a member, one account of each role (the agency's, with the agency that resolves the council's
    petitions, when asked for); a second council to prove scoping."""

    council: Council
    other_council: Council
    member: Member
    admin: Account
    secretary: Account
    delegate: Account
    other_secretary: Account
    agency_: Agency | None = None
    agency_account: Account | None = None

    @property
    def agency(self) -> Agency:
        assert self.agency_ is not None, "make_world(..., agency=True) makes the agency"
        return self.agency_

    @property
    def agency_user(self) -> Account:
        assert self.agency_account is not None, "make_world(..., agency=True) makes the agency's account"
        return self.agency_account

    def account(self, role: Role) -> Account:
        if role is Role.AGENCY:
            return self.agency_user
        return {Role.ADMIN: self.admin, Role.SECRETARY: self.secretary, Role.DELEGATE: self.delegate}[role]


async def make_agency(
    db: AsyncSession, council: Council, name: str, username: str, email: str = ""
) -> tuple[Agency, Account]:
    """An agency (cơ quan giải quyết) of the council with one sign-in account."""
    agency = Agency(council_id=council.id, name=name, email=email)
    db.add(agency)
    await db.flush()
    account = await make_user(db, username, Role.AGENCY, council, display_name=name)
    db.add(AgencyAccount(user_id=account.user.id, agency_id=agency.id))
    await db.flush()
    return agency, account


async def make_world(sessionmaker: async_sessionmaker[AsyncSession], agency: bool = False) -> World:
    async with sessionmaker() as db:
        council = await make_council(db)
        other = await make_council(db, "Hội đồng nhân dân phường Bên Cạnh", total=25)
        member = await make_member(db, council, "DB01", "Trần Thị Bình")
        resolver = await make_agency(db, council, "Ủy ban nhân dân xã Thử Nghiệm", "ubndxa") if agency else (None, None)
        world = World(
            council=council,
            other_council=other,
            member=member,
            admin=await make_user(db, "quantri", Role.ADMIN),
            secretary=await make_user(db, "thuky", Role.SECRETARY, council),
            delegate=await make_user(db, "daibieu", Role.DELEGATE, council, member),
            other_secretary=await make_user(db, "thuky2", Role.SECRETARY, other),
            agency_=resolver[0],
            agency_account=resolver[1],
        )
        await db.commit()
    return world


@dataclass
class LiveWorld:
    """A council of five, its live session with three agenda items, and accounts for the chair, staff and delegates."""

    council: Council
    session_id: int
    agenda_ids: list[int]
    members: list[Member]
    chair: Account
    secretary: Account
    delegates: list[Account]
    outsider: Account


async def make_live_world(
    sessionmaker: async_sessionmaker[AsyncSession], total: int = 5, public: bool = True
) -> LiveWorld:
    from session_server.db.models import AgendaItem, AgendaKind, CouncilSession, SessionStatus

    names = ["Bùi Minh Bình", "Dương Công Phong", "Hoàng Thu Lan", "Lê Văn Khoa", "Ngô Kim Phương", "Phan Văn Cường"]
    async with sessionmaker() as db:
        council = await make_council(db, "Hội đồng nhân dân xã Phiên Họp", total=total)
        members = [await make_member(db, council, f"DB{i + 1:02d}", names[i % len(names)]) for i in range(total)]
        session = CouncilSession(
            council_id=council.id,
            title="Kỳ họp thứ Năm",
            status=SessionStatus.SCHEDULED,
            public=public,
            place="Hội trường UBND xã",
            chair_member_id=members[0].id,
            secretary_member_id=members[1].id,
        )
        session.agenda = [
            AgendaItem(position=1, title="Khai mạc kỳ họp", kind=AgendaKind.OTHER),
            AgendaItem(position=2, title="Báo cáo kinh tế - xã hội", kind=AgendaKind.REPORT),
            AgendaItem(position=3, title="Thảo luận tại hội trường", kind=AgendaKind.DISCUSSION),
        ]
        db.add(session)
        await db.flush()
        chair = await make_user(db, "chutoa", Role.DELEGATE, council, members[0])
        delegates = [chair] + [
            await make_user(db, f"daibieu{i + 1}", Role.DELEGATE, council, m) for i, m in enumerate(members[1:], 1)
        ]
        other = await make_council(db, "Hội đồng nhân dân phường Khác", total=3)
        world = LiveWorld(
            council=council,
            session_id=session.id,
            agenda_ids=[item.id for item in session.agenda],
            members=members,
            chair=chair,
            secretary=await make_user(db, "vanphong", Role.SECRETARY, council),
            delegates=delegates,
            outsider=await make_user(db, "nguoingoai", Role.SECRETARY, other),
        )
        await db.commit()
    return world


async def make_motion(sessionmaker: async_sessionmaker[AsyncSession], agenda_item_id: int, **fields: object) -> int:
    from sqlalchemy import func, select

    from session_server.db.models import Motion

    async with sessionmaker() as db:
        count = await db.scalar(select(func.count(Motion.id)).where(Motion.agenda_item_id == agenda_item_id))
        motion = Motion(agenda_item_id=agenda_item_id, position=(count or 0) + 1, **fields)
        motion.title = str(fields.get("title", "Nghị quyết về dự toán ngân sách năm 2027"))
        db.add(motion)
        await db.commit()
        return motion.id


@dataclass
class LargeCouncil:
    session_id: int
    motion_id: int
    chair_token: str
    delegate_tokens: list[str]


async def make_large_council(sessionmaker: async_sessionmaker[AsyncSession], size: int) -> LargeCouncil:
    """A council of `size` delegates, all checked in to a live session with one pending motion (bulk inserts)."""
    import hashlib
    import secrets

    from sqlalchemy import insert, select

    from session_server.db.models import (
        AgendaItem,
        Attendance,
        AttendanceStatus,
        AuthToken,
        CouncilSession,
        Motion,
        SessionStatus,
    )

    async with sessionmaker() as db:
        council = await make_council(db, "Quốc hội thử nghiệm", total=size)
        await db.execute(
            insert(Member),
            [
                {"council_id": council.id, "code": f"DB{i:03d}", "full_name": f"Đại biểu {i}"}
                for i in range(1, size + 1)
            ],
        )
        members = list(await db.scalars(select(Member).where(Member.council_id == council.id).order_by(Member.code)))
        await db.execute(
            insert(User),
            [
                {
                    "username": f"db{m.id}",
                    "display_name": m.full_name,
                    "password_hash": password_hash(),
                    "role": Role.DELEGATE,
                    "council_id": council.id,
                    "member_id": m.id,
                }
                for m in members
            ],
        )
        users = list(await db.scalars(select(User).where(User.council_id == council.id).order_by(User.member_id)))
        tokens_ = [secrets.token_urlsafe(32) for _ in users]
        await db.execute(
            insert(AuthToken),
            [
                {
                    "token_hash": hashlib.sha256(t.encode()).hexdigest(),
                    "user_id": u.id,
                    "kind": "device",
                    "expires_at": utcnow() + timedelta(days=1),
                }
                for t, u in zip(tokens_, users, strict=True)
            ],
        )
        session = CouncilSession(
            council_id=council.id, title="Kỳ họp lớn", status=SessionStatus.LIVE, chair_member_id=members[0].id
        )
        session.agenda = [AgendaItem(position=1, title="Biểu quyết")]
        db.add(session)
        await db.flush()
        motion = Motion(agenda_item_id=session.agenda[0].id, position=1, title="Nghị quyết thử nghiệm")
        db.add(motion)
        await db.execute(
            insert(Attendance),
            [
                {"session_id": session.id, "member_id": m.id, "status": AttendanceStatus.PRESENT, "at": utcnow()}
                for m in members
            ],
        )
        await db.commit()
        return LargeCouncil(session.id, motion.id, tokens_[0], tokens_)


async def make_document(
    sessionmaker: async_sessionmaker[AsyncSession],
    session_id: int,
    title: str = "Tờ trình về dự toán ngân sách năm 2027",
    classification: str = "public",
    page_count: int = 12,
) -> int:
    """A document row as the live session sees it (its file and pages are the documents feature's concern)."""
    from session_server.db.models import Classification, Document

    async with sessionmaker() as db:
        document = Document(
            session_id=session_id, title=title, classification=Classification(classification), page_count=page_count
        )
        db.add(document)
        await db.commit()
        return document.id


async def make_live_world_at(database_url: str) -> LiveWorld:
    """A live world in the database at `database_url`, for a server that runs in another process."""
    engine = make_engine(database_url)
    try:
        return await make_live_world(make_sessionmaker(engine))
    finally:
        await engine.dispose()
