"""What does the cluster gateway cost? The same request sent straight to a users replica and through
the gateway (balancer, breaker, rate limit, proxy): first at a fixed rate, for latency; then as fast
as a fixed number of clients can go, for throughput. Prints the added p50/p99, the ratio, and the
CPU time per answered request of the replica (direct) and of the gateway process (through it): the
hop's own cost, which a shared machine disturbs least.

Starts a small cluster (discovery, one users replica, one gateway) on this machine's PostgreSQL and
Redis, in databases and keys of its own, and removes them afterwards.

    .venv/bin/python bench/gateway.py [--rate 200] [--seconds 10] [--concurrency 32]
        [--profile FILE]   (py-spy's raw stacks of the gateway during its throughput run)
        [--base-port N]    (the cluster's ports from N up; else any free ones)
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import httpx

from benchcluster import bench_cluster, cpu_seconds, port_range


def _quantiles(latencies: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


async def fixed_rate(
    get: Callable[[], Awaitable[int]], rate: float, seconds: float
) -> tuple[list[float], int]:
    """Open loop: start one request every 1/rate seconds, whatever the answers do."""
    latencies: list[float] = []
    errors = 0

    async def one() -> None:
        nonlocal errors
        started = time.perf_counter()
        status = await get()
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors += 1

    tasks = []
    interval = 1.0 / rate
    begin = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = begin + i * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    await asyncio.gather(*tasks)
    return latencies, errors


async def max_throughput(
    get: Callable[[], Awaitable[int]], concurrency: int, seconds: float
) -> float:
    """Closed loop: `concurrency` clients, each sending its next request when the last answers."""
    done = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await get()
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return done / (time.perf_counter() - started)


def _profiled(pid: int, path: str | None, seconds: float) -> subprocess.Popen[bytes] | None:
    if path is None:
        return None
    command = [
        str(Path(sys.executable).with_name("py-spy")),
        "record",
        "-r",
        "200",
        "-f",
        "raw",
        "-o",
        path,
        "-d",
        str(int(seconds)),
    ]
    return subprocess.Popen([*command, "-p", str(pid)])  # noqa: S603


async def measure(
    direct: str,
    through: str,
    servers: dict[str, int],
    options: argparse.Namespace,
) -> None:
    rate, seconds, concurrency = options.rate, options.seconds, options.concurrency
    connector = aiohttp.TCPConnector(limit=concurrency * 2)
    async with aiohttp.ClientSession(connector=connector) as session:

        def getter(url: str) -> Callable[[], Awaitable[int]]:
            async def get() -> int:
                async with session.get(url) as response:
                    await response.read()
                    return response.status

            return get

        targets = {"direct": getter(direct), "gateway": getter(through)}
        for get in targets.values():  # warm up pools and caches
            await fixed_rate(get, rate, 1)
        print(f"fixed rate {rate:.0f} req/s for {seconds:.0f} s:")
        quantiles = {}
        for name, get in targets.items():
            latencies, errors = await fixed_rate(get, rate, seconds)
            quantiles[name] = _quantiles(latencies)
            p50, p99 = quantiles[name]
            print(f"  {name:8} p50 {p50:6.2f} ms   p99 {p99:7.2f} ms   errors {errors}")
        added_p50 = quantiles["gateway"][0] - quantiles["direct"][0]
        added_p99 = quantiles["gateway"][1] - quantiles["direct"][1]
        print(f"  gateway adds p50 {added_p50:+.2f} ms, p99 {added_p99:+.2f} ms")
        print(f"max throughput, {concurrency} clients for {seconds:.0f} s:")
        rates: dict[str, float] = {}
        for name, get in targets.items():
            profiler = (
                _profiled(servers[name], options.profile, seconds) if name == "gateway" else None
            )
            before = cpu_seconds([servers[name]])
            started = time.perf_counter()
            rates[name] = await max_throughput(get, concurrency, seconds)
            answered = rates[name] * (time.perf_counter() - started)
            cpu = (cpu_seconds([servers[name]]) - before) / answered * 1e6
            label = "replica" if name == "direct" else "gateway process"
            print(f"  {name:8} {rates[name]:8.0f} req/s   {label} cpu {cpu:7.1f} us/req")
            if profiler is not None:
                profiler.wait()
        print(f"  gateway / direct throughput: {rates['gateway'] / rates['direct']:.2f}")


def _register(gateway: str) -> str:
    body = {"username": "benchmark", "password": "correct horse battery staple"}
    response = httpx.post(f"{gateway}/api/users/register", json=body, timeout=30)
    response.raise_for_status()
    return str(response.json()["user_id"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", default=None, help="write py-spy raw stacks here")
    parser.add_argument(
        "--base-port", type=int, default=None, help="the cluster's ports from here up (else any)"
    )
    args = parser.parse_args()
    ports = port_range(args.base_port) if args.base_port is not None else None
    env = {"AGORA_WRITE_RATE_PER_MINUTE": "1000000"}
    with bench_cluster(["users"], env=env, next_port=ports) as cluster:
        plan = cluster.plan
        replica = plan.by_name("users-1")
        gateway = plan.by_name("gateway-1")
        assert replica.proc is not None
        assert gateway.proc is not None
        servers = {"direct": replica.proc.pid, "gateway": gateway.proc.pid}
        user_id = _register(f"http://127.0.0.1:{plan.port}")
        # The same work on both paths: the users service reading a public profile from its
        # database.
        path = f"users/profile/{user_id}"
        direct = f"http://127.0.0.1:{replica.port}/{path}"
        through = f"http://127.0.0.1:{plan.port}/api/{path}"
        asyncio.run(measure(direct, through, servers, args))


if __name__ == "__main__":
    main()
