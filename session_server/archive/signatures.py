"""Who signs approved minutes, in what order, and how a new signature is kept.

The secretary signs first, then the chair; the organisation's seal may follow. Each signer is the member the
session names as its secretary or chair, signing from the account linked to that member. A signature is kept only
if the file then checks out (every signature intact, valid and not voided by what came after); the row moves on
only from the revision the signature was made on, so nothing half-done is ever stored.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from sqlalchemy import update

from session_server.api.context import Context
from session_server.archive import storage
from session_server.archive.files import write_atomically
from session_server.archive.seal import council_certificate, demo_roots
from session_server.archive.signing import CHAIR, SEAL, SECRETARY, Placement, SigningSetup, check_signatures, refused
from session_server.db.models import Council, CouncilSession, Minutes, MinutesStatus, SessionArchive, User, utcnow
from session_server.errors import ApiError, conflict
from session_server.settings import Settings

HEADINGS = {SECRETARY: "Thư ký đã ký số", CHAIR: "Chủ tọa đã ký số"}
REASONS = {SECRETARY: "Thư ký kỳ họp ký biên bản", CHAIR: "Chủ tọa kỳ họp ký biên bản", SEAL: "Xác nhận của cơ quan"}


def roles_signed(minutes: Minutes) -> list[str]:
    return [signature["role"] for signature in minutes.signatures]


def next_role(minutes: Minutes) -> str | None:
    """Who signs next: the secretary, then the chair; nobody before approval or once both have signed."""
    if minutes.status is MinutesStatus.DRAFT:
        return None
    signed = roles_signed(minutes)
    return next((role for role in (SECRETARY, CHAIR) if role not in signed), None)


def signed_by_both(minutes: Minutes) -> bool:
    return minutes.status is not MinutesStatus.DRAFT and next_role(minutes) is None


def signer_role(session: CouncilSession, user: User) -> str | None:
    """The caller's place in the signing: the session's secretary or chair, through the member linked to them."""
    if user.member_id is None:
        return None
    if user.member_id == session.secretary_member_id:
        return SECRETARY
    if user.member_id == session.chair_member_id:
        return CHAIR
    return None


def require_signer(session: CouncilSession, minutes: Minutes, user: User) -> str:
    """The role the caller signs in now; a clear refusal for anyone else, out of turn, or on reopened minutes."""
    if minutes.status is MinutesStatus.DRAFT:
        raise ApiError(
            409,
            "minutes_not_approved",
            "Biên bản đang là bản nháp (hoặc đã được mở lại để sửa); chỉ ký được sau khi phê duyệt.",
            "The minutes are a draft (or were reopened for corrections); they are signed once approved.",
        )
    role = signer_role(session, user)
    if role is None:
        raise ApiError(
            403,
            "not_signer",
            "Chỉ thư ký và chủ tọa của kỳ họp này ký biên bản, mỗi người bằng tài khoản của chính mình.",
            "Only this session's secretary and chair sign its minutes, each from their own account.",
        )
    expected = next_role(minutes)
    if expected is None:
        raise conflict("Biên bản đã có đủ chữ ký của thư ký và chủ tọa.", "The minutes are signed by both already.")
    if role != expected:
        if role in roles_signed(minutes):
            raise ApiError(409, "signing_order", "Bạn đã ký biên bản này.", "You have signed these minutes already.")
        raise ApiError(
            409,
            "signing_order",
            "Thư ký kỳ họp ký trước, sau đó đến chủ tọa.",
            "The session's secretary signs first, then the chair.",
        )
    return role


def placement(minutes: Minutes, role: str, signer: str, zone: str, council: str) -> Placement:
    """The box left for `role` in the signature columns; the seal overlaps the chair's by a third, on its left."""
    page, x0, y0, x1, y1 = minutes.signing["boxes"][CHAIR if role == SEAL else role]
    if role == SEAL:
        shift = (x1 - x0) // 3
        x0, x1 = x0 - shift, x1 - shift
    heading = council if role == SEAL else HEADINGS[role]
    return Placement(role=role, page=page, box=(x0, y0, x1, y1), heading=heading, signer=signer, zone=zone)


async def extra_roots(settings: Settings, council: Council, roles: list[str]) -> tuple[Any, ...]:
    """The demo seal's self-signed certificate, trusted to check itself only, when the seal has signed."""
    if SEAL not in roles:
        return ()
    certificate = await asyncio.to_thread(council_certificate, settings, council.id, council.name)
    return await asyncio.to_thread(demo_roots, certificate, settings)


async def current_checks(settings: Settings, council: Council, minutes: Minutes, pdf: bytes) -> list[dict[str, Any]]:
    """Every signature of the file checked again, in the order of `minutes.signatures`."""
    roots = await extra_roots(settings, council, roles_signed(minutes))
    checks = await asyncio.to_thread(check_signatures, pdf, SigningSetup.of(settings), roots)
    by_field = {check.field: check.as_dict() for check in checks}
    return [
        by_field.get(s["check"]["field"], s["check"] | {"ok": False, "problem": "missing"}) for s in minutes.signatures
    ]


async def keep_signature(
    ctx: Context,
    council: Council,
    minutes: Minutes,
    *,
    role: str,
    mode: str,
    signed: bytes,
    member_id: int | None,
) -> Minutes:
    """Check the newly signed file and store it with its signature; refuse it if any signature fails."""
    assert ctx.user is not None
    roles = [*roles_signed(minutes), role]
    roots = await extra_roots(ctx.settings, council, roles)
    checks = await asyncio.to_thread(check_signatures, signed, SigningSetup.of(ctx.settings), roots)
    failed = [check for check in checks if not check.ok]
    if failed or len(checks) != len(roles):
        raise refused(
            "signature_invalid",
            "Chữ ký mới không hợp lệ hoặc làm hỏng chữ ký trước; chưa có gì được lưu.",
            f"The new signature does not validate or breaks an earlier one; nothing was stored "
            f"({'; '.join(f.problem or f.field for f in failed)}).",
        )
    entries = [{**kept, "check": check.as_dict()} for kept, check in zip(minutes.signatures, checks, strict=False)]
    entries.append(
        {
            "role": role,
            "mode": mode,
            "member_id": member_id,
            "user_id": ctx.user.id,
            "at": utcnow().isoformat(),
            "check": checks[-1].as_dict(),
        }
    )
    signing = {key: value for key, value in minutes.signing.items() if key != "pending"}
    session_id, now = minutes.session_id, utcnow()
    async with ctx.sessionmaker() as db:
        archive = await db.get(SessionArchive, session_id)
        complete = all(r in roles for r in (SECRETARY, CHAIR))
        republish = complete and archive is not None and archive.published_at is not None
        values: dict[str, Any] = {
            "signatures": entries,
            "signing": signing,
            "revision": minutes.revision + 1,
            "signed_sha256": hashlib.sha256(signed).hexdigest(),
            "updated_at": now,
        }
        if republish and minutes.status is MinutesStatus.APPROVED:
            values |= {"status": MinutesStatus.PUBLISHED, "published_at": now}
        stored = await db.execute(
            update(Minutes)
            .where(
                Minutes.session_id == session_id,
                Minutes.status == minutes.status,
                Minutes.revision == minutes.revision,
            )
            .values(**values)
        )
        if stored.rowcount != 1:
            raise conflict(
                "Biên bản vừa được ký, mở lại hoặc thay đổi ở nơi khác; chữ ký này không được lưu, hãy xem lại.",
                "The minutes were just signed, reopened or changed elsewhere; this signature was not stored.",
            )
        await asyncio.to_thread(write_atomically, storage.signed_minutes_path(ctx.settings, session_id), signed)
        await db.commit()
        fresh = await db.get(Minutes, session_id, populate_existing=True)
        assert fresh is not None
        return fresh


async def session_and_council(db: Any, minutes: Minutes) -> tuple[CouncilSession, Council]:
    session = await db.get(CouncilSession, minutes.session_id)
    assert session is not None
    council = await db.get(Council, session.council_id)
    assert council is not None
    return session, council
