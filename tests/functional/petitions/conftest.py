"""A council's petitions office: helpers that drive the REST API as the secretary and the agency would."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from session_server.services import services_of
from tests.factories import Account, World, make_world


@pytest.fixture
async def world(client: TestClient) -> World:
    """The API tests' world with the agency that resolves the council's petitions and its account."""
    return await make_world(services_of(client.app).sessionmaker, agency=True)


async def ok(response: Any, status: int = 200) -> Any:
    text = await response.text()
    assert response.status == status, f"expected {status}, got {response.status}: {text}"
    return await response.json()


async def enter(client: TestClient, world: World, content: str, **fields: Any) -> dict[str, Any]:
    body = {"content": content, **fields}
    response = await client.post(
        f"/api/councils/{world.council.id}/petitions", json=body, headers=world.secretary.headers
    )
    return await ok(response, 201)


async def forward(client: TestClient, world: World, petition_id: int, deadline: str = "2027-01-31") -> dict[str, Any]:
    response = await client.post(
        f"/api/petitions/{petition_id}/forward",
        json={"agency_id": world.agency.id, "deadline": deadline},
        headers=world.secretary.headers,
    )
    return await ok(response)


async def answer(client: TestClient, caller: Account, petition_id: int, text: str) -> Any:
    return await client.post(f"/api/petitions/{petition_id}/answers", json={"text": text}, headers=caller.headers)
