"""Failed sign-ins are limited per account from one address, per account, and (much higher) per address: one
person's typos on a hall's shared address lock only their own account there (DESIGN.md §10).

The clients connect from different loopback addresses (127.0.0.2, 127.0.0.3, ...) so the limits can be told apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient, AiohttpServer

from session_server.app import create_app
from session_server.services import services_of
from tests.conftest import make_settings
from tests.factories import PASSWORD, make_world
from tests.functional.api.checks import error_of

MAX_FAILURES = 2
ACCOUNT_MAX_FAILURES = 4
ADDRESS_MAX_FAILURES = 6
ClientFrom = Callable[[str], Awaitable[TestClient]]
LIMITS = {
    "login_max_failures": MAX_FAILURES,
    "login_account_max_failures": ACCOUNT_MAX_FAILURES,
    "login_address_max_failures": ADDRESS_MAX_FAILURES,
}


@pytest.fixture
async def client_from(
    aiohttp_server: AiohttpServer, aiohttp_client: AiohttpClient, tmp_path: Path, sqlite_database: str
) -> ClientFrom:
    """A factory of clients of one server, each connecting from the loopback address it is given."""
    app = create_app(make_settings(tmp_path, sqlite_database, **LIMITS))
    server = await aiohttp_server(app)
    await make_world(services_of(app).sessionmaker)

    async def connect(address: str) -> TestClient:
        return await aiohttp_client(server, connector=aiohttp.TCPConnector(local_addr=(address, 0)))

    return connect


async def _login(client: TestClient, username: str, password: str, forwarded_for: str = "") -> ClientResponse:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return await client.post("/api/auth/login", json={"username": username, "password": password}, headers=headers)


async def _fail(client: TestClient, username: str, forwarded_for: str = "") -> None:
    await error_of(await _login(client, username, "sai-mat-khau", forwarded_for), 401, "bad_credentials")


async def test_ones_typos_lock_only_ones_own_account_on_a_shared_address(client_from: ClientFrom) -> None:
    """Behind a hall's router every tablet has one address: the others keep signing in."""
    hall = await client_from("127.0.0.2")
    for _ in range(MAX_FAILURES):
        await _fail(hall, "thuky")

    locked = await _login(hall, "thuky", PASSWORD)
    neighbour = await _login(await client_from("127.0.0.2"), "daibieu", PASSWORD)
    from_office = await _login(await client_from("127.0.0.3"), "thuky", PASSWORD)

    error = await error_of(locked, 429, "rate_limited")
    retry_after = int(locked.headers["Retry-After"])
    assert 240 < retry_after <= 300
    assert error["message"] == f"Đăng nhập sai quá nhiều lần; thử lại sau {-(-retry_after // 60)} phút."
    assert error["details"] == [{"retry_after": retry_after}]
    assert neighbour.status == 200
    assert from_office.status == 200


async def test_an_account_is_locked_after_failures_from_many_addresses_even_with_the_right_password(
    client_from: ClientFrom,
) -> None:
    for n in range(ACCOUNT_MAX_FAILURES):
        await _fail(await client_from(f"127.0.0.{n + 2}"), "thuky")

    response = await _login(await client_from("127.0.0.20"), "thuky", PASSWORD)

    await error_of(response, 429, "rate_limited")
    assert (await _login(await client_from("127.0.0.21"), "daibieu", PASSWORD)).status == 200


async def test_an_address_is_locked_only_past_a_much_higher_ceiling(client_from: ClientFrom) -> None:
    guesser = await client_from("127.0.0.2")
    for n in range(ADDRESS_MAX_FAILURES - 1):
        await _fail(guesser, f"khongco{n}")
    still_open = await _login(guesser, "daibieu", PASSWORD)
    await _fail(guesser, "khongco-nua")

    from_guesser = await _login(guesser, "quantri", PASSWORD)
    from_elsewhere = await _login(await client_from("127.0.0.3"), "quantri", PASSWORD)

    assert still_open.status == 200
    await error_of(from_guesser, 429, "rate_limited")
    assert "Retry-After" in from_guesser.headers
    assert from_elsewhere.status == 200


async def test_a_successful_sign_in_resets_the_account_counter(client_from: ClientFrom) -> None:
    hall = await client_from("127.0.0.2")
    await _fail(hall, "thuky")
    assert (await _login(hall, "thuky", PASSWORD)).status == 200
    await _fail(hall, "thuky")

    response = await _login(hall, "thuky", PASSWORD)

    assert response.status == 200, "two failures in the window, but never two in a row"


async def test_a_forged_forwarded_for_header_does_not_dodge_the_address_limit(client_from: ClientFrom) -> None:
    guesser = await client_from("127.0.0.2")
    for n in range(ADDRESS_MAX_FAILURES):
        await _fail(guesser, f"khongco{n}", forwarded_for=f"198.51.100.{n}")

    response = await _login(guesser, "daibieu", PASSWORD, forwarded_for="198.51.100.99")

    await error_of(response, 429, "rate_limited")


async def test_behind_a_trusted_proxy_the_address_the_proxy_saw_is_limited(
    aiohttp_client: AiohttpClient, tmp_path: Path, sqlite_database: str
) -> None:
    settings = make_settings(tmp_path, sqlite_database, trust_forwarded_for=True, **LIMITS)
    app = create_app(settings)
    proxy = await aiohttp_client(app)
    await make_world(services_of(app).sessionmaker)
    for _ in range(MAX_FAILURES):
        await _fail(proxy, "daibieu", forwarded_for="10.1.2.3, 203.0.113.7")

    from_guesser = await _login(proxy, "daibieu", PASSWORD, forwarded_for="203.0.113.7")
    from_hall = await _login(proxy, "daibieu", PASSWORD, forwarded_for="203.0.113.8")

    await error_of(from_guesser, 429, "rate_limited")
    assert from_hall.status == 200
