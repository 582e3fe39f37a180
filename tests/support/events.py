"""Capture the events a platform publishes, to assert on them."""

from __future__ import annotations

import uuid

from agora.entrypoints.embedded import Platform
from agora.platform.bus.event import Event


class EventLog:
    """Every event of the given types that reaches the bus, in order."""

    def __init__(self, platform: Platform, *types: str) -> None:
        self.platform = platform
        self.events: list[Event] = []
        platform.bus.subscribe(f"test-capture-{uuid.uuid4().hex[:8]}", types, self._record)

    async def _record(self, event: Event) -> None:
        self.events.append(event)

    async def of_type(self, event_type: str) -> list[Event]:
        await self.platform.settle()
        return [e for e in self.events if e.type == event_type]
