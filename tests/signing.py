"""What the signing tests stand on, all made here: a CA with its CRL, people's certificates (good, expired, not yet
valid, not for signing, someone else's), an RFC 3161 TSA and the CRL served over HTTP on loopback, a SoftHSM2
token whose keys were generated on it, a "CA signing tool" that turns what HopSo hands out into a signature with a
key the test holds, and poppler's `pdfsig` to read the result as an outsider would.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign import signers
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tests.support import free_port, missing, require_executable

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN = "HOPSO-TEST"
PIN = "123456"
SO_PIN = "12345678"
SECRETARY_NAME = "Dương Công Phong"
CHAIR_NAME = "Bùi Minh Bình"


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


@dataclass
class Issued:
    """A certificate and, when the test holds it, its private key."""

    certificate: x509.Certificate
    key: PrivateKeyTypes | None = None

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return _asn1(self.certificate)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "HĐND xã Phiên Họp"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, sign: bool = True, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign and not ca,
        content_commitment=sign and not ca,
        key_encipherment=not sign,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


class Pki:
    """A test CA ("CA thử nghiệm HopSo") whose certificates point at a CRL served by `CaServer`."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC)
        name = _name("CA thử nghiệm HopSo")
        self.ca = Issued(
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage(ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.ca_key.public_key()), critical=False)
            .sign(self.ca_key, hashes.SHA256()),
            self.ca_key,
        )
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.tsa = self.issue("Máy chủ dấu thời gian thử nghiệm", tsa_key.public_key(), key=tsa_key, timestamping=True)
        self.crl = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca.certificate.subject)
            .last_update(now - timedelta(days=1))
            .next_update(now + timedelta(days=30))
            .sign(self.ca_key, hashes.SHA256())
            .public_bytes(serialization.Encoding.DER)
        )

    def issue(
        self,
        common_name: str,
        public_key: Any,
        *,
        key: PrivateKeyTypes | None = None,
        valid_from: datetime | None = None,
        valid_to: datetime | None = None,
        sign: bool = True,
        timestamping: bool = False,
    ) -> Issued:
        now = datetime.now(UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.ca.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or now - timedelta(days=30))
            .not_valid_after(valid_to or now + timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(sign=sign), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), critical=False)
            .add_extension(
                x509.CRLDistributionPoints(
                    [
                        x509.DistributionPoint(
                            [x509.UniformResourceIdentifier(f"{self.base_url}/ca.crl")], None, None, None
                        )
                    ]
                ),
                critical=False,
            )
        )
        if timestamping:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        return Issued(builder.sign(self.ca_key, hashes.SHA256()), key)

    def person(self, common_name: str, **options: Any) -> Issued:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return self.issue(common_name, key.public_key(), key=key, **options)

    def write_root(self, directory: Path) -> Path:
        path = directory / "ca-thu-nghiem.pem"
        path.write_text(self.ca.pem)
        return path

    def timestamper(self) -> DummyTimeStamper:
        tsa_key = self.tsa.key
        assert isinstance(tsa_key, rsa.RSAPrivateKey)
        der = tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return DummyTimeStamper(
            self.tsa.asn1,
            asn1_keys.PrivateKeyInfo.load(der),
            certs_to_embed=SimpleCertificateStore.from_certs([self.ca.asn1]),
        )


class CaServer:
    """The CA's services on loopback, in a thread: the TSA (POST /tsa) and the CRL (GET /ca.crl)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pki: Pki | None = None
        self.timestamps = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _answer(self, body: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                assert server.pki is not None
                if self.path == "/ca.crl":
                    self._answer(server.pki.crl, "application/pkix-crl")
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                assert server.pki is not None
                request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
                reply = asyncio.run(server.pki.timestamper().async_request_tsa_response(request))
                server.timestamps += 1
                self._answer(reply.dump(), "application/timestamp-reply")

        self.http = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/tsa"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


class SilentTsa:
    """A TSA address that accepts connections and never answers."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/tsa"

    def close(self) -> None:
        self.socket.close()


def _tool(*arguments: str) -> str:
    done = subprocess.run(
        ["pkcs11-tool", "--module", SOFTHSM_MODULE, "--token-label", TOKEN, *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass
class SoftHsm:
    """A SoftHSM2 token with one key pair per label, generated on the token; its certificates are the CA's."""

    module: str
    directory: Path
    certificates: dict[str, Issued] = field(default_factory=dict)

    def add_key(self, pki: Pki, label: str, common_name: str, **options: Any) -> Issued:
        key_id = f"{len(self.certificates) + 1:02x}"
        _tool("--login", "--pin", PIN, "--keypairgen", "--key-type", "rsa:2048", "--id", key_id, "--label", label)
        public_der = self.directory / f"{label}.pub.der"
        _tool("--read-object", "--type", "pubkey", "--id", key_id, "--output-file", str(public_der))
        public_key = serialization.load_der_public_key(public_der.read_bytes())
        issued = pki.issue(common_name, public_key, **options)
        certificate = self.directory / f"{label}.crt.der"
        certificate.write_bytes(issued.der)
        _tool(
            "--login",
            "--pin",
            PIN,
            "--write-object",
            str(certificate),
            "--type",
            "cert",
            "--id",
            key_id,
            "--label",
            label,
        )
        self.certificates[label] = issued
        return issued


def make_softhsm(directory: Path, pki: Pki) -> SoftHsm:
    """A token with the secretary's and the chair's keys and the faulty ones the refusals need."""
    require_executable("softhsm2-util", "apt-get install softhsm2")
    require_executable("pkcs11-tool", "apt-get install opensc")
    if not Path(SOFTHSM_MODULE).exists():
        missing(f"{SOFTHSM_MODULE} (apt-get install softhsm2)")
    tokens = directory / "tokens"
    tokens.mkdir(parents=True)
    config = directory / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    # SoftHSM reads this when the library is first loaded in the process; every token lives in this one folder.
    os.environ["SOFTHSM2_CONF"] = str(config)
    subprocess.run(
        ["softhsm2-util", "--init-token", "--free", "--label", TOKEN, "--so-pin", SO_PIN, "--pin", PIN],
        check=True,
        capture_output=True,
    )
    hsm = SoftHsm(SOFTHSM_MODULE, directory)
    now = datetime.now(UTC)
    hsm.add_key(pki, "thu-ky", SECRETARY_NAME)
    hsm.add_key(pki, "chu-toa", CHAIR_NAME)
    hsm.add_key(pki, "het-han", SECRETARY_NAME, valid_from=now - timedelta(days=800), valid_to=now - timedelta(days=1))
    hsm.add_key(pki, "chua-hieu-luc", SECRETARY_NAME, valid_from=now + timedelta(days=2))
    hsm.add_key(pki, "khong-ky", SECRETARY_NAME, sign=False)
    hsm.add_key(pki, "nguoi-khac", "Trần Văn Khác")
    return hsm


@dataclass
class SigningWorld:
    """The whole test PKI, its services and the token, made once for the test run."""

    pki: Pki
    server: CaServer
    hsm: SoftHsm
    roots: Path
    people: dict[str, Issued]

    def settings_update(self, **changes: Any) -> dict[str, Any]:
        return {
            "signing_pkcs11_module": self.hsm.module,
            "signing_tsa_url": self.server.tsa_url,
            "signing_tsa_timeout": 5.0,
            "signing_trust_roots": str(self.roots),
        } | changes


@pytest.fixture(scope="session")
def signing_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SigningWorld]:
    directory = tmp_path_factory.mktemp("signing")
    server = CaServer()
    pki = Pki(server.url)
    server.pki = pki
    previous = os.environ.get("SOFTHSM2_CONF")
    hsm = make_softhsm(directory / "hsm", pki)
    people = {
        "secretary": pki.person(SECRETARY_NAME),
        "chair": pki.person(CHAIR_NAME),
        "expired": pki.person(
            CHAIR_NAME,
            valid_from=datetime.now(UTC) - timedelta(days=800),
            valid_to=datetime.now(UTC) - timedelta(days=1),
        ),
        "other": pki.person("Trần Văn Khác"),
    }
    yield SigningWorld(pki, server, hsm, pki.write_root(directory), people)
    server.close()
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


# The signer's CA tool, played by the test with a key it holds.


def tool_cms(issued: Issued, digest_b64: str, *, chain: list[Issued] = ()) -> str:  # type: ignore[assignment]
    """A detached CMS signature over the prepared digest, as a CA signing tool returns it (base64 DER)."""
    key = issued.key
    assert isinstance(key, rsa.RSAPrivateKey)
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    signer = signers.SimpleSigner(
        issued.asn1,
        asn1_keys.PrivateKeyInfo.load(der),
        SimpleCertificateStore.from_certs([issued.asn1, *(c.asn1 for c in chain)]),
    )
    signed = asyncio.run(signer.async_sign(base64.b64decode(digest_b64), "sha256", use_pades=True))
    return base64.b64encode(signed.dump()).decode()


def tool_raw_signature(issued: Issued, signed_attributes_b64: str) -> str:
    """A raw RSA signature over the prepared signed attributes, as tools that sign data return it."""
    key = issued.key
    assert isinstance(key, rsa.RSAPrivateKey)
    signature = key.sign(base64.b64decode(signed_attributes_b64), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signature).decode()


def pdfsig(pdf: bytes, directory: Path) -> str:
    """poppler's report on the file's signatures."""
    require_executable("pdfsig", "apt-get install poppler-utils")
    path = directory / "signed.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return done.stdout + done.stderr
