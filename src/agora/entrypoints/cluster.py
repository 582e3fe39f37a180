"""`agora cluster up`: discovery, N replicas of every service and one or more gateways as separate
processes on this machine, against PostgreSQL and Redis; `agora cluster status` shows them."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import structlog

from agora.entrypoints.collectors import Collectors, collectors_for
from agora.entrypoints.operations import migrate_services
from agora.entrypoints.processes import Supervised
from agora.entrypoints.registry import available_specs
from agora.gateway.edge import backend_name
from agora.platform.auth.keys import ensure_keypair
from agora.platform.config import Settings, Topology

log = structlog.get_logger("agora.cluster")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Child(Supervised):
    """One process of the cluster and how to start it again."""

    name: str
    args: list[str]
    env: dict[str, str]
    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    next_start: float = 0.0
    # A worker of a replica: the port it shares with the replica's other workers.
    shared_port: int | None = None
    _log: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self._spawn([sys.executable, "-m", "agora.entrypoints", *self.args], env=self.env)


@dataclass
class ClusterPlan:
    """Every process of a cluster, with ports and environment."""

    settings: Settings
    replicas: int
    gateways: int
    port: int
    workdir: Path
    children: list[Child] = field(default_factory=list)
    discovery_url: str = ""
    # Where the children's ports come from (a benchmark confines them to a range of its own).
    next_port: Callable[[], int] = free_port
    # HAProxy on the public port in front of the gateways (`agora edge`, decision 0050).
    edge: bool = False

    def build(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        private_key, public_key = ensure_keypair(self.workdir / "keys")
        discovery_port = self.next_port()
        self.discovery_url = f"http://127.0.0.1:{discovery_port}"
        base = {
            **os.environ,
            "AGORA_TOPOLOGY": Topology.CLUSTER.value,
            "AGORA_DISCOVERY_URL": self.discovery_url,
            "AGORA_JWT_PUBLIC_KEY_FILE": str(public_key),
            "AGORA_REDIS_URL": self.settings.redis_url,
            "AGORA_DATA_DIR": str(self.workdir),
            "AGORA_REDIS_PREFIX": self.settings.redis_prefix,
            # Every process agrees on which services this cluster runs.
            "AGORA_SERVICES": json.dumps([s.name for s in available_specs(self.settings.services)]),
        }
        base.pop("AGORA_JWT_PRIVATE_KEY_FILE", None)
        if self.settings.database_url:
            base["AGORA_DATABASE_URL"] = self.settings.database_url
        if self.settings.database_read_url:
            base["AGORA_DATABASE_READ_URL"] = self.settings.database_read_url
        if self.settings.cache_redis_urls:
            base["AGORA_CACHE_REDIS_URLS"] = json.dumps(self.settings.cache_redis_urls)

        def child(name: str, args: list[str], port: int, **extra: str) -> Child:
            env = {**base, "AGORA_PORT": str(port), "AGORA_INSTANCE": name, **extra}
            return Child(name, [*args, "--port", str(port)], env, port, logs / f"{name}.log")

        self.children.append(child("discovery", ["discovery"], discovery_port))
        # Services believe the X-Forwarded-For of the gateways, which run on this machine.
        gateways = sorted({"127.0.0.1", "::1", self.settings.advertise_host})
        for spec in available_specs(self.settings.services):
            # One warehouse whatever the replica count: the single writer of its DuckDB file.
            single = spec.name == "warehouse"
            workers = 1 if single else self.settings.workers
            for index in range(1 if single else self.replicas):
                extra = {"AGORA_TRUSTED_PROXIES": json.dumps(gateways)}
                if spec.name == "users":
                    extra["AGORA_JWT_PRIVATE_KEY_FILE"] = str(private_key)
                name, port = f"{spec.name}-{index + 1}", self.next_port()
                if workers == 1:
                    self.children.append(child(name, ["serve", spec.name], port, **extra))
                    continue
                # The replica's port is shared by its workers; each is a process (and an
                # instance in discovery) of its own, supervised, restarted and stopped like one.
                for worker in range(1, workers + 1):
                    args = ["serve", spec.name, "--shared-port", str(port)]
                    worker_child = child(f"{name}.{worker}", args, self.next_port(), **extra)
                    worker_child.shared_port = port
                    self.children.append(worker_child)
        # Behind an edge the gateways believe its X-Forwarded-For (it sets the client's address).
        behind_edge = (
            {"AGORA_TRUSTED_PROXIES": json.dumps([*gateways, *self.settings.trusted_proxies])}
            if self.edge
            else {}
        )
        for index in range(self.gateways):
            port = self.port if index == 0 and not self.edge else self.next_port()
            self.children.append(child(f"gateway-{index + 1}", ["gateway"], port, **behind_edge))
        if self.edge:
            self.children.append(child("edge", ["edge"], self.port))

    @property
    def gateway_children(self) -> list[Child]:
        return [c for c in self.children if c.name.startswith("gateway-")]

    def by_name(self, name: str) -> Child:
        return next(c for c in self.children if c.name == name)


def _wait_http(
    url: str, *, until: float, check: Callable[[httpx.Response], bool] | None = None
) -> bool:
    """Whether `url` answered 200 (and `check` liked the answer) before `until`."""
    while time.monotonic() < until:
        try:
            response = httpx.get(url, timeout=1)
            if response.status_code == 200 and (check is None or check(response)):
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def edge_backends_up(metrics: str, services: list[str]) -> bool:
    """Whether HAProxy's metrics (the edge's `/metrics`) show a server up for every service."""
    up: dict[str, float] = {}
    for line in metrics.splitlines():
        if line.startswith("haproxy_backend_active_servers{"):
            name = line.partition('proxy="')[2].partition('"')[0]
            up[name] = float(line.rsplit(" ", 1)[1])
    return all(up.get(backend_name(service), 0) > 0 for service in services)


class Launcher:
    """Starts a plan in order, supervises it (restarting crashed children), and stops it cleanly."""

    def __init__(self, plan: ClusterPlan, *, restart: bool = True) -> None:
        self.plan = plan
        self.restart = restart
        # Set by stop(), possibly from a signal handler while supervise() sleeps.
        self._stopping = threading.Event()
        self.collectors: Collectors | None = None

    def start(self, timeout: float = 120.0) -> None:
        asyncio.run(migrate_services(self.plan.settings, self.plan.settings.services))
        # Log shipping and scraping first: they see every process from its first line.
        self.collectors = collectors_for(
            self.plan.settings, self.plan.workdir, list(self.plan.children), self.plan.discovery_url
        )
        if self.collectors is not None:
            self.collectors.start()
        until = time.monotonic() + timeout
        discovery = self.plan.by_name("discovery")
        discovery.start()
        if not _wait_http(f"{self.plan.discovery_url}/status", until=until):
            raise RuntimeError(f"discovery did not start; see {discovery.log_path}")
        for child in self.plan.children:
            if child.name != "discovery":
                child.start()
        # Ready when every gateway routes to every service (each watches discovery on its own),
        # and the edge, if any, to the gateways and to an instance of every service.
        ready_first = [*self.plan.gateway_children]
        if self.plan.edge:
            ready_first.append(self.plan.by_name("edge"))
        for gateway in ready_first:
            ready = _wait_http(
                f"http://127.0.0.1:{gateway.port}/status",
                until=until,
                check=lambda response: response.json().get("status") == "running",
            )
            if not ready:
                raise RuntimeError(
                    f"{gateway.name} did not see every service; logs in {self.plan.workdir}"
                )
        if self.plan.edge:
            services = [spec.name for spec in available_specs(self.plan.settings.services)]
            up = _wait_http(
                f"http://127.0.0.1:{self.plan.port}/metrics",
                until=until,
                check=lambda response: edge_backends_up(response.text, services),
            )
            if not up:
                raise RuntimeError(
                    f"the edge did not see every service; logs in {self.plan.workdir}"
                )

    def describe(self) -> str:
        lines = ["", f"Agora cluster is running (logs: {self.plan.workdir / 'logs'})"]
        lines += [
            f"  {child.name:<18} http://127.0.0.1:{child.port}"
            + (f" (replica port {child.shared_port})" if child.shared_port is not None else "")
            for child in self.plan.children
        ]
        lines += self.collectors.describe() if self.collectors is not None else []
        lines += [
            f"  web UI and API     http://127.0.0.1:{self.plan.port}/",
            "Press Ctrl-C to stop.",
            "",
        ]
        return "\n".join(lines)

    def supervise(self) -> None:
        """Restart children that die, until asked to stop."""
        while not self._stopping.is_set():
            now = time.monotonic()
            for child in self.plan.children:
                if self._stopping.is_set() or child.alive() or not self.restart:
                    continue
                if child.next_start == 0.0:
                    child.restarts += 1
                    child.next_start = now + min(2.0**child.restarts, 30.0)
                    log.warning("child_died", name=child.name, restarts=child.restarts)
                elif now >= child.next_start:
                    child.next_start = 0.0
                    child.stop()
                    child.start()
            if self.collectors is not None:
                self.collectors.supervise_once()
            time.sleep(0.5)

    def stop(self) -> None:
        self._stopping.set()
        # Gateways first (no new requests), then services, then discovery.
        for child in reversed(self.plan.children):
            child.stop()
        if self.collectors is not None:
            self.collectors.stop()


def cluster_status(discovery_url: str, gateway_url: str) -> str:
    """A table of live instances and, per gateway, its breaker states."""
    rows = []
    services = httpx.get(f"{discovery_url}/services", timeout=3).json()["services"]
    breakers: dict[str, str] = {}
    try:
        cluster = httpx.get(f"{gateway_url}/cluster", timeout=3).json()
        for entries in cluster["services"].values():
            for entry in entries:
                breakers[entry["id"]] = entry["breaker"]
    except httpx.HTTPError:
        pass
    rows += [
        f"{service:<14} {instance['id']:<28} {instance['host']}:{instance['port']:<6} "
        f"{instance['status']:<9} breaker={breakers.get(instance['id'], '-')}"
        for service, instances in sorted(services.items())
        for instance in instances
    ]
    return "\n".join(rows) if rows else "no instances registered"
