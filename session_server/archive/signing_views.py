"""Signing approved minutes: the secretary, then the chair, each with their own certificate, and the seal.

With a token or HSM attached to the server, the signer picks their key and types their PIN, which signs this once and
is forgotten. With a USB token on their own PC, the signer's CA tool does the signing: HopSo prepares the PDF and
hands out what to sign (`prepare`), the tool returns a CMS signature or a raw signature (`finish`), HopSo embeds it
once it is sure it covers exactly the prepared bytes. Staff may then add the council's seal.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import or_, select, update

from session_server.api.context import Context
from session_server.api.routing import api, int_param
from session_server.archive import storage
from session_server.archive.files import write_atomically
from session_server.archive.schemas import (
    ExternalFinish,
    ExternalPrepare,
    ExternalPrepared,
    MinutesOut,
    TokenOut,
    TokenSign,
    ToSignOut,
)
from session_server.archive.seal import council_certificate
from session_server.archive.signatures import (
    REASONS,
    SEAL,
    keep_signature,
    next_role,
    placement,
    require_signer,
    roles_signed,
    session_and_council,
    signed_by_both,
    signer_role,
)
from session_server.archive.signing import (
    DIGEST,
    Placement,
    Prepared,
    SigningSetup,
    common_name,
    finish_external,
    list_tokens,
    parse_certificates,
    prepare_external,
    sign_with_seal,
    sign_with_token,
)
from session_server.archive.views import minutes_of, minutes_out, session_of
from session_server.auth.roles import Permission
from session_server.db.models import Council, CouncilSession, Member, Minutes, MinutesStatus
from session_server.errors import ApiError, conflict, invalid, not_found


@dataclass(frozen=True)
class Signing:
    """Who signs what now: the minutes, the caller's role in the session, their member record, the session."""

    minutes: Minutes
    role: str
    member: Member
    session: CouncilSession
    council: Council

    def placement(self, signer: str) -> Placement:
        return placement(self.minutes, self.role, signer, self.council.timezone, self.council.name)

    @property
    def location(self) -> str:
        return self.session.place or self.council.name


async def _signing(ctx: Context, session_id: int) -> Signing:
    assert ctx.user is not None
    async with ctx.sessionmaker() as db:
        # Not `minutes_of`: a signer hears that reopened minutes wait for approval, not that there are none.
        await session_of(ctx, db, session_id)
        minutes = await db.get(Minutes, session_id)
        if minutes is None:
            raise not_found("Chưa có biên bản của kỳ họp này.", "There are no minutes for this session yet.")
        session, council = await session_and_council(db, minutes)
        role = require_signer(session, minutes, ctx.user)
        member = await db.get(Member, ctx.user.member_id)
        assert member is not None
    return Signing(minutes, role, member, session, council)


def _read(path: Path) -> bytes:
    return path.read_bytes()


@api.route(
    "GET",
    "/api/minutes/to-sign",
    permission=Permission.MINUTES_SIGN,
    response=list[ToSignOut],
    summary="Approved minutes of sessions the caller is secretary or chair of, newest first, with whose turn it is",
)
async def minutes_to_sign(ctx: Context) -> list[ToSignOut]:
    assert ctx.user is not None
    member_id = ctx.user.member_id
    if member_id is None:
        return []
    async with ctx.sessionmaker() as db:
        rows = await db.execute(
            select(CouncilSession, Minutes, Council)
            .join(Minutes, Minutes.session_id == CouncilSession.id)
            .join(Council, Council.id == CouncilSession.council_id)
            .where(
                or_(CouncilSession.secretary_member_id == member_id, CouncilSession.chair_member_id == member_id),
                Minutes.status != MinutesStatus.DRAFT,
            )
            .order_by(Minutes.approved_at.desc())
            .limit(20)
        )
        found = []
        for session, minutes, council in rows:
            role = signer_role(session, ctx.user)
            assert role is not None
            found.append(
                ToSignOut(
                    session_id=session.id,
                    title=session.title,
                    council_name=council.name,
                    your_role=role,
                    next_role=next_role(minutes),
                    approved_at=minutes.approved_at,
                )
            )
    return found


@api.route(
    "GET",
    "/api/sessions/{session_id}/minutes/signing/tokens",
    permission=Permission.MINUTES_SIGN,
    response=list[TokenOut],
    summary="The tokens and HSM slots attached to the server, with the certificates on each (no PIN needed)",
)
async def signing_tokens(ctx: Context) -> list[TokenOut]:
    await _signing(ctx, int_param(ctx, "session_id"))
    tokens = await asyncio.to_thread(list_tokens, SigningSetup.of(ctx.settings))
    return [TokenOut.model_validate(token, from_attributes=True) for token in tokens]


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/sign/token",
    permission=Permission.MINUTES_SIGN,
    body=TokenSign,
    response=MinutesOut,
    summary="Sign the approved minutes as the session's secretary (first) or chair (second) with a key on the "
    "server's token or HSM; the PIN signs this once and is not kept",
)
async def sign_token(ctx: Context, body: TokenSign) -> MinutesOut:
    signing = await _signing(ctx, int_param(ctx, "session_id"))
    pdf = await asyncio.to_thread(_read, storage.signed_minutes_path(ctx.settings, signing.minutes.session_id))
    signed = await asyncio.to_thread(
        sign_with_token,
        pdf,
        SigningSetup.of(ctx.settings),
        signing.placement(signing.member.full_name),
        token_label=body.token_label,
        key_label=body.key_label,
        pin=body.pin.get_secret_value(),
        expected_name=signing.member.full_name,
        reason=REASONS[signing.role],
        location=signing.location,
    )
    kept = await keep_signature(
        ctx,
        signing.council,
        signing.minutes,
        role=signing.role,
        mode="pkcs11",
        signed=signed,
        member_id=signing.member.id,
    )
    async with ctx.sessionmaker() as db:
        return await minutes_out(ctx, db, kept)


def _decoded(text: str, what: str) -> bytes:
    """Base64 (with or without PEM armour) as signing tools write it."""
    lines = [line for line in text.strip().splitlines() if not line.startswith("-----")]
    try:
        return base64.b64decode("".join(lines), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise invalid(f"{what} không phải dữ liệu base64.", f"The {what} is not base64 data.") from exc


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/sign/external/prepare",
    permission=Permission.MINUTES_SIGN,
    body=ExternalPrepare,
    response=ExternalPrepared,
    summary="Prepare the approved minutes for the signer's own signing tool: checks their certificate, leaves room "
    "for the signature and answers with the digest and the signed attributes to sign",
)
async def prepare_external_signature(ctx: Context, body: ExternalPrepare) -> ExternalPrepared:
    signing = await _signing(ctx, int_param(ctx, "session_id"))
    minutes, role = signing.minutes, signing.role
    certificate = parse_certificates(body.certificate.encode())[0]
    chain = [c for text in body.chain for c in parse_certificates(text.encode())]
    pdf = await asyncio.to_thread(_read, storage.signed_minutes_path(ctx.settings, minutes.session_id))
    prepared = await asyncio.to_thread(
        prepare_external,
        pdf,
        SigningSetup.of(ctx.settings),
        signing.placement(common_name(certificate)),
        certificate=certificate,
        chain=chain,
        expected_name=signing.member.full_name,
        reason=REASONS[role],
        location=signing.location,
    )
    now = datetime.now(UTC)
    assert ctx.user is not None
    pending = prepared.state() | {
        "role": role,
        "user_id": ctx.user.id,
        "member_id": signing.member.id,
        "signer": common_name(certificate),
        "revision": minutes.revision,
        "prepared_at": now.isoformat(),
        "sha256": hashlib.sha256(prepared.pdf).hexdigest(),
    }
    path = storage.prepared_minutes_path(ctx.settings, minutes.session_id)
    async with ctx.sessionmaker() as db:
        stored = await db.execute(
            update(Minutes)
            .where(Minutes.session_id == minutes.session_id, Minutes.revision == minutes.revision)
            .values(signing=minutes.signing | {"pending": pending})
        )
        if stored.rowcount != 1:
            raise conflict("Biên bản vừa thay đổi ở nơi khác; hãy xem lại.", "The minutes just changed elsewhere.")
        await asyncio.to_thread(write_atomically, path, prepared.pdf)
        await db.commit()
    return ExternalPrepared(
        role=role,
        algorithm=DIGEST,
        digest=base64.b64encode(prepared.digest).decode(),
        digest_hex=prepared.digest.hex(),
        signed_attributes=base64.b64encode(prepared.signed_attributes).decode(),
        prepared_at=now,
    )


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/sign/external/finish",
    permission=Permission.MINUTES_SIGN,
    body=ExternalFinish,
    response=MinutesOut,
    summary="Embed the signature the signer's tool returned for the prepared minutes, once it is certain to cover "
    "exactly the prepared document with the prepared certificate",
)
async def finish_external_signature(ctx: Context, body: ExternalFinish) -> MinutesOut:
    signing = await _signing(ctx, int_param(ctx, "session_id"))
    minutes, role = signing.minutes, signing.role
    if (body.cms is None) == (body.signature is None):
        raise invalid("Gửi đúng một trong hai: cms hoặc signature.", "Send exactly one of cms or signature.")
    pending = minutes.signing.get("pending")
    assert ctx.user is not None
    if not pending or pending["role"] != role or pending["user_id"] != ctx.user.id:
        raise ApiError(
            409,
            "not_prepared",
            "Chưa có tài liệu được chuẩn bị để bạn ký; hãy bấm “Chuẩn bị để ký” trước.",
            "Nothing is prepared for you to sign; prepare the document first.",
        )
    if pending["revision"] != minutes.revision:
        raise ApiError(
            409,
            "not_prepared",
            "Biên bản đã thay đổi sau khi chuẩn bị; hãy chuẩn bị và ký lại.",
            "The minutes changed after they were prepared; prepare and sign again.",
        )
    path = storage.prepared_minutes_path(ctx.settings, minutes.session_id)
    pdf = await asyncio.to_thread(_read, path)
    if hashlib.sha256(pdf).hexdigest() != pending["sha256"]:
        raise ApiError(
            409,
            "not_prepared",
            "Tệp đã chuẩn bị không còn nguyên vẹn; hãy chuẩn bị và ký lại.",
            "The prepared file is no longer intact; prepare and sign again.",
        )
    signed = await asyncio.to_thread(
        finish_external,
        Prepared.of(pdf, pending),
        SigningSetup.of(ctx.settings),
        cms_data=_decoded(body.cms, "Chữ ký CMS") if body.cms is not None else None,
        signature=_decoded(body.signature, "Chữ ký") if body.signature is not None else None,
    )
    kept = await keep_signature(
        ctx, signing.council, minutes, role=role, mode="external", signed=signed, member_id=signing.member.id
    )
    await asyncio.to_thread(path.unlink, missing_ok=True)
    async with ctx.sessionmaker() as db:
        return await minutes_out(ctx, db, kept)


@api.route(
    "POST",
    "/api/sessions/{session_id}/minutes/seal",
    permission=Permission.MINUTES_WRITE,
    response=MinutesOut,
    summary="Add the council's organisation seal (PKCS#12) after the secretary's and the chair's signatures",
)
async def seal_minutes(ctx: Context) -> MinutesOut:
    async with ctx.sessionmaker() as db:
        minutes = await minutes_of(ctx, db, int_param(ctx, "session_id"))
        session, council = await session_and_council(db, minutes)
    if not signed_by_both(minutes):
        raise ApiError(
            409,
            "minutes_not_signed",
            "Chỉ đóng dấu sau khi thư ký và chủ tọa đã ký.",
            "The seal goes on after the secretary and the chair have signed.",
        )
    if SEAL in roles_signed(minutes) or minutes.status is MinutesStatus.DRAFT:
        raise conflict("Biên bản đã được đóng dấu.", "The minutes are sealed already.")
    certificate = await asyncio.to_thread(council_certificate, ctx.settings, council.id, council.name)
    pdf = await asyncio.to_thread(_read, storage.signed_minutes_path(ctx.settings, minutes.session_id))
    signed = await asyncio.to_thread(
        sign_with_seal,
        pdf,
        SigningSetup.of(ctx.settings),
        placement(minutes, SEAL, council.name, council.timezone, council.name),
        p12=certificate.path,
        password=certificate.password,
        reason=REASONS[SEAL],
        location=session.place or council.name,
    )
    kept = await keep_signature(ctx, council, minutes, role=SEAL, mode="pkcs12", signed=signed, member_id=None)
    async with ctx.sessionmaker() as db:
        return await minutes_out(ctx, db, kept)
