"""The event bus port. Delivery is at least once; within a consumer group, events of one type arrive
in publish order (Redis Streams keeps one stream per type, so there is no order across types); a
group's handler is retried on failure. Effects are made exactly once by the inbox
(`agora.platform.bus.inbox`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Protocol

from agora.platform.bus.event import Event

EventHandler = Callable[[Event], Awaitable[None]]


class EventBus(Protocol):
    """Publish events; deliver each to every consumer group subscribed to its type."""

    async def publish(self, event: Event) -> None:
        """Hand an event to the bus; returns once the bus holds it durably (as durable as the
        backend)."""
        ...

    def subscribe(self, group: str, event_types: Collection[str], handler: EventHandler) -> None:
        """Deliver events of `event_types` to `handler`, once per group (one consumer of the
        group)."""
        ...

    async def start(self) -> None:
        """Begin delivering to subscribers."""
        ...

    async def stop(self) -> None:
        """Stop delivering; in-flight handlers finish or are abandoned for redelivery."""
        ...
