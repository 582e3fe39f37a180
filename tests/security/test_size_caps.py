"""Issue 11, item 9: memory cannot be amplified. A request body over the limit is refused with 413
before it is parsed, in the embedded topology too (it used to parse 100 MB); a WebSocket frame over
the limit closes the socket in the protocol (uvicorn buffered 16 MiB frames). The per-user socket
cap is in tests/platform/test_websocket_auth.py; the cluster's body cap in
tests/cluster/test_login_abuse.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import APIRouter, WebSocket
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.cli import server_config
from agora.platform.config import Settings
from agora.platform.http import create_service_app
from agora.platform.realtime.ws import FrameError, receive_frame
from tests.support.waiting import eventually

MIB = 1024 * 1024


def _assert_too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    assert response.json()["status"] == "error"
    assert response.json()["error"]["code"] == "body_too_large"


async def test_a_declared_body_over_the_limit_is_refused_unread(client: httpx.AsyncClient) -> None:
    body = b'{"username": "' + b"a" * (2 * MIB) + b'", "password": "x"}'
    _assert_too_large(await client.post("/api/users/register", content=body))


async def test_a_chunked_body_over_the_limit_is_refused(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"username": "'
        for _ in range(40):
            yield b"a" * 64 * 1024
        yield b'"}'

    response = await client.post(
        "/api/users/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _assert_too_large(response)


async def test_a_body_under_the_limit_reaches_the_endpoint(client: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"username": "chunky", '
        yield b'"password": "correct horse battery staple"}'

    response = await client.post(
        "/api/users/register", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text


router = APIRouter()


@router.websocket("/frames")
async def frames(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        try:
            frame = await receive_frame(websocket)
        except FrameError as exc:
            await websocket.send_json({"error": exc.code})
            continue
        await websocket.send_json({"size": len(str(frame))})


@pytest.fixture
async def server() -> AsyncIterator[str]:
    """The demo app served with the configuration every Agora process uses."""
    app = create_service_app(service="demo", title="d", description="d", routers=[router])
    config = server_config(app, Settings(), port=0)
    config.loop = "asyncio"
    config.lifespan = "off"
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    await eventually(lambda: served.started or task.done(), what="uvicorn", interval=0.01)
    port = served.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"ws://127.0.0.1:{port}/frames"
    finally:
        served.should_exit = True
        await asyncio.wait_for(task, 10)


async def test_a_frame_over_the_limit_closes_the_socket_with_1009(server: str) -> None:
    async with connect(server, max_size=None) as socket:
        # Over the app's 64,000 characters but within the protocol's limit: an error frame.
        await socket.send('{"m": "' + "x" * 64_500 + '"}')
        assert "frame_too_large" in await asyncio.wait_for(socket.recv(), 5)
        await socket.send(b"x" * (256 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
