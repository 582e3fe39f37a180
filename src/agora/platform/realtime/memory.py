"""The in-process hub of the embedded topology."""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import orjson

from agora.platform.realtime.base import (
    HistoryPage,
    HubLimits,
    Publication,
    StreamPosition,
    stored_publication,
)
from agora.platform.realtime.fanout import LocalFanout, QueueSubscription


@dataclass
class _Channel:
    epoch: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    offset: int = 0
    history: deque[Publication] = field(default_factory=deque)
    presence: dict[str, dict[str, Any]] = field(default_factory=dict)


class MemoryHub:
    """A `Hub` inside one process. Data is JSON round-tripped like it would be over Redis."""

    def __init__(self, limits: HubLimits | None = None) -> None:
        self.limits = limits or HubLimits()
        self._channels: dict[str, _Channel] = {}
        self._fanout = LocalFanout(self.limits.subscriber_buffer)

    def _channel(self, name: str) -> _Channel:
        channel = self._channels.get(name)
        if channel is None:
            channel = self._channels[name] = _Channel(
                history=deque(maxlen=self.limits.history_size)
            )
        return channel

    async def publish(self, channel: str, data: dict[str, Any]) -> Publication:
        state = self._channel(channel)
        state.offset += 1
        publication = stored_publication(
            channel, state.offset, state.epoch, orjson.loads(orjson.dumps(data))
        )
        state.history.append(publication)
        self._fanout.deliver(publication)
        return publication

    async def history(
        self, channel: str, *, since: StreamPosition | None = None, limit: int | None = None
    ) -> HistoryPage:
        state = self._channel(channel)
        position = StreamPosition(state.offset, state.epoch)
        retained = list(state.history)
        if since is None:
            tail = retained[-limit:] if limit else retained
            return HistoryPage(tail, position)
        if since.epoch != state.epoch or since.offset > state.offset:
            return HistoryPage([], position, complete=False)
        missed = [p for p in retained if p.offset > since.offset]
        oldest = retained[0].offset if retained else state.offset + 1
        complete = since.offset >= oldest - 1
        if limit is not None and len(missed) > limit:
            return HistoryPage([], position, complete=False)
        return HistoryPage(missed if complete else [], position, complete)

    async def position(self, channel: str) -> StreamPosition:
        state = self._channel(channel)
        return StreamPosition(state.offset, state.epoch)

    async def subscribe(self, channel: str) -> QueueSubscription:
        return self._fanout.add(channel)

    async def join(self, channel: str, client_id: str, info: dict[str, Any]) -> None:
        self._channel(channel).presence[client_id] = orjson.loads(orjson.dumps(info))

    async def leave(self, channel: str, client_id: str) -> None:
        self._channel(channel).presence.pop(client_id, None)

    async def presence(self, channel: str) -> dict[str, dict[str, Any]]:
        return dict(self._channel(channel).presence)

    async def close(self) -> None:
        self._fanout.close_all()

    def subscriber_count(self, channel: str) -> int:
        return self._fanout.subscriber_count(channel)
