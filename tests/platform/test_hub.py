"""One suite for the real-time hub, run on MemoryHub and on RedisHub with the real Redis; plus what
only a hub shared by many instances does: delivery and history across instances, presence of a
vanished instance, a lost history, a dropped pub/sub connection, a Redis that is down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import pytest
import redis.asyncio as aioredis

from agora.entrypoints.wiring import make_hub
from agora.platform.config import Settings
from agora.platform.realtime import Publication, StreamPosition, Subscription, subscribe_from
from agora.platform.realtime.base import HubLimits
from agora.platform.realtime.errors import HubUnavailable
from agora.platform.realtime.memory import MemoryHub
from agora.platform.realtime.redis import RedisHub
from agora.platform.realtime.traced import TracedHub
from tests.support.waiting import eventually

CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
WAIT = 5.0  # the bound on every wait for something that should happen at once

AnyHub = MemoryHub | RedisHub
H = TypeVar("H", MemoryHub, RedisHub, AnyHub)


@dataclass
class HubMaker(Generic[H]):
    """Makes hubs of one kind that share one store (one Redis namespace), closed after the test."""

    make: Callable[[HubLimits | None], H]
    made: list[H] = field(default_factory=list)

    def __call__(self, limits: HubLimits | None = None) -> H:
        hub = self.make(limits)
        self.made.append(hub)
        return hub


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
async def hubs(redis_prefix: str | None, redis_url: str) -> AsyncIterator[HubMaker[AnyHub]]:
    maker: HubMaker[AnyHub]
    if redis_prefix is None:
        maker = HubMaker(lambda limits: MemoryHub(limits))
    else:
        prefix = redis_prefix
        maker = HubMaker(lambda limits: RedisHub(redis_url, prefix=prefix, limits=limits))
    yield maker
    for hub in maker.made:
        await hub.close()


@pytest.fixture
def hub(hubs: HubMaker[AnyHub]) -> AnyHub:
    return hubs()


@pytest.fixture
async def redis_hubs(redis_namespace: str, redis_url: str) -> AsyncIterator[HubMaker[RedisHub]]:
    """RedisHubs of one cluster (one Redis, one namespace), for the tests only Redis can pass."""
    maker: HubMaker[RedisHub] = HubMaker(
        lambda limits: RedisHub(redis_url, prefix=redis_namespace, limits=limits)
    )
    yield maker
    for hub in maker.made:
        await hub.close()


@pytest.fixture
async def raw_redis(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def take(subscription: Subscription, count: int) -> list[Publication]:
    """The next `count` publications of a subscription (fewer if it ends first), within WAIT."""
    received: list[Publication] = []

    async def collect() -> None:
        async for publication in subscription:
            received.append(publication)
            if len(received) == count:
                return

    async with asyncio.timeout(WAIT):
        await collect()
    return received


# --- the shared suite: publishing and history


async def test_offsets_count_up_per_channel_under_a_stable_epoch(hub: AnyHub) -> None:
    room = [await hub.publish("room:1", {"n": n}) for n in range(3)]
    poll = [await hub.publish("poll:1", {"n": n}) for n in range(2)]

    assert [p.offset for p in room] == [1, 2, 3]
    assert [p.offset for p in poll] == [1, 2]
    assert len({p.epoch for p in room}) == 1
    assert all(p.channel == "room:1" for p in room)
    assert await hub.position("room:1") == StreamPosition(3, room[0].epoch)
    assert await hub.position("poll:1") == StreamPosition(2, poll[0].epoch)


async def test_an_empty_channel_is_at_offset_zero_and_keeps_its_epoch(hub: AnyHub) -> None:
    before = await hub.position("room:9")
    assert before.offset == 0

    first = await hub.publish("room:9", {"n": 1})

    assert first.position == StreamPosition(1, before.epoch)
    page = await hub.history("room:9", since=before)
    assert page.complete
    assert page.publications == [first]


async def test_data_round_trips_as_json(hub: AnyHub) -> None:
    data = {"text": "héllo ✓", "nested": {"list": [1, 2.5, None, True]}, "tuple": (1, 2)}

    published = await hub.publish("room:1", data)
    (stored,) = (await hub.history("room:1")).publications

    expected = {"text": "héllo ✓", "nested": {"list": [1, 2.5, None, True]}, "tuple": [1, 2]}
    assert published.data == expected
    assert stored == published


async def test_history_without_since_is_the_newest_limit(hub: AnyHub) -> None:
    for n in range(1, 6):
        await hub.publish("room:1", {"n": n})

    newest = await hub.history("room:1", limit=2)
    everything = await hub.history("room:1")

    assert [p.data["n"] for p in newest.publications] == [4, 5]
    assert newest.complete
    assert newest.position.offset == 5
    assert [p.offset for p in everything.publications] == [1, 2, 3, 4, 5]


async def test_history_since_returns_exactly_the_missed_publications(hub: AnyHub) -> None:
    published = [await hub.publish("room:1", {"n": n}) for n in range(1, 8)]
    seen = published[2].position

    page = await hub.history("room:1", since=seen)
    up_to_date = await hub.history("room:1", since=published[-1].position)

    assert page.complete
    assert page.publications == published[3:]
    assert page.position == published[-1].position
    assert up_to_date.complete
    assert up_to_date.publications == []


async def test_a_gap_older_than_the_history_is_incomplete(hubs: HubMaker[AnyHub]) -> None:
    hub = hubs(HubLimits(history_size=5))
    published = [await hub.publish("room:1", {"n": n}) for n in range(1, 13)]

    retained = await hub.history("room:1")
    too_old = await hub.history("room:1", since=published[5].position)  # offset 6; 7 retained
    just_covered = await hub.history("room:1", since=published[6].position)

    assert [p.offset for p in retained.publications] == [8, 9, 10, 11, 12]
    assert not too_old.complete
    assert too_old.publications == []
    assert too_old.position == published[-1].position
    assert just_covered.complete
    assert [p.offset for p in just_covered.publications] == [8, 9, 10, 11, 12]


async def test_a_position_from_another_epoch_or_beyond_the_top_is_incomplete(
    hub: AnyHub,
) -> None:
    last = None
    for n in range(3):
        last = await hub.publish("room:1", {"n": n})
    assert last is not None

    other_epoch = await hub.history("room:1", since=StreamPosition(1, "not-" + last.epoch))
    beyond = await hub.history("room:1", since=StreamPosition(9, last.epoch))

    assert not other_epoch.complete
    assert other_epoch.publications == []
    assert other_epoch.position == last.position
    assert not beyond.complete


async def test_a_gap_larger_than_the_limit_is_incomplete(hub: AnyHub) -> None:
    published = [await hub.publish("room:1", {"n": n}) for n in range(6)]

    within = await hub.history("room:1", since=published[2].position, limit=3)
    beyond = await hub.history("room:1", since=published[1].position, limit=3)

    assert within.complete
    assert within.publications == published[3:]
    assert not beyond.complete


# --- the shared suite: live subscriptions


async def test_subscribers_receive_live_publications_in_order(hub: AnyHub) -> None:
    first = await hub.subscribe("room:1")
    second = await hub.subscribe("room:1")
    other_channel = await hub.subscribe("room:2")

    published = [await hub.publish("room:1", {"n": n}) for n in range(20)]
    await hub.publish("room:2", {"n": "other"})

    assert await take(first, 20) == published
    assert await take(second, 20) == published
    assert [p.data for p in await take(other_channel, 1)] == [{"n": "other"}]


async def test_a_closed_subscription_stops(hub: AnyHub) -> None:
    leaving = await hub.subscribe("room:1")
    staying = await hub.subscribe("room:1")
    await hub.publish("room:1", {"n": 1})
    assert len(await take(leaving, 1)) == 1

    await leaving.close()
    await hub.publish("room:1", {"n": 2})

    assert leaving.closed_reason == "closed"
    assert await take(leaving, 1) == []
    assert [p.data["n"] for p in await take(staying, 2)] == [1, 2]
    assert hub.subscriber_count("room:1") == 1


async def test_a_channel_can_be_subscribed_again_after_its_last_subscriber_left(
    hub: AnyHub,
) -> None:
    for round_ in range(3):
        subscription = await hub.subscribe("room:1")
        published = await hub.publish("room:1", {"round": round_})
        assert await take(subscription, 1) == [published]
        await subscription.close()
    assert hub.subscriber_count("room:1") == 0


async def test_a_subscriber_that_never_reads_overflows_while_others_receive(
    hubs: HubMaker[AnyHub],
) -> None:
    hub = hubs(HubLimits(subscriber_buffer=4))
    stalled = await hub.subscribe("room:1")
    reader = await hub.subscribe("room:1")
    received: list[Publication] = []

    async def read_all() -> None:
        received.extend(await take(reader, 20))

    reading = asyncio.create_task(read_all())
    for n in range(20):
        await hub.publish("room:1", {"n": n})
        await asyncio.sleep(0)  # the reader keeps up; the stalled one never reads
    await reading

    assert [p.offset for p in received] == list(range(1, 21))
    assert stalled.closed_reason == "overflow"
    # What was buffered before the overflow is still readable, then the iteration ends.
    assert [p.offset for p in await take(stalled, 20)] == [1, 2, 3, 4]
    assert reader.closed_reason is None


async def test_closing_the_hub_ends_its_subscriptions(hubs: HubMaker[AnyHub]) -> None:
    hub = hubs()
    subscription = await hub.subscribe("room:1")

    await hub.close()

    assert subscription.closed_reason == "hub_closed"
    assert await take(subscription, 1) == []


async def test_subscribe_from_while_publishing_yields_every_later_offset_once(
    hubs: HubMaker[AnyHub],
) -> None:
    hub = hubs(HubLimits(history_size=1_000))
    total = 300
    for n in range(1, 51):
        await hub.publish("room:1", {"n": n})
    epoch = (await hub.position("room:1")).epoch

    async def publish_continuously() -> None:
        for n in range(51, total + 1):
            await hub.publish("room:1", {"n": n})
            await asyncio.sleep(0)  # lets subscribers in between, like concurrent requests do

    async def rejoin(since: StreamPosition) -> list[int]:
        subscription, recovery = await subscribe_from(hub, "room:1", since)
        assert not recovery.reload
        offsets = [p.offset for p in recovery.missed]
        if not offsets or offsets[-1] < total:
            async with asyncio.timeout(WAIT):
                async for publication in subscription:
                    offsets.append(publication.offset)
                    if publication.offset == total:
                        break
        await subscription.close()
        return offsets

    async def rejoin_at(since_offset: int, when_top_reaches: int) -> list[int]:
        async def reached() -> bool:
            return (await hub.position("room:1")).offset >= when_top_reaches

        await eventually(reached, what=f"the channel to reach offset {when_top_reaches}")
        return await rejoin(StreamPosition(since_offset, epoch))

    publisher = asyncio.create_task(publish_continuously())
    # Clients that come back at different moments, each from where it had been.
    cases = [(10, 60), (50, 100), (120, 150), (200, 260), (0, 51)]
    results = await asyncio.gather(*(rejoin_at(since, when) for since, when in cases))
    await publisher

    for (since, _), offsets in zip(cases, results, strict=True):
        assert offsets == list(range(since + 1, total + 1))


async def test_subscribe_from_an_unknown_epoch_asks_to_reload(hub: AnyHub) -> None:
    await hub.publish("room:1", {"n": 1})

    subscription, recovery = await subscribe_from(hub, "room:1", StreamPosition(1, "stale"))
    live = await hub.publish("room:1", {"n": 2})

    assert recovery.reload
    assert recovery.missed == []
    assert await take(subscription, 1) == [live]
    await subscription.close()


# --- the shared suite: presence


async def test_presence_lists_who_joined_until_they_leave(hub: AnyHub) -> None:
    assert await hub.presence("room:1") == {}

    await hub.join("room:1", "conn-a", {"userId": "1", "name": "ada"})
    await hub.join("room:1", "conn-b", {"userId": "2", "name": "bob"})
    await hub.join("room:2", "conn-c", {"userId": "3"})
    assert await hub.presence("room:1") == {
        "conn-a": {"userId": "1", "name": "ada"},
        "conn-b": {"userId": "2", "name": "bob"},
    }

    await hub.join("room:1", "conn-a", {"userId": "1", "name": "ada", "typing": True})
    await hub.leave("room:1", "conn-b")
    await hub.leave("room:1", "conn-unknown")

    assert await hub.presence("room:1") == {
        "conn-a": {"userId": "1", "name": "ada", "typing": True}
    }
    assert await hub.presence("room:2") == {"conn-c": {"userId": "3"}}


# --- Redis only: many instances on one Redis


@pytest.mark.redis
async def test_a_subscriber_on_one_instance_receives_what_another_publishes(
    redis_hubs: HubMaker[AnyHub],
) -> None:
    hub_a, hub_b = redis_hubs(), redis_hubs()
    on_a = await hub_a.subscribe("room:1")
    on_b = await hub_b.subscribe("room:1")

    published = [await hub_b.publish("room:1", {"n": n}) for n in range(10)]
    published += [await hub_a.publish("room:1", {"n": n}) for n in range(10, 15)]

    assert [p.offset for p in published] == list(range(1, 16))
    assert await take(on_a, 15) == published
    assert await take(on_b, 15) == published


@pytest.mark.redis
async def test_history_and_presence_written_by_one_instance_are_read_by_another(
    redis_hubs: HubMaker[AnyHub],
) -> None:
    hub_a, hub_b = redis_hubs(), redis_hubs()
    published = [await hub_a.publish("room:1", {"n": n}) for n in range(4)]
    await hub_a.join("room:1", "conn-a", {"userId": "1"})

    assert (await hub_b.history("room:1")).publications == published
    page = await hub_b.history("room:1", since=published[1].position)
    assert page.complete
    assert page.publications == published[2:]
    assert await hub_b.position("room:1") == published[-1].position
    assert await hub_b.presence("room:1") == {"conn-a": {"userId": "1"}}


@pytest.mark.redis
async def test_presence_of_a_vanished_instance_expires_while_a_live_one_stays(
    redis_hubs: HubMaker[AnyHub],
) -> None:
    limits = HubLimits(presence_ttl_seconds=1)
    crashing, staying = redis_hubs(limits), redis_hubs(limits)
    await crashing.join("room:1", "conn-gone", {"userId": "1"})
    await staying.join("room:1", "conn-here", {"userId": "2"})

    # Past one TTL both are still there: each instance refreshes what it joined. Real time: the TTL
    # runs on Redis's clock (by design, so instances' clocks cannot disagree), which no test moves.
    await asyncio.sleep(1.3)
    assert set(await staying.presence("room:1")) == {"conn-gone", "conn-here"}

    await crashing.close()  # no leave: as if the process died
    started = time.monotonic()

    async def gone() -> bool:
        return set(await staying.presence("room:1")) == {"conn-here"}

    await eventually(gone, what="the vanished instance's presence to expire", within=3.0)
    assert time.monotonic() - started <= 2.0  # the TTL, plus slack for a busy machine


@pytest.mark.redis
async def test_a_lost_history_comes_back_under_a_new_epoch(
    redis_hubs: HubMaker[RedisHub], raw_redis: aioredis.Redis, redis_namespace: str
) -> None:
    hub = redis_hubs()
    old = [await hub.publish("room:1", {"n": n}) for n in range(3)]
    # What expiry does: the channel's keys vanish.
    keys = [key async for key in raw_redis.scan_iter(match=f"{redis_namespace}{{room:1}}:*")]
    assert keys
    await raw_redis.delete(*keys)

    fresh = await hub.publish("room:1", {"n": "after"})
    page = await hub.history("room:1", since=old[-1].position)

    assert fresh.epoch != old[0].epoch
    assert fresh.offset == 1
    assert not page.complete
    assert page.position == fresh.position


@pytest.mark.redis
async def test_a_dropped_pubsub_connection_ends_subscriptions_to_be_recovered(
    redis_hubs: HubMaker[RedisHub], raw_redis: aioredis.Redis, redis_namespace: str
) -> None:
    hub, publisher = redis_hubs(), redis_hubs()
    subscription = await hub.subscribe("room:1")
    seen = await publisher.publish("room:1", {"n": 1})
    assert await take(subscription, 1) == [seen]

    clients = await raw_redis.client_list(_type="pubsub")
    name = f"{redis_namespace}{hub.instance_id}"
    (client_id,) = [client["id"] for client in clients if client["name"] == name]
    await raw_redis.client_kill_filter(_id=client_id)

    assert await take(subscription, 1) == []
    assert subscription.closed_reason == "hub_reconnect"
    missed = await publisher.publish("room:1", {"n": 2})  # while the hub reconnects

    # The client comes back from its last position: the missed publication, then live ones.
    again, recovery = await subscribe_from(hub, "room:1", seen.position)
    live = await publisher.publish("room:1", {"n": 3})
    assert not recovery.reload
    assert recovery.missed == [missed]
    assert await take(again, 1) == [live]


@pytest.mark.redis
async def test_an_idle_link_is_kept_alive_by_pings(redis_url: str, redis_namespace: str) -> None:
    hub = RedisHub(redis_url, prefix=redis_namespace, ping_interval=0.05)
    try:
        subscription = await hub.subscribe("room:1")
        await asyncio.sleep(0.5)  # ten ping intervals, three times the silence that drops a link
        published = await hub.publish("room:1", {"n": 1})
        assert await take(subscription, 1) == [published]
        assert subscription.closed_reason is None
    finally:
        await hub.close()


@pytest.mark.redis
async def test_an_unreachable_redis_is_reported_quickly_as_unavailable() -> None:
    hub = RedisHub(CLOSED_PORT_URL, subscribe_timeout=1.0)
    try:
        started = time.monotonic()
        with pytest.raises(HubUnavailable) as raised:
            await hub.publish("room:1", {"n": 1})
        assert time.monotonic() - started < 1.0
        assert raised.value.http_status == 503

        for operation in (
            hub.history("room:1"),
            hub.position("room:1"),
            hub.join("room:1", "conn-a", {}),
            hub.presence("room:1"),
            hub.subscribe("room:1"),
        ):
            started = time.monotonic()
            with pytest.raises(HubUnavailable):
                await operation
            assert time.monotonic() - started < 1.0
    finally:
        await hub.close()


@pytest.mark.redis
async def test_the_cluster_wiring_makes_a_working_redis_hub(redis_url: str) -> None:
    hub = make_hub(Settings(realtime="redis", redis_url=redis_url))
    try:
        # Wrapped so that pushes carry the publisher's trace context.
        assert isinstance(hub, TracedHub)
        assert isinstance(hub.inner, RedisHub)
        assert await hub.presence("agora-test:wiring") == {}
    finally:
        await hub.close()
    memory = make_hub(Settings(realtime="memory"))
    assert isinstance(memory, TracedHub)
    assert isinstance(memory.inner, MemoryHub)
