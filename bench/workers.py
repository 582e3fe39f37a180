"""One users replica at 1 and at 2 worker processes (AGORA_WORKERS), in one invocation: the
profile read (`GET /users/profile/{id}`: a user row and follow counts, PostgreSQL) with wrk on
the replica's port for a few seconds, requests/s and server CPU per request (every process of the
replica), and the ratio.

    .venv/bin/python bench/workers.py [--seconds 5] [--connections 32] [--base-port 57100]

Each run is `agora cluster up` for the users service alone (one replica, one gateway); wrk runs
on the replica's port directly (no gateway).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

import httpx

from benchcluster import bench_cluster, cpu_seconds, port_range


def run(workers: int, args: argparse.Namespace, base_port: int) -> tuple[float, float]:
    """Requests/s and server CPU microseconds per request of one users replica."""
    env = {
        "AGORA_WORKERS": str(workers),
        "AGORA_CLUSTER_COLLECTORS": "false",
        "AGORA_TRACING": "false",
    }
    with bench_cluster(
        ["users"],
        env=env,
        next_port=port_range(base_port),
        timeout=180,
        workers=workers,
        cluster_collectors=False,
    ) as cluster:
        plan = cluster.plan
        api = httpx.Client(base_url=f"http://127.0.0.1:{plan.port}/api", timeout=30)
        created = api.post("/users/register", json={"username": "benchuser", "password": "x" * 12})
        created.raise_for_status()
        user_id = created.json()["user_id"]
        servers = [c for c in plan.children if c.name.startswith("users-")]
        replica_port = servers[0].shared_port or servers[0].port
        url = f"http://127.0.0.1:{replica_port}/users/profile/{user_id}"
        assert httpx.get(url, timeout=10).status_code == 200
        pids = [c.proc.pid for c in servers if c.proc is not None]
        wrk = shutil.which("wrk") or "wrk"
        subprocess.run(  # noqa: S603 - wrk from PATH, arguments built here
            [wrk, "-t1", "-c8", "-d1s", url], check=True, capture_output=True
        )
        before = cpu_seconds(pids)
        out = subprocess.run(  # noqa: S603
            [wrk, "-t1", f"-c{args.connections}", f"-d{args.seconds}s", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        used = cpu_seconds(pids) - before
        match = re.search(r"Requests/sec:\s+([\d.]+)", out)
        assert match, out
        rate = float(match.group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        if errors:
            sys.exit(f"{workers} workers: {errors.group(1)} failed requests\n{out}")
        return rate, used / (rate * args.seconds) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--base-port", type=int, default=57100)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/workers.py needs wrk on PATH")
    load = os.getloadavg()[0]
    results = {w: run(w, args, args.base_port + 50 * w) for w in (1, 2)}
    (r1, c1), (r2, c2) = results[1], results[2]
    print(
        f"{os.cpu_count()} cores; load average (1 min) before: {load:.2f}, "
        f"after: {os.getloadavg()[0]:.2f}"
    )
    for workers, (rate, cpu) in results.items():
        print(f"workers={workers}: {rate:8.1f} requests/s, server CPU {cpu:6.0f} us/request")
    print(f"2 workers / 1 worker: throughput {r2 / r1:.2f}x, CPU per request {c2 / c1:.2f}x")


if __name__ == "__main__":
    main()
