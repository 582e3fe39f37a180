"""Circuit breakers and balancers, with the clock moved by hand."""

from __future__ import annotations

import pytest

from agora.gateway.balancer import LeastOutstanding, RoundRobin, make_balancer
from agora.gateway.breaker import BreakerBoard, BreakerState, CircuitBreaker
from agora.platform.clock import ManualClock
from agora.platform.discovery import Instance


def state(breaker: CircuitBreaker) -> BreakerState:
    """The breaker's state now (a call, so the type checker does not carry an old value over)."""
    return breaker.state


def _instances(n: int) -> list[Instance]:
    return [Instance(f"i{k}", "users", "127.0.0.1", 9000 + k) for k in range(n)]


def test_three_consecutive_failures_open_the_breaker(clock: ManualClock) -> None:
    breaker = CircuitBreaker(clock)
    for _ in range(2):
        breaker.record_failure()
        assert breaker.allow()
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN
    assert not breaker.allow()


def test_a_success_resets_the_count(clock: ManualClock) -> None:
    breaker = CircuitBreaker(clock)
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert state(breaker) is BreakerState.CLOSED


def test_after_the_cooldown_one_probe_decides(clock: ManualClock) -> None:
    breaker = CircuitBreaker(clock, cooldown_seconds=5)
    for _ in range(3):
        breaker.record_failure()
    clock.advance(4.9)
    assert not breaker.allow()
    clock.advance(0.2)
    assert breaker.available()
    assert breaker.allow()  # the probe
    assert state(breaker) is BreakerState.HALF_OPEN
    assert not breaker.allow()  # only one probe at a time
    breaker.record_failure()
    assert state(breaker) is BreakerState.OPEN
    clock.advance(5.1)
    assert breaker.allow()
    breaker.record_success()
    assert state(breaker) is BreakerState.CLOSED
    assert breaker.allow()
    assert [state for _, state in breaker.transitions] == [
        BreakerState.OPEN,
        BreakerState.HALF_OPEN,
        BreakerState.OPEN,
        BreakerState.HALF_OPEN,
        BreakerState.CLOSED,
    ]


def test_the_board_keeps_one_breaker_per_instance(clock: ManualClock) -> None:
    board = BreakerBoard(clock)
    for _ in range(3):
        board.get("a").record_failure()
    assert state(board.get("a")) is BreakerState.OPEN
    assert state(board.get("b")) is BreakerState.CLOSED
    assert board.states() == {"a": "open", "b": "closed"}


def test_round_robin_takes_turns_and_skips_excluded() -> None:
    balancer = RoundRobin()
    instances = _instances(3)
    picks = [balancer.pick(instances) for _ in range(6)]
    assert [p.id for p in picks if p] == ["i0", "i1", "i2", "i0", "i1", "i2"]
    assert all(balancer.pick(instances, exclude={"i1"}) != instances[1] for _ in range(4))
    assert balancer.pick(instances, exclude={"i0", "i1", "i2"}) is None
    assert balancer.pick([]) is None


def test_least_outstanding_prefers_the_idle_instance() -> None:
    balancer = LeastOutstanding()
    instances = _instances(2)
    busy = balancer.pick(instances)
    assert busy is not None
    balancer.started(busy)
    balancer.started(busy)
    for _ in range(3):
        choice = balancer.pick(instances)
        assert choice is not None
        assert choice.id != busy.id
    balancer.finished(busy)
    balancer.finished(busy)
    assert balancer.outstanding(busy.id) == 0


def test_balancer_by_name() -> None:
    assert isinstance(make_balancer("round_robin"), RoundRobin)
    assert isinstance(make_balancer("least_outstanding"), LeastOutstanding)
    with pytest.raises(ValueError, match="unknown balancer"):
        make_balancer("random")
