"""One suite for the event bus port, run on InMemoryBus and on RedisStreamBus with the real Redis,
plus what only the Redis bus does: competing consumers, claiming abandoned work, dead letters."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import pytest
import redis.asyncio as aioredis

from agora.platform.bus.base import EventBus, EventHandler
from agora.platform.bus.event import Event
from agora.platform.bus.memory import InMemoryBus
from agora.platform.bus.redis import EventNotReplicated, RedisStreamBus
from tests.support.waiting import eventually

X = "test.x_happened"
Y = "test.y_happened"


class DrainableBus(EventBus, Protocol):
    """An EventBus that can wait until everything published has been handled."""

    # Spelled as InMemoryBus.drain and RedisStreamBus.drain spell it.
    async def drain(self, timeout: float = 10.0) -> None: ...  # noqa: ASYNC109


def make_event(event_type: str = X, **payload: Any) -> Event:
    return Event(
        type=event_type,
        producer="tests",
        occurred_at=datetime.now(UTC),
        payload=payload,
    )


class Recorder:
    """A handler that records what it is given."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    async def __call__(self, event: Event) -> None:
        self.events.append(event)

    @property
    def ids(self) -> list[str]:
        return [e.id for e in self.events]


class RedisBuses:
    """Makes RedisStreamBus instances under one test namespace, and stops them all afterwards."""

    def __init__(self, url: str, prefix: str) -> None:
        self.url = url
        self.prefix = prefix
        self.made: list[RedisStreamBus] = []

    def __call__(self, **options: Any) -> RedisStreamBus:
        options.setdefault("block_ms", 50)
        bus = RedisStreamBus(self.url, prefix=self.prefix, **options)
        self.made.append(bus)
        return bus

    async def stop_all(self) -> None:
        for bus in self.made:
            await bus.stop()


@pytest.fixture
async def redis_buses(redis_url: str, redis_namespace: str) -> AsyncIterator[RedisBuses]:
    buses = RedisBuses(redis_url, redis_namespace)
    yield buses
    await buses.stop_all()


@pytest.fixture(
    params=[
        pytest.param("memory", id="memory"),
        pytest.param("redis", marks=pytest.mark.redis, id="redis"),
    ]
)
def bus_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def make_bus(bus_kind: str, request: pytest.FixtureRequest) -> Callable[[], DrainableBus]:
    """Builds the bus under test; only the Redis variant touches Redis (and its namespace)."""
    if bus_kind == "memory":
        return lambda: InMemoryBus(retry_delay=0.01)
    buses: RedisBuses = request.getfixturevalue("redis_buses")
    return lambda: buses()


@pytest.fixture
async def bus(make_bus: Callable[[], DrainableBus]) -> AsyncIterator[DrainableBus]:
    made = make_bus()
    yield made
    await made.stop()


# --- the shared suite ---


async def test_each_subscribed_group_gets_each_event_once(bus: DrainableBus) -> None:
    users, reviews, sports = Recorder(), Recorder(), Recorder()
    bus.subscribe("users", [X], users)
    bus.subscribe("reviews", [X, Y], reviews)
    bus.subscribe("sports", [Y], sports)
    await bus.start()

    published = [make_event(X, n=n) for n in range(3)]
    for event in published:
        await bus.publish(event)
    await bus.drain(timeout=4)

    assert users.ids == [e.id for e in published]
    assert reviews.ids == [e.id for e in published]
    assert sports.events == []


async def test_order_is_preserved_within_a_group(bus: DrainableBus) -> None:
    seen = Recorder()
    bus.subscribe("timeline", [X, Y], seen)
    await bus.start()

    published = [make_event(X if n % 3 else Y, n=n) for n in range(30)]
    for event in published:
        await bus.publish(event)
    await bus.drain(timeout=4)

    assert sorted(seen.ids) == sorted(e.id for e in published)
    for event_type in (X, Y):
        # Each type travels in order; across types the Redis bus promises nothing.
        expected = [e.id for e in published if e.type == event_type]
        assert [e.id for e in seen.events if e.type == event_type] == expected


async def test_a_failing_handler_is_retried_until_it_succeeds(bus: DrainableBus) -> None:
    attempts: dict[str, int] = {}
    handled: list[str] = []

    async def flaky(event: Event) -> None:
        attempts[event.id] = attempts.get(event.id, 0) + 1
        if event.payload["n"] == 1 and attempts[event.id] <= 2:
            raise RuntimeError("database briefly unavailable")
        handled.append(event.id)

    bus.subscribe("notifications", [X], flaky)
    await bus.start()
    published = [make_event(X, n=n) for n in range(3)]
    for event in published:
        await bus.publish(event)
    await bus.drain(timeout=4)

    assert handled == [e.id for e in published]
    assert attempts == {published[0].id: 1, published[1].id: 3, published[2].id: 1}


async def test_the_event_survives_a_json_round_trip(bus: DrainableBus) -> None:
    seen = Recorder()
    bus.subscribe("reviews", [X], seen)
    await bus.start()
    moment = datetime(2026, 3, 4, 5, 6, 7, 890_000, tzinfo=UTC)
    payload: dict[str, Any] = {
        "album": {"title": "Blue", "tracks": [{"n": 1, "title": "All I Want"}], "rating": 4.5},
        "tags": ["folk", "1971"],
        "reviewer": None,
        "ok": True,
        "at": moment.isoformat(),
    }
    event = Event(
        type=X,
        producer="reviews",
        occurred_at=moment,
        request_id="req-123",
        payload={**payload, "raw_moment": moment},
    )

    await bus.publish(event)
    await bus.drain(timeout=4)

    [received] = seen.events
    assert received.id == event.id
    assert received.occurred_at == moment
    assert received.request_id == "req-123"
    assert {k: v for k, v in received.payload.items() if k != "raw_moment"} == payload
    # A datetime put in a payload arrives as its ISO form, on both buses alike.
    assert datetime.fromisoformat(received.payload["raw_moment"]) == moment


async def test_events_published_before_start_are_delivered_after_it(bus: DrainableBus) -> None:
    seen = Recorder()
    bus.subscribe("timeline", [X], seen)
    published = [make_event(X, n=n) for n in range(3)]
    for event in published:
        await bus.publish(event)
    assert seen.events == []

    await bus.start()
    await bus.drain(timeout=4)

    assert seen.ids == [e.id for e in published]


async def test_a_group_subscribed_after_start_still_gets_events(bus: DrainableBus) -> None:
    await bus.start()
    seen = Recorder()
    bus.subscribe("late", [X], seen)
    event = make_event(X)
    await bus.publish(event)
    await bus.drain(timeout=4)
    assert seen.ids == [event.id]


async def test_subscribing_a_group_twice_is_refused(bus: DrainableBus) -> None:
    bus.subscribe("users", [X], Recorder())
    with pytest.raises(ValueError, match="already subscribed"):
        bus.subscribe("users", [Y], Recorder())


# --- Redis only ---


async def _consumers(redis_url: str, stream: str, group: str) -> list[dict[str, Any]]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return await client.xinfo_consumers(stream, group)
    except aioredis.ResponseError:
        return []
    finally:
        await client.aclose()


@pytest.mark.redis
async def test_a_group_created_after_publishing_gets_the_earlier_events(
    redis_buses: RedisBuses,
) -> None:
    publisher = redis_buses()
    published = [make_event(X, n=n) for n in range(3)]
    for event in published:
        await publisher.publish(event)

    consumer, seen = redis_buses(), Recorder()
    consumer.subscribe("newcomer", [X], seen)
    await consumer.start()
    await consumer.drain(timeout=4)

    assert seen.ids == [e.id for e in published]


@pytest.mark.redis
async def test_consumers_of_one_group_split_the_work(
    redis_buses: RedisBuses, redis_url: str
) -> None:
    handled: dict[str, list[str]] = {"a": [], "b": []}

    def handler_for(name: str) -> EventHandler:
        async def handle(event: Event) -> None:
            handled[name].append(event.id)
            await asyncio.sleep(0.01)  # a slow handler leaves the next event to the other replica

        return handle

    replicas = [redis_buses(consumer_name=name) for name in ("a", "b")]
    for replica, name in zip(replicas, ("a", "b"), strict=True):
        replica.subscribe("timeline", [X], handler_for(name))
        await replica.start()
    stream = replicas[0].stream_for(X)

    async def both_joined() -> bool:
        return len(await _consumers(redis_url, stream, "timeline")) == 2

    # Both replicas have joined (and are about to block on the stream) before anything is published.
    await eventually(both_joined, what="both replicas to join the group", interval=0.005)

    publisher = redis_buses()
    published = [make_event(X, n=n) for n in range(20)]
    for event in published:
        await publisher.publish(event)
    await replicas[0].drain(timeout=4)

    everything = handled["a"] + handled["b"]
    assert sorted(everything) == sorted(e.id for e in published)  # none lost, none doubled
    assert handled["a"]
    assert handled["b"]


@pytest.mark.redis
async def test_work_abandoned_by_a_dead_consumer_is_claimed_by_another(
    redis_buses: RedisBuses,
) -> None:
    entered = asyncio.Event()

    async def hangs(event: Event) -> None:
        entered.set()
        await asyncio.Event().wait()

    doomed = redis_buses(consumer_name="doomed", claim_idle_ms=200)
    doomed.subscribe("notifications", [X], hangs)
    await doomed.start()
    event = make_event(X)
    await doomed.publish(event)
    await asyncio.wait_for(entered.wait(), 3)
    await doomed.stop()  # mid-handler, so the entry stays pending and unacknowledged

    survivor, seen = redis_buses(consumer_name="survivor", claim_idle_ms=200), Recorder()
    survivor.subscribe("notifications", [X], seen)
    await survivor.start()
    await survivor.drain(timeout=4)

    assert seen.ids == [event.id]


@pytest.mark.redis
async def test_a_restarted_consumer_first_handles_its_own_pending_entries(
    redis_buses: RedisBuses,
) -> None:
    entered = asyncio.Event()

    async def hangs(event: Event) -> None:
        entered.set()
        await asyncio.Event().wait()

    first = redis_buses(consumer_name="replica-1")
    first.subscribe("notifications", [X], hangs)
    await first.start()
    event = make_event(X)
    await first.publish(event)
    await asyncio.wait_for(entered.wait(), 3)
    await first.stop()

    # Same name, and claiming is far off: only re-reading its own pending entries can find it.
    restarted, seen = redis_buses(consumer_name="replica-1", claim_idle_ms=60_000), Recorder()
    restarted.subscribe("notifications", [X], seen)
    await restarted.start()
    await restarted.drain(timeout=4)

    assert seen.ids == [event.id]


@pytest.mark.redis
async def test_a_poison_event_ends_in_the_dead_letter_stream(
    redis_buses: RedisBuses, redis_url: str
) -> None:
    attempts: list[str] = []

    async def always_fails(event: Event) -> None:
        attempts.append(event.id)
        if event.payload.get("poison"):
            raise ValueError("cannot handle this one")

    bus = redis_buses(max_deliveries=3)
    bus.subscribe("competitions", [X], always_fails)
    await bus.start()
    poison, healthy = make_event(X, poison=True), make_event(X, poison=False)
    await bus.publish(poison)
    await bus.publish(healthy)
    await bus.drain(timeout=4)

    assert attempts == [poison.id] * 3 + [healthy.id]
    client = aioredis.Redis.from_url(redis_url)
    try:
        entries = await client.xrange(bus.deadletter_stream)
    finally:
        await client.aclose()
    assert entries is not None
    assert len(entries) == 1
    fields = entries[0][1]
    assert fields is not None
    assert fields[b"group"] == b"competitions"
    assert fields[b"stream"] == bus.stream_for(X).encode()
    assert Event.from_json(fields[b"event"]) == poison
    assert fields[b"deliveries"] == b"3"


@pytest.mark.redis
async def test_consumers_that_leave_with_nothing_pending_leave_no_trace(
    redis_buses: RedisBuses, redis_url: str
) -> None:
    bus, seen = redis_buses(consumer_name="short-lived"), Recorder()
    bus.subscribe("timeline", [X], seen)
    await bus.start()
    await bus.publish(make_event(X))
    await bus.drain(timeout=4)
    await bus.stop()

    assert await _consumers(redis_url, bus.stream_for(X), "timeline") == []


class _DroppingProxy:
    """A TCP proxy to Redis whose open connections can be cut, as a network blip would."""

    def __init__(self, target_port: int) -> None:
        self._target_port = target_port
        self._writers: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(
            "127.0.0.1", self._target_port
        )
        self._writers |= {writer, upstream_writer}
        for task in (
            asyncio.create_task(self._pipe(reader, upstream_writer)),
            asyncio.create_task(self._pipe(upstream_reader, writer)),
        ):
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def drop_connections(self) -> None:
        for writer in self._writers:
            writer.close()
        self._writers.clear()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2)

    async def close(self) -> None:
        await self.drop_connections()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@pytest.mark.redis
async def test_the_reader_reconnects_after_redis_drops_the_connection(
    redis_buses: RedisBuses, redis_url: str
) -> None:
    proxy = _DroppingProxy(urlsplit(redis_url).port or 6379)
    await proxy.start()
    try:
        proxied_url = f"redis://127.0.0.1:{proxy.port}/0"
        consumer = RedisStreamBus(proxied_url, prefix=redis_buses.prefix, block_ms=50)
        redis_buses.made.append(consumer)
        seen = Recorder()
        consumer.subscribe("timeline", [X], seen)
        await consumer.start()
        publisher = redis_buses()

        before = make_event(X)
        await publisher.publish(before)
        await eventually(lambda: len(seen.events) == 1, what="the event before the drop")
        await proxy.drop_connections()
        after = make_event(X)
        await publisher.publish(after)
        await eventually(lambda: len(seen.events) == 2, what="the event after the drop")

        assert seen.ids == [before.id, after.id]
        await consumer.stop()
    finally:
        await proxy.close()


async def test_a_bus_whose_redis_is_down_keeps_trying_and_stops_cleanly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def failed_attempts() -> int:
        # structlog hands the standard library its event dict as the record's message.
        return sum(
            1
            for record in caplog.records
            if isinstance(record.msg, dict) and record.msg.get("event") == "bus_redis_unavailable"
        )

    bus = RedisStreamBus("redis://127.0.0.1:1/0", prefix="agora-test:down:", block_ms=50)
    bus.subscribe("timeline", [X], Recorder())
    await bus.start()
    await eventually(lambda: failed_attempts() >= 3, what="three failed connection attempts")
    readers = [t for t in asyncio.all_tasks() if t.get_name() == "bus-timeline"]
    assert readers
    assert not any(t.done() for t in readers)
    await bus.stop()
    assert all(t.done() for t in readers)


@pytest.mark.redis
async def test_a_reader_whose_cancellation_is_lost_still_ends_with_stop(
    redis_buses: RedisBuses,
) -> None:
    """`stop` cancels the readers; a cancellation lost on the way (here a handler swallows it, as
    asyncio.timeout can in Python 3.11) must not leave a reader running and `stop` waiting."""
    entered = asyncio.Event()

    async def swallowing(event: Event) -> None:
        entered.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(30)

    bus = redis_buses()
    bus.subscribe("timeline", [X], swallowing)
    await bus.start()
    await redis_buses().publish(make_event(X))
    await asyncio.wait_for(entered.wait(), 10)
    stopping = asyncio.ensure_future(bus.stop())
    done, _ = await asyncio.wait({stopping}, timeout=10)
    readers = [t for t in asyncio.all_tasks() if t.get_name() == "bus-timeline"]
    for reader in readers:
        reader.cancel()  # what is left of a failed run, so the loop can close
    assert done == {stopping}, "stop() still waits for its reader"
    assert not readers


@pytest.mark.redis
async def test_an_event_no_replica_confirms_is_not_published(
    redis_buses: RedisBuses, redis_url: str
) -> None:
    """Under Sentinel a replica must confirm each event (WAIT), else the outbox keeps it and
    publishes it again; this Redis has no replica, so the publish fails instead of passing as
    done. The event is in the stream (the repeat is dropped by the consumers' inbox)."""
    bus = redis_buses(replicas_to_wait=1)
    event = make_event()
    with pytest.raises(EventNotReplicated):
        await bus.publish(event)
    client = aioredis.from_url(redis_url)
    try:
        assert await client.xlen(bus.stream_for(event.type)) == 1
    finally:
        await client.aclose()
