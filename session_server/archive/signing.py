"""PAdES signatures on approved minutes (pyHanko): the secretary's and the chair's, then optionally the council's seal.

Each signature is an incremental update into a visible field in its signer's column, followed by a second update
with its validation data (certificates, CRLs or OCSP responses: PAdES B-LT), so earlier signatures stay valid and
the file still validates after the certificates expire. A signature carries an RFC 3161 timestamp when a TSA is set.

Three ways to sign: a key on a PKCS#11 token or HSM attached to the server (the PIN is used for that one signature
and never kept); external signing, where HopSo prepares the PDF, hands out what must be signed, and embeds the CMS
signature the signer's own tool returns once it is sure it covers exactly the prepared bytes; and a PKCS#12 file
for the organisation's seal. Before any of them, the signer's certificate is checked: in its validity period,
allowed to sign, issued to the person who signs, and issued under the configured trust roots when there are any.

Everything here blocks (PKCS#11, network, PDF writing): callers run it in a worker thread. Refusals are `ApiError`s.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import tempfile
from collections.abc import Awaitable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.timestamps import TimestampRequestError
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.dss import async_add_validation_info
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from session_server.errors import ApiError
from session_server.paperwork import signature_stamp
from session_server.settings import Settings
from session_server.text import fold

SECRETARY, CHAIR, SEAL = "secretary", "chair", "seal"
FIELDS = {SECRETARY: "ThuKy", CHAIR: "ChuToa", SEAL: "DauCoQuan"}
DIGEST = "sha256"
RESERVED = 49152
"""Room for the CMS in an externally signed PDF, in hex digits: 24 KB of DER fits a chain and a timestamp."""
T = TypeVar("T")


def refused(code: str, vi: str, en: str, status: int = 422) -> ApiError:
    return ApiError(status, code, vi, en)


@dataclass(frozen=True)
class SigningSetup:
    """The deployment's signing settings: trust roots, timestamp server, the server's PKCS#11 module."""

    trust_roots: tuple[asn1_x509.Certificate, ...] = ()
    tsa_url: str = ""
    tsa_timeout: float = 10.0
    allow_fetching: bool = True
    pkcs11_module: str = ""

    @classmethod
    def of(cls, settings: Settings) -> SigningSetup:
        return cls(
            trust_roots=load_certificates(settings.signing_trust_roots),
            tsa_url=settings.signing_tsa_url,
            tsa_timeout=settings.signing_tsa_timeout,
            allow_fetching=settings.signing_fetch_revocation,
            pkcs11_module=settings.signing_pkcs11_module,
        )

    def timestamper(self) -> HTTPTimeStamper | None:
        return HTTPTimeStamper(self.tsa_url, timeout=self.tsa_timeout) if self.tsa_url else None


def load_certificates(spec: str) -> tuple[asn1_x509.Certificate, ...]:
    """Certificates from files and folders (PEM, several to a file, or DER), separated by commas."""
    found: list[asn1_x509.Certificate] = []
    for part in filter(None, (piece.strip() for piece in spec.split(","))):
        path = Path(part)
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            found += parse_certificates(file.read_bytes())
    return tuple(found)


def parse_certificates(data: bytes) -> list[asn1_x509.Certificate]:
    """One or more certificates as PEM, or one as DER or base64 DER."""
    data = data.strip()
    if pem.detect(data):
        return [
            asn1_x509.Certificate.load(der)
            for kind, _headers, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
    try:
        der = data if data[:1] == b"\x30" else base64.b64decode(data, validate=True)
        certificate = asn1_x509.Certificate.load(der)
        certificate.native  # noqa: B018 - parsing is lazy; this is where a bad certificate shows
        return [certificate]
    except ValueError as exc:
        raise refused("bad_certificate", "Chứng thư số không đọc được.", "The certificate cannot be read.") from exc


def common_name(certificate: asn1_x509.Certificate) -> str:
    return str(certificate.subject.native.get("common_name") or certificate.subject.human_friendly)


def _run(coroutine: Awaitable[T]) -> T:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


async def check_certificate(
    certificate: asn1_x509.Certificate,
    chain: list[asn1_x509.Certificate],
    setup: SigningSetup,
    *,
    expected_name: str | None,
    now: datetime | None = None,
) -> None:
    """Refuse a certificate that cannot sign these minutes now, with a reason the signer can act on."""
    now = now or datetime.now(UTC)
    validity = certificate["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    if now < not_before:
        raise refused(
            "certificate_not_yet_valid",
            f"Chứng thư số chỉ có hiệu lực từ {not_before:%d/%m/%Y}.",
            f"The certificate is valid only from {not_before:%Y-%m-%d}.",
        )
    if now > not_after:
        raise refused(
            "certificate_expired",
            f"Chứng thư số đã hết hạn ngày {not_after:%d/%m/%Y}.",
            f"The certificate expired on {not_after:%Y-%m-%d}.",
        )
    usage = certificate.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise refused(
            "certificate_key_usage",
            "Chứng thư số không được cấp để ký (thiếu mục đích sử dụng chữ ký số).",
            "The certificate is not issued for signing (no digital signature key usage).",
        )
    if expected_name is not None and fold(expected_name) not in fold(common_name(certificate)):
        raise refused(
            "certificate_other_person",
            f"Chứng thư số cấp cho {common_name(certificate)}, không phải cho {expected_name}.",
            f"The certificate is issued to {common_name(certificate)}, not to {expected_name}.",
        )
    if setup.trust_roots:
        context = ValidationContext(
            trust_roots=list(setup.trust_roots),
            other_certs=chain,
            allow_fetching=setup.allow_fetching,
            revocation_mode="soft-fail",
            moment=now,
        )
        try:
            await CertificateValidator(certificate, chain, validation_context=context).async_validate_usage(set())
        except RevokedError as exc:
            raise refused("certificate_revoked", "Chứng thư số đã bị thu hồi.", "The certificate is revoked.") from exc
        except (PathBuildingError, PathValidationError) as exc:
            raise refused(
                "certificate_untrusted",
                "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp.",
                "The certificate is not issued under a trusted certification authority.",
            ) from exc
        finally:
            await context.aclose()


@dataclass(frozen=True)
class Placement:
    """Where a signature goes and what its stamp says: field, page (from 0), box in PDF user space."""

    role: str
    page: int
    box: tuple[int, int, int, int]
    heading: str
    signer: str
    zone: str

    @property
    def field(self) -> str:
        return FIELDS[self.role]


def _stamp(placement: Placement, signer: str, directory: str) -> StaticStampStyle:
    x0, y0, x1, y1 = placement.box
    at = datetime.now(ZoneInfo(placement.zone)).replace(microsecond=0)
    path = Path(directory) / "stamp.pdf"
    path.write_bytes(signature_stamp(x1 - x0, y1 - y0, placement.heading, signer, at, seal=placement.role == SEAL))
    return StaticStampStyle.from_pdf_file(str(path), border_width=0)


def _pdf_signer(
    placement: Placement,
    signer: signers.Signer,
    signer_name: str,
    directory: str,
    *,
    reason: str,
    location: str,
    timestamper: HTTPTimeStamper | None,
) -> signers.PdfSigner:
    metadata = signers.PdfSignatureMetadata(
        field_name=placement.field,
        md_algorithm=DIGEST,
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=signer_name,
    )
    spec = fields.SigFieldSpec(placement.field, on_page=placement.page, box=placement.box)
    return signers.PdfSigner(
        metadata,
        signer=signer,
        timestamper=timestamper,
        stamp_style=_stamp(placement, signer_name, directory),
        new_field_spec=spec,
    )


def _tsa_unavailable(exc: BaseException) -> ApiError:
    return refused(
        "tsa_unavailable",
        "Máy chủ cấp dấu thời gian (TSA) không trả lời; chưa ký, hãy thử lại sau.",
        f"The timestamp server (TSA) did not answer; nothing was signed, try again later ({type(exc).__name__}).",
        502,
    )


async def _with_validation_data(pdf: bytes, field: str, setup: SigningSetup) -> bytes:
    """A further revision with the signature's validation data (PAdES B-LT), when its chain can be built."""
    reader = PdfFileReader(io.BytesIO(pdf))
    signature = next(s for s in reader.embedded_signatures if s.field_name == field)
    chain = list(signature.signed_data["certificates"])
    own_roots = [c.chosen for c in chain if c.chosen.self_signed]
    context = ValidationContext(
        trust_roots=[*setup.trust_roots, *own_roots],
        other_certs=[c.chosen for c in chain],
        allow_fetching=setup.allow_fetching,
        revocation_mode="soft-fail",
    )
    try:
        out = await async_add_validation_info(signature, context, output=io.BytesIO())
    except (PathBuildingError, PathValidationError):
        if setup.trust_roots:
            raise
        return pdf
    finally:
        await context.aclose()
    return out.getvalue()


async def _sign_with(
    pdf: bytes,
    signer: signers.Signer,
    setup: SigningSetup,
    placement: Placement,
    *,
    expected_name: str | None,
    reason: str,
    location: str,
) -> bytes:
    """Check the signer's certificate, sign into the placement's field with a timestamp, add validation data."""
    certificate = signer.signing_cert
    assert certificate is not None
    await check_certificate(certificate, list(signer.cert_registry), setup, expected_name=expected_name)
    with tempfile.TemporaryDirectory() as directory:
        pdf_signer = _pdf_signer(
            placement,
            signer,
            common_name(certificate),
            directory,
            reason=reason,
            location=location,
            timestamper=setup.timestamper(),
        )
        try:
            out = await pdf_signer.async_sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), output=io.BytesIO())
        except (TimestampRequestError, TimeoutError) as exc:
            raise _tsa_unavailable(exc) from exc
    return await _with_validation_data(out.getvalue(), placement.field, setup)


# PKCS#11 tokens and HSMs attached to the server.


@dataclass(frozen=True)
class TokenKey:
    label: str
    signer: str
    not_after: str


@dataclass(frozen=True)
class Token:
    label: str
    manufacturer: str
    model: str
    keys: list[TokenKey]


def _library(module: str) -> Any:
    import pkcs11

    if not module:
        raise refused(
            "token_signing_off",
            "Máy chủ chưa được cấu hình thiết bị ký (PKCS#11).",
            "No PKCS#11 signing module is set on this server.",
            409,
        )
    try:
        return pkcs11.lib(module)
    except Exception as exc:  # the binding raises its own kinds for a missing or broken module
        raise refused(
            "token_module_error",
            "Không nạp được thư viện thiết bị ký (PKCS#11) của máy chủ.",
            f"The server's PKCS#11 module could not be loaded: {exc}",
            503,
        ) from exc


def list_tokens(setup: SigningSetup) -> list[Token]:
    """The tokens the server sees, each with the certificates it holds (public objects: no PIN needed)."""
    import pkcs11

    tokens = []
    for slot in _library(setup.pkcs11_module).get_slots(token_present=True):
        token = slot.get_token()
        if not token.flags & pkcs11.TokenFlag.TOKEN_INITIALIZED:
            continue  # an empty slot waiting to be set up (SoftHSM always keeps one)
        keys = []
        with token.open() as session:
            for found in session.get_objects({pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE}):
                certificate = asn1_x509.Certificate.load(found[pkcs11.Attribute.VALUE])
                not_after = certificate["tbs_certificate"]["validity"]["not_after"].native
                keys.append(TokenKey(found[pkcs11.Attribute.LABEL], common_name(certificate), not_after.isoformat()))
        tokens.append(Token(token.label, token.manufacturer_id, token.model, keys))
    return tokens


def sign_with_token(
    pdf: bytes,
    setup: SigningSetup,
    placement: Placement,
    *,
    token_label: str,
    key_label: str,
    pin: str,
    expected_name: str,
    reason: str,
    location: str,
) -> bytes:
    import pkcs11
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Error, PKCS11Signer, open_pkcs11_session

    _library(setup.pkcs11_module)
    try:
        session = open_pkcs11_session(
            setup.pkcs11_module, token_criteria=TokenCriteria(label=token_label), user_pin=pin
        )
    except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinInvalid, pkcs11.exceptions.PinLenRange) as exc:
        raise refused("wrong_pin", "Mã PIN không đúng.", "Wrong PIN.") from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise refused("pin_locked", "Mã PIN của thiết bị ký đã bị khóa.", "The token's PIN is locked.") from exc
    except PKCS11Error as exc:
        raise refused(
            "no_token",
            f"Không tìm thấy thiết bị ký “{token_label}”; hãy kiểm tra thiết bị đã được cắm vào máy chủ.",
            f"No token labelled “{token_label}” is attached to the server.",
        ) from exc

    async def sign() -> bytes:
        signer = PKCS11Signer(session, cert_label=key_label, key_label=key_label, other_certs_to_pull=None)
        try:
            signer.signing_cert  # noqa: B018 - reading it pulls the key and certificate from the token
        except PKCS11Error as exc:
            raise refused(
                "no_key",
                f"Trên thiết bị ký không có khóa và chứng thư số “{key_label}”.",
                f"The token holds no key and certificate labelled “{key_label}”.",
            ) from exc
        return await _sign_with(
            pdf, signer, setup, placement, expected_name=expected_name, reason=reason, location=location
        )

    try:
        return _run(sign())
    finally:
        session.close()


def sign_with_seal(
    pdf: bytes, setup: SigningSetup, placement: Placement, *, p12: Path, password: bytes, reason: str, location: str
) -> bytes:
    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=password)
    if signer is None:
        raise refused(
            "bad_certificate", "Không đọc được chứng thư số của con dấu.", f"Cannot read the seal {p12}.", 500
        )

    return _run(_sign_with(pdf, signer, setup, placement, expected_name=None, reason=reason, location=location))


# External signing: the signer's own tool signs what HopSo prepared.


@dataclass(frozen=True)
class Prepared:
    """A PDF with room for one signature, and what must be signed: the byte range's digest and the CMS signed
    attributes over it (for tools that sign raw data)."""

    pdf: bytes
    digest: bytes
    start: int
    end: int
    signed_attributes: bytes
    certificate: bytes
    chain: tuple[bytes, ...]

    def state(self) -> dict[str, Any]:
        """What to keep until the signature comes back (the PDF itself is kept as a file)."""
        encoded = {
            key: base64.b64encode(value).decode() for key, value in asdict(self).items() if isinstance(value, bytes)
        }
        return encoded | {
            "start": self.start,
            "end": self.end,
            "chain": [base64.b64encode(c).decode() for c in self.chain],
        }

    @classmethod
    def of(cls, pdf: bytes, state: dict[str, Any]) -> Prepared:
        decoded = {key: base64.b64decode(state[key]) for key in ("digest", "signed_attributes", "certificate")}
        return cls(
            pdf,
            **decoded,
            start=state["start"],
            end=state["end"],
            chain=tuple(base64.b64decode(c) for c in state["chain"]),
        )


def prepare_external(
    pdf: bytes,
    setup: SigningSetup,
    placement: Placement,
    *,
    certificate: asn1_x509.Certificate,
    chain: list[asn1_x509.Certificate],
    expected_name: str,
    reason: str,
    location: str,
) -> Prepared:
    async def prepare() -> Prepared:
        await check_certificate(certificate, chain, setup, expected_name=expected_name)
        signer = signers.ExternalSigner(
            certificate, SimpleCertificateStore.from_certs([certificate, *chain]), signature_value=bytes(512)
        )
        with tempfile.TemporaryDirectory() as directory:
            pdf_signer = _pdf_signer(
                placement,
                signer,
                common_name(certificate),
                directory,
                reason=reason,
                location=location,
                timestamper=None,
            )
            digest, _document, output = await pdf_signer.async_digest_doc_for_signing(
                IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=RESERVED
            )
        attributes = await signer.signed_attrs(digest.document_digest, DIGEST, use_pades=True)
        return Prepared(
            pdf=output.getvalue(),
            digest=digest.document_digest,
            start=digest.reserved_region_start,
            end=digest.reserved_region_end,
            signed_attributes=attributes.dump(),
            certificate=certificate.dump(),
            chain=tuple(c.dump() for c in chain),
        )

    return _run(prepare())


def _byte_range_digest(prepared: Prepared) -> bytes:
    """The digest of the prepared file as it is now, outside the room left for the signature."""
    return hashlib.sha256(prepared.pdf[: prepared.start] + prepared.pdf[prepared.end :]).digest()


def _mismatch() -> ApiError:
    return refused(
        "signature_mismatch",
        "Chữ ký trả về không phải ký trên đúng tài liệu đã chuẩn bị; chưa có gì được lưu. Hãy chuẩn bị và ký lại.",
        "The returned signature is not over the prepared document; nothing was stored. Prepare and sign again.",
    )


def _verify(certificate: bytes, signature: bytes, signed: bytes, algorithm: str) -> None:
    public_key = x509.load_der_x509_certificate(certificate).public_key()
    chosen = hashes.SHA256() if algorithm == "sha256" else hashes.SHA384() if algorithm == "sha384" else hashes.SHA512()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, signed, padding.PKCS1v15(), chosen)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, signed, ec.ECDSA(chosen))
        else:
            raise InvalidSignature
    except InvalidSignature as exc:
        raise _mismatch() from exc


def _returned_cms(prepared: Prepared, data: bytes) -> cms.ContentInfo:
    try:
        info = cms.ContentInfo.load(data)
        signed = info["content"]
        signer_info = signed["signer_infos"][0]
        attributes = {a["type"].native: a["values"][0] for a in signer_info["signed_attrs"]}
        digest = attributes["message_digest"].native
        algorithm = signer_info["digest_algorithm"]["algorithm"].native
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise refused(
            "signature_unreadable",
            "Dữ liệu trả về không phải chữ ký CMS/PKCS#7 hợp lệ.",
            "The returned data is not a valid CMS/PKCS#7 signature.",
        ) from exc
    certificates = [c.chosen.dump() for c in signed["certificates"] or []]
    issuer_serial = signer_info["sid"].chosen
    signer_certificate = asn1_x509.Certificate.load(prepared.certificate)
    if (
        not isinstance(issuer_serial, cms.IssuerAndSerialNumber)
        or issuer_serial["serial_number"].native != signer_certificate.serial_number
    ):
        raise refused(
            "certificate_other_person",
            "Chữ ký trả về được tạo bằng chứng thư số khác với chứng thư đã dùng khi chuẩn bị.",
            "The returned signature was made with another certificate than the one given when preparing.",
        )
    if digest != _byte_range_digest(prepared) or digest != prepared.digest:
        raise _mismatch()
    _verify(
        prepared.certificate, signer_info["signature"].native, signer_info["signed_attrs"].untag().dump(), algorithm
    )
    missing = [c for c in (prepared.certificate, *prepared.chain) if c not in certificates]
    if missing:
        signed["certificates"] = cms.CertificateSet(
            [
                *(signed["certificates"] or []),
                *(cms.CertificateChoices({"certificate": asn1_x509.Certificate.load(c)}) for c in missing),
            ]
        )
    return info


async def _timestamped(info: cms.ContentInfo, setup: SigningSetup) -> cms.ContentInfo:
    """The signature with an RFC 3161 timestamp over its value, as PAdES puts one (unsigned attribute)."""
    timestamper = setup.timestamper()
    if timestamper is None:
        return info
    signer_info = info["content"]["signer_infos"][0]
    try:
        token = await timestamper.async_timestamp(hashlib.sha256(signer_info["signature"].native).digest(), DIGEST)
    except (TimestampRequestError, TimeoutError) as exc:
        raise _tsa_unavailable(exc) from exc
    signer_info["unsigned_attrs"] = cms.CMSAttributes(
        [cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})]
    )
    return info


def finish_external(
    prepared: Prepared, setup: SigningSetup, *, cms_data: bytes | None, signature: bytes | None
) -> bytes:
    """Embed the returned signature: a whole CMS (`cms_data`), or a raw signature over the prepared attributes."""

    async def finish() -> bytes:
        if signature is not None:
            _verify(prepared.certificate, signature, prepared.signed_attributes, DIGEST)
            if _byte_range_digest(prepared) != prepared.digest:
                raise _mismatch()
            certificate = asn1_x509.Certificate.load(prepared.certificate)
            chain = [asn1_x509.Certificate.load(c) for c in prepared.chain]
            signer = signers.ExternalSigner(
                certificate, SimpleCertificateStore.from_certs([certificate, *chain]), signature_value=signature
            )
            info = await signer.async_sign_prescribed_attributes(
                DIGEST, cms.CMSAttributes.load(prepared.signed_attributes)
            )
        else:
            assert cms_data is not None
            info = _returned_cms(prepared, cms_data)
        info = await _timestamped(info, setup)
        output = io.BytesIO(prepared.pdf)
        try:
            await PdfTBSDocument.async_finish_signing(
                output, PreparedByteRangeDigest(prepared.digest, prepared.start, prepared.end), info
            )
        except SigningError as exc:
            raise refused(
                "signature_too_large",
                "Chữ ký trả về lớn hơn chỗ dành cho nó trong tài liệu.",
                "The returned signature does not fit the room left for it.",
            ) from exc
        field = next(s.field_name for s in PdfFileReader(io.BytesIO(output.getvalue())).embedded_signatures[-1:])
        return await _with_validation_data(output.getvalue(), field, setup)

    return _run(finish())


# Checking, as any reader of the file would.


@dataclass(frozen=True)
class SignatureCheck:
    """One signature of the file: who signed and when, the timestamp, whether it is intact and valid, whether its
    certificate chains to a trusted root, and what changed after it ("none"; "signatures": only later signatures
    and validation data; "other": anything else, which voids it)."""

    field: str
    signer: str
    signed_at: str | None
    timestamp: str | None
    timestamp_valid: bool
    intact: bool
    valid: bool
    trusted: bool
    changed_after: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.changed_after != "other"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


def check_signatures(
    pdf: bytes, setup: SigningSetup, extra_roots: tuple[asn1_x509.Certificate, ...] = ()
) -> list[SignatureCheck]:
    """Validate every signature of the file offline; a damaged file is reported as one failed check."""

    async def check() -> list[SignatureCheck]:
        checks = []
        reader = PdfFileReader(io.BytesIO(pdf))
        for signature in reader.embedded_signatures:
            context = ValidationContext(trust_roots=[*setup.trust_roots, *extra_roots], allow_fetching=False)
            try:
                status = await async_validate_pdf_signature(
                    signature, signer_validation_context=context, ts_validation_context=context
                )
            finally:
                await context.aclose()
            stamp = status.timestamp_validity
            coverage = status.coverage.name if status.coverage else ""
            if coverage == "ENTIRE_FILE":
                changed = "none"
            elif coverage == "ENTIRE_REVISION" and status.docmdp_ok:
                changed = "signatures"
            else:
                changed = "other"
            checks.append(
                SignatureCheck(
                    field=signature.field_name,
                    signer=common_name(status.signing_cert),
                    signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
                    timestamp=stamp.timestamp.isoformat() if stamp else None,
                    timestamp_valid=bool(stamp and stamp.intact and stamp.valid),
                    intact=bool(status.intact),
                    valid=bool(status.valid),
                    trusted=bool(status.trusted),
                    changed_after=changed,
                )
            )
        return checks

    try:
        return _run(check())
    except Exception as exc:  # pyHanko raises many kinds on a damaged file; each means "not valid"
        return [SignatureCheck("", "", None, None, False, False, False, False, "other", f"{type(exc).__name__}: {exc}")]
