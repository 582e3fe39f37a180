"""The cache protocol and JSON helpers."""

from __future__ import annotations

from typing import Any, Protocol

import orjson


class Cache(Protocol):
    """Bytes by key. Implementations: `MemoryCache` (LRU + TTL) and `RedisCache`."""

    async def get(self, key: str) -> bytes | None:
        """The value, or None when absent or expired."""
        ...

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        """Store a value for `ttl` seconds (None: the cache's default TTL; 0 or less: not stored).

        There is no "forever": a cache entry is always allowed to vanish.
        """
        ...

    async def delete(self, *keys: str) -> None:
        """Remove keys; absent keys are ignored."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


async def get_json(cache: Cache, key: str) -> Any | None:
    raw = await cache.get(key)
    return None if raw is None else orjson.loads(raw)


async def set_json(cache: Cache, key: str, value: Any, ttl: float | None = None) -> None:
    await cache.set(key, orjson.dumps(value), ttl)
