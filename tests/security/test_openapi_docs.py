"""Issue 11, item 12: the OpenAPI document lists every status an operation can answer with the
contract's error schema, says what a cursor is and how login identifies the account; a 405 names
every method the path allows."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

ERROR_REF = "#/components/schemas/ErrorResponse"
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "competitions", "reviews", "voting")


@pytest.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", *WRITES}
    ]


def _error_schema(operation: dict[str, Any], status: int) -> str:
    response = operation["responses"][str(status)]
    ref: str = response["content"]["application/json"]["schema"]["$ref"]
    return ref


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_every_operation_documents_its_error_statuses(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert len(operations) > 30
    for path, method, operation in operations:
        statuses = {400, 404, 503}
        if method in WRITES:
            statuses |= {401, 409, 413, 429}
        if "{" in path or operation.get("parameters") or "requestBody" in operation:
            statuses.add(422)
        for status in statuses:
            assert str(status) in operation["responses"], (method, path, status)
            assert _error_schema(operation, status) == ERROR_REF, (method, path, status)
        for status in (429, 503):
            if str(status) in operation["responses"]:
                assert "Retry-After" in operation["responses"][str(status)]["headers"]
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    error = schemas["ErrorResponse"]
    assert set(error["required"]) == {"status", "error"}


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_authenticated_operations_document_401_and_403(document: dict[str, Any]) -> None:
    profile = document["paths"]["/api/users/profile"]["get"]
    assert {"401", "403"} <= set(profile["responses"])
    public = document["paths"]["/api/competitions"]["get"]
    assert "403" not in public["responses"]


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
async def test_the_cursor_and_the_login_rule_are_documented(document: dict[str, Any]) -> None:
    followers = document["paths"]["/api/users/{userId}/followers"]["get"]
    (cursor,) = [p for p in followers["parameters"] if p["name"] == "cursor"]
    assert "next_cursor" in cursor["description"]
    assert "bad_cursor" in cursor["description"]
    login = document["paths"]["/api/users/login"]["post"]
    ref = login["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "`username` or `email`" in schema["description"]
    assert "same account" in schema["description"]
    assert "429" in login["responses"]


@pytest.mark.parametrize("db_backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("DELETE", "/api/users/profile", "GET, PATCH"),
        ("POST", "/api/users/profile", "GET, PATCH"),
        ("DELETE", "/api/competitions", "GET, POST"),
        ("PUT", "/api/users/1/follow", "POST"),
    ],
)
async def test_a_405_names_every_allowed_method(
    client: httpx.AsyncClient, method: str, path: str, allow: str
) -> None:
    response = await client.request(method, path)
    assert response.status_code == 405
    assert response.headers["Allow"] == allow
    assert response.json()["error"]["code"] == "method_not_allowed"
