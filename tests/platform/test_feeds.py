"""One suite for the feed store port, run on MemoryFeedStore and on RedisFeedStore with the real
Redis; plus what each does alone (the memory store's feed limit, a Redis that is down)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest

from agora.platform.feeds.base import FeedStore, FeedStoreUnavailable
from agora.platform.feeds.memory import MemoryFeedStore
from agora.platform.feeds.redis import RedisFeedStore

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"

StoreFactory = Callable[[str], FeedStore]


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
async def make_store(redis_prefix: str | None, redis_url: str) -> AsyncIterator[StoreFactory]:
    """Makes stores of one kind; `scope` tells stores apart (a key prefix, or a separate store)."""
    made: dict[str, FeedStore] = {}

    def factory(scope: str) -> FeedStore:
        if scope not in made:
            if redis_prefix is None:
                made[scope] = MemoryFeedStore()
            else:
                # Generous timeouts: these tests are about what the store keeps, and a loaded CI
                # machine must not turn a slow answer into a failure (timeouts have their own test).
                made[scope] = RedisFeedStore(
                    redis_url,
                    prefix=f"{redis_prefix}{scope}:",
                    socket_timeout=10.0,
                    pool_timeout=30.0,
                )
        return made[scope]

    yield factory
    for store in made.values():
        await store.close()


@pytest.fixture
def store(make_store: StoreFactory) -> FeedStore:
    return make_store("main")


# --- the shared suite ---


async def test_a_page_is_newest_first_and_limited(store: FeedStore) -> None:
    await store.add(["home:1"], [3, 1, 7], cap=100)
    await store.add(["home:1"], [5], cap=100)
    assert await store.page("home:1", limit=10) == [7, 5, 3, 1]
    assert await store.page("home:1", limit=2) == [7, 5]
    assert await store.page("home:1", limit=0) == []


async def test_before_pages_do_not_overlap_and_cover_everything(store: FeedStore) -> None:
    ids = list(range(1, 24))
    await store.add(["home:1"], ids, cap=100)
    seen: list[int] = []
    before: int | None = None
    while True:
        page = await store.page("home:1", before=before, limit=5)
        if not page:
            break
        assert not set(page) & set(seen)
        seen.extend(page)
        before = page[-1]
    assert seen == sorted(ids, reverse=True)
    assert await store.page("home:1", before=1, limit=5) == []
    assert await store.page("home:1", before=100, limit=2) == [23, 22]


async def test_adding_an_id_twice_keeps_one(store: FeedStore) -> None:
    await store.add(["home:1"], [4, 4, 2], cap=100)
    await store.add(["home:1"], [4], cap=100)
    assert await store.page("home:1", limit=10) == [4, 2]


async def test_one_add_reaches_many_feeds(store: FeedStore) -> None:
    followers = [f"home:{n}" for n in range(1, 51)]
    await store.add(followers, [99], cap=100)
    for feed in followers:
        assert await store.page(feed, limit=5) == [99]
    assert await store.page("home:51", limit=5) == []


async def test_a_feed_keeps_only_its_newest_cap_ids(store: FeedStore) -> None:
    await store.add(["home:1"], list(range(1, 11)), cap=4)
    assert await store.page("home:1", limit=10) == [10, 9, 8, 7]
    await store.add(["home:1"], [11], cap=4)
    await store.add(["home:1"], [2], cap=4)  # older than everything kept: trimmed at once
    assert await store.page("home:1", limit=10) == [11, 10, 9, 8]


async def test_a_present_feed_keeps_cap_ids_too(store: FeedStore) -> None:
    await store.rebuild("home:1", [1, 2, 3], cap=3)
    await store.add(["home:1"], [4, 5], cap=3)
    assert await store.page("home:1", limit=10) == [5, 4, 3]
    assert await store.exists("home:1")  # trimming never drops the feed's presence


async def test_remove_takes_ids_out_of_every_named_feed(store: FeedStore) -> None:
    await store.add(["home:1", "home:2", "home:3"], [1, 2, 3], cap=100)
    await store.remove(["home:1", "home:2"], [2, 3, 404])
    await store.remove([], [1])
    await store.remove(["home:3"], [])
    assert await store.page("home:1", limit=10) == [1]
    assert await store.page("home:2", limit=10) == [1]
    assert await store.page("home:3", limit=10) == [3, 2, 1]


async def test_only_a_rebuild_makes_a_feed_present(store: FeedStore) -> None:
    assert not await store.exists("home:1")
    await store.add(["home:1"], [5], cap=100)
    assert not await store.exists("home:1")  # fanned out to, but never built: not complete
    await store.rebuild("home:1", [3, 1], cap=100)
    assert await store.exists("home:1")
    # The rebuild merged with what was fanned out meanwhile.
    assert await store.page("home:1", limit=10) == [5, 3, 1]


async def test_an_empty_rebuilt_feed_is_present(store: FeedStore) -> None:
    await store.rebuild("home:1", [], cap=100)
    assert await store.exists("home:1")
    assert await store.page("home:1", limit=10) == []
    await store.add(["home:1"], [8], cap=100)
    assert await store.page("home:1", limit=10) == [8]


async def test_a_rebuild_keeps_cap_ids(store: FeedStore) -> None:
    await store.rebuild("home:1", list(range(1, 801)), cap=500)
    page = await store.page("home:1", limit=1000)
    assert len(page) == 500
    assert page[0] == 800
    assert page[-1] == 301


async def test_delete_forgets_feeds(store: FeedStore) -> None:
    await store.rebuild("home:1", [1], cap=100)
    await store.rebuild("home:2", [2], cap=100)
    await store.delete("home:1", "home:404")
    await store.delete()
    assert not await store.exists("home:1")
    assert await store.page("home:1", limit=10) == []
    assert await store.exists("home:2")


async def test_clear_forgets_every_feed_of_this_store_only(make_store: StoreFactory) -> None:
    mine, other = make_store("mine"), make_store("other")
    for n in range(1, 8):
        await mine.rebuild(f"home:{n}", [n], cap=100)
    await other.rebuild("home:1", [42], cap=100)
    await mine.clear()
    for n in range(1, 8):
        assert not await mine.exists(f"home:{n}")
        assert await mine.page(f"home:{n}", limit=10) == []
    assert await other.exists("home:1")
    assert await other.page("home:1", limit=10) == [42]


async def test_concurrent_fan_outs_lose_nothing(store: FeedStore) -> None:
    await store.rebuild("home:1", [], cap=1000)
    await asyncio.gather(*(store.add(["home:1", "home:2"], [n], cap=1000) for n in range(1, 201)))
    assert await store.page("home:1", limit=1000) == list(range(200, 0, -1))
    assert await store.page("home:2", limit=1000) == list(range(200, 0, -1))


# --- memory only ---


async def test_the_memory_store_drops_the_least_recently_used_feed() -> None:
    store = MemoryFeedStore(max_feeds=2)
    await store.rebuild("home:1", [1], cap=10)
    await store.rebuild("home:2", [2], cap=10)
    assert await store.page("home:1", limit=1) == [1]  # home:2 is now the least recently used
    await store.rebuild("home:3", [3], cap=10)
    assert len(store) == 2
    assert not await store.exists("home:2")
    assert await store.exists("home:1")
    assert await store.exists("home:3")
    with pytest.raises(ValueError, match="max_feeds"):
        MemoryFeedStore(max_feeds=0)


# --- Redis down ---


async def test_a_redis_store_that_is_down_raises_feed_store_unavailable_quickly() -> None:
    store = RedisFeedStore(CLOSED_PORT_URL)
    started = time.monotonic()
    try:
        with pytest.raises(FeedStoreUnavailable):
            await store.exists("home:1")
        with pytest.raises(FeedStoreUnavailable):
            await store.page("home:1", limit=5)
        with pytest.raises(FeedStoreUnavailable):
            await store.add(["home:1"], [1], cap=10)
        with pytest.raises(FeedStoreUnavailable):
            await store.remove(["home:1"], [1])
        with pytest.raises(FeedStoreUnavailable):
            await store.rebuild("home:1", [1], cap=10)
        with pytest.raises(FeedStoreUnavailable):
            await store.delete("home:1")
        with pytest.raises(FeedStoreUnavailable):
            await store.clear()
    finally:
        await store.close()
    assert time.monotonic() - started < 5
