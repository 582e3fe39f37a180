"""Subscribing with recovery: what a client missed since its last position, then live, in order,
with no gaps and no duplicates.

The subscription is opened *before* history is read, so nothing published between the two is lost;
live publications at or below the last replayed offset are dropped, so nothing is delivered twice.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from agora.platform.realtime.base import (
    Hub,
    Publication,
    StreamPosition,
    Subscription,
    deliver_through,
)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a (re)subscribing client gets first."""

    missed: list[Publication]
    position: StreamPosition
    reload: bool  # the history could not cover the gap: reload the state over HTTP


class RecoveredSubscription:
    """Live publications after the recovered position."""

    def __init__(self, inner: Subscription, after: StreamPosition) -> None:
        self.channel = inner.channel
        self._inner = inner
        self._after = after

    @property
    def closed_reason(self) -> str | None:
        return self._inner.closed_reason

    async def close(self) -> None:
        await self._inner.close()

    def _new(self, publication: Publication) -> bool:
        return publication.epoch != self._after.epoch or publication.offset > self._after.offset

    def deliver_to(
        self,
        receiver: Callable[[Publication], bool] | None,
        on_end: Callable[[], None] | None = None,
    ) -> None:
        if self._after.offset <= 0:
            # Nothing replayed (a fresh start, or from before the first publication): everything
            # is new, and the fan-out hands each publication to the receiver itself.
            self._inner.deliver_to(receiver, on_end)
            return
        deliver_through(self._inner, receiver, on_end, self._if_new)

    def _if_new(self, publication: Publication) -> Publication | None:
        return publication if self._new(publication) else None

    def resume(self) -> list[Publication]:
        while batch := self._inner.resume():
            batch = [p for p in batch if self._new(p)]
            if batch:
                return batch
        return []

    async def batch(self) -> list[Publication]:
        while batch := await self._inner.batch():
            epoch, offset = self._after.epoch, self._after.offset
            first = batch[0]
            if first.epoch == batch[-1].epoch and (first.epoch != epoch or first.offset > offset):
                return batch  # the usual case: offsets only grow, so nothing in it was replayed
            batch = [p for p in batch if p.epoch != epoch or p.offset > offset]
            if batch:
                return batch
        return []

    async def __aiter__(self) -> AsyncIterator[Publication]:
        while batch := await self.batch():
            for publication in batch:
                yield publication


async def subscribe_from(
    hub: Hub, channel: str, since: StreamPosition | None, *, limit: int | None = None
) -> tuple[RecoveredSubscription, Recovery]:
    """Subscribe to `channel`; recover what came after `since` (None: a fresh start, nothing to
    recover)."""
    inner = await hub.subscribe(channel)
    if since is None:
        # A fresh start drops nothing: whatever arrives after subscribing is new to this client.
        position = await hub.position(channel)
        nothing_seen = StreamPosition(0, "")
        return RecoveredSubscription(inner, nothing_seen), Recovery([], position, reload=False)
    page = await hub.history(channel, since=since, limit=limit)
    last = page.publications[-1].position if page.publications else page.position
    if not page.complete:
        last = page.position
    recovery = Recovery(page.publications, page.position, reload=not page.complete)
    return RecoveredSubscription(inner, last), recovery
