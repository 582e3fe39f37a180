"""A view of a cache under a key prefix, so several services share one cache without collisions."""

from __future__ import annotations

from agora.platform.cache.base import Cache


class NamespacedCache:
    """A `Cache` that stores every key as `namespace:key` in the cache it wraps."""

    def __init__(self, cache: Cache, namespace: str) -> None:
        # A colon inside the namespace would let `a` + `b:k` and `a:b` + `k` name the same key.
        if not namespace or ":" in namespace:
            raise ValueError(f"a namespace is a non-empty name without ':', not {namespace!r}")
        self._cache = cache
        self._prefix = f"{namespace}:"

    async def get(self, key: str) -> bytes | None:
        return await self._cache.get(self._prefix + key)

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        await self._cache.set(self._prefix + key, value, ttl)

    async def delete(self, *keys: str) -> None:
        await self._cache.delete(*(self._prefix + key for key in keys))

    async def close(self) -> None:
        # The wrapped cache is shared with other namespaces; whoever created it closes it.
        return None
