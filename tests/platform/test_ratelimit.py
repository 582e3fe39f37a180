"""One suite for the rate-limit port, run on MemoryRateLimiter and on RedisRateLimiter with the real
Redis; plus what only Redis does: replicas sharing one limit, and saying when it is unreachable."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import pytest

from agora.platform.clock import ManualClock
from agora.platform.ratelimit import RateLimit, RateLimiter, RateLimiterUnavailable
from agora.platform.ratelimit_backends import (
    MemoryRateLimiter,
    RedisRateLimiter,
)

LIMIT = RateLimit(amount=3, seconds=60)


class Limiters:
    """Makes limiters of one kind that share a store, and closes them afterwards."""

    def __init__(self, make: Callable[[], RateLimiter]) -> None:
        self._make = make
        self.made: list[RateLimiter] = []

    def __call__(self) -> RateLimiter:
        limiter = self._make()
        self.made.append(limiter)
        return limiter


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
async def limiters(redis_prefix: str | None, redis_url: str) -> AsyncIterator[Limiters]:
    if redis_prefix is None:
        made = Limiters(MemoryRateLimiter)
    else:
        prefix = redis_prefix
        made = Limiters(lambda: RedisRateLimiter(redis_url, prefix=prefix))
    yield made
    for limiter in made.made:
        await limiter.close()


@pytest.fixture
def limiter(limiters: Limiters) -> RateLimiter:
    return limiters()


@pytest.fixture
def wall_clock(monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """A wall clock the test moves. `limits` stamps hits with `time.time()` and takes no clock, so
    that function is what reads this one; the event loop runs on `time.monotonic` and is unmoved."""
    # On a whole second: the Redis limiter hands stamps back through Lua's tostring (14 significant
    # digits), which would round a frozen sub-second stamp either way of the true one.
    clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(time, "time", lambda: clock.now().timestamp())
    return clock


# --- the shared suite ---


async def test_hits_are_allowed_up_to_the_limit_then_refused(limiter: RateLimiter) -> None:
    states = [await limiter.hit("user:1", LIMIT) for _ in range(4)]

    assert [s.allowed for s in states] == [True, True, True, False]
    assert [s.remaining for s in states] == [2, 1, 0, 0]
    assert all(s.limit == 3 for s in states)
    refused = states[-1]
    assert 0 < refused.reset_after <= 60
    assert (await limiter.hit("user:1", LIMIT)).allowed is False


async def test_a_hit_can_cost_more_than_one(limiter: RateLimiter) -> None:
    assert (await limiter.hit("user:1", LIMIT, cost=2)).remaining == 1
    refused = await limiter.hit("user:1", LIMIT, cost=2)
    assert refused.allowed is False
    assert refused.remaining == 1
    assert (await limiter.hit("user:1", LIMIT, cost=1)).remaining == 0


async def test_peek_does_not_consume(limiter: RateLimiter) -> None:
    for _ in range(5):
        state = await limiter.peek("user:1", LIMIT)
        assert state.allowed is True
        assert state.remaining == 3
    assert (await limiter.hit("user:1", LIMIT)).remaining == 2
    assert (await limiter.peek("user:1", LIMIT)).remaining == 2

    await limiter.hit("user:1", LIMIT)
    await limiter.hit("user:1", LIMIT)
    exhausted = await limiter.peek("user:1", LIMIT)
    assert exhausted.allowed is False
    assert exhausted.remaining == 0
    assert exhausted.reset_after > 0


async def test_reset_forgets_the_hits(limiter: RateLimiter) -> None:
    for _ in range(3):
        await limiter.hit("user:1", LIMIT)
    assert (await limiter.hit("user:1", LIMIT)).allowed is False

    await limiter.reset("user:1", LIMIT)

    state = await limiter.hit("user:1", LIMIT)
    assert state.allowed is True
    assert state.remaining == 2


async def test_keys_and_limits_are_counted_apart(limiter: RateLimiter) -> None:
    for _ in range(3):
        await limiter.hit("user:1", LIMIT)
    assert (await limiter.hit("user:1", LIMIT)).allowed is False

    assert (await limiter.hit("user:2", LIMIT)).remaining == 2
    assert (await limiter.hit("ip:10.0.0.1", LIMIT)).remaining == 2
    # The same key under another limit is another counter.
    assert (await limiter.hit("user:1", RateLimit(amount=10, seconds=60))).remaining == 9


async def test_hits_leave_the_window_after_it_passes(
    limiter: RateLimiter, wall_clock: ManualClock
) -> None:
    second = RateLimit(amount=2, seconds=1)
    await limiter.hit("user:1", second)
    await limiter.hit("user:1", second)
    refused = await limiter.hit("user:1", second)
    assert refused.allowed is False
    assert 0 < refused.reset_after <= 1

    wall_clock.advance(refused.reset_after - 0.05)
    assert (await limiter.hit("user:1", second)).allowed is False
    wall_clock.advance(0.1)
    assert (await limiter.hit("user:1", second)).allowed is True


# --- Redis only ---


@pytest.mark.redis
async def test_gateway_replicas_share_one_limit(redis_url: str, redis_namespace: str) -> None:
    replica_a = RedisRateLimiter(redis_url, prefix=redis_namespace)
    replica_b = RedisRateLimiter(redis_url, prefix=redis_namespace)
    try:
        assert (await replica_a.hit("user:1", LIMIT)).remaining == 2
        assert (await replica_b.hit("user:1", LIMIT)).remaining == 1
        assert (await replica_a.peek("user:1", LIMIT)).remaining == 1
        assert (await replica_b.hit("user:1", LIMIT)).remaining == 0
        assert (await replica_a.hit("user:1", LIMIT)).allowed is False
        await replica_b.reset("user:1", LIMIT)
        assert (await replica_a.hit("user:1", LIMIT)).allowed is True
    finally:
        await replica_a.close()
        await replica_b.close()


async def test_an_unreachable_redis_is_reported_not_guessed() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:1/0")
    started = time.monotonic()
    try:
        with pytest.raises(RateLimiterUnavailable):
            await limiter.hit("user:1", LIMIT)
        with pytest.raises(RateLimiterUnavailable):
            await limiter.peek("user:1", LIMIT)
        with pytest.raises(RateLimiterUnavailable):
            await limiter.reset("user:1", LIMIT)
    finally:
        await limiter.close()
    assert time.monotonic() - started < 2


async def test_in_process_pruning_survives_a_key_reset_while_it_runs() -> None:
    """limits 5.8's pruning task waits between listing the keys and reading each one: a reset in
    between (a login that succeeds clears its failures) made it fail with a KeyError."""
    limiter = MemoryRateLimiter()
    window = RateLimit(5, 60)
    try:
        for key in ("first", "second"):
            await limiter.hit(key, window)
        storage = limiter._memory
        pruning = asyncio.create_task(storage._MemoryStorage__expire_events())
        await asyncio.sleep(0)  # the task has listed the keys
        await limiter.reset("second", window)
        await pruning
        assert (await limiter.peek("first", window)).remaining == 4
        assert (await limiter.peek("second", window)).remaining == 5
    finally:
        await limiter.close()
