"""The operators' page data: the latest slow and failed requests from the logs, each with its
trace when the trace store has it; admins only."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform.logging import ecs_formatter
from tests.support.api import Api
from tests.support.traces import TRACE_ID, TRACEPARENT, store_a_span


@pytest.fixture
def db_backend() -> str:
    """Reading logs does not depend on the database backend."""
    return "sqlite"


@pytest.fixture
def log_file(platform: Platform) -> Iterator[Path]:
    """What `agora up` keeps in the data dir: the ECS lines of the platform."""
    path = platform.settings.data_dir.resolve() / "logs" / "platform.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    try:
        yield path
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


async def test_anonymous_and_members_are_refused(api: Api, client: httpx.AsyncClient) -> None:
    await api.register("root")  # the first user is the admin
    member = await api.register("member")
    assert (await client.get("/admin/requests")).status_code == 401
    assert (await client.get("/admin/requests", headers=member.headers)).status_code == 403
    trace = await client.get(f"/admin/traces/{TRACE_ID}", headers=member.headers)
    assert trace.status_code == 403


async def test_admin_sees_slow_requests_with_their_traces(
    api: Api, client: httpx.AsyncClient, platform: Platform, log_file: Path
) -> None:
    admin = await api.register("root")
    traced = await client.get(
        "/api/users/1",
        headers={**admin.headers, "traceparent": TRACEPARENT},
    )
    assert traced.status_code == 200
    await client.get("/api/users/999999", headers=admin.headers)
    store_a_span(platform.settings.data_dir.resolve())

    # Every request is slower than a microsecond.
    listed = await client.get("/admin/requests?slow=0.001", headers=admin.headers)
    assert listed.status_code == 200, listed.text
    rows = listed.json()["requests"]
    assert [row["path"] for row in rows[:2]] == ["/api/users/999999", "/api/users/1"]
    newest, with_trace = rows[0], rows[1]
    assert newest["status"] == 404
    assert newest["traced"] is False
    assert with_trace["trace_id"] == TRACE_ID
    assert with_trace["traced"] is True
    assert with_trace["request_id"] == traced.headers["x-request-id"]
    assert with_trace["duration_ms"] >= 0

    # None of them took a minute, and none failed.
    calm = await client.get("/admin/requests?slow=60000", headers=admin.headers)
    assert calm.json() == {"slow_ms": 60000, "requests": []}

    trace = await client.get(f"/admin/traces/{TRACE_ID}", headers=admin.headers)
    assert trace.status_code == 200
    (span,) = trace.json()["spans"]
    assert span["parent_id"] == "00f067aa0ba902b7"
    assert span["name"] == "GET /api/users/{user_id}"
    unknown = await client.get(f"/admin/traces/{'f' * 32}", headers=admin.headers)
    assert unknown.status_code == 404
    bad = await client.get("/admin/traces/not-a-trace", headers=admin.headers)
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid_trace_id"
