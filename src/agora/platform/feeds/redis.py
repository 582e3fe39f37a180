"""The Redis feed store of the cluster topology: one sorted set per feed (member and score are the
id), shared by every replica.

Every feed key also holds a floor member below every id (ids are positive): score -1 when the feed
is present, 0 when ids were only fanned out to it. So "present" and "has items" are different
questions (an empty timeline that was rebuilt is present), presence vanishes with the key when Redis
evicts it, and trimming always skips rank 0, where the floor sits. Each call is one MULTI/EXEC
pipeline. Every Redis failure becomes `FeedStoreUnavailable`; short socket timeouts bound the wait.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import cast

from redis.exceptions import RedisError

from agora.platform.feeds.base import FeedStoreUnavailable
from agora.platform.redis_connect import redis_client_with_pool

_FLOOR = "floor"
_PRESENT = -1
_PARTIAL = 0
_GLOB_SPECIAL = str.maketrans({c: f"\\{c}" for c in "*?[]\\"})


class RedisFeedStore:
    """A `FeedStore` in Redis; keys live under `prefix`."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:feeds:",
        socket_timeout: float = 0.5,
        max_connections: int = 50,
        pool_timeout: float = 2.0,
    ) -> None:
        self._prefix = prefix
        # A blocking pool: a burst of fan-outs beyond `max_connections` waits (up to
        # `pool_timeout`) for a free connection instead of failing. No redis-py default retries,
        # so a refused connection fails fast.
        self._client = redis_client_with_pool(
            url,
            max_connections=max_connections,
            pool_timeout=pool_timeout,
            socket_connect_timeout=socket_timeout,
            socket_timeout=socket_timeout,
        )

    def _key(self, feed: str) -> str:
        return self._prefix + feed

    @staticmethod
    def _unavailable(operation: str, exc: Exception) -> FeedStoreUnavailable:
        return FeedStoreUnavailable(f"feed store {operation} failed: {type(exc).__name__}: {exc}")

    async def add(self, feeds: Collection[str], ids: Sequence[int], *, cap: int) -> None:
        if not feeds or not ids:
            return
        mapping = {str(item): item for item in ids}
        pipe = self._client.pipeline(transaction=True)
        for feed in feeds:
            key = self._key(feed)
            pipe.zadd(key, {_FLOOR: _PARTIAL}, nx=True)  # nx: a present feed stays present
            pipe.zadd(key, mapping)
            pipe.zremrangebyrank(key, 1, -(cap + 1))
        try:
            await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable("add", exc) from exc

    async def remove(self, feeds: Collection[str], ids: Sequence[int]) -> None:
        if not feeds or not ids:
            return
        members = [str(item) for item in ids]
        pipe = self._client.pipeline(transaction=True)
        for feed in feeds:
            pipe.zrem(self._key(feed), *members)
        try:
            await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable("remove", exc) from exc

    async def page(self, feed: str, *, before: int | None = None, limit: int) -> list[int]:
        if limit <= 0:
            return []
        top = "+inf" if before is None else f"({before}"
        try:
            members = await self._client.zrevrangebyscore(
                self._key(feed), top, f"({_PARTIAL}", start=0, num=limit
            )
        except (RedisError, OSError) as exc:
            raise self._unavailable("page", exc) from exc
        # Without scores, each member is the id as bytes.
        return [int(cast(bytes, member)) for member in members]

    async def exists(self, feed: str) -> bool:
        try:
            score = await self._client.zscore(self._key(feed), _FLOOR)
        except (RedisError, OSError) as exc:
            raise self._unavailable("exists", exc) from exc
        return score == _PRESENT

    async def rebuild(self, feed: str, ids: Sequence[int], *, cap: int) -> None:
        key = self._key(feed)
        mapping: dict[str, int] = {str(item): item for item in ids}
        mapping[_FLOOR] = _PRESENT
        pipe = self._client.pipeline(transaction=True)
        pipe.zadd(key, mapping)
        pipe.zremrangebyrank(key, 1, -(cap + 1))
        try:
            await pipe.execute()
        except (RedisError, OSError) as exc:
            raise self._unavailable("rebuild", exc) from exc

    async def delete(self, *feeds: str) -> None:
        if not feeds:
            return
        try:
            await self._client.delete(*(self._key(feed) for feed in feeds))
        except (RedisError, OSError) as exc:
            raise self._unavailable("delete", exc) from exc

    async def clear(self) -> None:
        pattern = self._prefix.translate(_GLOB_SPECIAL) + "*"
        try:
            batch: list[bytes] = []
            async for key in self._client.scan_iter(match=pattern, count=500):
                batch.append(key)
                if len(batch) >= 500:
                    await self._client.delete(*batch)
                    batch.clear()
            if batch:
                await self._client.delete(*batch)
        except (RedisError, OSError) as exc:
            raise self._unavailable("clear", exc) from exc

    async def close(self) -> None:
        await self._client.aclose()
