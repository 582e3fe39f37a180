"""The service app factory: status, metrics, the one error format, and no stack traces for
clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import text

from agora.platform.clock import ManualClock
from agora.platform.db import Database
from agora.platform.errors import Conflict, RateLimited, ServiceUnavailable, ValidationFailed
from agora.platform.http import create_service_app

router = APIRouter()


class Thing(BaseModel):
    name: str = Field(min_length=2)
    size: int = Field(ge=1, le=10)


@router.post("/things")
async def make_thing(thing: Thing) -> Thing:
    return thing


@router.get("/conflict")
async def conflict() -> None:
    raise Conflict("Already there", code="duplicate_thing")


@router.get("/limited")
async def limited() -> None:
    raise RateLimited(retry_after=2.2)


@router.get("/down")
async def down() -> None:
    raise ServiceUnavailable("The cache is down")


@router.get("/field")
async def field_error() -> None:
    raise ValidationFailed.field("query.when", "must be in the future")


@router.get("/db-down")
async def db_down() -> None:
    # Nothing listens there: what a service sees while its primary is being replaced.
    database = Database("postgresql+asyncpg://agora:x@127.0.0.1:57999/gone", service="demo")
    try:
        async with database.session() as session:
            await session.execute(text("SELECT 1"))
    finally:
        await database.dispose()


@router.get("/db-bug")
async def db_bug() -> None:
    database = Database("sqlite+aiosqlite://", service="demo")
    try:
        async with database.session() as session:
            await session.execute(text("SELECT * FROM no_such_table"))
    finally:
        await database.dispose()


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals: password=hunter2")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    checks_ok = True

    async def check() -> bool:
        return checks_ok

    app = create_service_app(
        service="demo",
        title="Demo",
        description="test",
        routers=[router],
        health_checks={"database": check},
        clock=ManualClock(),
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as http:
        yield http


async def test_status_has_the_bookclub_seed_shape(client: httpx.AsyncClient) -> None:
    body = (await client.get("/status")).json()
    assert body["service"] == "demo_service"
    assert body["status"] == "running"
    assert body["timestamp"] == "2026-01-01T12:00:00Z"


async def test_validation_errors_name_each_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/things", json={"name": "x", "size": 99})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    fields = {d["field"]: d["message"] for d in error["details"]}
    assert set(fields) == {"body.name", "body.size"}
    assert "10" in fields["body.size"]


async def test_wrong_type_and_missing_body(client: httpx.AsyncClient) -> None:
    assert (await client.post("/things", json=[1, 2])).status_code == 422
    assert (await client.post("/things")).status_code == 422
    assert (
        await client.post("/things", content=b"{", headers={"content-type": "application/json"})
    ).status_code == 400


async def test_domain_errors_render_with_their_status(client: httpx.AsyncClient) -> None:
    conflict = await client.get("/conflict")
    assert conflict.status_code == 409
    assert conflict.json() == {
        "status": "error",
        "error": {"code": "duplicate_thing", "message": "Already there"},
    }
    limited = await client.get("/limited")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "3"
    down = await client.get("/down")
    assert down.status_code == 503
    assert down.headers["Retry-After"]
    field = await client.get("/field")
    assert field.json()["error"]["details"] == [
        {"field": "query.when", "message": "must be in the future"}
    ]


async def test_an_unreachable_database_is_a_503_to_retry(client: httpx.AsyncClient) -> None:
    response = await client.get("/db-down")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json()["error"]["code"] == "database_unavailable"


async def test_a_wrong_statement_is_a_500_not_an_outage(client: httpx.AsyncClient) -> None:
    response = await client.get("/db-bug")
    assert response.status_code == 500
    assert "no_such_table" not in response.text


async def test_an_unexpected_error_is_a_500_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom", headers={"X-Request-ID": "find-me"})
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["code"] == "internal_error"
    assert body["error"]["request_id"] == "find-me"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


async def test_unknown_route_and_method(client: httpx.AsyncClient) -> None:
    missing = await client.get("/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    wrong = await client.delete("/things")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.post("/things", json={"name": "ok", "size": 1})
    text = (await client.get("/metrics")).text
    assert (
        'agora_http_requests_total{method="POST",route="/things",service="demo",status="200"} 1.0'
        in text
    )
