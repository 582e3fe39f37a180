"""Fixtures of the warehouse tests: every service it reads plus the warehouse, on one backend, with
the schedule off (each test refreshes when it means to), and the demo content as known data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agora.entrypoints.demo import DemoAccount, seed_demo
from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.services.warehouse.models import SOURCE_SERVICES
from tests.services.warehouse.support import Warehouse
from tests.support.api import Api
from tests.support.databases import DatabaseFactory
from tests.support.platform import running_platform


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return (*SOURCE_SERVICES, "warehouse")


@pytest.fixture
async def platform(
    db_backend: str,
    database_factory: DatabaseFactory,
    tmp_path: Path,
    clock: ManualClock,
    platform_services: tuple[str, ...],
) -> AsyncIterator[Platform]:
    async with running_platform(
        database_factory,
        db_backend,
        tmp_path,
        services=platform_services,
        clock=clock,
        warehouse_refresh_seconds=0,
    ) as running:
        yield running


@pytest.fixture
async def demo(platform: Platform) -> list[DemoAccount]:
    """The demo content (members, books and votes, threads, albums and reviews, rooms, a
    competition with entries, likes and comments, follows, posts); the first member is an admin."""
    accounts = await seed_demo(platform)
    assert accounts is not None
    return accounts


@pytest.fixture
async def warehouse(
    platform: Platform, client: httpx.AsyncClient, api: Api, demo: list[DemoAccount]
) -> Warehouse:
    admin = await api.login(demo[0].username, password=demo[0].password)
    return Warehouse(platform, client, admin, {a.username: a for a in demo})
