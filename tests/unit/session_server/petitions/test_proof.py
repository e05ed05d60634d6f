"""The public form's proof of work: a signed challenge, a nonce that makes its hash start with zero bits, a time
window; what the browser's SHA-256 (viewer/static/public/work.js) computes must be what the server checks."""

from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path

import pytest

from session_server.errors import ApiError
from session_server.petitions.proof import check, issue, leading_zero_bits, solve
from tests.support import require_executable

SECRET = "bi-mat-cua-may-chu"
WORK_JS = Path(__file__).resolve().parents[4] / "viewer" / "static" / "public" / "work.js"


@pytest.mark.parametrize(
    ("digest", "bits"), [(b"\x00\x00\x80", 16), (b"\x00\x01", 15), (b"\x0f", 4), (b"\xff", 0), (b"\x00" * 32, 256)]
)
def test_leading_zero_bits_are_counted_across_bytes(digest: bytes, bits: int) -> None:
    assert leading_zero_bits(digest) == bits


def test_a_solved_challenge_passes_once_it_has_been_open_long_enough() -> None:
    challenge = issue(SECRET, 7, now=time.time() - 10)
    nonce = solve(challenge, 12)

    fingerprint = check(SECRET, 7, challenge, nonce, 12, 5)

    assert fingerprint == hashlib.sha256(challenge.encode()).hexdigest()
    assert leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) >= 12


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("other council", "hội đồng khác"),
        ("forged", "không hợp lệ"),
        ("too soon", "quá nhanh"),
        ("too late", "quá lâu"),
        ("no work", "chưa hoàn tất"),
    ],
)
def test_a_challenge_that_does_not_hold_is_refused_saying_why(case: str, words: str) -> None:
    opened = {"too soon": time.time(), "too late": time.time() - 7200}.get(case, time.time() - 10)
    challenge = issue(SECRET, 7, now=opened)
    nonce = solve(challenge, 12)
    if case == "forged":
        challenge = challenge[:-1] + ("0" if challenge[-1] != "0" else "1")
    if case == "no work":
        nonce = next(
            str(n) for n in range(100) if leading_zero_bits(hashlib.sha256(f"{challenge}:{n}".encode()).digest()) < 12
        )

    with pytest.raises(ApiError) as refused:
        check(SECRET, 8 if case == "other council" else 7, challenge, nonce, 12, 5)

    assert words in refused.value.vi


def test_the_browsers_sha256_agrees_with_pythons() -> None:
    node = require_executable("node", "Node.js 20+, which `make setup` needs for the browser libraries")
    challenge = issue(SECRET, 7)
    script = (
        f"import('{WORK_JS.as_uri()}').then(async (m) => {{"
        f"const nonce = await m.solve('{challenge}', 12); console.log(nonce, m.sha256Head('{challenge}:' + nonce)); }});"
    )
    nonce, head = subprocess.run([node, "-e", script], check=True, capture_output=True, text=True).stdout.split()

    assert int(head) == int.from_bytes(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()[:4], "big")
    check(SECRET, 7, challenge, nonce, 12, 0)
