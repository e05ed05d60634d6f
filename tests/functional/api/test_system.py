"""Health, metrics and the API description, as a monitoring system and an API client see them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from session_server.app import create_app
from tests.conftest import make_settings
from tests.factories import World
from tests.functional.api.checks import error_of


async def test_health_check_answers_ok(sqlite_client: TestClient) -> None:
    response = await sqlite_client.get("/healthz")

    assert response.status == 200
    assert await response.json() == {"status": "ok", "database": "ok"}


async def test_metrics_are_prometheus_text_counting_requests(sqlite_client: TestClient, sqlite_world: World) -> None:
    await sqlite_client.get("/api/councils", headers=sqlite_world.admin.headers)
    await sqlite_client.get("/api/councils")

    response = await sqlite_client.get("/metrics", headers=sqlite_world.admin.headers)

    assert response.status == 200
    assert response.content_type == "text/plain"
    text = await response.text()
    assert "# TYPE hopso_http_requests_total counter" in text
    assert 'hopso_http_requests_total{method="GET",route="/api/councils",status="200"} 1.0' in text
    assert 'hopso_http_requests_total{method="GET",route="/api/councils",status="401"} 1.0' in text


async def test_metrics_are_refused_to_the_public_and_to_council_staff(
    sqlite_client: TestClient, sqlite_world: World
) -> None:
    anonymous = await sqlite_client.get("/metrics")
    secretary = await sqlite_client.get("/metrics", headers=sqlite_world.secretary.headers)

    await error_of(anonymous, 401, "unauthenticated")
    await error_of(secretary, 403, "forbidden")


async def test_a_scraper_reads_metrics_with_the_configured_token(
    aiohttp_client: Any, tmp_path: Path, sqlite_database: str
) -> None:
    client = await aiohttp_client(create_app(make_settings(tmp_path, sqlite_database, metrics_token="cao-du-lieu")))

    scraper = await client.get("/metrics", headers={"Authorization": "Bearer cao-du-lieu"})
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer doan-bua"})

    assert scraper.status == 200 and "hopso_http_requests_total" in await scraper.text()
    await error_of(wrong, 401, "unauthenticated")


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [node["$ref"]] if isinstance(node.get("$ref"), str) else [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for item in node for r in _refs(item)]
    return []


async def test_the_openapi_document_has_the_shape_of_openapi_3_1(sqlite_client: TestClient) -> None:
    response = await sqlite_client.get("/api/openapi.json")

    assert response.status == 200
    document = await response.json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] and document["info"]["version"]
    operation_ids = []
    for path, item in document["paths"].items():
        assert path.startswith("/"), path
        for method, operation in item.items():
            assert method in {"get", "post", "put", "patch", "delete"}, f"{method} {path}"
            assert operation["responses"], f"{method} {path} has no responses"
            operation_ids.append(operation.get("operationId"))
            for parameter in operation.get("parameters", []):
                assert parameter["in"] == "path" and parameter["required"] is True
                assert f"{{{parameter['name']}}}" in path
    named = [op for op in operation_ids if op]
    assert len(named) == len(set(named)), "operationId must be unique"
    schemes = document["components"]["securitySchemes"]
    assert schemes["cookie"] == {"type": "apiKey", "in": "cookie", "name": "hopso_session"}
    for ref in _refs(document):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[-1] in document["components"]["schemas"], f"{ref} points at nothing"
