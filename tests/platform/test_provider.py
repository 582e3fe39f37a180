"""What an app is built with reaches its endpoints by type, over HTTP and WebSocket alike."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import httpx
import pytest
from fastapi import APIRouter, Depends, WebSocket

from agora.platform.deps import (
    HUB,
    Key,
    provide_as,
    provided,
    provider,
    registered,
)
from agora.platform.http import create_service_app
from agora.platform.realtime.memory import MemoryHub
from tests.support.live import live_server, ws_connect


class Greeter:
    def __init__(self, greeting: str) -> None:
        self.greeting = greeting


class Counter:
    def __init__(self) -> None:
        self.count = 0


GREETING: Key[str] = Key("greeting")
TheGreeter = Annotated[Greeter, Depends(provider(Greeter))]
TheCounter = Annotated[Counter, Depends(provider(Counter))]

router = APIRouter()


@router.get("/hello")
async def hello(greeter: TheGreeter, counter: TheCounter) -> dict[str, str | int]:
    counter.count += 1
    return {"greeting": greeter.greeting, "count": counter.count}


@router.get("/keyed")
async def keyed(greeting: Annotated[str, Depends(provider(GREETING))]) -> dict[str, str]:
    return {"greeting": greeting}


@router.get("/unregistered")
async def unregistered(hub: Annotated[MemoryHub, Depends(provider(MemoryHub))]) -> None:
    raise AssertionError("never reached")


@router.websocket("/hello")
async def hello_socket(websocket: WebSocket, greeter: TheGreeter) -> None:
    await websocket.accept()
    hub = provided(websocket, HUB)
    await websocket.send_json({"greeting": greeter.greeting, "hub": type(hub).__name__})
    await websocket.close()


@pytest.fixture
def app_parts() -> tuple[Greeter, Counter, MemoryHub]:
    return Greeter("hello"), Counter(), MemoryHub()


@pytest.fixture
async def client(
    app_parts: tuple[Greeter, Counter, MemoryHub],
) -> AsyncIterator[httpx.AsyncClient]:
    app = create_service_app(
        service="demo", title="d", description="d", routers=[router], provides=app_parts[:2]
    )
    provide_as(app, HUB, app_parts[2])
    provide_as(app, GREETING, "good morning")
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as http:
        yield http


async def test_an_http_endpoint_gets_the_one_instance_registered_for_its_class(
    client: httpx.AsyncClient, app_parts: tuple[Greeter, Counter, MemoryHub]
) -> None:
    assert (await client.get("/hello")).json() == {"greeting": "hello", "count": 1}
    assert (await client.get("/hello")).json() == {"greeting": "hello", "count": 2}
    assert app_parts[1].count == 2


async def test_an_instance_registered_under_a_key_is_found_by_that_key(
    client: httpx.AsyncClient,
) -> None:
    assert (await client.get("/keyed")).json() == {"greeting": "good morning"}


async def test_nothing_registered_is_a_server_error_not_a_silent_none(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/unregistered")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"


def test_a_missing_registration_names_what_is_missing() -> None:
    app = create_service_app(service="demo", title="d", description="d", routers=[])
    with pytest.raises(RuntimeError, match="nothing provides Greeter"):
        registered(app, Greeter)
    with pytest.raises(RuntimeError, match="nothing provides hub"):
        registered(app, HUB)


async def test_a_websocket_endpoint_gets_them_too(
    app_parts: tuple[Greeter, Counter, MemoryHub],
) -> None:
    app = create_service_app(
        service="demo", title="d", description="d", routers=[router], provides=app_parts[:2]
    )
    provide_as(app, HUB, app_parts[2])
    async with live_server(app) as hostport, ws_connect(f"ws://{hostport}/hello") as socket:
        assert await socket.receive() == {"greeting": "hello", "hub": "MemoryHub"}
