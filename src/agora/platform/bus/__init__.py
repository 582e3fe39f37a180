"""Events between services: an envelope, a bus (in memory or Redis Streams), a transactional outbox
that publishes after commit, and an inbox that makes consumers idempotent."""

from agora.platform.bus.base import EventBus, EventHandler
from agora.platform.bus.event import Event

__all__ = ["Event", "EventBus", "EventHandler"]
