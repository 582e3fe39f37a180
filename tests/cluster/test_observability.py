"""Following one request through the cluster: its trace id in every process's spans and log lines
with the right parent/child links, the log lines gathered by rsyslog (none lost while its
receiver is down), found again by `agora logs --trace`, and every instance scraped by
Prometheus."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agora.entrypoints.collectors import Collectors
from agora.platform.logsearch import LogQuery, log_files, search_logs
from agora.platform.tracing import read_trace
from tests.contract import flows
from tests.support import requirements
from tests.support.cluster import RunningCluster, running_cluster
from tests.support.live import ws_connect
from tests.support.logcheck import ecs_problems, secrets_in
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]

SERVICES = ["users", "notifications"]
TRACE_ID = "7d3c2b1a0f9e8d7c6b5a493827161504"
CLIENT_SPAN = "1122334455667788"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("obs") / "data"


RSYSLOG_MODULE_DIRS = ("/usr/lib/x86_64-linux-gnu/rsyslog", "/usr/lib/aarch64-linux-gnu/rsyslog")
INSTALL = "apt-get install -y rsyslog rsyslog-relp prometheus"
REQUIRE_VARIABLE = "AGORA_REQUIRE_COLLECTORS"


def require_collectors() -> None:
    """Skip (or fail, in CI) when Debian's rsyslog, its RELP module or Prometheus are missing."""
    missing = Collectors.available()
    if not any(Path(d, "imrelp.so").exists() for d in RSYSLOG_MODULE_DIRS):
        missing.append("rsyslog-relp")
    if not missing:
        return
    requirements.missing(
        f"the collectors are not installed ({', '.join(missing)}); run: {INSTALL}",
        require_variable=REQUIRE_VARIABLE,
    )


@pytest.fixture(scope="module")
def cluster(data_dir: Path) -> Iterator[RunningCluster]:
    require_collectors()
    env = {
        "AGORA_CLUSTER_COLLECTORS": "true",
        "AGORA_TRACE_SAMPLE_RATIO": "1.0",
        "AGORA_TRACE_MAX_PER_SECOND": "0",  # every request, however many a second
        "OTEL_BSP_SCHEDULE_DELAY": "200",  # spans reach the store within a fraction of a second
    }
    with running_cluster(data_dir / "cluster", SERVICES, replicas=1, env=env) as running:
        collectors = running.launcher.collectors
        assert collectors is not None, "rsyslog or prometheus is not installed"
        assert collectors.receiver is not None, "rsyslog or prometheus is not installed"
        yield running


def _central(data_dir: Path) -> list[dict[str, Any]]:
    files = sorted((data_dir / "cluster" / "central").glob("2*.log"))
    return [json.loads(line) for f in files for line in f.read_text().splitlines() if line]


def test_one_request_is_one_trace_across_every_process(
    cluster: RunningCluster, data_dir: Path
) -> None:
    gateway = cluster.gateway_urls[0]

    async def follow_and_watch() -> httpx.Response:
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
            ana = await flows.register(http, flows.unique("ana"))
            ben = await flows.register(http, flows.unique("ben"))
            url = gateway.replace("http", "ws") + f"/api/notifications/ws?token={ben.token}"
            async with ws_connect(url) as socket:
                await socket.receive_until("ready", within=10)
                followed = await http.post(
                    f"/api/users/{ana.id}/follow",
                    json={"followUserId": ben.id},
                    headers={**ana.auth, "traceparent": f"00-{TRACE_ID}-{CLIENT_SPAN}-01"},
                )
                frame = await socket.receive_until("notification", within=15)
                assert ana.name in frame["notification"]["message"]
            return followed

    response = asyncio.run(follow_and_watch())
    assert response.status_code in (200, 201), response.text
    assert response.headers["traceparent"].split("-")[1] == TRACE_ID

    def spans() -> list[dict[str, Any]]:
        return read_trace(cluster.plan.workdir, TRACE_ID)

    def complete() -> bool:
        # Each process flushes its spans on its own schedule: wait for the whole tree.
        found = spans()
        ids = {span["span_id"] for span in found}
        pushed = any(span["name"].startswith("push") for span in found)
        asked = any(  # the gRPC server's span (the client's, in notifications, may come first)
            span["instance"] == "users-1" and "UserDirectory" in span["name"] for span in found
        )
        return (
            pushed
            and asked
            and [s["parent_id"] for s in found if s["parent_id"] not in ids] == [CLIENT_SPAN]
        )

    wait_until(complete, what="every span of the trace")
    found = spans()
    by_id = {span["span_id"]: span for span in found}
    # One tree: every span's parent is in the trace, and the root's is the caller's span.
    roots = [span for span in found if span["parent_id"] not in by_id]
    assert [root["parent_id"] for root in roots] == [CLIENT_SPAN], roots
    assert roots[0]["instance"] == "gateway-1"

    def chain(span: dict[str, Any] | None) -> list[str]:
        names = []
        while span is not None:
            names.append(f"{span['instance']}:{span['kind']}:{span['name']}")
            span = by_id.get(span["parent_id"])
        return names[::-1]

    (push,) = [span for span in found if span["name"].startswith("push")]
    path = chain(push)
    # gateway → users → outbox event → consumer in notifications → ... → the socket push
    assert path[0] == "gateway-1:server:POST /api/users/{userId}/follow", path
    assert any(step.startswith("users-1:server:POST /users/{userId}/follow") for step in path)
    # One server span per process and request: the platform's (FastAPI's own telemetry is off).
    servers = [(s["instance"], s["name"]) for s in found if s["kind"] == "server"]
    assert sorted(servers) == sorted(set(servers)), servers
    assert not [s["name"] for s in found if s["name"].startswith("fastapi.")]
    assert any(step.startswith("users-1:producer:publish user.followed") for step in path)
    assert any(step.startswith("notifications-1:consumer:consume user.followed") for step in path)
    assert path[-1].startswith("notifications-1:producer:push user"), path
    instances = {span["instance"] for span in found}
    assert instances == {"gateway-1", "users-1", "notifications-1"}
    kinds = {(span["instance"], span["kind"]) for span in found}
    assert ("users-1", "client") in kinds  # the database
    # The consumer asked the users service over gRPC, inside the same trace.
    grpc = [s for s in found if s["instance"] == "users-1" and "UserDirectory" in s["name"]]
    assert grpc
    assert by_id[grpc[0]["parent_id"]]["instance"] == "notifications-1"

    # The log lines of that request, from every process, gathered by rsyslog.
    def traced_lines() -> list[dict[str, Any]]:
        return [line for line in _central(data_dir) if line.get("trace.id") == TRACE_ID]

    wait_until(
        lambda: (
            {line.get("service.node.name") for line in traced_lines()}
            >= {"gateway-1", "users-1", "notifications-1"}
        ),
        what="log lines of the trace from every process",
        within=30,
    )
    for line in traced_lines():
        assert ecs_problems(line) == [], line
        span = by_id.get(line.get("span.id", ""))
        assert span is not None, line  # each line names a span of the trace...
        assert span["instance"] == line["service.node.name"]  # ...of its own process

    # `agora logs --trace ID` finds the same lines.
    shown = subprocess.run(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "agora.entrypoints",
            "logs",
            "--trace",
            TRACE_ID,
            "--json",
            "--data-dir",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, "AGORA_CLUSTER_COLLECTORS": "false"},
    )
    lines = [json.loads(line) for line in shown.stdout.splitlines()]
    assert {line["service.node.name"] for line in lines} >= {
        "gateway-1",
        "users-1",
        "notifications-1",
    }
    assert all(line["trace.id"] == TRACE_ID for line in lines)


def test_a_receiver_killed_while_services_log_loses_no_line(
    cluster: RunningCluster, data_dir: Path
) -> None:
    collectors = cluster.launcher.collectors
    assert collectors is not None
    receiver = collectors.receiver
    assert receiver is not None
    assert receiver.proc is not None
    receiver.proc.send_signal(signal.SIGKILL)
    receiver.proc.wait(10)
    run = f"lost-or-not-{time.monotonic_ns()}"
    ids = [f"{run}-{i}" for i in range(40)]
    with httpx.Client(base_url=cluster.gateway_urls[0], timeout=10) as http:
        for request_id in ids:
            assert http.get("/api/users/1", headers={"X-Request-ID": request_id}).status_code
    time.sleep(1.5)  # the shipper has read them and is retrying
    receiver.stop()
    receiver.start()

    def gathered() -> list[dict[str, Any]]:
        return [
            line
            for line in _central(data_dir)
            if str(line.get("http.request.id", "")).startswith(run)
            and line.get("event.dataset") == "agora.access"
        ]

    # Each request is one access line in the gateway and one in the users service.
    wait_until(lambda: len(gathered()) >= 2 * len(ids), what="every line", within=60)
    time.sleep(1.0)
    lines = gathered()
    for node in ("gateway-1", "users-1"):
        mine = sorted(x["http.request.id"] for x in lines if x["service.node.name"] == node)
        assert mine == sorted(ids), node  # all of them, each once


def test_prometheus_scrapes_every_instance(cluster: RunningCluster) -> None:
    collectors = cluster.launcher.collectors
    assert collectors is not None
    url = f"http://127.0.0.1:{collectors.prometheus_port}/api/v1/targets"

    def healthy() -> set[str]:
        targets = httpx.get(url, timeout=3).json()["data"]["activeTargets"]
        return {t["labels"]["service"] for t in targets if t["health"] == "up"}

    # Discovery lists the service replicas and the gateway; discovery itself is added by name.
    wait_until(
        lambda: healthy() == {"discovery", "gateway", *SERVICES},
        what="every instance scraped",
        within=60,
        ignoring=(httpx.HTTPError,),
    )


def test_a_restarted_prometheus_keeps_what_it_scraped(cluster: RunningCluster) -> None:
    collectors = cluster.launcher.collectors
    assert collectors is not None
    prometheus = collectors.prometheus
    assert prometheus is not None
    assert prometheus.proc is not None
    base = f"http://127.0.0.1:{collectors.prometheus_port}"
    # Summed over the gateway's series: one per instance id it has registered under.
    query = 'sum(count_over_time(up{service="gateway"}[1h]))'

    def samples() -> int:
        body = httpx.get(f"{base}/api/v1/query", params={"query": query}, timeout=3).json()
        result = body["data"]["result"]
        return int(float(result[0]["value"][1])) if result else 0

    wait_until(lambda: samples() >= 2, what="two scrapes", within=120, ignoring=(httpx.HTTPError,))
    before = samples()
    prometheus.proc.send_signal(signal.SIGKILL)
    prometheus.proc.wait(10)
    collectors.supervise_once()  # what the launcher's supervision loop does every half second
    assert prometheus.alive()
    wait_until(
        lambda: httpx.get(f"{base}/-/ready", timeout=3).status_code == 200,
        what="prometheus ready again",
        within=60,
        ignoring=(httpx.HTTPError,),
    )
    assert samples() >= before  # the series survived the kill (its write-ahead log)


def test_no_line_of_the_cluster_carries_a_secret(cluster: RunningCluster, data_dir: Path) -> None:
    lines = _central(data_dir)
    assert lines
    for line in lines:
        assert secrets_in(json.dumps(line)) == [], line
        assert ecs_problems(line) == [], line
    assert log_files(data_dir)[0].parent.name == "central"
    assert search_logs(log_files(data_dir), LogQuery(service="users-1", limit=5))
