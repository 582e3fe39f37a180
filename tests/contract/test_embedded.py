"""The seed flows against the embedded topology over real HTTP (the cluster runs the same flows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.contract import flows
from tests.support.databases import DatabaseFactory
from tests.support.live import live_server
from tests.support.platform import running_platform

SERVICES = ("users", "voting", "discussions", "competitions", "notifications")


@pytest.fixture
async def http(
    database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        running_platform(database_factory, "sqlite", tmp_path, services=SERVICES) as platform,
        live_server(platform.app) as hostport,
        httpx.AsyncClient(base_url=f"http://{hostport}", timeout=10) as client,
    ):
        yield client


async def test_the_users_flow(http: httpx.AsyncClient) -> None:
    await flows.register(http, flows.unique("admin"))
    await flows.users_flow(http)


async def test_the_bookclub_flow(http: httpx.AsyncClient) -> None:
    admin = await flows.register(http, flows.unique("admin"))
    await flows.bookclub_flow(http, admin)


async def test_the_competitions_flow(http: httpx.AsyncClient) -> None:
    admin = await flows.register(http, flows.unique("admin"))
    await flows.competitions_flow(http, admin)
