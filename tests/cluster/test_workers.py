"""Several worker processes per replica (AGORA_WORKERS): the workers share the replica's port,
each is an instance in discovery at a port of its own (its metrics and status readable there),
a killed worker leaves the replica serving, and a stopped one leaves discovery at once."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import httpx
import pytest

from agora.entrypoints.cluster import Child
from tests.support.cluster import RunningCluster, running_cluster
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    env = {"AGORA_WORKERS": "2", "AGORA_DISCOVERY_TTL_SECONDS": "3"}
    with running_cluster(
        tmp_path_factory.mktemp("workers"), ["users"], replicas=1, env=env
    ) as running:
        # The launcher is ready once the gateway sees a users instance; the other worker may still
        # be starting.
        running.wait_for_instances("users", 2, within=60, what="both workers register")
        yield running


def _workers(cluster: RunningCluster) -> list[Child]:
    workers = cluster.replicas("users")
    assert [w.name for w in workers] == ["users-1.1", "users-1.2"]
    return workers


def test_each_worker_is_an_instance_at_its_own_port_sharing_the_replica_port(
    cluster: RunningCluster,
) -> None:
    workers = _workers(cluster)
    shared = {w.shared_port for w in workers}
    assert len(shared) == 1
    assert None not in shared
    instances = cluster.instances("users")
    assert sorted(int(str(i["port"])) for i in instances) == sorted(w.port for w in workers)
    for instance in instances:
        metadata = instance["metadata"]
        assert isinstance(metadata, dict)
        assert metadata["replica_port"] == workers[0].shared_port
    pids = {i["metadata"]["pid"] for i in instances}  # type: ignore[index]
    assert pids == {w.proc.pid for w in workers if w.proc is not None}
    # The replica's port is served (by whichever worker the kernel picks), and the gateway routes.
    for _ in range(10):
        response = httpx.get(f"http://127.0.0.1:{workers[0].shared_port}/status", timeout=5)
        assert response.status_code == 200
    gateway = cluster.gateway_urls[0]
    response = httpx.post(
        f"{gateway}/api/users/register",
        json={"username": "worker_fan", "password": "correct horse battery staple"},
        timeout=10,
    )
    assert response.status_code == 201, response.text


def _status_count(metrics: str) -> float:
    """The worker's `/status` requests answered 200, from its Prometheus text."""
    for line in metrics.splitlines():
        ours = 'route="/status"' in line and 'status="200"' in line
        if line.startswith("agora_http_requests_total{") and ours:
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_each_workers_metrics_are_its_own_at_its_own_port(cluster: RunningCluster) -> None:
    first, second = _workers(cluster)
    before = {
        w.name: _status_count(httpx.get(f"http://127.0.0.1:{w.port}/metrics", timeout=5).text)
        for w in (first, second)
    }
    for _ in range(3):
        httpx.get(f"http://127.0.0.1:{first.port}/status", timeout=5).raise_for_status()
    after = {
        w.name: _status_count(httpx.get(f"http://127.0.0.1:{w.port}/metrics", timeout=5).text)
        for w in (first, second)
    }
    assert after[first.name] - before[first.name] == 3
    assert after[second.name] == before[second.name]


def test_a_killed_worker_leaves_the_replica_serving_and_a_stopped_one_leaves_discovery(
    cluster: RunningCluster,
) -> None:
    killed, stopped = _workers(cluster)
    cluster.kill(killed)
    replica = f"http://127.0.0.1:{stopped.shared_port}/status"
    for _ in range(20):
        assert httpx.get(replica, timeout=5).status_code == 200
    cluster.wait_for_instances("users", 1, within=15, what="the killed worker expires")
    assert stopped.proc is not None
    stopped.proc.send_signal(signal.SIGTERM)
    assert stopped.proc.wait(20) == 0
    # Graceful: it deregistered on the way out, well before its TTL would have run out.
    wait_until(
        lambda: cluster.instances("users") == [],
        what="the stopped worker deregisters",
        within=2,
        interval=0.1,
        ignoring=(httpx.HTTPError,),
    )
