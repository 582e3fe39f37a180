"""Redis Sentinel for `agora cluster up --ha`: the measurement behind docs/decisions/0016. Starts a
master, two replicas and three sentinels from Debian's redis-server on loopback ports, writes
continuously through redis-py's `Sentinel.master_for`, SIGKILLs the master, and reports how long
writes fail; then tries the multi-key commands Agora's adapters send (a Lua script over two keys,
MULTI over two keys), which Redis Cluster would refuse across hash slots.

    .venv/bin/python bench/redis_failover.py [--rounds 3] [--port-base 57600]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel
from redis.exceptions import RedisError

REDIS = "/usr/bin/redis-server"
SCRIPT = "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', KEYS[2])"


def start(root: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    data = root / str(port)
    data.mkdir()
    log = (root / f"{port}.log").open("ab")
    argv = [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data), "--save", ""]
    return subprocess.Popen([*argv, *extra], stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def start_sentinel(root: Path, port: int, master: int) -> subprocess.Popen[bytes]:
    config = root / f"sentinel-{port}.conf"
    config.write_text(
        f"port {port}\nbind 127.0.0.1\nsentinel monitor main 127.0.0.1 {master} 2\n"
        "sentinel down-after-milliseconds main 1000\nsentinel failover-timeout main 5000\n"
    )
    log = (root / f"{port}.log").open("ab")
    argv = [REDIS, str(config), "--sentinel"]
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


async def until_ready(client: aioredis.Redis, within: float = 30) -> None:
    deadline = time.monotonic() + within
    while True:
        try:
            await client.set("probe", "1")
            return
        except (RedisError, OSError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.1)


async def outage(client: aioredis.Redis, kill: object) -> float:
    """Seconds from the kill to the first write that succeeds again."""
    assert callable(kill)
    await client.set("counter", 0)
    killed = time.monotonic()
    kill()
    while True:
        try:
            await client.incr("counter")
            return time.monotonic() - killed
        except (RedisError, OSError):
            await asyncio.sleep(0.05)


async def multi_key(client: aioredis.Redis) -> dict[str, str]:
    results = {}
    try:
        await client.eval(SCRIPT, 2, "agora:a", "agora:b", "x")
        results["lua over two keys"] = "works"
    except RedisError as exc:
        results["lua over two keys"] = f"fails: {str(exc)[:60]}"
    try:
        pipe = client.pipeline(transaction=True)
        pipe.set("agora:c", 1)  # type: ignore[unused-awaitable]
        pipe.set("agora:d", 2)  # type: ignore[unused-awaitable]
        await pipe.execute()
        results["MULTI over two keys"] = "works"
    except RedisError as exc:
        results["MULTI over two keys"] = f"fails: {str(exc)[:60]}"
    return results


async def sentinel_round(root: Path, base: int) -> tuple[float, dict[str, str]]:
    replica_of = ("--replicaof", "127.0.0.1", str(base))
    nodes = [
        start(root, base),
        start(root, base + 1, *replica_of),
        start(root, base + 2, *replica_of),
    ]
    sentinels = [start_sentinel(root, base + 10 + index, base) for index in range(3)]
    try:
        sentinel = Sentinel(  # type: ignore[no-untyped-call]
            [("127.0.0.1", base + 10 + i) for i in range(3)],
            sentinel_kwargs={"socket_timeout": 0.5},
        )
        client = sentinel.master_for("main", socket_timeout=0.5, socket_connect_timeout=0.5)
        await until_ready(client)
        await asyncio.sleep(3)  # the sentinels find the replicas and each other
        seconds = await outage(client, lambda: nodes[0].send_signal(signal.SIGKILL))
        return seconds, await multi_key(client)
    finally:
        for proc in [*sentinels, *nodes]:
            proc.kill()
            proc.wait()


async def main(rounds: int, base: int) -> None:
    for name, run in (("Sentinel", sentinel_round),):
        outages = []
        checks: dict[str, str] = {}
        for _ in range(rounds):
            root = Path(tempfile.mkdtemp(prefix="agora-redis-bench-"))
            try:
                seconds, checks = await run(root, base)
            finally:
                shutil.rmtree(root, ignore_errors=True)
            outages.append(seconds)
        print(
            f"{name:<9} writes fail for {statistics.median(outages):.1f} s (median of {rounds}: "
            f"{', '.join(f'{s:.1f}' for s in outages)}); "
            + "; ".join(f"{k}: {v}" for k, v in checks.items())
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port-base", type=int, default=57600)
    args = parser.parse_args()
    asyncio.run(main(args.rounds, args.port_base))
