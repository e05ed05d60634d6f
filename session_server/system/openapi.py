"""The OpenAPI document, written from the route table so that it describes every route."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from session_server.api.routing import Route
from session_server.auth.roles import Permission

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "stable machine code: invalid, forbidden, not_found, ..."},
                "message": {"type": "string", "description": "for a person, in the request's language (vi or en)"},
                "details": {"type": "array", "items": {"type": "object"}},
            },
        }
    },
}


def _schema(model: Any, components: dict[str, Any]) -> dict[str, Any]:
    schema = TypeAdapter(model).json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in schema.pop("$defs", {}).items():
        components[name] = definition
    if isinstance(model, type) and issubclass(model, BaseModel):
        components[model.__name__] = schema
        return {"$ref": f"#/components/schemas/{model.__name__}"}
    return schema


def openapi_document(routes: list[Route], extra_paths: dict[str, Any]) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for route in routes:
        operation: dict[str, Any] = {
            "summary": route.summary,
            "operationId": route.handler.__name__,
            "x-permission": route.permission.value,
            "responses": {
                "default": {
                    "description": "error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        }
        if route.permission is not Permission.PUBLIC:
            operation["security"] = [{"cookie": []}, {"bearer": []}]
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
            for name in re.findall(r"{(\w+)}", route.path)
        ]
        if parameters:
            operation["parameters"] = parameters
        if route.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema(route.body, components)}},
            }
        elif route.raw_body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {route.raw_body: {"schema": {"type": "string", "format": "binary"}}},
            }
        answer: dict[str, Any] = {"description": "ok"}
        if route.response is not None:
            answer["content"] = {"application/json": {"schema": _schema(route.response, components)}}
        operation["responses"][str(route.status)] = answer
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    paths.update(extra_paths)
    return {
        "openapi": "3.1.0",
        "info": {"title": "HopSo API", "version": "1", "description": "Họp số: phiên họp HĐND không giấy, công khai."},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": "hopso_session"},
                "bearer": {"type": "http", "scheme": "bearer"},
            },
        },
    }
