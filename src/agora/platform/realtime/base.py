"""The hub port and its data: a channel is a numbered stream of JSON publications.

Channel names are `<kind>:<id>` (`room:12`, `poll:3`, `game:7`, `user:42`). Each publication gets
the next offset of its channel (1, 2, 3, ...). The epoch names one life of a channel's history: if
the history is lost (expired, store restarted) the epoch changes, and a client holding an old
position must reload instead of trusting offsets that now mean something else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class StreamPosition:
    """Where a client is in a channel: the last offset it has seen, in which epoch."""

    offset: int
    epoch: str


@dataclass(frozen=True, slots=True)
class Publication:
    """One message on a channel."""

    channel: str
    offset: int
    epoch: str
    data: dict[str, Any]
    # The publisher's W3C trace context (see `realtime.traced`), not part of the data.
    traceparent: str | None = None

    @property
    def position(self) -> StreamPosition:
        return StreamPosition(self.offset, self.epoch)


# Where `TracedHub` puts the publisher's trace context in a publication's stored data.
TRACE_KEY = "_traceparent"


def stored_publication(channel: str, offset: int, epoch: str, data: dict[str, Any]) -> Publication:
    """A publication as a hub makes it from what it stored: the trace context `TracedHub` put in
    the data moves to `traceparent`, once per publication for every subscriber and history reader
    (so no layer between the fan-out and the sockets looks at each delivery, decision 0045).
    `data` is the hub's own copy, changed in place."""
    traceparent = data.pop(TRACE_KEY, None) if TRACE_KEY in data else None
    return Publication(
        channel,
        offset,
        epoch,
        data,
        traceparent=traceparent if isinstance(traceparent, str) else None,
    )


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """Publications after a position, oldest first. `complete` is False when the history no longer
    reaches back to the position (or the epoch changed): the client must reload over HTTP."""

    publications: list[Publication]
    position: StreamPosition
    complete: bool = True


class Subscription(Protocol):
    """Live publications of one channel from the moment of subscribing, in offset order.

    Iteration ends when the subscription is closed: by `close()`, by the hub closing, or because the
    subscriber fell too far behind (`closed_reason == "overflow"`: reconnect and recover).
    """

    channel: str

    def __aiter__(self) -> AsyncIterator[Publication]: ...

    async def batch(self) -> list[Publication]:
        """What arrived since the last call, in offset order, waiting for at least one; empty once
        the subscription has ended. One wake-up takes everything pending (the socket's loop)."""
        ...

    def deliver_to(
        self,
        receiver: Callable[[Publication], bool] | None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        """Push each publication to `receiver` from the fan-out's loop instead (None: pull again).
        `receiver` returns False while it is busy with one; what arrives meanwhile is buffered
        (bounded: overflow closes the subscription) until `resume()`. `on_end` is called when the
        subscription closes. A receiver starts busy: take what was buffered with `resume()`."""
        ...

    def resume(self) -> list[Publication]:
        """What was buffered while the receiver was busy; [] once nothing was, and the receiver is
        free again."""
        ...

    async def close(self) -> None: ...

    @property
    def closed_reason(self) -> str | None: ...


def deliver_through(
    inner: Subscription,
    receiver: Callable[[Publication], bool] | None,
    on_end: Callable[[], None] | None,
    through: Callable[[Publication], Publication | None],
) -> None:
    """`deliver_to` of a subscription that wraps `inner`: each publication `inner` pushes goes to
    `receiver` as `through` makes it, or is skipped (the receiver stays free) when `through` gives
    None."""
    if receiver is None:
        inner.deliver_to(None, on_end)
        return

    def receive(publication: Publication) -> bool:
        passed = through(publication)
        return True if passed is None else receiver(passed)

    inner.deliver_to(receive, on_end)


class Hub(Protocol):
    """Publish, subscribe, read history, and track presence. Implementations: `MemoryHub`,
    `RedisHub`."""

    async def publish(self, channel: str, data: dict[str, Any]) -> Publication:
        """Append to the channel's history and deliver to every subscriber on every instance."""
        ...

    async def history(
        self, channel: str, *, since: StreamPosition | None = None, limit: int | None = None
    ) -> HistoryPage:
        """After `since` (all of it, or `complete=False`); with no `since`, the newest `limit`."""
        ...

    async def position(self, channel: str) -> StreamPosition:
        """The channel's newest offset (0 when empty) and its epoch."""
        ...

    async def subscribe(self, channel: str) -> Subscription:
        """Live publications from now on."""
        ...

    async def join(self, channel: str, client_id: str, info: dict[str, Any]) -> None:
        """Mark a connection present in the channel (`client_id` is per connection)."""
        ...

    async def leave(self, channel: str, client_id: str) -> None:
        """Remove a connection from the channel's presence."""
        ...

    async def presence(self, channel: str) -> dict[str, dict[str, Any]]:
        """Who is present: client id → the info given at `join`."""
        ...

    async def close(self) -> None:
        """End every subscription and release connections."""
        ...


@dataclass
class HubLimits:
    """How much a hub keeps and buffers."""

    history_size: int = 200
    history_ttl_seconds: int = 86_400
    subscriber_buffer: int = 1_000
    presence_ttl_seconds: int = 60
    extra: dict[str, Any] = field(default_factory=dict)
