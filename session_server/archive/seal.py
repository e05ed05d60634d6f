"""The council's organisation seal: a PKCS#12 file named by the settings (`{council_id}` in the path picks one per
council). With no setting, each council gets a self-signed demo certificate generated into `data_dir/signing`, its
password derived from the secret key. Blocking; callers run it in a worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from session_server.settings import Settings

DEMO_YEARS = 10


@dataclass(frozen=True)
class Certificate:
    path: Path
    password: bytes


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


def demo_roots(certificate: Certificate, settings: Settings) -> tuple[asn1_x509.Certificate, ...]:
    """The seal's own certificate when it is the self-signed demo one: it is trusted only to check itself."""
    if settings.signing_certificate:
        return ()
    _key, own, _extra = pkcs12.load_key_and_certificates(certificate.path.read_bytes(), certificate.password)
    assert own is not None
    return (asn1_x509.Certificate.load(own.public_bytes(serialization.Encoding.DER)),)
