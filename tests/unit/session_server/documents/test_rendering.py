"""Choosing a page's format from the Accept header, and the watermark's words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import make_mocked_request

from session_server.documents.pdf import ImageFormat
from session_server.documents.rendering import negotiated_format, watermark_text


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8", ImageFormat.WEBP),
        ("image/webp;q=0.9, image/png", ImageFormat.WEBP),
        ("image/png,image/*;q=0.8", ImageFormat.PNG),
        ("*/*", ImageFormat.PNG),
        ("", ImageFormat.PNG),
    ],
)
def test_webp_goes_to_clients_that_say_they_take_it(accept: str, fmt: ImageFormat) -> None:
    assert negotiated_format(make_mocked_request("GET", "/", headers={"Accept": accept})) is fmt


def test_the_watermark_names_the_viewer_and_the_councils_local_time() -> None:
    at = datetime(2026, 12, 10, 1, 5, tzinfo=UTC)

    assert watermark_text("Trần Thị Bình", "Asia/Ho_Chi_Minh", at) == "Trần Thị Bình · 10/12/2026 08:05"
    assert watermark_text("Lê An", "No/Such_Zone", at) == "Lê An · 10/12/2026 08:05"
