"""Keeping bots off the public petition form without any outside service.

The form first asks for a challenge: the council, the time it was issued and a random part, signed with the
server's secret. The browser then searches for a nonce whose SHA-256 with the challenge starts with `bits` zero
bits (about 2^bits hashes: a second on a phone at 16 bits, far too dear for a flood of thousands). The server checks
the signature, that the form was open at least a few seconds (people read and type; scripts post at once) and at
most an hour, and the hash; the challenge's own hash is stored with the submission (a unique column), so each
challenge buys exactly one submission. A hidden field people never fill (the honeypot) catches naive bots too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from session_server.errors import ApiError, invalid

LIFETIME_SECONDS = 3600


def _signature(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), f"petition-form:{payload}".encode(), hashlib.sha256).hexdigest()[:32]


def issue(secret: str, council_id: int, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    payload = f"{council_id}.{issued}.{secrets.token_hex(8)}"
    return f"{payload}.{_signature(secret, payload)}"


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(challenge: str, bits: int) -> str:
    """What the browser does (tests and benchmarks use it too)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def _refused(vi: str, en: str) -> ApiError:
    return invalid(vi, en, [{"field": "challenge", "problem": en}])


def check(secret: str, council_id: int, challenge: str, nonce: str, bits: int, min_seconds: int) -> str:
    """The challenge's fingerprint (stored, unique) if the proof holds; an ApiError saying what is wrong if not."""
    payload, _, signature = challenge.rpartition(".")
    parts = payload.split(".")
    if len(parts) != 3 or not hmac.compare_digest(signature, _signature(secret, payload)):
        raise _refused("Biểu mẫu không hợp lệ; hãy tải lại trang rồi gửi lại.", "The form is not valid; reload it.")
    if parts[0] != str(council_id):
        raise _refused("Biểu mẫu này thuộc hội đồng khác.", "This form belongs to another council.")
    age = time.time() - int(parts[1])
    if age < min_seconds:
        raise _refused(
            "Bạn gửi quá nhanh; hãy kiểm tra lại nội dung rồi gửi sau vài giây.",
            "Sent too quickly; check the text and send again in a few seconds.",
        )
    if age > LIFETIME_SECONDS:
        raise _refused("Biểu mẫu đã mở quá lâu; hãy tải lại trang.", "The form has been open too long; reload it.")
    if leading_zero_bits(hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()) < bits:
        raise _refused("Trình duyệt chưa hoàn tất bước xác minh.", "The browser did not finish the check.")
    return hashlib.sha256(challenge.encode()).hexdigest()


def used() -> ApiError:
    return _refused("Biểu mẫu này đã được gửi; hãy tải lại trang để gửi ý kiến khác.", "This form was already sent.")
