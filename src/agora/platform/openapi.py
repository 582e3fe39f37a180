"""Every status an operation can answer, in each service's OpenAPI document, with the contract's
error schema: FastAPI documents only the success and 422 (with its own error shape)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel

from agora.platform.deps import TOKEN_DEPENDENCIES, TOKEN_REQUIRED

ERROR_REF = "#/components/schemas/ErrorResponse"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[ErrorDetail] | None = None
    request_id: str | None = None


class ErrorResponse(BaseModel):
    """The contract's error JSON, for every 4xx and 5xx."""

    status: Literal["error"]
    error: ErrorBody


_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
_WHY = {
    400: "Bad input: malformed JSON, a NUL character, a cursor the API did not return",
    401: "No token where one is needed, or a bad, expired or ended one",
    403: "Authenticated but not allowed (not yours, admins only)",
    404: "No such id or path (an id of any shape that names nothing)",
    409: "The change collides with existing state",
    413: "The request body is over the size limit",
    422: "A field is missing or invalid; `details` names each",
    429: "Rate limited; `Retry-After` says when to try again",
    503: "A dependency (database, store) is unavailable; try again after `Retry-After`",
}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def error_statuses(route: APIRoute) -> list[int]:
    """The error statuses `route` can answer with."""
    calls = set(_calls(route.dependant))
    statuses = {400, 404, 503}
    if calls & TOKEN_DEPENDENCIES:
        statuses.add(401)
    if calls & TOKEN_REQUIRED:
        statuses.add(403)
    if (route.methods or set()) & WRITE_METHODS:
        statuses |= {401, 409, 413, 429}
    if (
        route.dependant.path_params
        or route.dependant.query_params
        or route.dependant.body_params
        or route.dependant.header_params
    ):
        statuses.add(422)
    return sorted(statuses)


def _error_response(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": _WHY[status],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }
    if status in (429, 503):
        response["headers"] = _RETRY_AFTER
    return response


def document_errors(app: FastAPI) -> None:
    """Make `app.openapi()` list every error status of every operation with `ErrorResponse`."""
    base = app.openapi

    def openapi() -> dict[str, Any]:
        if getattr(app.state, "errors_documented", False) and app.openapi_schema:
            return app.openapi_schema
        schema = base()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        error_schema = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorResponse"] = error_schema
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not context.include_in_schema:
                continue
            item = schema.get("paths", {}).get(context.path_format, {})
            for method in context.methods or ():
                operation = item.get(method.lower())
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                for status in error_statuses(route):
                    # Ours replaces FastAPI's 422 (HTTPValidationError is not what we send).
                    responses[str(status)] = _error_response(status)
                # An error a route declares itself (`responses={409: ...}`) gets the schema too.
                for key, declared in responses.items():
                    if key.isdigit() and int(key) >= 400 and int(key) in _WHY:
                        declared["content"] = _error_response(int(key))["content"]
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        app.state.errors_documented = True
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
