"""Circuit breakers, one per upstream instance (seed 001): three consecutive failures or timeouts
open the breaker; after a cool-down one half-open probe decides whether it closes again."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from agora.platform.clock import Clock


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


@dataclass
class CircuitBreaker:
    """Tracks one instance's health from the outcomes of the requests sent to it."""

    clock: Clock
    failure_threshold: int = 3
    cooldown_seconds: float = 5.0
    failures: int = 0
    state: BreakerState = BreakerState.CLOSED
    opened_at: float = 0.0
    probe_in_flight: bool = False
    transitions: list[tuple[float, BreakerState]] = field(default_factory=list)

    def _move(self, state: BreakerState) -> None:
        self.state = state
        self.transitions.append((self.clock.monotonic(), state))

    def allow(self) -> bool:
        """May a request go to this instance now? In half-open, only one probe at a time."""
        if self.state is BreakerState.CLOSED:
            return True
        if self.state is BreakerState.OPEN:
            if self.clock.monotonic() - self.opened_at < self.cooldown_seconds:
                return False
            self._move(BreakerState.HALF_OPEN)
        if self.probe_in_flight:
            return False
        self.probe_in_flight = True
        return True

    def available(self) -> bool:
        """Like `allow`, without claiming the probe: for choosing among instances."""
        if self.state is BreakerState.CLOSED:
            return True
        if self.state is BreakerState.OPEN:
            return self.clock.monotonic() - self.opened_at >= self.cooldown_seconds
        return not self.probe_in_flight

    def record_success(self) -> None:
        self.failures = 0
        self.probe_in_flight = False
        if self.state is not BreakerState.CLOSED:
            self._move(BreakerState.CLOSED)

    def record_failure(self) -> None:
        self.probe_in_flight = False
        if self.state is BreakerState.HALF_OPEN:
            self._open()
            return
        self.failures += 1
        if self.failures >= self.failure_threshold and self.state is BreakerState.CLOSED:
            self._open()

    def _open(self) -> None:
        self.opened_at = self.clock.monotonic()
        self._move(BreakerState.OPEN)


class BreakerBoard:
    """The breakers of every instance, created on first use."""

    def __init__(self, clock: Clock, *, failure_threshold: int = 3, cooldown_seconds: float = 5.0):
        self.clock = clock
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._breakers: dict[str, CircuitBreaker] = {}

    def get(self, instance_id: str) -> CircuitBreaker:
        breaker = self._breakers.get(instance_id)
        if breaker is None:
            breaker = self._breakers[instance_id] = CircuitBreaker(
                self.clock,
                failure_threshold=self.failure_threshold,
                cooldown_seconds=self.cooldown_seconds,
            )
        return breaker

    def states(self) -> dict[str, str]:
        return {instance: breaker.state.value for instance, breaker in self._breakers.items()}
