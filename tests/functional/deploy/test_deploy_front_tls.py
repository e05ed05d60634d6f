"""The front nginx terminates TLS (config/nginx/front.conf) in front of a real `hopso serve`, self-signed certificate."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.factories import PASSWORD, LiveWorld, make_live_world_at
from tests.support import HopsoProcess, free_port


@dataclass
class TlsFront:
    https: str
    http: str
    live: LiveWorld


@pytest.fixture
def hopso_behind_tls(sqlite_database: str, tmp_path: Path) -> Iterator[tuple[HopsoProcess, LiveWorld, int]]:
    live = asyncio.run(make_live_world_at(sqlite_database))
    tls_port = free_port()
    env = {
        "HOPSO_DATA_DIR": str(tmp_path / "data"),
        "HOPSO_DATABASE_URL": sqlite_database,
        "HOPSO_SECRET_KEY": "test-secret-key",
        "HOPSO_PUBLIC_URL": f"https://127.0.0.1:{tls_port}",
        "HOPSO_TRUST_FORWARDED_FOR": "true",
        "HOPSO_RTMP_MODE": "off",
        "HOPSO_LOG_LEVEL": "warning",
    }
    hopso = HopsoProcess(env, free_port()).start()
    try:
        yield hopso, live, tls_port
    finally:
        hopso.stop()


@pytest.fixture
async def front(
    hopso_behind_tls: tuple[HopsoProcess, LiveWorld, int],
    render_nginx: Callable[[str, dict[str, str]], Path],
    start_nginx: Callable[[Path, int], Awaitable[None]],
    tls_dir: Path,
    tmp_path: Path,
) -> TlsFront:
    hopso, live, tls_port = hopso_behind_tls
    http_port = free_port()
    config = render_nginx(
        "front.conf",
        {
            "listen 443 ssl;": f"listen 127.0.0.1:{tls_port} ssl;",
            "listen 80 default_server;": f"listen 127.0.0.1:{http_port} default_server;",
            "/etc/nginx/tls/": f"{tls_dir}/",
            "server hopso:8080;": f"server 127.0.0.1:{hopso.port};",
            "/data/": f"{tmp_path}/data/",
        },
    )
    await start_nginx(config, tls_port)
    return TlsFront(f"https://127.0.0.1:{tls_port}", f"http://127.0.0.1:{http_port}", live)


@pytest.fixture
async def browser(tls_dir: Path) -> AsyncIterator[aiohttp.ClientSession]:
    """A client that trusts the test certificate and keeps cookies for an IP address host, as a browser would."""
    trusted = ssl.create_default_context(cafile=tls_dir / "fullchain.pem")
    connector = aiohttp.TCPConnector(ssl=trusted)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def test_https_is_served_with_the_deployments_certificate_and_hsts(
    front: TlsFront, browser: aiohttp.ClientSession
) -> None:
    async with browser.get(f"{front.https}/healthz") as response:
        assert response.status == 200
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert response.headers["X-Content-Type-Options"] == "nosniff"

    async with aiohttp.ClientSession() as untrusting:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await untrusting.get(f"{front.https}/healthz")


async def test_plain_http_is_redirected_to_the_same_address_over_https(front: TlsFront) -> None:
    async with (
        aiohttp.ClientSession() as plain,
        plain.get(
            f"{front.http}/public/1?tab=live", headers={"Host": "hop.example.gov.vn"}, allow_redirects=False
        ) as response,
    ):
        assert response.status == 301
        assert response.headers["Location"] == "https://hop.example.gov.vn/public/1?tab=live"


async def test_login_over_https_sets_a_secure_cookie_that_carries_later_writes(
    front: TlsFront, browser: aiohttp.ClientSession
) -> None:
    login = {"username": front.live.secretary.user.username, "password": PASSWORD}
    async with browser.post(f"{front.https}/api/auth/login", json=login) as response:
        assert response.status == 200, await response.text()
        cookie = response.cookies["hopso_session"]

    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    async with browser.get(f"{front.https}/api/auth/me") as response:
        assert (await response.json())["username"] == front.live.secretary.user.username
    async with browser.post(f"{front.https}/api/auth/logout", headers={"Origin": front.https}) as response:
        assert response.status < 300, await response.text()


async def test_socket_io_websocket_upgrades_over_tls(front: TlsFront, browser: aiohttp.ClientSession) -> None:
    async with browser.ws_connect(f"{front.https.replace('https', 'wss')}/socket.io/?EIO=4&transport=websocket") as ws:
        opening = await ws.receive_str(timeout=5)

    assert opening.startswith('0{"sid":')
