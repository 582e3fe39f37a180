"""Live publications are written to each socket from the fan-out's loop (decision 0036): in order,
with no task per delivery, and a socket whose sends stop completing (a client that stopped
reading) falls behind on its own, its buffer bounded, while the publisher and the other sockets
go on."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
from starlette.types import Message
from starlette.websockets import WebSocket

from agora.platform.realtime import Channel, Publication, serve_channel
from agora.platform.realtime.base import HubLimits
from agora.platform.realtime.memory import MemoryHub
from tests.support.waiting import eventually

WAIT = 5.0


class _Texts(Channel):
    def encode(self, publication: Publication, *, replayed: bool) -> str | None:
        return orjson.dumps({"n": publication.data["n"], "offset": publication.offset}).decode()


class _Client:
    """The ASGI side of one socket. With `stall_after`, its sends stop completing after that many
    frames, as when a client stops reading and the transport pauses."""

    def __init__(self, stall_after: int | None = None) -> None:
        self.frames: list[dict[str, Any]] = []
        self.stall_after = stall_after
        self.stalled = asyncio.Event()
        self._connected = False
        self._never = asyncio.Event()

    async def receive(self) -> Message:
        if not self._connected:
            self._connected = True
            return {"type": "websocket.connect"}
        await self._never.wait()
        return {"type": "websocket.disconnect", "code": 1000}

    async def send(self, message: Message) -> None:
        if message["type"] != "websocket.send":
            return
        if self.stall_after is not None and len(self.frames) >= self.stall_after:
            self.stalled.set()
            await self._never.wait()
        self.frames.append(orjson.loads(message["text"]))

    def live(self) -> list[int]:
        return [f["n"] for f in self.frames if "n" in f]


async def _serve(hub: MemoryHub, client: _Client) -> asyncio.Task[None]:
    websocket = WebSocket(
        {"type": "websocket", "path": "/", "headers": []}, client.receive, client.send
    )
    await websocket.accept()
    task = asyncio.create_task(serve_channel(websocket, _Texts("room:1"), hub=hub))
    await eventually(
        lambda: any(f.get("type") == "ready" for f in client.frames),
        what="ready",
        within=WAIT,
    )
    return task


async def test_each_socket_gets_every_publication_in_order() -> None:
    hub = MemoryHub()
    clients = [_Client() for _ in range(3)]
    tasks = [await _serve(hub, c) for c in clients]
    try:
        for n in range(20):
            await hub.publish("room:1", {"n": n})
        await eventually(
            lambda: all(c.live() == list(range(20)) for c in clients),
            what="every frame on every socket",
            within=WAIT,
        )
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_a_socket_that_stops_reading_falls_behind_alone() -> None:
    hub = MemoryHub(HubLimits(subscriber_buffer=4))
    reader, stalled = _Client(), _Client(stall_after=2)  # `ready`, one live frame, then stuck
    tasks = [await _serve(hub, reader), await _serve(hub, stalled)]
    try:
        for n in range(12):
            # The publisher never waits for the stuck socket.
            await asyncio.wait_for(hub.publish("room:1", {"n": n}), WAIT)
        await eventually(
            lambda: reader.live() == list(range(12)), what="the reader's frames", within=WAIT
        )
        assert stalled.stalled.is_set()
        assert stalled.live() == [0]
        # Its buffer filled (4 publications behind the send in flight) and its subscription
        # closed: memory stays bounded, and the others' deliveries go on.
        await eventually(
            lambda: hub.subscriber_count("room:1") == 1,
            what="the stalled socket's subscription overflows",
            within=WAIT,
        )
        await hub.publish("room:1", {"n": 12})
        await eventually(
            lambda: reader.live() == list(range(13)), what="the next frame", within=WAIT
        )
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
