"""Fixtures shared by every suite: clocks, databases on both backends, and namespaced real Redis."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.logging import configure_logging
from tests.support.api import Api
from tests.support.databases import BACKENDS, DatabaseFactory
from tests.support.logcheck import LogAudit
from tests.support.platform import client_for, running_platform

REDIS_URL = os.environ.get("AGORA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

configure_logging("INFO", json=True)
# The suite's own output shows warnings; every INFO line is still rendered and audited (below).
logging.getLogger().handlers[0].setLevel(logging.WARNING)
_LOG_AUDIT = LogAudit()


@pytest.fixture(autouse=True)
def _audited_logs() -> None:
    """Every test's log lines go through the audit, even after a test reconfigured logging."""
    root = logging.getLogger()
    if _LOG_AUDIT not in root.handlers:
        root.addHandler(_LOG_AUDIT)
    if root.level > logging.INFO:
        root.setLevel(logging.INFO)


@pytest.fixture(autouse=True, scope="session")
def _no_secret_or_malformed_log_line() -> Iterator[None]:
    """No line the suite logs carries an email, token or password hash, and every line is an
    ECS line (checked once, when the session ends)."""
    yield
    assert not _LOG_AUDIT.bad, "log lines that break the rules:\n" + "\n".join(_LOG_AUDIT.bad)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests that take a database backend get the `postgres` marker on their PostgreSQL variant.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_backend") == "postgres":
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    asyncio.run(factory.drop_templates())


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on the real PostgreSQL."""
    backend: str = request.param
    return backend


@pytest.fixture
def redis_url() -> str:
    return REDIS_URL


@pytest.fixture
async def redis_namespace() -> AsyncIterator[str]:
    """A key prefix unique to this test; every key under it is deleted afterwards."""
    prefix = f"agora-test:{uuid.uuid4().hex[:12]}:"
    yield prefix
    client = aioredis.from_url(REDIS_URL)
    try:
        keys = [key async for key in client.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    """The services a test's platform runs; a test module overrides this fixture to add its own."""
    return ("users",)


@pytest.fixture
async def platform(
    db_backend: str,
    database_factory: DatabaseFactory,
    tmp_path: Path,
    clock: ManualClock,
    platform_services: tuple[str, ...],
) -> AsyncIterator[Platform]:
    """The embedded platform on fresh databases of the test's backend, with a manual clock."""
    async with running_platform(
        database_factory, db_backend, tmp_path, services=platform_services, clock=clock
    ) as running:
        yield running


@pytest.fixture
async def client(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(platform) as http:
        yield http


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)
