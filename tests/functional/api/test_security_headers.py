"""`hopso serve` alone, with no nginx in front, sends the headers that keep browsers safe on every answer, and does
not name its software's version."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from session_server.app import create_app
from session_server.db.models import CouncilSession
from session_server.middleware import content_security_policy
from session_server.services import services_of
from session_server.viewer_routes import inline_script_hashes
from tests.conftest import make_settings
from tests.factories import make_live_world

FRONT_CONF = Path(__file__).resolve().parents[3] / "config" / "nginx" / "front.conf"
PATHS = ["/public/", "/staff/petitions/", "/static/shared/api.js", "/api/councils", "/api/khong-co", "/khong-co"]


@pytest.mark.parametrize("path", PATHS)
async def test_every_answer_carries_the_security_headers(sqlite_client: TestClient, path: str) -> None:
    response = await sqlite_client.get(path)
    headers = response.headers

    assert headers["Content-Security-Policy"] == content_security_policy(inline_script_hashes())
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Server"] == "HopSo"
    assert "Strict-Transport-Security" not in headers, "HSTS only when the public URL is https"


async def test_https_public_url_adds_strict_transport_security(
    aiohttp_client: Any, tmp_path: Path, sqlite_database: str
) -> None:
    settings = make_settings(tmp_path, sqlite_database, public_url="https://hdnd.example.vn")
    client = await aiohttp_client(create_app(settings))

    response = await client.get("/healthz")

    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_the_front_proxy_sends_the_apps_own_policy() -> None:
    """The policy allows our pages' inline import map by its hash; nginx must send the very same ones."""
    sent = re.findall(r'add_header Content-Security-Policy "([^"]*)" always;', FRONT_CONF.read_text())

    hashes = inline_script_hashes()
    assert sent == [content_security_policy(hashes), content_security_policy(hashes, framed_by="*")]


async def test_only_a_sessions_embed_page_may_be_framed_by_another_site(sqlite_client: TestClient) -> None:
    live = await make_live_world(services_of(sqlite_client.app).sessionmaker)
    async with services_of(sqlite_client.app).sessionmaker() as db:
        session = await db.get(CouncilSession, live.session_id)
        assert session is not None
        page = f"/public/{live.council.slug}/{session.slug}"

    framed = await sqlite_client.get(f"{page}/embed")
    own = await sqlite_client.get(page)

    assert framed.status == 200 and own.status == 200
    assert framed.headers["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "X-Frame-Options" not in framed.headers
    assert own.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")
    assert own.headers["X-Frame-Options"] == "SAMEORIGIN"
