"""The embedded gateway calls a service's routes in process, without the service app's own
middleware stack: every answer, error or not, is the one the service's whole app gives; each
request is one access line; the service's metrics still count it."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.gateway.app import create_gateway_app
from agora.gateway.routes import default_table
from agora.platform.clock import ManualClock
from agora.platform.errors import Conflict
from agora.platform.http import InProcessService, create_service_app
from agora.platform.logging import ecs_formatter
from agora.platform.metrics import render

LIMIT = 2048

router = APIRouter(prefix="/users")


class Thing(BaseModel):
    name: str = Field(min_length=2)
    size: int = Field(ge=1, le=10)


@router.get("/things/{thing_id}")
async def get_thing(thing_id: int) -> dict[str, int]:
    return {"thing_id": thing_id}


@router.post("/things", status_code=201)
async def make_thing(thing: Thing) -> Thing:
    return thing


@router.put("/things/{thing_id}")
async def replace_thing(thing_id: int, thing: Thing) -> Thing:
    return thing


@router.get("/taken")
async def taken() -> None:
    raise Conflict("Already there", code="duplicate_thing")


@router.get("/broken")
async def broken() -> None:
    raise RuntimeError("a bug")


def users_app() -> Any:
    app = create_service_app(
        service="users", title="Users", description="test", routers=[router], clock=ManualClock()
    )
    app.state.max_body_bytes = LIMIT
    return app


Lines = Callable[..., list[dict[str, Any]]]


@pytest.fixture
def access_lines() -> Any:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)

    def lines(dataset: str = "agora.access") -> list[dict[str, Any]]:
        parsed = [json.loads(x) for x in stream.getvalue().splitlines() if x]
        return [x for x in parsed if x.get("event.dataset") == dataset]

    try:
        yield lines
    finally:
        root.removeHandler(handler)


def gateway(upstream: ASGIApp, *, limit: int = LIMIT) -> ASGIApp:
    async def probe() -> dict[str, bool]:
        return {"users": True}

    async def docs() -> dict[str, dict[str, object]]:
        return {}

    return create_gateway_app(
        table=default_table(),
        upstreams={"users": upstream},
        service_probe=probe,
        openapi_source=docs,
        clock=ManualClock(),
        topology="embedded",
        max_body_bytes=limit,
    )


@pytest.fixture
async def clients() -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, Any]]:
    """The same service behind the gateway twice: called in process, and as its whole app (what
    every request got before)."""
    in_process_app, whole_app = users_app(), users_app()
    base = "http://gw"
    fast = httpx.ASGITransport(app=gateway(InProcessService(in_process_app)))
    whole = httpx.ASGITransport(app=gateway(whole_app))
    async with (
        httpx.AsyncClient(transport=fast, base_url=base) as in_process,
        httpx.AsyncClient(transport=whole, base_url=base) as reference,
    ):
        yield in_process, reference, in_process_app


async def _chunks(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), 512):
        yield data[start : start + 512]


REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/api/users/things/7", {}),
    ("POST", "/api/users/things", {"json": {"name": "box", "size": 3}}),
    # 404: no route in the service, an id that is not a number, an unknown path at the gateway
    ("GET", "/api/users/nothing/here", {}),
    ("GET", "/api/users/things/seven", {}),
    ("GET", "/api/nothing", {}),
    # 405: at the service (the path takes GET and PUT) and at the gateway's route table
    ("DELETE", "/api/users/things/7", {}),
    ("DELETE", "/api/users/register", {}),
    # 422 with details, 400 for JSON that does not parse
    ("POST", "/api/users/things", {"json": {"name": "x", "size": 99}}),
    (
        "POST",
        "/api/users/things",
        {"content": b"{not json", "headers": {"content-type": "application/json"}},
    ),
    # 409 from the service's own error
    ("GET", "/api/users/taken", {}),
    # 400: NUL in the path or query
    ("GET", "/api/users/things/7?q=%00", {}),
    # 413: a declared length over the limit, and a chunked body that grows over it
    ("POST", "/api/users/things", {"content": b"x" * (LIMIT + 1)}),
    ("POST", "/api/users/things", {"chunked": LIMIT * 2}),
]


@pytest.mark.parametrize(("method", "path", "options"), REQUESTS)
async def test_every_answer_is_the_whole_apps_with_one_access_line(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, Any],
    access_lines: Lines,
    method: str,
    path: str,
    options: dict[str, Any],
) -> None:
    in_process, reference, _ = clients
    if "chunked" in options:
        data = b"x" * options["chunked"]
        expected = await reference.request(method, path, content=_chunks(data))
        before = len(access_lines())
        got = await in_process.request(method, path, content=_chunks(data))
    else:
        expected = await reference.request(method, path, **options)
        before = len(access_lines())
        got = await in_process.request(method, path, **options)
    assert got.status_code == expected.status_code
    assert got.json() == expected.json()
    for header in ("allow", "content-type", "www-authenticate", "retry-after"):
        assert got.headers.get(header) == expected.headers.get(header), header
    if got.status_code >= 400:
        body = got.json()
        assert body["status"] == "error"
        assert set(body["error"]) <= {"code", "message", "details"}
        assert body["error"]["code"]
        assert body["error"]["message"]
    assert len(got.headers["x-request-id"]) == 32
    lines = access_lines()[before:]
    assert len(lines) == 1, lines
    (line,) = lines
    assert line["url.path"] == path.split("?")[0]
    assert line["http.response.status_code"] == got.status_code
    assert line["http.request.id"] == got.headers["x-request-id"]
    assert line["service.name"] == "gateway"


async def test_a_422_names_each_field(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, Any],
) -> None:
    in_process, _, _ = clients
    response = await in_process.post("/api/users/things", json={"name": "x", "size": 99})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"body.name", "body.size"}


async def test_an_unexpected_error_is_a_500_with_the_request_id_and_one_access_line(
    access_lines: Lines,
) -> None:
    app = gateway(InProcessService(users_app()))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        response = await client.get("/api/users/broken", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response.json() == {
        "status": "error",
        "error": {
            "code": "internal_error",
            "message": "An unexpected error occurred; it has been logged",
            "request_id": "req-500",
        },
    }
    assert "a bug" not in response.text
    (line,) = access_lines()
    assert line["http.response.status_code"] == 500
    assert line["log.level"] == "error"
    # The service's handler logged the error itself, under the service's name and the request's
    # id.
    (logged,) = [x for x in access_lines("agora.log") if x["log.logger"] == "agora.errors"]
    assert logged["service.name"] == "users"
    assert logged["http.request.id"] == "req-500"
    assert logged["error.type"] == "RuntimeError"


async def test_the_service_counts_its_requests_by_route_template(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, Any],
) -> None:
    in_process, _, app = clients
    for thing_id in (1, 2, 3):
        assert (await in_process.get(f"/api/users/things/{thing_id}")).status_code == 200
    assert (await in_process.get("/api/users/taken")).status_code == 409
    text = render(app.state.metrics.registry).decode()
    ok = (
        'agora_http_requests_total{method="GET",route="/users/things/{thing_id}",'
        'service="users",status="200"} 3.0'
    )
    assert ok in text
    assert 'route="/users/taken",service="users",status="409"} 1.0' in text
    assert 'agora_http_requests_in_flight{service="users"} 0.0' in text


async def test_an_app_with_middleware_of_its_own_is_called_whole(
    access_lines: Lines,
) -> None:
    app = users_app()
    seen: list[str] = []

    class Marks:
        def __init__(self, inner: ASGIApp) -> None:
            self.inner = inner

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            seen.append(scope["path"])
            await self.inner(scope, receive, send)

    app.add_middleware(Marks)
    transport = httpx.ASGITransport(app=gateway(InProcessService(app)))
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        response = await client.get("/api/users/things/5")
    assert response.status_code == 200
    assert seen == ["/users/things/5"]
    assert len(access_lines()) == 1


@pytest.mark.parametrize("gateway_limit", [None, LIMIT * 4])
async def test_the_service_holds_its_own_body_limit_when_no_layer_outside_held_a_lower_one(
    gateway_limit: int | None,
) -> None:
    service = InProcessService(users_app())
    app: ASGIApp = service if gateway_limit is None else gateway(service, limit=gateway_limit)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        path = "/users/things" if gateway_limit is None else "/api/users/things"
        declared = await client.post(path, content=b"x" * (LIMIT + 1))
        chunked = await client.post(path, content=_chunks(b"x" * (LIMIT + 1)))
    for response in (declared, chunked):
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "body_too_large"
        assert str(LIMIT) in response.json()["error"]["message"]
