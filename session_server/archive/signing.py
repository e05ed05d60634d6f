"""PAdES signatures on approved minutes with the council's certificate (pyHanko), and their check.

The certificate is a PKCS#12 file named by the settings (`{council_id}` in the path picks one per council). With no
setting, each council gets a self-signed demo certificate generated into `data_dir/signing`, its password derived
from the secret key. Blocking; callers run these in a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from session_server.settings import Settings

FIELD_NAME = "HopSoMinutes"
DEMO_YEARS = 10


@dataclass(frozen=True)
class Certificate:
    path: Path
    password: bytes


@dataclass(frozen=True)
class SignatureCheck:
    """What a reader of the signed PDF learns: untouched since signing (`intact`), a sound signature (`valid`), made
    with the council's certificate (`trusted`), by whom and when."""

    ok: bool
    intact: bool
    valid: bool
    trusted: bool
    signer: str
    signed_at: str | None
    coverage: str
    problem: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def council_certificate(settings: Settings, council_id: int, council_name: str) -> Certificate:
    if settings.signing_certificate:
        path = Path(settings.signing_certificate.replace("{council_id}", str(council_id)))
        return Certificate(path, settings.signing_certificate_password.encode())
    password = hmac.new(settings.secret_key.encode(), b"hopso demo signing", hashlib.sha256).hexdigest().encode()
    path = settings.data_dir / "signing" / f"council-{council_id}.p12"
    if not path.exists():
        _write_demo_certificate(path, password, council_name)
    return Certificate(path, password)


def _write_demo_certificate(path: Path, password: bytes, council_name: str) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(council_name)),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Chứng thư thử nghiệm (tự ký), HopSo"),
            x509.NameAttribute(NameOID.COMMON_NAME, _fit(council_name)),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * DEMO_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    bundle = pkcs12.serialize_key_and_certificates(
        _fit(council_name).encode(), key, certificate, None, serialization.BestAvailableEncryption(password)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(bundle)
    tmp.chmod(0o600)
    os.replace(tmp, path)


def _fit(text: str, limit: int = 64) -> str:
    """X.509 names are limited in UTF-8 bytes, and Vietnamese letters take two or three each."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def sign_pdf(pdf: bytes, certificate: Certificate, *, reason: str, location: str) -> bytes:
    signer = signers.SimpleSigner.load_pkcs12(str(certificate.path), passphrase=certificate.password)
    if signer is None:
        raise ValueError(f"cannot read the signing certificate {certificate.path}")
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, reason=reason, location=location
    )
    signed = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer)
    return signed.getvalue()


def _trust_roots(certificate: Certificate) -> list[asn1_x509.Certificate]:
    _key, own, extra = pkcs12.load_key_and_certificates(certificate.path.read_bytes(), certificate.password)
    found = [own, *extra] if own is not None else list(extra)
    return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in found]


def check_signature(pdf: bytes, certificate: Certificate) -> SignatureCheck:
    """Validate the PDF's signature against the council's certificate; a damaged file is reported, not raised."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        signatures = reader.embedded_signatures
        if not signatures:
            return SignatureCheck(False, False, False, False, "", None, "", "no signature")
        status = validate_pdf_signature(signatures[0], ValidationContext(trust_roots=_trust_roots(certificate)))
    except Exception as exc:  # pyHanko raises many kinds on a damaged file; each means "not valid".
        return SignatureCheck(False, False, False, False, "", None, "", f"{type(exc).__name__}: {exc}")
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None
    return SignatureCheck(
        ok=bool(status.bottom_line),
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        signed_at=signed_at,
        coverage=status.coverage.name.lower() if status.coverage else "",
    )
