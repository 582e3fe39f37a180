"""Browsers open WebSockets with a single-use ticket instead of their access token, through the
gateway as the web UI does; and no log line carries a token or a ticket from a socket's URL."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from agora.platform.logging import ecs_formatter
from tests.support.api import Api
from tests.support.live import live_server, ws_connect


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "notifications")


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    previous = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


async def test_a_ticket_opens_a_socket_once_and_no_log_line_has_it(
    api: Api, client: httpx.AsyncClient, platform: Platform, log_text: io.StringIO
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    refused = await client.post("/api/users/socket-ticket")
    assert refused.status_code == 401
    response = await client.post("/api/users/socket-ticket", headers=bob.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    ticket = body["ticket"]
    assert 0 < body["expires_in"] <= 60
    assert bob.token not in response.text
    async with live_server(platform.app) as hostport:
        url = f"ws://{hostport}/api/notifications/ws?ticket={ticket}"
        async with ws_connect(url) as socket:
            await socket.receive_until("ready")
            sent = await client.post(
                "/api/notifications",
                json={"user_id": bob.id, "message": "hello bob", "type": "news"},
                headers=admin.headers,
            )
            assert sent.status_code == 200, sent.text
            frame = await socket.receive_until("notification")
            assert "hello bob" in str(frame)
        # Spent: the same URL is refused (4401), as is a ticket nobody issued.
        for again in (url, f"ws://{hostport}/api/notifications/ws?ticket=forged"):
            async with ws_connect(again) as socket:
                with pytest.raises(ConnectionClosed) as closed:
                    await socket.receive()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4401
        # The contract's `token` parameter still works for API clients, and is not logged either.
        async with ws_connect(f"ws://{hostport}/api/notifications/ws?token={bob.token}") as s:
            await s.receive_until("ready")
    logged = log_text.getvalue()
    assert "/api/notifications/ws" in logged  # the sockets were logged...
    assert ticket not in logged  # ...without their credentials
    assert bob.token not in logged
