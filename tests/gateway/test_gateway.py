"""The embedded gateway over HTTP: errors, request ids, status, docs, and write rate limits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.support.api import Api
from tests.support.databases import DatabaseFactory
from tests.support.events import EventLog
from tests.support.live import live_server, ws_connect
from tests.support.platform import client_for, running_platform


@pytest.fixture
def db_backend() -> str:
    """The gateway does not depend on the database backend."""
    return "sqlite"


async def test_unknown_path_is_a_404_in_the_contract_shape(client: httpx.AsyncClient) -> None:
    for path in ("/api/nothing", "/api", "/nothing"):
        response = await client.get(path)
        assert response.status_code == 404, path
        body = response.json()
        assert body["status"] == "error"
        assert body["error"]["code"] in ("not_found", "no_such_endpoint")
        assert body["error"]["message"]


async def test_wrong_method_is_a_405_with_allow(client: httpx.AsyncClient) -> None:
    response = await client.delete("/api/users/register")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


async def test_a_service_that_is_not_running_is_a_503(client: httpx.AsyncClient) -> None:
    # This platform runs only the users service.
    response = await client.get("/api/tweets/homeTimeline/1")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response.headers["Retry-After"]


async def test_request_id_is_echoed_or_made(client: httpx.AsyncClient) -> None:
    given = await client.get("/status", headers={"X-Request-ID": "trace-123"})
    assert given.headers["X-Request-ID"] == "trace-123"
    made = await client.get("/api/users/profile/1")
    assert len(made.headers["X-Request-ID"]) == 32
    hostile = await client.get("/status", headers={"X-Request-ID": "bad id\nwith newline"})
    assert hostile.headers["X-Request-ID"] != "bad id\nwith newline"


async def test_the_request_id_reaches_the_service_and_its_events(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "user.registered")
    response = await client.post(
        "/api/users/register",
        json={"username": "traced", "password": "correct horse battery staple"},
        headers={"X-Request-ID": "req-42"},
    )
    assert response.headers["X-Request-ID"] == "req-42"
    events = await log.of_type("user.registered")
    assert events[0].request_id == "req-42"


async def test_status_lists_every_service(client: httpx.AsyncClient, platform: Platform) -> None:
    response = await client.get("/status")
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == "gateway"
    assert body["status"] == "running"
    assert body["timestamp"].endswith("Z")
    assert set(body["services"]) == set(platform.runtimes)
    assert all(s["status"] == "running" for s in body["services"].values())


async def test_openapi_covers_every_service_under_api(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/users/register" in spec["paths"]
    assert "/api/users/{userId}/follow" in spec["paths"]
    assert "/status" not in spec["paths"]
    assert "bearerAuth" in spec["components"]["securitySchemes"]


async def test_home_serves_the_web_ui(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<div id="app">' in response.text
    assert '<script type="module" src="/dist/app-' in response.text


async def test_docs_are_served_without_a_cdn(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "/docs/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    script = await client.get("/docs/static/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000


async def test_metrics_are_prometheus_text(client: httpx.AsyncClient) -> None:
    await client.get("/api/users/profile/1")
    metrics = await client.get("/metrics")
    assert "agora_http_requests_total" in metrics.text
    assert 'route="/api/users/profile/{userId}"' in metrics.text


@pytest.fixture
async def limited(
    database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running_platform(database_factory, "sqlite", tmp_path, write_rate_per_minute=3) as platform,
        client_for(platform) as http,
    ):
        yield http


async def test_writes_over_the_limit_get_429_with_retry_after(limited: httpx.AsyncClient) -> None:
    statuses = []
    for i in range(4):
        response = await limited.post(
            "/api/users/register",
            json={"username": f"user{i}", "password": "correct horse battery staple"},
        )
        statuses.append(response.status_code)
        if i == 0:
            assert response.headers["X-RateLimit-Limit"] == "3"
            assert response.headers["X-RateLimit-Remaining"] == "2"
    assert statuses == [201, 201, 201, 429]
    assert int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "rate_limited"
    # Reads are not limited.
    assert (await limited.get("/api/users/profile/1")).status_code == 200


async def test_websockets_to_nowhere_are_closed_with_a_readable_code(platform: Platform) -> None:
    async with live_server(platform.app) as hostport:
        for path, code in (("/api/nothing/here", 4404), ("/api/forums/connect", 4503)):
            async with ws_connect(f"ws://{hostport}{path}") as socket:
                with pytest.raises(ConnectionClosed) as closed:
                    await socket.receive(within=5)
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == code, path
