"""Failures of real processes: a replica killed under load, a replica that hangs. The gateway keeps
answering, discovery forgets the dead, and a restarted replica takes traffic again."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.cluster import RunningCluster, running_cluster
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    env = {
        "AGORA_DISCOVERY_TTL_SECONDS": "3",
        "AGORA_UPSTREAM_TIMEOUT_SECONDS": "1",
        "AGORA_BREAKER_COOLDOWN_SECONDS": "3",
        # This load is one client; the write limit has its own test (test_rate_limit.py).
        "AGORA_WRITE_RATE_PER_MINUTE": "100000",
    }
    with running_cluster(tmp_path_factory.mktemp("cluster"), ["users"], env=env) as running:
        yield running


def _served_requests(log: Path) -> int:
    """The access lines (ECS JSON, logger `agora.access`) in a replica's log."""
    if not log.exists():
        return 0
    served = 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a traceback, or a line cut by the kill
        if isinstance(record, dict) and record.get("log.logger") == "agora.access":
            served += 1
    return served


class Load:
    """GETs and POSTs through the gateway from a background thread, with their outcomes."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.gets: list[tuple[float, int, float]] = []  # (when, status, seconds)
        self.posts: list[tuple[float, int]] = []
        self.failures: list[str] = []  # the bodies of the answers that were not a success
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as http:
            n = 0
            while not self._stop.is_set():
                n += 1
                started = time.monotonic()
                got = http.get("/api/users/profile/1")
                self.gets.append((started, got.status_code, time.monotonic() - started))
                if got.status_code != 200:
                    self.failures.append(f"GET {got.status_code} {got.text[:300]}")
                body = {"username": f"load{n}_{int(started * 1000) % 10**7}", "password": PASSWORD}
                sent = time.monotonic()
                posted = http.post("/api/users/register", json=body)
                self.posts.append((sent, posted.status_code))
                if posted.status_code != 201:
                    self.failures.append(f"POST {posted.status_code} {posted.text[:300]}")

    def __enter__(self) -> Load:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


def test_kill_9_under_load_then_restart(cluster: RunningCluster) -> None:
    gateway = cluster.gateway_urls[0]
    httpx.post(
        f"{gateway}/api/users/register",
        json={"username": "first", "password": PASSWORD},
        timeout=10,
    )
    victim, survivor = cluster.replicas("users")
    with Load(gateway) as load:
        wait_until(lambda: len(load.posts) >= 5, what="the load to run", within=30)
        # The gateway routes to both (ties go round robin): the survivor is known before the kill.
        wait_until(
            lambda: (
                _served_requests(victim.log_path) > 0 and _served_requests(survivor.log_path) > 0
            ),
            what="both replicas to serve the load",
            within=30,
        )
        killed_at = time.monotonic()
        cluster.kill(victim)
        # The dead instance leaves discovery within its TTL (3 s) plus a heartbeat, while the load
        # keeps running into it.
        cluster.wait_for_instances("users", 1, within=11, what="the killed replica to expire")
        expired_at = time.monotonic()
        wait_until(
            lambda: sum(1 for when, _ in load.posts if when >= expired_at) >= 5,
            what="five registrations after the expiry",
            within=30,
        )
    after_kill = [status for when, status, _ in load.gets if when >= killed_at]
    assert after_kill, "the load ran"
    assert all(status == 200 for _, status, _ in load.gets), (
        f"every GET was retried onto the survivor: {load.failures[:6]}"
    )
    failed_posts = [status for when, status in load.posts if when >= killed_at and status >= 500]
    assert len(failed_posts) <= 3, failed_posts  # at most the breaker's failures, then it opens
    assert [status for _, status in load.posts[-5:]] == [201] * 5
    # A restarted replica registers again and takes traffic.
    cluster.restart(victim)
    cluster.wait_for_instances("users", 2, within=30, what="the restarted replica to register")
    before = _served_requests(victim.log_path)
    with httpx.Client(base_url=gateway, timeout=10) as http:

        def served_by_the_restarted_replica() -> bool:
            assert http.get("/api/users/profile/1").status_code == 200
            return _served_requests(victim.log_path) > before

        wait_until(
            served_by_the_restarted_replica,
            what="the restarted replica to serve a request",
            within=20,
        )
    assert survivor.alive()


def test_a_hung_replica_does_not_hang_the_gateway(cluster: RunningCluster) -> None:
    gateway = cluster.gateway_urls[0]
    for replica in cluster.replicas("users"):
        if not replica.alive():  # the kill test above failed before its restart
            cluster.restart(replica)
    cluster.wait_for_instances("users", 2, within=30, what="two replicas")
    frozen = cluster.replicas("users")[0]
    cluster.freeze(frozen)
    try:
        latencies = []
        with httpx.Client(base_url=gateway, timeout=15) as http:
            for _ in range(20):
                started = time.monotonic()
                assert http.get("/api/users/profile/1").status_code == 200
                latencies.append(time.monotonic() - started)
        # Each call to the hung replica costs at most the 1 s timeout (then a retry elsewhere);
        # after three timeouts its breaker is open and calls stop waiting for it.
        assert max(latencies) < 2.5, latencies
        assert sum(1 for s in latencies if s > 0.9) <= 3, latencies
        assert sorted(latencies)[10] < 0.5, latencies
    finally:
        cluster.thaw(frozen)
