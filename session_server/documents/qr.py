"""The QR code staff print for a session: it opens the session's public documents page on a phone."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def public_page_url(public_url: str, session_id: int) -> str:
    return f"{public_url}/public/?session={session_id}"


def _code(url: str) -> qrcode.QRCode:
    # Level M survives a printed sheet that is creased or photographed at an angle.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _code(url).make_image().save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    _code(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()
