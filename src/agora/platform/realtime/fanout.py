"""Local fan-out: deliver a publication to every subscription this process holds for its channel.
Shared by both hubs (the Redis hub feeds it from pub/sub)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import cast

from agora.platform.realtime.base import Publication

_CLOSED = object()


class QueueSubscription:
    """A subscription backed by a bounded queue; closed on overflow so a slow reader never stalls
    publishers or grows memory without bound."""

    def __init__(
        self, channel: str, buffer: int, on_close: Callable[[QueueSubscription], None]
    ) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[Publication | object] = asyncio.Queue(maxsize=buffer + 1)
        self._buffer = buffer
        self._on_close = on_close
        self._closed_reason: str | None = None

    @property
    def closed_reason(self) -> str | None:
        return self._closed_reason

    def deliver(self, publication: Publication) -> None:
        if self._closed_reason is not None:
            return
        if self._queue.qsize() >= self._buffer:
            self._finish("overflow")
            return
        self._queue.put_nowait(publication)

    def _finish(self, reason: str) -> None:
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        self._queue.put_nowait(_CLOSED)
        self._on_close(self)

    async def close(self) -> None:
        self._finish("closed")

    def close_nowait(self, reason: str) -> None:
        self._finish(reason)

    async def __aiter__(self) -> AsyncIterator[Publication]:
        while True:
            item = await self._queue.get()
            if item is _CLOSED:
                return
            yield cast(Publication, item)


class LocalFanout:
    """Subscriptions by channel, and delivery to them."""

    def __init__(
        self,
        buffer: int,
        on_first: Callable[[str], None] | None = None,
        on_last: Callable[[str], None] | None = None,
    ) -> None:
        self._buffer = buffer
        self._by_channel: dict[str, set[QueueSubscription]] = {}
        self._on_first = on_first
        self._on_last = on_last

    def add(self, channel: str) -> QueueSubscription:
        subscription = QueueSubscription(channel, self._buffer, self._remove)
        subscribers = self._by_channel.setdefault(channel, set())
        first = not subscribers
        subscribers.add(subscription)
        if first and self._on_first is not None:
            self._on_first(channel)
        return subscription

    def _remove(self, subscription: QueueSubscription) -> None:
        subscribers = self._by_channel.get(subscription.channel)
        if subscribers is None:
            return
        subscribers.discard(subscription)
        if not subscribers:
            del self._by_channel[subscription.channel]
            if self._on_last is not None:
                self._on_last(subscription.channel)

    def deliver(self, publication: Publication) -> None:
        for subscription in list(self._by_channel.get(publication.channel, ())):
            subscription.deliver(publication)

    def channels(self) -> list[str]:
        return list(self._by_channel)

    def subscriber_count(self, channel: str) -> int:
        return len(self._by_channel.get(channel, ()))

    def close_all(self, reason: str = "hub_closed") -> None:
        for subscribers in list(self._by_channel.values()):
            for subscription in list(subscribers):
                subscription.close_nowait(reason)
