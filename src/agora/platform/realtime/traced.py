"""Trace context through the hub: a publication made while a span is current carries its
`traceparent` (in the stored data, under a reserved key), so the push of that frame to a socket,
on whichever instance holds the socket, is a span of the same trace. The hubs take the key out of
the data as they make each publication (`base.stored_publication`): subscribers and history
readers see the data without it, and the trace context in `Publication.traceparent`."""

from __future__ import annotations

from typing import Any

from agora.platform.realtime.base import (
    TRACE_KEY,
    HistoryPage,
    Hub,
    Publication,
    StreamPosition,
    Subscription,
)
from agora.platform.tracing import current_traceparent

__all__ = ["TRACE_KEY", "TracedHub"]


class TracedHub:
    """A `Hub` that carries the publisher's trace context to the sockets."""

    def __init__(self, inner: Hub) -> None:
        self.inner = inner

    async def publish(self, channel: str, data: dict[str, Any]) -> Publication:
        traceparent = current_traceparent()
        if traceparent is not None:
            data = {**data, TRACE_KEY: traceparent}
        return await self.inner.publish(channel, data)

    async def history(
        self, channel: str, *, since: StreamPosition | None = None, limit: int | None = None
    ) -> HistoryPage:
        return await self.inner.history(channel, since=since, limit=limit)

    async def position(self, channel: str) -> StreamPosition:
        return await self.inner.position(channel)

    async def subscribe(self, channel: str) -> Subscription:
        # The inner hub's own subscription: no layer per delivery (decision 0045).
        return await self.inner.subscribe(channel)

    async def join(self, channel: str, client_id: str, info: dict[str, Any]) -> None:
        await self.inner.join(channel, client_id, info)

    async def leave(self, channel: str, client_id: str) -> None:
        await self.inner.leave(channel, client_id)

    async def presence(self, channel: str) -> dict[str, dict[str, Any]]:
        return await self.inner.presence(channel)

    async def close(self) -> None:
        await self.inner.close()
