"""Local fan-out: deliver a publication to every subscription this process holds for its channel.
Shared by both hubs (the Redis hub feeds it from pub/sub).

A delivery is the cost every subscriber pays for every message. A subscription is read one of two
ways: pulled (`batch()`, `async for`): the (shared, immutable) publication is appended to the
subscriber's bounded buffer and a waiting reader is woken once, taking everything buffered in one
`batch()`; or pushed (`deliver_to(receiver)`): the fan-out's loop hands each publication to the
receiver at once, and while the receiver is busy (it returned False) publications wait in the same
bounded buffer for its `resume()`. Either way a reader that falls `buffer` publications behind is
closed ("overflow") rather than stalling the others or growing without bound.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable

from agora.platform.realtime.base import Publication


class QueueSubscription:
    """A subscription backed by a bounded buffer; closed on overflow so a slow reader never stalls
    publishers or grows memory without bound."""

    __slots__ = (
        "_buffer",
        "_closed_reason",
        "_held",
        "_on_close",
        "_on_end",
        "_pending",
        "_receiver",
        "_waiter",
        "channel",
    )

    def __init__(
        self, channel: str, buffer: int, on_close: Callable[[QueueSubscription], None]
    ) -> None:
        self.channel = channel
        self._pending: deque[Publication] = deque()
        self._buffer = buffer
        self._on_close = on_close
        self._closed_reason: str | None = None
        self._waiter: asyncio.Future[None] | None = None
        self._receiver: Callable[[Publication], bool] | None = None
        self._on_end: Callable[[], None] | None = None
        self._held = False

    @property
    def closed_reason(self) -> str | None:
        return self._closed_reason

    def deliver(self, publication: Publication) -> None:
        if self._closed_reason is not None:
            return
        receiver = self._receiver
        if receiver is not None and not self._held:
            if not receiver(publication):
                self._held = True  # busy: buffer until it resumes
            return
        if len(self._pending) >= self._buffer:
            self._finish("overflow")
            return
        self._pending.append(publication)
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _finish(self, reason: str) -> None:
        if self._closed_reason is not None:
            return
        self._closed_reason = reason
        self._wake()
        self._on_close(self)
        if self._on_end is not None:
            self._on_end()

    async def close(self) -> None:
        self._finish("closed")

    def close_nowait(self, reason: str) -> None:
        self._finish(reason)

    def deliver_to(
        self,
        receiver: Callable[[Publication], bool] | None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        """Push publications to `receiver` as they are delivered (None: back to pulling). It returns
        True when it is free for the next one, False while it is busy with this one; it starts
        busy, so what was buffered before is taken first with `resume()`. `on_end` is called when
        the subscription closes."""
        self._receiver = receiver
        self._on_end = on_end
        self._held = receiver is not None

    def resume(self) -> list[Publication]:
        """For a busy receiver: what was buffered meanwhile (the receiver stays busy with it), or,
        when nothing was, [] and the receiver gets the next publication directly."""
        if self._pending:
            taken = list(self._pending)
            self._pending.clear()
            return taken
        self._held = False
        return []

    async def batch(self) -> list[Publication]:
        """Everything delivered since the last call, oldest first, waiting for at least one; empty
        once the subscription is closed and what was delivered before has been taken."""
        while not self._pending:
            if self._closed_reason is not None:
                return []
            waiter = self._waiter
            if waiter is None or waiter.done():
                waiter = self._waiter = asyncio.get_running_loop().create_future()
            await waiter
        taken = list(self._pending)
        self._pending.clear()
        return taken

    async def __aiter__(self) -> AsyncIterator[Publication]:
        while batch := await self.batch():
            for publication in batch:
                yield publication


class LocalFanout:
    """Subscriptions by channel, and delivery to them."""

    def __init__(
        self,
        buffer: int,
        on_first: Callable[[str], None] | None = None,
        on_last: Callable[[str], None] | None = None,
    ) -> None:
        self._buffer = buffer
        # A dict as an ordered set: delivery goes in subscription order.
        self._by_channel: dict[str, dict[QueueSubscription, None]] = {}
        self._on_first = on_first
        self._on_last = on_last

    def add(self, channel: str) -> QueueSubscription:
        subscription = QueueSubscription(channel, self._buffer, self._remove)
        subscribers = self._by_channel.setdefault(channel, {})
        first = not subscribers
        subscribers[subscription] = None
        if first and self._on_first is not None:
            self._on_first(channel)
        return subscription

    def _remove(self, subscription: QueueSubscription) -> None:
        subscribers = self._by_channel.get(subscription.channel)
        if subscribers is None:
            return
        subscribers.pop(subscription, None)
        if not subscribers:
            del self._by_channel[subscription.channel]
            if self._on_last is not None:
                self._on_last(subscription.channel)

    def deliver(self, publication: Publication) -> None:
        subscribers = self._by_channel.get(publication.channel)
        if subscribers:
            # A copy: an overflowing subscriber removes itself while the loop runs.
            for subscription in tuple(subscribers):
                subscription.deliver(publication)

    def channels(self) -> list[str]:
        return list(self._by_channel)

    def subscriber_count(self, channel: str) -> int:
        return len(self._by_channel.get(channel, ()))

    def close_all(self, reason: str = "hub_closed") -> None:
        for subscribers in list(self._by_channel.values()):
            for subscription in list(subscribers):
                subscription.close_nowait(reason)
