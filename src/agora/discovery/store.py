"""Where discovery keeps instances: Redis (shared, survives a discovery restart) or memory (tests).

Per service, a hash of instance id → JSON and a sorted set of instance id → expiry time. An instance
whose expiry passed is gone: listing skips it and sweeps it away.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

import orjson
from redis.exceptions import RedisError

from agora.platform.redis_connect import redis_client


class StoreUnavailable(Exception):
    """The registry's store cannot be reached."""


class RegistryStore(Protocol):
    """Instances with expiry times."""

    async def put(
        self, service: str, instance_id: str, record: dict[str, Any], expires: float
    ) -> None: ...

    async def touch(self, service: str, instance_id: str, expires: float, status: str) -> bool:
        """Extend an instance's life; False when it is unknown or already expired."""
        ...

    async def remove(self, service: str, instance_id: str) -> bool: ...

    async def live(self, service: str, now: float) -> list[dict[str, Any]]:
        """The instances whose expiry is after `now` (expired ones are removed)."""
        ...

    async def services(self) -> list[str]: ...

    async def close(self) -> None: ...


class MemoryRegistryStore:
    """A `RegistryStore` in one process."""

    def __init__(self) -> None:
        self._records: dict[str, dict[str, dict[str, Any]]] = {}
        self._expiry: dict[str, dict[str, float]] = {}

    async def put(
        self, service: str, instance_id: str, record: dict[str, Any], expires: float
    ) -> None:
        self._records.setdefault(service, {})[instance_id] = dict(record)
        self._expiry.setdefault(service, {})[instance_id] = expires

    async def touch(self, service: str, instance_id: str, expires: float, status: str) -> bool:
        record = self._records.get(service, {}).get(instance_id)
        if record is None:
            return False
        self._expiry[service][instance_id] = expires
        record["status"] = status
        return True

    async def remove(self, service: str, instance_id: str) -> bool:
        self._expiry.get(service, {}).pop(instance_id, None)
        return self._records.get(service, {}).pop(instance_id, None) is not None

    async def live(self, service: str, now: float) -> list[dict[str, Any]]:
        expiry = self._expiry.get(service, {})
        for instance_id in [i for i, at in expiry.items() if at <= now]:
            await self.remove(service, instance_id)
        records = self._records.get(service, {})
        return [{**records[i], "expires_at": expiry[i]} for i in sorted(records)]

    async def services(self) -> list[str]:
        return sorted(s for s, records in self._records.items() if records)

    async def close(self) -> None:
        return None


class RedisRegistryStore:
    """A `RegistryStore` in Redis, shared by every discovery replica."""

    def __init__(self, url: str, *, prefix: str = "agora:disc:") -> None:
        self._redis = redis_client(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._prefix = prefix

    def _records(self, service: str) -> str:
        return f"{self._prefix}instances:{service}"

    def _expiry(self, service: str) -> str:
        return f"{self._prefix}expiry:{service}"

    async def put(
        self, service: str, instance_id: str, record: dict[str, Any], expires: float
    ) -> None:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self._records(service), instance_id, orjson.dumps(record))
                pipe.zadd(self._expiry(service), {instance_id: expires})
                pipe.sadd(f"{self._prefix}services", service)
                await pipe.execute()
        except RedisError as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def touch(self, service: str, instance_id: str, expires: float, status: str) -> bool:
        try:
            raw = await self._redis.hget(self._records(service), instance_id)
            if raw is None:
                return False
            # XX: only an instance that is still registered gets a new expiry.
            changed = await self._redis.zadd(
                self._expiry(service), {instance_id: expires}, xx=True, ch=True
            )
            record = orjson.loads(raw)
            if record.get("status") != status:
                record["status"] = status
                await self._redis.hset(self._records(service), instance_id, orjson.dumps(record))
            return (
                bool(changed)
                or await self._redis.zscore(self._expiry(service), instance_id) is not None
            )
        except RedisError as exc:
            raise StoreUnavailable(str(exc)) from exc

    async def remove(self, service: str, instance_id: str) -> bool:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hdel(self._records(service), instance_id)
                pipe.zrem(self._expiry(service), instance_id)
                removed, _ = await pipe.execute()
        except RedisError as exc:
            raise StoreUnavailable(str(exc)) from exc
        return bool(removed)

    async def live(self, service: str, now: float) -> list[dict[str, Any]]:
        try:
            expired = await self._redis.zrangebyscore(self._expiry(service), "-inf", now)
            if expired:
                async with self._redis.pipeline(transaction=True) as pipe:
                    pipe.zrem(self._expiry(service), *expired)
                    pipe.hdel(self._records(service), *expired)
                    await pipe.execute()
            alive = cast(
                list[tuple[bytes, float]],
                await self._redis.zrangebyscore(
                    self._expiry(service), f"({now}", "+inf", withscores=True
                ),
            )
            if not alive:
                return []
            raws = await self._redis.hmget(self._records(service), [m for m, _ in alive])
        except RedisError as exc:
            raise StoreUnavailable(str(exc)) from exc
        out = []
        for (_, expires), raw in zip(alive, raws, strict=True):
            if raw is not None:
                out.append({**orjson.loads(raw), "expires_at": float(expires)})
        return sorted(out, key=lambda r: str(r["id"]))

    async def services(self) -> list[str]:
        try:
            members = await self._redis.smembers(f"{self._prefix}services")
        except RedisError as exc:
            raise StoreUnavailable(str(exc)) from exc
        return sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)

    async def close(self) -> None:
        await self._redis.aclose()
