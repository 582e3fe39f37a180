"""WebSocket authentication: a missing or bad token is closed with a readable 4401."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import APIRouter, WebSocket
from websockets.exceptions import ConnectionClosed

from agora.platform.auth.keys import generate_keypair, load_private_key, load_public_key
from agora.platform.auth.principal import Principal
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.deps import authenticate_websocket
from agora.platform.http import create_service_app
from tests.support.live import live_server, ws_connect

router = APIRouter()


@router.websocket("/whoami")
async def whoami(websocket: WebSocket) -> None:
    principal = await authenticate_websocket(websocket)
    if principal is None:
        return
    await websocket.accept()
    await websocket.send_json({"user_id": principal.user_id})
    await websocket.close()


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[tuple[str, TokenIssuer]]:
    private_path, public_path = generate_keypair(tmp_path)
    clock = ManualClock()
    issuer = TokenIssuer(load_private_key(private_path), issuer="i", audience="a", clock=clock)
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    app = create_service_app(
        service="demo", title="d", description="d", routers=[router], provides=[verifier]
    )
    async with live_server(app) as hostport:
        yield hostport, issuer


async def test_a_good_token_is_accepted(server: tuple[str, TokenIssuer]) -> None:
    hostport, issuer = server
    token = issuer.issue_access(Principal(user_id=3, username="c")).token
    async with ws_connect(f"ws://{hostport}/whoami?token={token}") as socket:
        assert await socket.receive() == {"user_id": 3}


@pytest.mark.parametrize("query", ["", "?token=", "?token=garbage"])
async def test_a_missing_or_bad_token_closes_with_4401(
    server: tuple[str, TokenIssuer], query: str
) -> None:
    hostport, _ = server
    async with ws_connect(f"ws://{hostport}/whoami{query}") as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401
