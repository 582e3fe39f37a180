"""The Redis cache of the cluster topology. A Redis that is down or slow is a cache miss, not an
error: failures are logged and swallowed, and short socket timeouts bound the wait."""

from __future__ import annotations

import time

import structlog
from redis.exceptions import RedisError

from agora.platform.redis_connect import redis_client

log = structlog.get_logger("agora.cache.redis")

# While Redis is down every request would fail; one warning per interval says so without flooding.
_WARN_INTERVAL = 10.0


class RedisCache:
    """A `Cache` in Redis, shared by every replica; keys live under `prefix`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:cache:",
        default_ttl: float | None = 300,
        socket_timeout: float = 0.5,
    ) -> None:
        self._prefix = prefix
        self._default_ttl = default_ttl
        # from_url's pool has no redis-py default retries, so a refused connection fails fast.
        self._client = redis_client(
            url,
            socket_connect_timeout=socket_timeout,
            socket_timeout=socket_timeout,
        )
        self._last_warning = float("-inf")

    def _unavailable(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning >= _WARN_INTERVAL:
            self._last_warning = now
            log.warning(
                "cache_unavailable", operation=operation, error=f"{type(exc).__name__}: {exc}"
            )

    async def get(self, key: str) -> bytes | None:
        try:
            value = await self._client.get(self._prefix + key)
        except (RedisError, OSError) as exc:
            self._unavailable("get", exc)
            return None
        if isinstance(value, str):
            return value.encode()
        return value

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        seconds = self._default_ttl if ttl is None else ttl
        try:
            if seconds is None:
                await self._client.set(self._prefix + key, value)
            elif seconds <= 0:
                await self._client.delete(self._prefix + key)
            else:
                await self._client.set(self._prefix + key, value, px=max(1, round(seconds * 1000)))
        except (RedisError, OSError) as exc:
            self._unavailable("set", exc)

    async def delete(self, *keys: str) -> None:
        if not keys:
            return
        try:
            await self._client.delete(*(self._prefix + key for key in keys))
        except (RedisError, OSError) as exc:
            self._unavailable("delete", exc)

    async def close(self) -> None:
        await self._client.aclose()
