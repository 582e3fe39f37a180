"""A real cluster for tests: discovery, gateways and service replicas as processes, on the real
PostgreSQL and Redis, isolated by run-specific database names and a Redis key prefix."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import redis

from agora.entrypoints.cluster import Child, ClusterPlan, Launcher, free_port
from agora.platform.config import Settings, Topology
from agora.platform.db import drop_database
from tests.support.databases import POSTGRES_SERVER
from tests.support.waiting import wait_until

FAST = {
    "AGORA_ARGON2_TIME_COST": "1",
    "AGORA_ARGON2_MEMORY_KIB": "1024",
    "AGORA_ARGON2_PARALLELISM": "1",
    "AGORA_LOG_LEVEL": "INFO",  # access lines show which replica served what
    "AGORA_CLUSTER_COLLECTORS": "false",  # rsyslog and Prometheus: only the tests about them
}


class RunningCluster:
    """A started plan, with helpers to hurt it."""

    def __init__(self, plan: ClusterPlan, launcher: Launcher) -> None:
        self.plan = plan
        self.launcher = launcher

    @property
    def gateway_urls(self) -> list[str]:
        return [
            f"http://127.0.0.1:{c.port}" for c in self.plan.children if c.name.startswith("gateway")
        ]

    @property
    def public_url(self) -> str:
        """The cluster's public port: the edge's, or the first gateway's."""
        return f"http://127.0.0.1:{self.plan.port}"

    @property
    def discovery_url(self) -> str:
        return self.plan.discovery_url

    def replicas(self, service: str) -> list[Child]:
        return [c for c in self.plan.children if c.name.startswith(f"{service}-")]

    def kill(self, child: Child) -> None:
        assert child.proc is not None
        child.proc.send_signal(signal.SIGKILL)
        child.proc.wait(10)

    def freeze(self, child: Child) -> None:
        assert child.proc is not None
        child.proc.send_signal(signal.SIGSTOP)

    def thaw(self, child: Child) -> None:
        assert child.proc is not None
        child.proc.send_signal(signal.SIGCONT)

    def restart(self, child: Child) -> None:
        child.stop()
        child.start()

    def instances(self, service: str) -> list[dict[str, object]]:
        body = httpx.get(f"{self.discovery_url}/services/{service}/instances", timeout=3).json()
        return list(body["instances"])

    def wait_for_instances(self, service: str, count: int, *, within: float, what: str) -> None:
        """Wait until discovery lists `count` instances of `service` (it may be briefly down)."""
        wait_until(
            lambda: len(self.instances(service)) == count,
            what=what,
            within=within,
            interval=0.2,
            ignoring=(httpx.HTTPError,),
        )


@contextlib.contextmanager
def running_cluster(
    workdir: Path,
    services: Sequence[str],
    *,
    replicas: int = 2,
    gateways: int = 1,
    env: dict[str, str] | None = None,
    edge: bool = False,
) -> Iterator[RunningCluster]:
    run = uuid.uuid4().hex[:8]
    prefix = f"agora-test-{run}:"
    template = POSTGRES_SERVER.rsplit("/", 1)[0] + f"/agora_c_{run}_{{service}}"
    extra = {**FAST, **(env or {}), "AGORA_REDIS_PREFIX": prefix, "AGORA_DATABASE_URL": template}
    saved = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    settings = Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=Path("unused"),  # the plan makes and passes real keys
        services=list(services),
        database_url=template,
        redis_prefix=prefix,
    )
    plan = ClusterPlan(
        settings, replicas=replicas, gateways=gateways, port=0, workdir=workdir, edge=edge
    )
    try:
        plan.port = free_port()
        plan.build()
        launcher = Launcher(plan, restart=False)
        try:
            launcher.start(timeout=180)
            yield RunningCluster(plan, launcher)
        finally:
            launcher.stop()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        for service in services:
            asyncio.run(drop_database(template.replace("{service}", service)))
        if "users" in services:
            # The saga engine's system database beside the users database.
            asyncio.run(drop_database(template.replace("{service}", "users") + "_sagas"))
        client = redis.Redis.from_url(settings.redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
