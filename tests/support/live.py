"""A real server for tests that need real sockets (WebSockets): uvicorn inside the test's event
loop, on a free port, and a small JSON WebSocket client with timeouts."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import orjson
import uvicorn
from starlette.types import ASGIApp
from websockets.asyncio.client import ClientConnection, connect

from tests.support.waiting import eventually


@contextlib.asynccontextmanager
async def live_server(app: ASGIApp) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1; yields `host:port`. The app's lifespan is the caller's business."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        lifespan="off",
        log_config=None,
        access_log=False,
        ws="websockets-sansio",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    await eventually(lambda: server.started or task.done(), what="uvicorn to start", interval=0.01)
    if not server.started:
        task.result()  # raises why it could not start
        raise AssertionError("uvicorn stopped before it started serving")
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


class JsonSocket:
    """A WebSocket client speaking JSON frames."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, frame: dict[str, Any]) -> None:
        await self.connection.send(orjson.dumps(frame).decode())

    async def send_raw(self, text: str) -> None:
        await self.connection.send(text)

    async def receive(self, within: float = 5.0) -> dict[str, Any]:
        raw = await asyncio.wait_for(self.connection.recv(), within)
        frame = orjson.loads(raw)
        assert isinstance(frame, dict)
        return frame

    async def receive_until(self, frame_type: str, within: float = 5.0) -> dict[str, Any]:
        """Skip frames until one of `frame_type` arrives."""
        deadline = asyncio.get_running_loop().time() + within
        while True:
            left = deadline - asyncio.get_running_loop().time()
            frame = await self.receive(max(left, 0.01))
            if frame.get("type") == frame_type:
                return frame

    async def nothing_within(self, seconds: float) -> bool:
        """True when no frame arrives within `seconds`."""
        try:
            await asyncio.wait_for(self.connection.recv(), seconds)
        except TimeoutError:
            return True
        return False

    async def close(self) -> None:
        await self.connection.close()


@contextlib.asynccontextmanager
async def ws_connect(url: str) -> AsyncIterator[JsonSocket]:
    async with connect(url, open_timeout=5, close_timeout=2) as connection:
        yield JsonSocket(connection)
