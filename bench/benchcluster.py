"""What the cluster benchmarks share (bench/references.py, bench/gateway.py, bench/workers.py): a
small Agora cluster on this machine's PostgreSQL and Redis, in databases and keys of its own that
are removed afterwards, and the CPU time of server processes from /proc.

Imported by the benchmark scripts as a sibling module (`python bench/NAME.py` puts bench/ first on
the module path); it is not a benchmark itself.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from agora.entrypoints.cluster import ClusterPlan, Launcher, free_port
from agora.platform.config import Settings, Topology
from agora.platform.db import drop_database

POSTGRES = os.environ.get(
    "AGORA_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
REDIS = os.environ.get("AGORA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's workers, a proxy's children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time of these processes so far, every thread (fields 14 and 15 of
    /proc/PID/stat); a process that has gone counts nothing."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def port_range(base: int) -> Callable[[], int]:
    """Ports from `base` up, skipping any in use (a client socket may hold one as its own)."""
    counter: Iterator[int] = itertools.count(base)

    def next_port() -> int:
        for port in counter:
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
        raise RuntimeError("no free port")  # pragma: no cover - count() never ends

    return next_port


@contextmanager
def private_postgres(port: int, core: str) -> Iterator[str]:
    """A throwaway PostgreSQL server of this machine's version on `port`, pinned to `core`, in a
    temporary data directory (run as the `postgres` user when this is root, which PostgreSQL
    refuses to run as); yields its SQLAlchemy URL, as `AGORA_BENCH_POSTGRES_URL` gives one.
    Stopped (fast shutdown) and removed on the way out. The machine's own server is untouched."""
    bindir = Path(
        subprocess.run(
            ["pg_config", "--bindir"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    data = Path(tempfile.mkdtemp(prefix="agora-bench-pg-"))
    runas: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        runas = ["runuser", "-u", "postgres", "--"]
    subprocess.run(  # noqa: S603 - our own throwaway server
        [*runas, str(bindir / "initdb"), "-D", str(data / "pg"), "-A", "trust", "-U", "postgres"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(  # noqa: S603 - as above
        [
            *("taskset", "-c", core, *runas, str(bindir / "postgres")),
            *("-D", str(data / "pg"), "-p", str(port), "-k", str(data)),
            *("-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        until = time.monotonic() + 30
        while True:
            ready = subprocess.run(  # noqa: S603 - as above
                [str(bindir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)],
                check=False,
            )
            if ready.returncode == 0:
                break
            if server.poll() is not None or time.monotonic() > until:
                raise RuntimeError(f"the private PostgreSQL on port {port} did not start")
            time.sleep(0.2)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGINT)  # fast shutdown
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        shutil.rmtree(data, ignore_errors=True)


@dataclass(frozen=True)
class BenchCluster:
    plan: ClusterPlan
    # The services' database URL, with `{service}` where the service's name goes.
    template: str


@contextmanager
def bench_cluster(
    services: list[str],
    *,
    env: dict[str, str] | None = None,
    next_port: Callable[[], int] | None = None,
    timeout: float = 120.0,
    postgres: str = POSTGRES,
    edge: bool = False,
    **settings: Any,
) -> Iterator[BenchCluster]:
    """A running cluster (discovery, one replica of each of `services`, one gateway) in
    databases `agora_bench_<run>_<service>` and Redis keys `agora-bench-<run>:*`; `env` is added
    to the processes' environment and `settings` to their `Settings`; with `edge`, HAProxy
    (`agora edge`) is on the public port in front of the gateway. On the way out the cluster
    stops, and its databases (the users service's DBOS one too) and keys are removed."""
    run = uuid.uuid4().hex[:8]
    prefix = f"agora-bench-{run}:"
    template = f"{postgres}/agora_bench_{run}_{{service}}"
    os.environ.update(
        {
            "AGORA_REDIS_PREFIX": prefix,
            "AGORA_DATABASE_URL": template,
            "AGORA_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
    )
    config = Settings(
        topology=Topology.CLUSTER,
        jwt_public_key_file=Path("made-by-the-plan"),
        services=services,
        database_url=template,
        redis_url=REDIS,
        redis_prefix=prefix,
        **settings,
    )
    ports = next_port or free_port
    try:
        with tempfile.TemporaryDirectory() as workdir:
            plan = ClusterPlan(
                config,
                replicas=1,
                gateways=1,
                port=ports(),
                workdir=Path(workdir),
                next_port=ports,
                edge=edge,
            )
            plan.build()
            launcher = Launcher(plan, restart=False)
            try:
                launcher.start(timeout=timeout)
                yield BenchCluster(plan, template)
            finally:
                launcher.stop()
    finally:
        for service in services:
            asyncio.run(drop_database(template.replace("{service}", service)))
        asyncio.run(drop_database(config.saga_database()))  # the users service's DBOS
        client = redis.Redis.from_url(REDIS)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
