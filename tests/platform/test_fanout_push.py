"""Live publications are written to each socket from the fan-out's loop (decision 0036): in order,
with no task per delivery, and a socket whose sends stop completing (a client that stopped
reading) falls behind on its own, its buffer bounded, while the publisher and the other sockets
go on. Each runs with the socket's handle in the live-socket registry (frames go straight to it)
and without (through Starlette's `WebSocket.send`)."""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest
from starlette.types import Message
from starlette.websockets import WebSocket

from agora.platform.realtime import Channel, Publication, serve_channel
from agora.platform.realtime.base import HubLimits
from agora.platform.realtime.memory import MemoryHub
from agora.platform.realtime.sockets import SCOPE_KEY, LiveSocket
from tests.support.waiting import eventually

WAIT = 5.0


class _Texts(Channel):
    def encode(self, publication: Publication, *, replayed: bool) -> str | None:
        return orjson.dumps({"n": publication.data["n"], "offset": publication.offset}).decode()


class _Client:
    """The ASGI side of one socket. With `stall_after`, its sends stop completing after that many
    frames, as when a client stops reading and the transport pauses."""

    def __init__(self, stall_after: int | None = None, gone_after: int | None = None) -> None:
        self.frames: list[dict[str, Any]] = []
        self.stall_after = stall_after
        self.gone_after = gone_after
        self.stalled = asyncio.Event()
        # While set, a frame with a "held" field waits in `send` until the gate opens.
        self.gate: asyncio.Event | None = None
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
        if self.gate is not None and '"held"' in message["text"]:
            await self.gate.wait()
        if self.stall_after is not None and len(self.frames) >= self.stall_after:
            self.stalled.set()
            await self._never.wait()
        if self.gone_after is not None and len(self.frames) >= self.gone_after:
            raise ConnectionResetError("the client has gone")  # as uvicorn's send raises then
        self.frames.append(orjson.loads(message["text"]))

    def live(self) -> list[int]:
        return [f["n"] for f in self.frames if "n" in f]


@pytest.fixture(params=[True, False], ids=["registry", "starlette"])
def registry(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


async def _serve(
    hub: MemoryHub, client: _Client, registry: bool, live: LiveSocket | None = None
) -> asyncio.Task[None]:
    scope: dict[str, Any] = {"type": "websocket", "path": "/", "headers": []}
    send = client.send
    if registry:  # as `LiveSocketsMiddleware` hands the socket to the app
        live = live or LiveSocket(client.send)
        scope[SCOPE_KEY] = live
        send = live.send
    websocket = WebSocket(scope, client.receive, send)
    await websocket.accept()
    task = asyncio.create_task(serve_channel(websocket, _Texts("room:1"), hub=hub))
    await eventually(
        lambda: any(f.get("type") == "ready" for f in client.frames),
        what="ready",
        within=WAIT,
    )
    return task


async def test_each_socket_gets_every_publication_in_order(registry: bool) -> None:
    hub = MemoryHub()
    clients = [_Client() for _ in range(3)]
    tasks = [await _serve(hub, c, registry) for c in clients]
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


async def test_a_socket_that_stops_reading_falls_behind_alone(registry: bool) -> None:
    hub = MemoryHub(HubLimits(subscriber_buffer=4))
    reader, stalled = _Client(), _Client(stall_after=2)  # `ready`, one live frame, then stuck
    tasks = [await _serve(hub, reader, registry), await _serve(hub, stalled, registry)]
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


async def test_a_client_that_has_gone_ends_its_socket_alone(registry: bool) -> None:
    hub = MemoryHub()
    reader, gone = _Client(), _Client(gone_after=3)  # `ready`, two live frames, then gone
    tasks = [await _serve(hub, reader, registry), await _serve(hub, gone, registry)]
    try:
        for n in range(6):
            await asyncio.wait_for(hub.publish("room:1", {"n": n}), WAIT)
        await eventually(
            lambda: reader.live() == list(range(6)), what="the reader's frames", within=WAIT
        )
        # The gone client's conversation ends at the failed send: its subscription is removed
        # and nothing more is written to it.
        await asyncio.wait_for(tasks[1], WAIT)
        assert gone.live() == [0, 1]
        assert hub.subscriber_count("room:1") == 1
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_frames_stop_once_the_server_ends_the_socket() -> None:
    """A socket the registry ends (its session ended) takes no frame after the close frame."""
    hub = MemoryHub()
    client = _Client()
    live = LiveSocket(client.send)
    task = await _serve(hub, client, registry=True, live=live)
    try:
        await hub.publish("room:1", {"n": 0})
        await eventually(lambda: client.live() == [0], what="the first frame", within=WAIT)
        await live.end(4401, "This session has ended; sign in again")
        # Each publication is written from the publisher's own call (or buffered behind a send
        # in flight): once `publish` returns, a frame for this socket would have gone out.
        await hub.publish("room:1", {"n": 1})
        await hub.publish("room:1", {"n": 2})
        assert client.live() == [0]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_push_waits_for_the_send_in_flight_on_its_socket() -> None:
    """A frame the fan-out pushes while another send holds the socket (an answer to the client
    whose write has to wait) goes out after it, and the frames after it keep their order."""
    hub = MemoryHub()
    client = _Client()
    client.gate = asyncio.Event()
    live = LiveSocket(client.send)
    task = await _serve(hub, client, registry=True, live=live)
    try:
        held = asyncio.create_task(live.send_text('{"held": true}'))
        await asyncio.sleep(0)  # it holds the socket, its write waiting
        for n in range(5):
            await asyncio.wait_for(hub.publish("room:1", {"n": n}), WAIT)
        assert client.live() == []
        client.gate.set()
        assert await asyncio.wait_for(held, WAIT)
        await eventually(lambda: client.live() == list(range(5)), what="the frames", within=WAIT)
        assert [f.get("n", "held") for f in client.frames if "n" in f or "held" in f] == [
            "held",
            *range(5),
        ]
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
