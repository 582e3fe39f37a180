"""One OpenAPI document for the whole API: every service's paths under `/api`, schemas merged."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from agora.gateway.routing import RouteTable

_PLATFORM_PATHS = {"/status", "/metrics"}


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                name = value.rsplit("/", 1)[-1]
                if name in renames:
                    value = f"#/components/schemas/{renames[name]}"
            out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def merge_openapi(
    specs: Mapping[str, dict[str, Any]], table: RouteTable, *, title: str, version: str
) -> dict[str, Any]:
    """Merge per-service documents; only paths the gateway routes to that service are kept."""
    schemas: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    tags: dict[str, dict[str, Any]] = {}
    for service, original in sorted(specs.items()):
        spec = copy.deepcopy(original)
        renames: dict[str, str] = {}
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            if name in schemas and schemas[name] != schema:
                renames[name] = f"{service}__{name}"
        spec = _rewrite_refs(spec, renames)
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas[renames.get(name, name)] = schema
        for path, item in spec.get("paths", {}).items():
            if path in _PLATFORM_PATHS or not table.owns(service, path):
                continue
            paths[f"/api{path}"] = item
        for tag in spec.get("tags", []):
            tags.setdefault(tag["name"], tag)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": (
                "The whole Agora API through its gateway. "
                "Log in with `POST /api/users/login`, then "
                "use **Authorize** with the `token` it returns."
            ),
        },
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
        "security": [{"bearerAuth": []}, {}],
        "tags": list(tags.values()),
    }
