"""The cluster's edge (HAProxy on the public port, decision 0050) as an operator relies on it: plain
reads go straight to a service and answer what the gateway answers, everything else goes to the
gateways, a client cannot choose its address, a killed replica costs no read, a service with no
instance left answers the contract's JSON 503, and WebSockets pass through."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.contract.flows import PASSWORD, unique
from tests.support.cluster import RunningCluster, running_cluster
from tests.support.ha import require_haproxy
from tests.support.live import ws_connect
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]

SERVICES = ["users", "voting"]
SPOOFED = "203.0.113.9"  # TEST-NET-3: an address the client makes up


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    require_haproxy()
    # A killed replica leaves discovery (and so the edge's slots) within seconds.
    env = {"AGORA_DISCOVERY_TTL_SECONDS": "3"}
    with running_cluster(
        tmp_path_factory.mktemp("edge"), SERVICES, replicas=2, env=env, edge=True
    ) as running:
        yield running


@pytest.fixture(scope="module")
def member(cluster: RunningCluster) -> str:
    """A registered user's id (registered through the gateway itself, not the edge)."""
    created = httpx.post(
        f"{cluster.gateway_urls[0]}/api/users/register",
        json={"username": unique("reader"), "password": PASSWORD},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    return str(created.json()["user_id"])


# ------------------------------------------------------------------------------------ helpers


def _access_lines(log: Path) -> list[dict[str, Any]]:
    """The access lines (JSON, logger `agora.access`) in a process's log."""
    if not log.exists():
        return []
    lines = []
    for text in log.read_text(errors="replace").splitlines():
        try:
            record = json.loads(text)
        except ValueError:
            continue  # a traceback, or a line cut by a kill
        if isinstance(record, dict) and record.get("log.logger") == "agora.access":
            lines.append(record)
    return lines


def _edge_log(cluster: RunningCluster) -> Path:
    return cluster.plan.by_name("edge").log_path


def _line_for(logs: list[Path], request_id: str, *, what: str) -> dict[str, Any]:
    """The access line of the request `request_id` in one of `logs` (it may take a moment)."""
    assert request_id, "the answer carries an X-Request-ID"

    def find() -> dict[str, Any]:
        for log in logs:
            for record in _access_lines(log):
                if record.get("http.request.id") == request_id:
                    return record
        return {}

    return wait_until(find, what=what, within=10, interval=0.1)


def _edge_line(cluster: RunningCluster, response: httpx.Response) -> dict[str, Any]:
    request_id = response.headers.get("x-request-id", "")
    line = _line_for(
        [_edge_log(cluster)],
        request_id,
        what=f"the edge's access line of {response.request.method} {response.request.url.path}",
    )
    assert line["service.name"] == "edge"
    assert line["http.response.status_code"] == response.status_code, line
    assert line["url.path"] == response.request.url.path, line
    return line


def _replica_line(cluster: RunningCluster, service: str, request_id: str) -> dict[str, Any]:
    logs = [replica.log_path for replica in cluster.replicas(service)]
    return _line_for(logs, request_id, what=f"a {service} replica's access line of {request_id}")


def _active_servers(cluster: RunningCluster, backend: str) -> float | None:
    """What the edge's Prometheus exporter says of `backend`'s servers that are up."""
    metrics = httpx.get(f"{cluster.public_url}/metrics", timeout=3).text
    for line in metrics.splitlines():
        if line.startswith(f'haproxy_backend_active_servers{{proxy="{backend}"}} '):
            return float(line.rsplit(" ", 1)[1])
    return None


def _wait_for_active(cluster: RunningCluster, backend: str, count: int, *, within: float) -> None:
    wait_until(
        lambda: _active_servers(cluster, backend) == count,
        what=f"the edge's metrics to show {count} active server(s) in {backend}",
        within=within,
        interval=0.2,
        ignoring=(httpx.HTTPError,),
    )


def _all_users_replicas_up(cluster: RunningCluster) -> None:
    """Both users replicas running and in the edge (a test that kills them may have run first)."""
    for replica in cluster.replicas("users"):
        if not replica.alive():
            cluster.restart(replica)
    _wait_for_active(cluster, "svc_users", 2, within=30)


def _served(log: Path, path: str) -> int:
    return sum(1 for record in _access_lines(log) if record.get("url.path") == path)


# -------------------------------------------------------------------------------------- tests


def test_a_profile_read_goes_straight_to_the_service_and_answers_as_the_gateway(
    cluster: RunningCluster, member: str
) -> None:
    path = f"/api/users/profile/{member}"
    through_edge = httpx.get(cluster.public_url + path, timeout=10)
    through_gateway = httpx.get(cluster.gateway_urls[0] + path, timeout=10)
    assert through_edge.status_code == 200, through_edge.text
    assert through_gateway.status_code == 200, through_gateway.text
    assert through_edge.json() == through_gateway.json()
    assert through_edge.json()["user_id"] == member
    assert through_edge.headers["content-type"].startswith("application/json")
    line = _edge_line(cluster, through_edge)
    assert line["agora.backend"] == "svc_users", line
    assert str(line["agora.server"]).startswith("s"), line
    # The service answered it itself (same request id), without the gateway's hop.
    served = _replica_line(cluster, "users", through_edge.headers["x-request-id"])
    assert served["url.path"] == f"/users/profile/{member}", served


def test_writes_cached_lists_unknown_routes_and_wrong_methods_go_to_the_gateways(
    cluster: RunningCluster, member: str
) -> None:
    name = unique("writer")
    with httpx.Client(base_url=cluster.public_url, timeout=10) as http:
        registered = http.post(
            "/api/users/register",
            json={"username": name, "email": f"{name}@example.com", "password": PASSWORD},
        )
        assert registered.status_code == 201, registered.text
        login = http.post("/api/users/login", json={"username": name, "password": PASSWORD})
        assert login.status_code == 200, login.text
        assert login.json()["token"]
        books = http.get("/api/books")  # a cached list: the gateway's response cache
        assert books.status_code == 200, books.text
        status = http.get("/api/vote/status")
        assert status.status_code == 200, status.text
        unknown = http.get("/api/nope")
        assert unknown.status_code == 404, unknown.text
        assert unknown.json()["status"] == "error"
        assert unknown.json()["error"]["code"]
        wrong_method = http.delete(f"/api/users/profile/{member}")
        assert wrong_method.status_code == 405, wrong_method.text
        assert wrong_method.json()["status"] == "error"
        assert wrong_method.json()["error"]["code"]
    for response in (registered, login, books, status, unknown, wrong_method):
        line = _edge_line(cluster, response)
        assert line["agora.backend"] == "gateways", line


def test_a_client_cannot_choose_its_address(cluster: RunningCluster, member: str) -> None:
    _all_users_replicas_up(cluster)
    spoofed = {"X-Forwarded-For": SPOOFED}
    with httpx.Client(base_url=cluster.public_url, timeout=10, headers=spoofed) as http:
        read = http.get(f"/api/users/profile/{member}")
        assert read.status_code == 200, read.text
        name = unique("spoofer")
        registered = http.post("/api/users/register", json={"username": name, "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        login = http.post("/api/users/login", json={"username": name, "password": PASSWORD})
        assert login.status_code == 200, login.text
    # The read went straight to a replica, the login through a gateway: neither believed the
    # client's header.
    assert _edge_line(cluster, read)["agora.backend"] == "svc_users"
    assert _edge_line(cluster, login)["agora.backend"] == "gateways"
    for response in (read, login):
        line = _replica_line(cluster, "users", response.headers["x-request-id"])
        assert line["client.ip"] == "127.0.0.1", line
    gateway_logs = [c.log_path for c in cluster.plan.gateway_children]
    line = _line_for(
        gateway_logs, login.headers["x-request-id"], what="the gateway's access line of the login"
    )
    assert line["client.ip"] == "127.0.0.1", line


class Reads:
    """Sequential profile reads through the edge from a background thread, with their outcomes."""

    def __init__(self, base: str, path: str) -> None:
        self.base = base
        self.path = path
        self.answers: list[tuple[float, int]] = []  # (when sent, status)
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as http:
            while not self._stop.is_set():
                sent = time.monotonic()
                try:
                    got = http.get(self.path)
                except httpx.HTTPError as exc:
                    self.answers.append((sent, 0))
                    self.failures.append(repr(exc))
                    continue
                self.answers.append((sent, got.status_code))
                if got.status_code != 200:
                    self.failures.append(f"{got.status_code} {got.text[:300]}")

    def __enter__(self) -> Reads:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(30)


def test_reads_lose_nothing_when_a_replica_is_killed(cluster: RunningCluster, member: str) -> None:
    _all_users_replicas_up(cluster)
    path = f"/api/users/profile/{member}"
    inner = f"/users/profile/{member}"
    victim, survivor = cluster.replicas("users")
    before = {r.name: _served(r.log_path, inner) for r in (victim, survivor)}
    with Reads(cluster.public_url, path) as reads:
        # The edge balances over both: the victim is serving reads when it dies.
        wait_until(
            lambda: all(_served(r.log_path, inner) > before[r.name] for r in (victim, survivor)),
            what="both replicas to serve the reads",
            within=20,
            interval=0.1,
        )
        killed_at = time.monotonic()
        cluster.kill(victim)
        time.sleep(5)
    after_kill = [status for sent, status in reads.answers if sent >= killed_at]
    assert len(after_kill) > 50, f"the reads ran after the kill: {len(after_kill)}"
    # A read the dead replica had not begun to answer is retried on the other: no error status
    # reaches the client. The one read it may have been answering when killed (the reader sends
    # one at a time) can be cut after its headers: HAProxy forwards an answer as it comes and
    # cannot retry it then (the gateway buffers answers and can; decision 0050).
    cut = [failure for failure in reads.failures if failure.startswith("RemoteProtocolError(")]
    assert reads.failures == cut, (
        f"{len(reads.failures)} of {len(reads.answers)} reads failed: {reads.failures[:5]}"
    )
    assert len(cut) <= 1, f"more than the read in flight was cut: {cut}"
    # The reads the dead replica refused were retried on the other, and their access lines are
    # JSON like every other (what the central log and `agora logs` read).
    edge_lines = [
        line for line in _edge_log(cluster).read_text().splitlines() if line.startswith("{")
    ]
    retried = [
        record
        for record in map(json.loads, edge_lines)
        if record.get("log.logger") == "agora.access" and record.get("agora.retries") != "0"
    ]
    assert retried, "a read was retried on the surviving replica"
    assert {r["http.response.status_code"] for r in retried} == {200}
    # The health checks (or discovery) take the dead one out of the edge.
    _wait_for_active(cluster, "svc_users", 1, within=15)
    # A restarted replica is back in the edge and takes reads again.
    cluster.restart(victim)
    _wait_for_active(cluster, "svc_users", 2, within=30)
    served_before = _served(victim.log_path, inner)
    with httpx.Client(base_url=cluster.public_url, timeout=10) as http:

        def served_by_the_restarted_replica() -> bool:
            assert http.get(path).status_code == 200
            return _served(victim.log_path, inner) > served_before

        wait_until(
            served_by_the_restarted_replica,
            what="the restarted replica to serve a read through the edge",
            within=20,
        )


def test_with_no_instance_left_the_answer_is_the_contracts_json_503(
    cluster: RunningCluster, member: str
) -> None:
    _all_users_replicas_up(cluster)
    replicas = cluster.replicas("users")
    try:
        for replica in replicas:
            cluster.kill(replica)
        _wait_for_active(cluster, "svc_users", 0, within=15)
        with httpx.Client(base_url=cluster.public_url, timeout=10) as http:
            # The gateway may still try an instance discovery lists; either way it is a 503.

            def unavailable() -> list[httpx.Response]:
                got = http.get(f"/api/users/profile/{member}")
                return [got] if got.status_code == 503 else []

            [answer] = wait_until(
                unavailable,
                what="a 503 once every users replica is gone",
                within=20,
                interval=0.2,
            )
        assert answer.headers["content-type"].startswith("application/json"), answer.text
        body = answer.json()
        assert body["status"] == "error", body
        assert body["error"]["code"], body
        assert body["error"]["message"], body
        # With no server up, the edge hands the read to the gateways, which answer for the
        # service.
        assert _edge_line(cluster, answer)["agora.backend"] == "gateways"
        # The other service is not affected.
        assert httpx.get(f"{cluster.public_url}/api/books", timeout=10).status_code == 200
    finally:
        for replica in replicas:
            cluster.restart(replica)
        _wait_for_active(cluster, "svc_users", 2, within=30)


async def test_a_websocket_through_the_edge_is_passed_to_the_gateways(
    cluster: RunningCluster,
) -> None:
    edge = cluster.public_url.replace("http://", "ws://")
    gateway = cluster.gateway_urls[0].replace("http://", "ws://")
    async with ws_connect(f"{gateway}/api/vote/live") as socket:
        direct = await socket.receive_until("snapshot", within=10)
    async with ws_connect(f"{edge}/api/vote/live") as socket:
        snapshot = await socket.receive_until("snapshot", within=10)
        assert snapshot["poll_id"] == direct["poll_id"]
        assert snapshot["epoch"] == direct["epoch"]
        # Both ways: the socket stays open and answers.
        await socket.send({"type": "ping"})
        await socket.receive_until("pong", within=10)

    def upgraded() -> dict[str, Any]:
        lines = [
            record
            for record in _access_lines(_edge_log(cluster))
            if record.get("url.path") == "/api/vote/live"
        ]
        return lines[-1] if lines else {}

    line = wait_until(upgraded, what="the edge's access line of the WebSocket", within=10)
    assert line["http.response.status_code"] == 101, line
    assert line["agora.backend"] == "gateways", line
    # The edge gave the socket its request id (a 101 answer carries none back).
    assert re.fullmatch(r"[0-9a-f]{32}", line["http.request.id"]), line
