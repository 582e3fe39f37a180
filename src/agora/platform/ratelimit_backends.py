"""Moving-window rate limiters on the `limits` library: in process, or in Redis for all replicas."""

from __future__ import annotations

import bisect
import time

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisSentinelStorage, RedisStorage, Storage
from limits.aio.storage.redis.redispy import RedispyBridge
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from redis.asyncio import BlockingConnectionPool
from redis.exceptions import RedisError

from agora.platform.ratelimit import RateLimit, RateLimiterUnavailable, RateLimitState
from agora.platform.redis_connect import blocking_pool, parse_sentinel_url


def _item(limit: RateLimit) -> RateLimitItem:
    return RateLimitItemPerSecond(limit.amount, multiples=limit.seconds)


class _WindowLimiter:
    """The `RateLimiter` operations over any `limits` storage that supports moving windows."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self._strategy = MovingWindowRateLimiter(storage)

    async def _state(self, item: RateLimitItem, key: str, allowed: bool) -> RateLimitState:
        stats = await self._strategy.get_window_stats(item, key)
        # `limits` stamps hits with time.time(), so the reset moment is on the wall clock too.
        return RateLimitState(
            allowed=allowed,
            limit=item.amount,
            remaining=max(0, stats.remaining),
            reset_after=max(0.0, stats.reset_time - time.time()),
        )

    async def hit(self, key: str, limit: RateLimit, cost: int = 1) -> RateLimitState:
        if cost < 1:
            raise ValueError("a hit costs at least 1")
        item = _item(limit)
        allowed = await self._strategy.hit(item, key, cost=cost)
        return await self._state(item, key, allowed)

    async def peek(self, key: str, limit: RateLimit) -> RateLimitState:
        item = _item(limit)
        allowed = await self._strategy.test(item, key)
        return await self._state(item, key, allowed)

    async def reset(self, key: str, limit: RateLimit) -> None:
        await self._strategy.clear(_item(limit), key)


class _MemoryStorage(MemoryStorage):
    """`limits`' in-process storage, its pruning task made safe against a key cleared meanwhile.

    In limits 5.8 the task lists the keys, then for each one awaits a thread (a bisect) and reads
    `events[key]` again: a `reset` in between (a successful login clears its failures) makes it
    raise KeyError in a task nobody awaits, logged as "Task exception was never retrieved". It
    shows whenever requests finish while the task waits, as they do since SQLite statements stopped
    yielding to the loop (decision 0035). Same pruning, on the loop, reading each key once.
    """

    async def _MemoryStorage__expire_events(self) -> None:
        now = time.time()
        for key in list(self.events):
            events = self.events.get(key)
            if events:
                cutoff = bisect.bisect_left(events, -now, key=lambda event: -event.expiry)
                events = self.events[key] = events[:cutoff]
            if not events:
                self.events.pop(key, None)
                self.locks.pop(key, None)
        for key, expires in list(self.expirations.items()):
            if expires <= time.time():
                self.storage.pop(key, None)
                self.expirations.pop(key, None)
                self.locks.pop(key, None)


class MemoryRateLimiter(_WindowLimiter):
    """A `RateLimiter` in one process (the embedded topology, and tests)."""

    def __init__(self) -> None:
        self._memory = _MemoryStorage()
        super().__init__(self._memory)

    async def close(self) -> None:
        # The storage schedules a task that prunes expired hits; do not leave it to a closed loop.
        timer = self._memory.timer
        if timer is not None and not timer.done():
            timer.cancel()


class RedisRateLimiter(_WindowLimiter):
    """A `RateLimiter` in Redis: every replica that shares the URL and prefix shares the counts."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = "agora:rl:",
        socket_timeout: float = 0.5,
        max_connections: int = 64,
    ) -> None:
        # `limits` joins its prefix to the key with ':', so a trailing one would double up (hence
        # the removesuffix below).
        target = parse_sentinel_url(url)
        self._redis: RedisStorage
        self._pool: BlockingConnectionPool | None = None
        if target is None:
            # A flood must queue for a connection, not fail: redis-py's default pool refuses a 101st
            # concurrent command ("Too many connections"), which a throttle would have to treat as
            # the store being down.
            self._pool = pool = blocking_pool(
                url,
                max_connections=max_connections,
                pool_timeout=socket_timeout * 10,
                socket_connect_timeout=socket_timeout,
                socket_timeout=socket_timeout,
            )
            self._redis = RedisStorage(
                f"async+{url}",
                implementation="redispy",
                key_prefix=prefix.removesuffix(":"),
                wrap_exceptions=True,
                connection_pool=pool,  # type: ignore[arg-type]
            )
        else:
            # `limits` has its own Sentinel storage; counts are read from the master only.
            hosts = ",".join(f"{host}:{port}" for host, port in target.sentinels)
            self._redis = RedisSentinelStorage(
                f"async+redis+sentinel://{hosts}",
                implementation="redispy",
                service_name=target.master,
                use_replicas=False,
                key_prefix=prefix.removesuffix(":"),
                wrap_exceptions=True,
                sentinel_kwargs={"socket_timeout": socket_timeout},
                db=target.db,
                socket_connect_timeout=socket_timeout,
                socket_timeout=socket_timeout,
            )
        super().__init__(self._redis)

    async def hit(self, key: str, limit: RateLimit, cost: int = 1) -> RateLimitState:
        try:
            return await super().hit(key, limit, cost)
        except (StorageError, RedisError, OSError) as exc:
            raise RateLimiterUnavailable(str(exc)) from exc

    async def peek(self, key: str, limit: RateLimit) -> RateLimitState:
        try:
            return await super().peek(key, limit)
        except (StorageError, RedisError, OSError) as exc:
            raise RateLimiterUnavailable(str(exc)) from exc

    async def reset(self, key: str, limit: RateLimit) -> None:
        try:
            await super().reset(key, limit)
        except (StorageError, RedisError, OSError) as exc:
            raise RateLimiterUnavailable(str(exc)) from exc

    async def close(self) -> None:
        bridge = self._redis.bridge
        if isinstance(bridge, RedispyBridge):
            await bridge.storage.aclose()
        if self._pool is not None:
            await self._pool.disconnect()
