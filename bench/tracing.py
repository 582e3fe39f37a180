"""The CPU cost of tracing: the same request mix on the embedded platform in process (gateway,
users and timeline services, SQLite), with tracing off and with tracing on at the default sample
ratio (spans of the gateway, the service, every SQL statement, the outbox publish and the consumer,
written to the local trace store), in one invocation.

Each run is its own process (a process installs OpenTelemetry once), and runs alternate so that
drift on a shared machine falls on both. CPU is the process's CPU time (every thread: the span
exporter's too) per request, flush of the last spans included.

    .venv/bin/python bench/tracing.py [--ops 1500] [--rounds 3] [--ratio 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform as host
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "benchmark password"
FAST = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}


async def _measure(ops: int, traced: bool, ratio: float, data_dir: Path) -> dict[str, Any]:
    from agora.entrypoints.embedded import Platform
    from agora.platform.config import Settings
    from agora.platform.logging import configure_logging
    from agora.platform.tracing import TraceSettings, configure_tracing, shutdown_tracing

    configure_logging("WARNING", json=True)
    if traced:
        configure_tracing(
            # No cap on new traces a second: this measures what the ratio costs.
            TraceSettings(
                "platform",
                "bench",
                data_dir,
                otlp_endpoint=None,
                sample_ratio=ratio,
                max_per_second=0,
            )
        )
    settings = Settings(
        data_dir=data_dir,
        services=["users", "timeline"],
        demo_content=False,
        sports_feed=False,
        write_rate_per_minute=1_000_000,
        **FAST,  # type: ignore[arg-type]
    )
    platform = Platform(settings)
    await platform.start()
    transport = httpx.ASGITransport(app=platform.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        users = []
        for name in ("ada", "bob"):
            created = await http.post(
                "/api/users/register", json={"username": name, "password": PASSWORD}
            )
            assert created.status_code == 201, created.text
            login = await http.post(
                "/api/users/login", json={"username": name, "password": PASSWORD}
            )
            users.append(login.json())
        ada, bo = users
        auth = {"Authorization": f"Bearer {ada['token']}"}
        await http.post(
            f"/api/users/{bo['user_id']}/follow",
            json={"followUserId": ada["user_id"]},
            headers={"Authorization": f"Bearer {bo['token']}"},
        )
        await platform.settle()

        async def one(i: int) -> None:
            if i % 5 == 0:
                response = await http.post(
                    "/api/tweets", json={"content": f"post {i}"}, headers=auth
                )
            elif i % 5 in (1, 2):
                response = await http.get(
                    f"/api/tweets/homeTimeline/{bo['user_id']}",
                    headers={"Authorization": f"Bearer {bo['token']}"},
                )
            else:
                response = await http.get(f"/api/tweets/userTimeline/{ada['user_id']}")
            assert response.status_code < 400, response.text

        for i in range(50):  # warm-up
            await one(i)
        await platform.settle()
        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(ops):
            await one(i)
        await platform.settle()
        if traced:
            shutdown_tracing()  # flushes the last batch: its CPU belongs to these requests
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await platform.stop()
    spans = (
        sum(len(p.read_text().splitlines()) for p in (data_dir / "traces").glob("*.jsonl"))
        if traced
        else 0
    )
    return {"cpu_us": cpu / ops * 1e6, "wall_us": wall / ops * 1e6, "spans": spans}


def _child(args: argparse.Namespace) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="agora-bench-tracing-"))
    try:
        result = asyncio.run(_measure(args.ops, args.mode == "on", args.ratio, data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(result))


def _run(mode: str, args: argparse.Namespace) -> dict[str, Any]:
    out = subprocess.run(  # noqa: S603 - this script, again
        [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--ops",
            str(args.ops),
            "--ratio",
            str(args.ratio),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ratio", type=float, default=1.0, help="AGORA_TRACE_SAMPLE_RATIO")
    parser.add_argument("--child", dest="mode", choices=["off", "on"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        _child(args)
        return
    results: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    for round_ in range(args.rounds):
        for mode in ("off", "on") if round_ % 2 == 0 else ("on", "off"):
            results[mode].append(_run(mode, args))
    print(
        f"{host.python_implementation()} {host.python_version()}, {args.ops} requests per run "
        f"(20% posts, 40% home, 40% user timelines), {args.rounds} runs each, ratio {args.ratio}"
    )
    # The least CPU of each mode is its cost with the least interference from other work on a
    # shared machine; the median shows how much that interference was.
    least: dict[str, float] = {}
    for mode, runs in results.items():
        cpu = [r["cpu_us"] for r in runs]
        least[mode] = min(cpu)
        wall = statistics.median(r["wall_us"] for r in runs)
        spans = statistics.median(r["spans"] for r in runs)
        print(
            f"tracing {mode:<3}  CPU least {min(cpu):6.0f} median {statistics.median(cpu):6.0f} "
            f"µs/request  wall median {wall:6.0f} µs/request  spans {spans:.0f}"
        )
    print(f"tracing costs {(least['on'] / least['off'] - 1) * 100:+.1f}% CPU per request")


if __name__ == "__main__":
    main()
