"""Trace context through the hub: a publication made while a span is current carries its
`traceparent` (in the stored data, under a reserved key), so the push of that frame to a socket,
on whichever instance holds the socket, is a span of the same trace. Subscribers and history
readers see the data without the key."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from typing import Any

from agora.platform.realtime.base import (
    HistoryPage,
    Hub,
    Publication,
    StreamPosition,
    Subscription,
    deliver_through,
)
from agora.platform.tracing import current_traceparent

TRACE_KEY = "_traceparent"


def _carried(publication: Publication) -> Publication:
    if TRACE_KEY not in publication.data:
        return publication
    data = dict(publication.data)
    traceparent = data.pop(TRACE_KEY)
    return Publication(
        publication.channel,
        publication.offset,
        publication.epoch,
        data,
        traceparent=traceparent if isinstance(traceparent, str) else None,
    )


# Publications recently carried for live subscribers: every subscriber of a channel gets the same
# publication, which is converted once rather than copied for each of them.
_CARRIED_CACHE_SIZE = 256


class _Carried:
    """`_carried` of each live publication once, shared by the subscriptions of one hub."""

    def __init__(self) -> None:
        self._recent: OrderedDict[tuple[str, str, int], Publication] = OrderedDict()

    def __call__(self, publication: Publication) -> Publication:
        if TRACE_KEY not in publication.data:
            return publication
        key = (publication.channel, publication.epoch, publication.offset)
        carried = self._recent.get(key)
        if carried is None:
            carried = self._recent[key] = _carried(publication)
            if len(self._recent) > _CARRIED_CACHE_SIZE:
                self._recent.popitem(last=False)
        return carried


class _TracedSubscription:
    def __init__(self, inner: Subscription, carried: _Carried) -> None:
        self.channel = inner.channel
        self._inner = inner
        self._carry = carried

    @property
    def closed_reason(self) -> str | None:
        return self._inner.closed_reason

    async def close(self) -> None:
        await self._inner.close()

    async def batch(self) -> list[Publication]:
        return [self._carry(publication) for publication in await self._inner.batch()]

    def deliver_to(
        self,
        receiver: Callable[[Publication], bool] | None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        deliver_through(self._inner, receiver, on_end, self._carry)

    def resume(self) -> list[Publication]:
        return [self._carry(publication) for publication in self._inner.resume()]

    async def __aiter__(self) -> AsyncIterator[Publication]:
        while batch := await self.batch():
            for publication in batch:
                yield publication


class TracedHub:
    """A `Hub` that carries the publisher's trace context to the sockets."""

    def __init__(self, inner: Hub) -> None:
        self.inner = inner
        self._carried = _Carried()

    async def publish(self, channel: str, data: dict[str, Any]) -> Publication:
        traceparent = current_traceparent()
        if traceparent is not None:
            data = {**data, TRACE_KEY: traceparent}
        return _carried(await self.inner.publish(channel, data))

    async def history(
        self, channel: str, *, since: StreamPosition | None = None, limit: int | None = None
    ) -> HistoryPage:
        page = await self.inner.history(channel, since=since, limit=limit)
        return HistoryPage([_carried(p) for p in page.publications], page.position, page.complete)

    async def position(self, channel: str) -> StreamPosition:
        return await self.inner.position(channel)

    async def subscribe(self, channel: str) -> Subscription:
        return _TracedSubscription(await self.inner.subscribe(channel), self._carried)

    async def join(self, channel: str, client_id: str, info: dict[str, Any]) -> None:
        await self.inner.join(channel, client_id, info)

    async def leave(self, channel: str, client_id: str) -> None:
        await self.inner.leave(channel, client_id)

    async def presence(self, channel: str) -> dict[str, dict[str, Any]]:
        return await self.inner.presence(channel)

    async def close(self) -> None:
        await self.inner.close()
