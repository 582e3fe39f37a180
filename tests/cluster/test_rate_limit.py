"""Rate limits live in Redis, so two gateway replicas enforce one limit together; and the
operator's view of such a cluster."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agora.entrypoints.cluster import cluster_status
from tests.support.cluster import RunningCluster, running_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    env = {"AGORA_WRITE_RATE_PER_MINUTE": "6"}
    with running_cluster(
        tmp_path_factory.mktemp("cluster"), ["users"], replicas=1, gateways=2, env=env
    ) as running:
        yield running


def test_the_write_limit_holds_across_two_gateways(cluster: RunningCluster) -> None:
    first, second = cluster.gateway_urls
    statuses = []
    for i in range(10):
        gateway = first if i % 2 == 0 else second
        response = httpx.post(
            f"{gateway}/api/users/register",
            json={"username": f"spread{i}", "password": "correct horse battery staple"},
            timeout=10,
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response.headers["Retry-After"]) > 0
            assert response.json()["error"]["code"] == "rate_limited"
    assert statuses == [201] * 6 + [429] * 4
    # Reads are not limited, on either gateway.
    for gateway in (first, second):
        assert httpx.get(f"{gateway}/api/users/profile/1", timeout=10).status_code == 200


def test_cluster_status_lists_instances_and_breakers(cluster: RunningCluster) -> None:
    gateway = cluster.gateway_urls[0]
    httpx.get(f"{gateway}/api/users/profile/1", timeout=10)  # the gateway has used the replica
    table = cluster_status(cluster.discovery_url, gateway)
    lines = table.splitlines()
    assert sum(line.startswith("users ") for line in lines) == 1
    assert sum(line.startswith("gateway ") for line in lines) == 2
    users_line = next(line for line in lines if line.startswith("users "))
    assert "running" in users_line
    assert "breaker=closed" in users_line
