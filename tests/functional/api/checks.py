"""What the API tests share: reading the one error shape, and counting rows to prove nothing changed."""

from __future__ import annotations

from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from session_server.db.models import Base
from session_server.services import services_of


async def error_of(response: ClientResponse, status: int, code: str) -> dict[str, Any]:
    """Assert the answer is the error shape `{"error": {"code", "message", "details"?}}`; return the error."""
    text = await response.text()
    assert response.status == status, f"expected {status} {code}, got {response.status}: {text}"
    assert response.content_type == "application/json", text
    body = await response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert error["code"] == code, body
    assert isinstance(error["message"], str) and error["message"], body
    assert set(error) <= {"code", "message", "details"}, body
    return error


async def count(client: TestClient, model: type[Base], *where: Any) -> int:
    async with services_of(client.app).sessionmaker() as db:
        return await db.scalar(select(func.count()).select_from(model).where(*where)) or 0
