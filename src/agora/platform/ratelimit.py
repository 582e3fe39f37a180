"""The rate-limit port: moving-window counters by key, in process or in Redis (shared by every
replica).

The one exception to "time is injected": the `limits` library reads the wall clock itself, so tests
of window expiry wait in real time (about a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class RateLimiterUnavailable(Exception):
    """The limiter's store cannot be reached; the caller decides whether to fail open or closed."""


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `amount` hits per `seconds`."""

    amount: int
    seconds: int


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """Where a key stands against a limit."""

    allowed: bool
    limit: int
    remaining: int
    reset_after: float  # seconds until the oldest hit leaves the window


class RateLimiter(Protocol):
    """Implementations: `MemoryRateLimiter`, `RedisRateLimiter` (both on the `limits` library)."""

    async def hit(self, key: str, limit: RateLimit, cost: int = 1) -> RateLimitState:
        """Count a hit if it fits; `allowed` says whether it did."""
        ...

    async def peek(self, key: str, limit: RateLimit) -> RateLimitState:
        """Where the key stands, without counting a hit."""
        ...

    async def reset(self, key: str, limit: RateLimit) -> None:
        """Forget the key's hits."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...
