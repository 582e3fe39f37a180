"""A platform with every service, started once for a module whose tests only read it or make what
they need (routes over every service, each probed in turn)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from agora.entrypoints.embedded import Platform
from agora.platform.config import SERVICE_NAMES
from tests.support.databases import DatabaseFactory
from tests.support.platform import running_platform


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def every_service(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    async with running_platform(
        database_factory, "sqlite", tmp_path_factory.mktemp("platform"), services=SERVICE_NAMES
    ) as platform:
        yield platform
