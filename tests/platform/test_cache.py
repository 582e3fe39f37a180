"""One suite for the cache port, run on MemoryCache and on RedisCache with the real Redis; plus the
LRU of the memory cache, and a Redis that is down (a miss, never an error)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from agora.platform.cache.base import Cache, get_json, set_json
from agora.platform.cache.memory import MemoryCache
from agora.platform.cache.namespaced import NamespacedCache
from agora.platform.cache.redis import RedisCache
from agora.platform.clock import ManualClock

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"


@dataclass
class CacheBackend:
    """Makes caches of one kind, and lets time pass for them (moving a clock, or really waiting)."""

    make: Callable[..., Cache]
    elapse: Callable[[float], Awaitable[None]]
    made: list[Cache] = field(default_factory=list)

    def __call__(self, **options: Any) -> Cache:
        cache = self.make(**options)
        self.made.append(cache)
        return cache


@pytest.fixture(
    params=[
        pytest.param("memory", id="memory"),
        pytest.param("redis", marks=pytest.mark.redis, id="redis"),
    ]
)
def redis_prefix(request: pytest.FixtureRequest) -> str | None:
    """The Redis variant's key namespace; None for the memory one, which never touches Redis."""
    if request.param == "memory":
        return None
    prefix: str = request.getfixturevalue("redis_namespace")
    return prefix


@pytest.fixture
async def backend(
    redis_prefix: str | None, clock: ManualClock, redis_url: str
) -> AsyncIterator[CacheBackend]:
    if redis_prefix is None:

        async def advance(seconds: float) -> None:
            clock.advance(seconds)

        made = CacheBackend(lambda **o: MemoryCache(clock=clock, **o), advance)
    else:
        prefix = redis_prefix
        made = CacheBackend(lambda **o: RedisCache(redis_url, prefix=prefix, **o), asyncio.sleep)
    yield made
    for cache in made.made:
        await cache.close()


@pytest.fixture
def cache(backend: CacheBackend) -> Cache:
    return backend()


# --- the shared suite ---


async def test_get_returns_what_set_stored(cache: Cache) -> None:
    assert await cache.get("book:1") is None
    await cache.set("book:1", b"Middlemarch")
    await cache.set("blob", b"\x00\xff\xfe binary")
    assert await cache.get("book:1") == b"Middlemarch"
    assert await cache.get("blob") == b"\x00\xff\xfe binary"
    await cache.set("book:1", b"Persuasion")
    assert await cache.get("book:1") == b"Persuasion"


async def test_delete_removes_keys_and_ignores_absent_ones(cache: Cache) -> None:
    await cache.set("a", b"1")
    await cache.set("b", b"2")
    await cache.set("c", b"3")
    await cache.delete("a", "b", "never-set")
    await cache.delete()
    assert await cache.get("a") is None
    assert await cache.get("b") is None
    assert await cache.get("c") == b"3"


async def test_an_entry_expires_after_its_ttl(cache: Cache, backend: CacheBackend) -> None:
    await cache.set("vote-status", b"open", ttl=0.2)
    await cache.set("books", b"[]", ttl=30)
    assert await cache.get("vote-status") == b"open"
    await backend.elapse(0.25)
    assert await cache.get("vote-status") is None
    assert await cache.get("books") == b"[]"


async def test_the_default_ttl_applies_when_none_is_given(backend: CacheBackend) -> None:
    cache = backend(default_ttl=0.2)
    await cache.set("k", b"v")
    await cache.set("longer", b"v", ttl=30)
    assert await cache.get("k") == b"v"
    await backend.elapse(0.25)
    assert await cache.get("k") is None
    assert await cache.get("longer") == b"v"


async def test_without_a_default_ttl_entries_do_not_expire(backend: CacheBackend) -> None:
    cache = backend(default_ttl=None)
    await cache.set("k", b"v")
    await backend.elapse(0.1)
    assert await cache.get("k") == b"v"


async def test_a_ttl_of_zero_stores_nothing(cache: Cache) -> None:
    await cache.set("k", b"old")
    await cache.set("k", b"new", ttl=0)
    assert await cache.get("k") is None


async def test_json_helpers_round_trip(cache: Cache) -> None:
    value = {"competition": {"id": 7, "entries": [1, 2, 3], "open": True}, "rating": 4.5}
    await set_json(cache, "competitions:active", value, ttl=30)
    assert await get_json(cache, "competitions:active") == value
    assert await get_json(cache, "missing") is None


async def test_namespaces_keep_services_apart(cache: Cache) -> None:
    users, reviews = NamespacedCache(cache, "users"), NamespacedCache(cache, "reviews")
    await users.set("count", b"10")
    await reviews.set("count", b"99")
    assert await users.get("count") == b"10"
    assert await reviews.get("count") == b"99"
    assert await cache.get("users:count") == b"10"
    assert await cache.get("count") is None

    await users.delete("count")
    assert await users.get("count") is None
    assert await reviews.get("count") == b"99"
    await users.close()
    assert await reviews.get("count") == b"99"  # closing a view leaves the shared cache open


async def test_namespaced_values_still_expire(cache: Cache, backend: CacheBackend) -> None:
    users = NamespacedCache(cache, "users")
    await users.set("session", b"s", ttl=0.1)
    assert await users.get("session") == b"s"
    await backend.elapse(0.15)
    assert await users.get("session") is None


@pytest.mark.parametrize("namespace", ["", "users:v2"])
def test_a_namespace_that_could_collide_is_refused(namespace: str) -> None:
    with pytest.raises(ValueError, match="namespace"):
        NamespacedCache(MemoryCache(), namespace)


# --- memory only ---


async def test_the_least_recently_used_entry_is_evicted(clock: ManualClock) -> None:
    cache = MemoryCache(max_entries=3, clock=clock)
    for key in ("a", "b", "c"):
        await cache.set(key, key.encode())
    assert await cache.get("a") == b"a"  # "a" is now the most recently used; "b" the least

    await cache.set("d", b"d")

    assert len(cache) == 3
    assert await cache.get("b") is None
    assert [await cache.get(k) for k in ("a", "c", "d")] == [b"a", b"c", b"d"]


async def test_memory_expiry_is_exact_to_the_clock(clock: ManualClock) -> None:
    cache = MemoryCache(clock=clock)
    await cache.set("k", b"v", ttl=10)
    clock.advance(9.999)
    assert await cache.get("k") == b"v"
    clock.advance(0.001)
    assert await cache.get("k") is None
    assert len(cache) == 0  # an expired entry found on read is dropped, not kept around


# --- Redis down ---


async def test_a_redis_cache_that_is_down_is_a_miss_not_an_error() -> None:
    cache = RedisCache(CLOSED_PORT_URL)
    started = time.monotonic()
    try:
        assert await cache.get("k") is None
        await cache.set("k", b"v")
        await cache.set("k", b"v", ttl=5)
        await cache.delete("k", "j")
        assert await get_json(cache, "k") is None
        assert await NamespacedCache(cache, "users").get("k") is None
    finally:
        await cache.close()
    assert time.monotonic() - started < 2
