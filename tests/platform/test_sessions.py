"""The session store, in memory and on the real Redis, with one shared suite: versions only go
up, ended families are remembered for their TTL, and every process hears of a change."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from agora.platform.auth.principal import Principal
from agora.platform.auth.redis_sessions import RedisSessionStore
from agora.platform.auth.sessions import MemorySessionStore, SessionStore, check_session
from agora.platform.errors import Unauthorized
from tests.support.waiting import eventually

StoreFactory = Callable[[], SessionStore]


@pytest.fixture(params=["memory", "redis"])
async def stores(
    request: pytest.FixtureRequest, redis_url: str, redis_namespace: str
) -> AsyncIterator[StoreFactory]:
    """Makes stores that share one backend, as the processes of one topology do."""
    made: list[SessionStore] = []
    shared = MemorySessionStore()

    def make() -> SessionStore:
        store: SessionStore
        if request.param == "memory":
            store = shared
        else:
            store = RedisSessionStore(redis_url, prefix=redis_namespace)
            made.append(store)
        return store

    if request.param == "redis":
        request.applymarker(pytest.mark.redis)
    yield make
    for store in made:
        await store.close()


def _principal(version: int = 0, family: str | None = "f1") -> Principal:
    return Principal(user_id=7, username="u", version=version, family=family)


async def test_a_user_with_no_history_is_in_force(stores: StoreFactory) -> None:
    store = stores()
    await store.start()
    assert (await store.get(7)).admits(_principal())
    assert await check_session(store, _principal()) == _principal()


async def test_raising_the_version_ends_older_tokens_and_never_lowers(
    stores: StoreFactory,
) -> None:
    store = stores()
    await store.start()
    await store.raise_version(7, 2)
    await store.raise_version(7, 1)  # a late, smaller raise changes nothing
    state = await store.get(7)
    assert state.version == 2
    assert not state.admits(_principal(version=1))
    assert state.admits(_principal(version=2))
    with pytest.raises(Unauthorized) as refused:
        await check_session(store, _principal(version=0))
    assert refused.value.code == "session_ended"
    assert (await store.get(8)).version == 0  # other users are untouched


async def test_an_ended_family_is_refused_until_its_ttl(stores: StoreFactory) -> None:
    store = stores()
    await store.start()
    await store.end_family(7, "f1", ttl_seconds=60)
    await store.end_family(7, "gone", ttl_seconds=0)
    state = await store.get(7)
    assert not state.admits(_principal(family="f1"))
    assert state.admits(_principal(family="f2"))
    assert "gone" not in state.ended_families


async def test_every_process_hears_of_a_change(stores: StoreFactory) -> None:
    writer, reader = stores(), stores()
    await writer.start()
    await reader.start()
    heard: list[int] = []
    reader.watch(heard.append)
    assert (await reader.get(7)).version == 0  # now cached in the reader, where it can be
    await eventually(lambda: getattr(reader, "_listening", True), what="the subscription")
    await writer.raise_version(7, 3)
    await eventually(lambda: 7 in heard, what="the reader to hear of the change")
    assert (await reader.get(7)).version == 3
    await writer.end_family(7, "f9", ttl_seconds=60)
    await eventually(lambda: heard.count(7) >= 2, what="the second change")
    assert "f9" in (await reader.get(7)).ended_families


@pytest.mark.redis
async def test_the_redis_store_answers_checks_from_its_cache(
    redis_url: str, redis_namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked on every request, read from Redis once: until a change is published."""
    store = RedisSessionStore(redis_url, prefix=redis_namespace)
    writer = RedisSessionStore(redis_url, prefix=redis_namespace)
    await store.start()
    try:
        await eventually(lambda: store._listening, what="the subscription")
        reads = 0
        real = store._client.hgetall

        async def counting(key: str) -> object:
            nonlocal reads
            reads += 1
            return await real(key)

        monkeypatch.setattr(store._client, "hgetall", counting)
        for _ in range(50):
            assert (await store.get(7)).version == 0
        assert reads == 1
        await writer.raise_version(7, 1)
        await eventually(lambda: 7 not in store._cache, what="the invalidation")
        assert (await store.get(7)).version == 1
        assert reads == 2
    finally:
        await store.close()
        await writer.close()


async def test_a_ticket_is_redeemed_once_by_any_process(stores: StoreFactory) -> None:
    issuing, redeeming = stores(), stores()
    principal = Principal(user_id=7, username="u", role="admin", version=3, family="f9")
    ticket = await issuing.issue_ticket(principal)
    assert len(ticket) >= 32
    assert await redeeming.redeem_ticket(ticket) == principal
    assert await issuing.redeem_ticket(ticket) is None
    assert await redeeming.redeem_ticket("not-a-ticket") is None


async def test_tickets_are_distinct(stores: StoreFactory) -> None:
    store = stores()
    principal = _principal()
    tickets = {await store.issue_ticket(principal) for _ in range(20)}
    assert len(tickets) == 20
