"""The consistent-hash ring cache over real Redis nodes: spread, minimal movement, down nodes."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError

from agora.platform.cache.ring import HashRing, RingCache
from agora.platform.clock import ManualClock
from tests.support.waiting import eventually

pytestmark = pytest.mark.redis


def test_keys_spread_over_every_node() -> None:
    ring = HashRing(["a", "b", "c"])
    counts = {"a": 0, "b": 0, "c": 0}
    for i in range(30_000):
        counts[ring.node_for(f"key:{i}")] += 1
    for share in counts.values():
        assert 0.25 < share / 30_000 < 0.42


def test_adding_a_node_moves_about_one_nth_of_the_keys() -> None:
    keys = [f"k{i}" for i in range(20_000)]
    before = HashRing(["a", "b", "c"])
    after = HashRing(["a", "b", "c", "d"])
    moved = sum(1 for k in keys if before.node_for(k) != after.node_for(k))
    assert 0.17 < moved / len(keys) < 0.33  # ideal 1/4
    # Only keys that moved to the new node moved at all.
    assert all(after.node_for(k) == "d" for k in keys if before.node_for(k) != after.node_for(k))
    removed = HashRing(["a", "b"])
    moved_on_removal = [k for k in keys if before.node_for(k) != removed.node_for(k)]
    assert all(before.node_for(k) == "c" for k in moved_on_removal)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _redis_server(port: int, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    binary = shutil.which("redis-server")
    assert binary is not None, "these tests start their own redis-server; install Redis"
    proc = subprocess.Popen(  # noqa: S603 - the machine's redis-server, fixed arguments
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait(10)


async def _wait_up(url: str) -> None:
    client = aioredis.Redis.from_url(url)
    try:
        await eventually(
            client.ping,
            what=f"the redis-server at {url} to answer",
            interval=0.05,
            ignoring=(RedisConnectionError, OSError),
        )
    finally:
        await client.aclose()


async def test_values_round_trip_across_nodes(redis_namespace: str) -> None:
    urls = [f"redis://127.0.0.1:6379/{db}" for db in (1, 2, 3)]
    cache = RingCache(urls, prefix=redis_namespace)
    try:
        for i in range(60):
            await cache.set(f"k{i}", f"v{i}".encode())
        assert [await cache.get(f"k{i}") for i in range(60)] == [
            f"v{i}".encode() for i in range(60)
        ]
        await cache.delete(*(f"k{i}" for i in range(0, 60, 2)))
        assert await cache.get("k0") is None
        assert await cache.get("k1") == b"v1"
        used = set()
        for url in urls:
            client = aioredis.Redis.from_url(url)
            if [k async for k in client.scan_iter(match=f"{redis_namespace}*")]:
                used.add(url)
            keys = [k async for k in client.scan_iter(match=f"{redis_namespace}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
        assert used == set(urls)
    finally:
        await cache.close()


async def test_a_down_node_is_skipped_and_purged_when_it_returns(
    tmp_path: Path, redis_namespace: str
) -> None:
    port = _free_port()
    flaky = f"redis://127.0.0.1:{port}/0"
    steady = "redis://127.0.0.1:6379/4"
    clock = ManualClock()
    with _redis_server(port, tmp_path) as server:
        await _wait_up(flaky)
        cache = RingCache([steady, flaky], prefix=redis_namespace, clock=clock, retry_after=5)
        try:
            on_flaky = next(
                k for k in (f"k{i}" for i in range(100)) if cache.ring.node_for(k) == flaky
            )
            on_steady = next(
                k for k in (f"k{i}" for i in range(100)) if cache.ring.node_for(k) == steady
            )
            await cache.set(on_flaky, b"old")
            await cache.set(on_steady, b"kept")
            server.kill()
            server.wait(10)
            assert await cache.get(on_flaky) is None  # a miss, not an error
            assert cache.down_nodes == [flaky]
            await cache.delete(on_flaky)  # the invalidation cannot reach the node
            assert await cache.get(on_steady) == b"kept"  # the other node is unaffected
            with _redis_server(port, tmp_path) as restarted:
                await _wait_up(flaky)
                stale = aioredis.Redis.from_url(flaky)
                await stale.set(f"{redis_namespace}{on_flaky}", b"stale")  # what it held before
                assert await cache.get(on_flaky) is None  # not probed again before the pause
                clock.advance(5.1)
                assert await cache.get(on_flaky) is None  # probed, purged: no stale value
                assert cache.down_nodes == []
                await cache.set(on_flaky, b"fresh")
                assert await cache.get(on_flaky) == b"fresh"
                await stale.aclose()
                assert restarted.poll() is None
        finally:
            await cache.close()
            client = aioredis.Redis.from_url(steady)
            keys = [k async for k in client.scan_iter(match=f"{redis_namespace}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()
