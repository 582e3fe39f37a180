"""The seed flows against the cluster topology: the same functions the embedded contract tests run,
through a real gateway to replicas on PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from tests.contract import flows
from tests.support.cluster import RunningCluster, running_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]

SERVICES = ["users", "voting", "discussions", "competitions", "notifications"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    with running_cluster(tmp_path_factory.mktemp("cluster"), SERVICES) as running:
        yield running


@pytest.fixture(scope="module")
def admin(cluster: RunningCluster) -> flows.User:
    async def first() -> flows.User:
        async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
            return await flows.register(http, flows.unique("admin"))

    return asyncio.run(first())


async def test_the_users_flow(cluster: RunningCluster, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
        await flows.users_flow(http)


async def test_the_bookclub_flow(cluster: RunningCluster, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
        await flows.bookclub_flow(http, admin)


async def test_the_competitions_flow(cluster: RunningCluster, admin: flows.User) -> None:
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
        await flows.competitions_flow(http, admin)
