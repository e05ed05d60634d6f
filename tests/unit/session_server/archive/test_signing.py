"""PAdES signatures of the people who sign the minutes, checked as an outsider would (pyHanko's validator and
poppler's pdfsig): the secretary then the chair, each incremental and both valid at the end, with a timestamp from
an RFC 3161 TSA and embedded validation data that still validate offline; by a key on a SoftHSM2 token or through
external signing with a key the test holds; the organisation seal; and every refusal of the bad-input list."""

from __future__ import annotations

import base64
import io
from dataclasses import replace
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from session_server.archive.signing import (
    CHAIR,
    SEAL,
    SECRETARY,
    Placement,
    Prepared,
    SigningSetup,
    check_signatures,
    finish_external,
    load_certificates,
    prepare_external,
    sign_with_seal,
    sign_with_token,
)
from session_server.errors import ApiError
from session_server.paperwork import render_pdf
from tests.signing import (
    CHAIR_NAME,
    PIN,
    SECRETARY_NAME,
    TOKEN,
    SigningWorld,
    SilentTsa,
    pdfsig,
    tool_cms,
    tool_raw_signature,
)
from tests.unit.session_server.paperwork.sample import minutes

PLACE = "Hội trường UBND xã"


@pytest.fixture(scope="module")
def approved() -> tuple[bytes, dict[str, Placement]]:
    rendered = render_pdf(minutes(signers=minutes().signers))
    placements = {
        role: Placement(role, box.page, box.pdf_box(), "Đã ký số", name, "Asia/Ho_Chi_Minh")
        for (role, box), name in zip(rendered.signature_boxes.items(), (SECRETARY_NAME, CHAIR_NAME), strict=True)
    }
    placements[SEAL] = replace(placements[CHAIR], role=SEAL, heading="HĐND xã Kiến Minh")
    return rendered.data, placements


def setup_of(world: SigningWorld, **changes: object) -> SigningSetup:
    setup = SigningSetup(
        trust_roots=load_certificates(str(world.roots)),
        tsa_url=world.server.tsa_url,
        tsa_timeout=5,
        pkcs11_module=world.hsm.module,
    )
    return replace(setup, **changes)


def token_sign(world: SigningWorld, pdf: bytes, placement: Placement, key: str, name: str, **changes: object) -> bytes:
    options: dict[str, object] = {"token_label": TOKEN, "key_label": key, "pin": PIN} | changes
    setup = options.pop("setup", setup_of(world))
    return sign_with_token(
        pdf,
        setup,
        placement,
        expected_name=name,
        reason="Ký biên bản",
        location=PLACE,
        **options,  # type: ignore[arg-type]
    )


def refusal(code: str, call: object, *args: object, **kwargs: object) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.code == code, caught.value.en
    return caught.value


def test_secretary_then_chair_sign_on_the_token_and_both_signatures_validate(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]], tmp_path: Path
) -> None:
    pdf, places = approved
    once = token_sign(signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME)
    twice = token_sign(signing_world, once, places[CHAIR], "chu-toa", CHAIR_NAME)

    assert twice.startswith(once) and once.startswith(pdf), "each signature is an incremental update"
    secretary, chair = check_signatures(twice, setup_of(signing_world))
    assert (secretary.field, secretary.signer) == ("ThuKy", SECRETARY_NAME)
    assert (chair.field, chair.signer) == ("ChuToa", CHAIR_NAME)
    for check in (secretary, chair):
        assert check.ok and check.intact and check.valid and check.trusted, check
        assert check.timestamp is not None and check.timestamp_valid
    assert secretary.changed_after == "signatures", "only the chair's signature and validation data came after"
    assert chair.changed_after in ("none", "signatures")

    report = pdfsig(twice, tmp_path)
    assert report.count("Signature is Valid.") == 2, report
    assert f"Signer Certificate Common Name: {SECRETARY_NAME}" in report
    assert f"Signer Certificate Common Name: {CHAIR_NAME}" in report


def test_signatures_carry_validation_data_and_validate_offline_as_long_term(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    """PAdES B-LT: the certificates and the CRL are in the file, so it validates with nothing fetched and revocation
    checks required, as of the moment its timestamp proves (which is how it still validates once expired)."""
    pdf, places = approved
    signed = token_sign(signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME)
    reader = PdfFileReader(io.BytesIO(signed))
    store = DocumentSecurityStore.read_dss(reader)
    assert store.crls and list(store.load_certs()), "the CA's CRL and the certificates are in the file"
    signature = reader.embedded_signatures[0]
    roots = ValidationContext(trust_roots=[signing_world.pki.ca.asn1])
    stamped = validate_pdf_signature(signature, roots, roots).timestamp_validity
    assert stamped is not None and stamped.trusted
    context = store.as_validation_context(
        {
            "trust_roots": [signing_world.pki.ca.asn1],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
            "moment": stamped.timestamp,
        }
    )
    status = validate_pdf_signature(signature, signer_validation_context=context)
    assert status.bottom_line and status.trusted and status.revocation_details is None


def test_a_signature_shows_in_the_signers_column(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    pdf, places = approved
    signed = token_sign(signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME)
    reader = PdfFileReader(io.BytesIO(signed))
    field = next(s for s in reader.embedded_signatures if s.field_name == "ThuKy")
    rect = [float(v) for v in field.sig_field["/Rect"]] if "/Rect" in field.sig_field else []
    if not rect:
        rect = [float(v) for v in field.sig_field["/Kids"][0]["/Rect"]]
    assert rect == pytest.approx(list(places[SECRETARY].box), abs=1)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"pin": "000000"}, "wrong_pin"),
        ({"token_label": "KHONG-CO"}, "no_token"),
        ({"key_label": "khong-co-khoa"}, "no_key"),
        ({"key_label": "het-han"}, "certificate_expired"),
        ({"key_label": "chua-hieu-luc"}, "certificate_not_yet_valid"),
        ({"key_label": "khong-ky"}, "certificate_key_usage"),
        ({"key_label": "nguoi-khac"}, "certificate_other_person"),
    ],
)
def test_token_signing_refuses_bad_input_with_a_clear_reason(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]], changes: dict[str, str], code: str
) -> None:
    pdf, places = approved
    error = refusal(code, token_sign, signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME, **changes)
    assert error.vi and error.en and error.status in (409, 422)


def test_a_certificate_outside_the_trust_roots_is_refused(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]], tmp_path: Path
) -> None:
    pdf, places = approved
    elsewhere = tmp_path / "other-root.pem"
    elsewhere.write_text(signing_world.people["other"].pem)
    setup = setup_of(signing_world, trust_roots=load_certificates(str(elsewhere)))
    refusal(
        "certificate_untrusted",
        token_sign,
        signing_world,
        pdf,
        places[SECRETARY],
        "thu-ky",
        SECRETARY_NAME,
        setup=setup,
    )


def test_a_tsa_that_does_not_answer_stops_the_signature(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    pdf, places = approved
    silent = SilentTsa()
    try:
        setup = setup_of(signing_world, tsa_url=silent.url, tsa_timeout=1)
        error = refusal(
            "tsa_unavailable", token_sign, signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME, setup=setup
        )
    finally:
        silent.close()
    assert error.status == 502


def prepare(world: SigningWorld, pdf: bytes, placement: Placement, who: str, name: str, **changes: object) -> Prepared:
    setup = changes.pop("setup", setup_of(world))
    return prepare_external(
        pdf,
        setup,  # type: ignore[arg-type]
        placement,
        certificate=world.people[who].asn1,
        chain=[world.pki.ca.asn1],
        expected_name=name,
        reason="Ký biên bản",
        location=PLACE,
    )


def test_external_signing_embeds_the_tools_cms_and_the_raw_signature_alike(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]], tmp_path: Path
) -> None:
    pdf, places = approved
    prepared = prepare(signing_world, pdf, places[SECRETARY], "secretary", SECRETARY_NAME)
    cms = base64.b64decode(tool_cms(signing_world.people["secretary"], base64.b64encode(prepared.digest).decode()))
    once = finish_external(prepared, setup_of(signing_world), cms_data=cms, signature=None)
    assert once.startswith(prepared.pdf[: prepared.start])

    second = prepare(signing_world, once, places[CHAIR], "chair", CHAIR_NAME)
    raw = tool_raw_signature(signing_world.people["chair"], base64.b64encode(second.signed_attributes).decode())
    twice = finish_external(second, setup_of(signing_world), cms_data=None, signature=base64.b64decode(raw))

    checks = check_signatures(twice, setup_of(signing_world))
    assert [(c.signer, c.ok, c.trusted, c.timestamp_valid) for c in checks] == [
        (SECRETARY_NAME, True, True, True),
        (CHAIR_NAME, True, True, True),
    ]
    assert pdfsig(twice, tmp_path).count("Signature is Valid.") == 2


def test_a_returned_signature_over_other_bytes_is_refused(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    pdf, places = approved
    prepared = prepare(signing_world, pdf, places[SECRETARY], "secretary", SECRETARY_NAME)
    other = base64.b64encode(bytes(32)).decode()
    cms = base64.b64decode(tool_cms(signing_world.people["secretary"], other))
    refusal("signature_mismatch", finish_external, prepared, setup_of(signing_world), cms_data=cms, signature=None)
    raw = tool_raw_signature(signing_world.people["secretary"], base64.b64encode(b"\x31\x00").decode())
    refusal(
        "signature_mismatch",
        finish_external,
        prepared,
        setup_of(signing_world),
        cms_data=None,
        signature=base64.b64decode(raw),
    )
    altered = bytearray(prepared.pdf)
    altered[len(pdf) // 2] ^= 1
    tampered = replace(prepared, pdf=bytes(altered))
    good = base64.b64decode(tool_cms(signing_world.people["secretary"], base64.b64encode(prepared.digest).decode()))
    refusal("signature_mismatch", finish_external, tampered, setup_of(signing_world), cms_data=good, signature=None)


def test_a_cms_by_another_certificate_is_refused(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    pdf, places = approved
    prepared = prepare(signing_world, pdf, places[SECRETARY], "secretary", SECRETARY_NAME)
    cms = base64.b64decode(tool_cms(signing_world.people["other"], base64.b64encode(prepared.digest).decode()))
    refusal(
        "certificate_other_person", finish_external, prepared, setup_of(signing_world), cms_data=cms, signature=None
    )
    refusal(
        "signature_unreadable",
        finish_external,
        prepared,
        setup_of(signing_world),
        cms_data=b"\x30\x03abc",
        signature=None,
    )


def test_external_preparation_checks_the_certificate_first(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]]
) -> None:
    pdf, places = approved
    refusal("certificate_expired", prepare, signing_world, pdf, places[CHAIR], "expired", CHAIR_NAME)
    refusal("certificate_other_person", prepare, signing_world, pdf, places[CHAIR], "other", CHAIR_NAME)


def test_the_seal_signs_after_the_people_and_leaves_their_signatures_valid(
    signing_world: SigningWorld, approved: tuple[bytes, dict[str, Placement]], tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    pdf, places = approved
    once = token_sign(signing_world, pdf, places[SECRETARY], "thu-ky", SECRETARY_NAME)
    twice = token_sign(signing_world, once, places[CHAIR], "chu-toa", CHAIR_NAME)
    seal = signing_world.pki.person("Hội đồng nhân dân xã Kiến Minh")
    p12 = tmp_path / "seal.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"seal", seal.key, seal.certificate, [signing_world.pki.ca.certificate], BestAvailableEncryption(b"pw")
        )  # type: ignore[arg-type]
    )
    sealed = sign_with_seal(
        twice, setup_of(signing_world), places[SEAL], p12=p12, password=b"pw", reason="Xác nhận", location=PLACE
    )
    checks = check_signatures(sealed, setup_of(signing_world))
    assert [c.field for c in checks] == ["ThuKy", "ChuToa", "DauCoQuan"]
    assert all(c.ok and c.trusted for c in checks)


def test_the_demo_seal_vouches_for_itself_only_and_one_altered_byte_breaks_it(
    approved: tuple[bytes, dict[str, Placement]], tmp_path: Path
) -> None:
    """Without a configured seal each council gets a self-signed demo one: trusted to check itself, nothing else."""
    from session_server.archive.seal import council_certificate, demo_roots
    from session_server.settings import load_settings

    pdf, places = approved
    settings = load_settings(environ={}, data_dir=tmp_path / "data", secret_key="test-secret-key")
    ours = council_certificate(settings, 1, "Hội đồng nhân dân xã Phiên Họp")
    theirs = council_certificate(settings, 2, "Hội đồng nhân dân phường Khác")
    setup = SigningSetup()
    sealed = sign_with_seal(
        pdf, setup, places[SEAL], p12=ours.path, password=ours.password, reason="Xác nhận", location=PLACE
    )

    (check,) = check_signatures(sealed, setup, demo_roots(ours, settings))
    assert check.ok and check.trusted and check.signer == "Hội đồng nhân dân xã Phiên Họp"
    assert not check_signatures(sealed, setup, demo_roots(theirs, settings))[0].trusted
    altered = bytearray(sealed)
    altered[len(pdf) // 3] ^= 0x01
    assert not check_signatures(bytes(altered), setup, demo_roots(ours, settings))[0].ok
    assert council_certificate(settings, 1, "x").path == ours.path, "the demo certificate is made once per council"
