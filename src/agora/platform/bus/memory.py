"""The in-memory bus of the embedded topology. Events are JSON round-tripped on the way through, so
a payload that would not survive the real bus fails here too. Each consumer group has its own
queue and worker: delivery is in publish order, and a failing handler is retried with backoff."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Collection
from dataclasses import dataclass, field

import structlog

from agora.platform.bus.base import EventHandler
from agora.platform.bus.event import Event
from agora.platform.db import mark_background_writer

log = structlog.get_logger("agora.bus.memory")


@dataclass
class _Group:
    name: str
    types: frozenset[str]
    handler: EventHandler
    queue: asyncio.Queue[bytes] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None


class InMemoryBus:
    """An `EventBus` inside one process."""

    def __init__(self, *, max_attempts: int = 5, retry_delay: float = 0.05) -> None:
        self._groups: dict[str, _Group] = {}
        self._max_attempts = max_attempts
        self._retry_delay = retry_delay
        self._running = False
        self.dead_letters: list[Event] = []

    def subscribe(self, group: str, event_types: Collection[str], handler: EventHandler) -> None:
        if group in self._groups:
            raise ValueError(f"consumer group {group!r} is already subscribed")
        self._groups[group] = _Group(group, frozenset(event_types), handler)
        if self._running:
            self._start_group(self._groups[group])

    async def publish(self, event: Event) -> None:
        data = event.to_json()
        for group in self._groups.values():
            if event.type in group.types:
                group.queue.put_nowait(data)

    def _start_group(self, group: _Group) -> None:
        group.task = asyncio.create_task(self._work(group), name=f"bus-{group.name}")

    async def start(self) -> None:
        self._running = True
        for group in self._groups.values():
            if group.task is None:
                self._start_group(group)

    async def stop(self) -> None:
        self._running = False
        for group in self._groups.values():
            if group.task is not None:
                group.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await group.task
                group.task = None

    async def drain(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - same as RedisStreamBus
        """Wait until every queued event has been handled (tests and orderly shutdown)."""
        joins = [group.queue.join() for group in self._groups.values()]
        await asyncio.wait_for(asyncio.gather(*joins), timeout)

    async def _work(self, group: _Group) -> None:
        mark_background_writer()  # a consumer's writes queue behind requests' (SQLite)
        while True:
            data = await group.queue.get()
            try:
                await self._deliver(group, Event.from_json(data))
            finally:
                group.queue.task_done()

    async def _deliver(self, group: _Group, event: Event) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await group.handler(event)
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "event_handler_failed",
                    group=group.name,
                    event_id=event.id,
                    type=event.type,
                    attempt=attempt,
                )
                await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
        log.error("event_dead_lettered", group=group.name, event_id=event.id, type=event.type)
        self.dead_letters.append(event)
