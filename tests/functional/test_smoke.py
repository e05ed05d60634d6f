"""The app starts on each database and answers its health check."""

from aiohttp.test_utils import TestClient


async def test_health_check_reports_the_database_ok(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok"}


async def test_a_delegate_signs_in_and_sees_their_name(client: TestClient, world) -> None:
    response = await client.post("/api/auth/login", json={"username": "daibieu", "password": "mat-khau-thu-nghiem"})
    assert response.status == 200
    me = await client.get("/api/auth/me")
    assert (await me.json())["display_name"] == "Trần Thị Bình"
