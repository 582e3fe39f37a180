"""A cache over several Redis nodes (seed 004): keys are spread by a consistent-hash ring, so adding
or removing a node moves only about 1/N of them.

A node that fails is skipped: its keys are misses (the caller falls back to its database) and writes
to it are dropped. It is probed again after a pause; before it is trusted again, every key of this
cache on it is purged, since invalidations it missed while away would otherwise let it serve stale
values.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Sequence

import redis.asyncio as aioredis
import structlog
from redis.exceptions import RedisError

from agora.platform.clock import Clock, SystemClock
from agora.platform.redis_connect import redis_client

log = structlog.get_logger("agora.cache.ring")


def _point(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


class HashRing:
    """Nodes placed at many points on a 64-bit circle; a key belongs to the next point clockwise."""

    def __init__(self, nodes: Sequence[str], *, points_per_node: int = 160) -> None:
        if not nodes:
            raise ValueError("a hash ring needs at least one node")
        self.nodes = list(dict.fromkeys(nodes))
        placed = sorted(
            (_point(f"{node}#{i}"), node) for node in self.nodes for i in range(points_per_node)
        )
        self._points = [point for point, _ in placed]
        self._owners = [node for _, node in placed]

    def node_for(self, key: str) -> str:
        index = bisect.bisect(self._points, _point(key)) % len(self._points)
        return self._owners[index]


class RingCache:
    """A `Cache` whose keys are spread over Redis nodes by a `HashRing`."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        prefix: str = "agora:cache:",
        default_ttl: float | None = 300,
        socket_timeout: float = 0.5,
        retry_after: float = 5.0,
        clock: Clock | None = None,
    ) -> None:
        self.ring = HashRing(urls)
        self._prefix = prefix
        self._default_ttl = default_ttl
        self._retry_after = retry_after
        self._clock = clock or SystemClock()
        self._clients = {
            url: redis_client(
                url, socket_connect_timeout=socket_timeout, socket_timeout=socket_timeout
            )
            for url in self.ring.nodes
        }
        self._down: dict[str, float] = {}

    @property
    def down_nodes(self) -> list[str]:
        return sorted(self._down)

    def _mark_down(self, url: str, exc: Exception) -> None:
        if url not in self._down:
            log.warning("cache_node_down", node=_safe(url), error=type(exc).__name__)
        self._down[url] = self._clock.monotonic()

    async def _usable(self, url: str) -> bool:
        """Whether `url` may be used now; probes a down node after the pause."""
        since = self._down.get(url)
        if since is None:
            return True
        if self._clock.monotonic() - since < self._retry_after:
            return False
        client = self._clients[url]
        try:
            await client.ping()
            await self._purge(client)
        except (RedisError, OSError) as exc:
            self._mark_down(url, exc)
            return False
        del self._down[url]
        log.info("cache_node_back", node=_safe(url))
        return True

    async def _purge(self, client: aioredis.Redis) -> None:
        batch: list[bytes] = []
        async for key in client.scan_iter(match=f"{self._prefix}*", count=1000):
            batch.append(key)
            if len(batch) >= 500:
                await client.unlink(*batch)
                batch.clear()
        if batch:
            await client.unlink(*batch)

    async def get(self, key: str) -> bytes | None:
        url = self.ring.node_for(key)
        if not await self._usable(url):
            return None
        try:
            value = await self._clients[url].get(self._prefix + key)
        except (RedisError, OSError) as exc:
            self._mark_down(url, exc)
            return None
        return value.encode() if isinstance(value, str) else value

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        url = self.ring.node_for(key)
        if not await self._usable(url):
            return
        seconds = self._default_ttl if ttl is None else ttl
        client = self._clients[url]
        try:
            if seconds is None:
                await client.set(self._prefix + key, value)
            elif seconds <= 0:
                await client.delete(self._prefix + key)
            else:
                await client.set(self._prefix + key, value, px=max(1, round(seconds * 1000)))
        except (RedisError, OSError) as exc:
            self._mark_down(url, exc)

    async def delete(self, *keys: str) -> None:
        by_node: dict[str, list[str]] = {}
        for key in keys:
            by_node.setdefault(self.ring.node_for(key), []).append(self._prefix + key)
        for url, node_keys in by_node.items():
            # A down node's keys are purged when it returns, so a skipped delete loses nothing.
            if not await self._usable(url):
                continue
            try:
                await self._clients[url].delete(*node_keys)
            except (RedisError, OSError) as exc:
                self._mark_down(url, exc)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.aclose()


def _safe(url: str) -> str:
    """A node URL without credentials, for logs."""
    return url.split("@")[-1]


__all__ = ["HashRing", "RingCache"]
