"""Pushed frames framed once and written straight to uvicorn's transport (decision 0051): the
client reads exactly what ASGI's `send` would have sent; a compressed connection, or a socket
that is gone, goes through (or stops at) ASGI as before."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory
from websockets.frames import Frame, Opcode

from agora.entrypoints.cluster import free_port
from agora.platform.realtime.prepared import text_frame
from agora.platform.realtime.sockets import LiveSocket

pytestmark = pytest.mark.timeout(30)

TEXTS = ["hello", "é" * 200, "x" * 70_000]  # the three length encodings of a frame header


def test_a_prepared_frame_is_what_websockets_writes_and_is_made_once_per_text() -> None:
    for text in TEXTS:
        expected = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
        assert text_frame(text) == expected
    shared = "".join(["same ", "text"])
    assert text_frame(shared) is text_frame(shared)
    assert text_frame("".join(["same ", "text"])) == text_frame(shared)


class Recorder:
    """An ASGI app that accepts, pushes `TEXTS` through a `LiveSocket`, then waits for the
    client to leave and tries once more."""

    def __init__(self) -> None:
        self.direct: list[bool] = []
        self.after_leaving: list[bool] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "websocket"
        assert (await receive())["type"] == "websocket.connect"
        socket = LiveSocket(send)
        await socket.send({"type": "websocket.accept"})
        self.direct.append(socket._direct is not None)
        for text in TEXTS:
            assert await socket.send_text(text)
        while (await receive())["type"] != "websocket.disconnect":
            pass
        self.after_leaving.append(await socket.send_text("anyone?"))


@contextlib.asynccontextmanager
async def _serving(app: Recorder, *, deflate: bool) -> AsyncIterator[str]:
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        lifespan="off",
        log_config=None,
        ws="websockets-sansio",
        ws_per_message_deflate=deflate,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started or task.done():
            break
        await asyncio.sleep(0.01)
    assert server.started, "uvicorn did not start"
    try:
        yield f"ws://127.0.0.1:{config.port}/"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


@pytest.mark.parametrize("deflate", [False, True])
async def test_the_client_reads_every_pushed_frame_and_a_gone_client_takes_none(
    deflate: bool,
) -> None:
    app = Recorder()
    extensions = [ClientPerMessageDeflateFactory()] if deflate else None
    async with _serving(app, deflate=deflate) as url:
        async with connect(url, extensions=extensions, compression=None) as client:
            received = [await client.recv() for _ in TEXTS]
        for _ in range(100):
            if app.after_leaving:
                break
            await asyncio.sleep(0.02)
    assert received == TEXTS
    # Prepared frames only where nothing was negotiated; compressed ones are framed per socket.
    assert app.direct == [not deflate]
    assert app.after_leaving == [False]
