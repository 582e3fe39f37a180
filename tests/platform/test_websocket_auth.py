"""WebSocket authentication: a missing or bad token is closed with a readable 4401; a socket whose
session ends is closed with 4401 at once; a user holds at most `per_user` sockets (1008 beyond)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import APIRouter, WebSocket
from websockets.exceptions import ConnectionClosed

from agora.platform.auth.keys import generate_keypair, load_private_key, load_public_key
from agora.platform.auth.principal import Principal
from agora.platform.auth.sessions import MemorySessionStore
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.deps import SESSIONS, authenticate_websocket, provide, provide_as
from agora.platform.http import create_service_app
from agora.platform.realtime.sockets import LiveSockets
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


@router.websocket("/echo")
async def echo(websocket: WebSocket) -> None:
    """Stays open, echoing, until the client leaves (or the server ends the session)."""
    principal = await authenticate_websocket(websocket)
    if principal is None:
        return
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        await websocket.send_json({"echo": message.get("text")})


Server = tuple[str, TokenIssuer, MemorySessionStore]


@pytest.fixture
async def server(tmp_path: Path) -> AsyncIterator[Server]:
    private_path, public_path = generate_keypair(tmp_path)
    clock = ManualClock()
    issuer = TokenIssuer(load_private_key(private_path), issuer="i", audience="a", clock=clock)
    verifier = TokenVerifier(load_public_key(public_path), issuer="i", audience="a", clock=clock)
    app = create_service_app(
        service="demo", title="d", description="d", routers=[router], provides=[verifier]
    )
    sessions = MemorySessionStore()
    provide_as(app, SESSIONS, sessions)
    provide(app, LiveSockets(sessions, per_user=3))
    async with live_server(app) as hostport:
        yield hostport, issuer, sessions


async def test_a_good_token_is_accepted(server: Server) -> None:
    hostport, issuer, _ = server
    token = issuer.issue_access(Principal(user_id=3, username="c")).token
    async with ws_connect(f"ws://{hostport}/whoami?token={token}") as socket:
        assert await socket.receive() == {"user_id": 3}


@pytest.mark.parametrize("query", ["", "?token=", "?token=garbage"])
async def test_a_missing_or_bad_token_closes_with_4401(server: Server, query: str) -> None:
    hostport, _, _ = server
    async with ws_connect(f"ws://{hostport}/whoami{query}") as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_a_socket_closes_with_4401_when_its_session_ends(server: Server) -> None:
    hostport, issuer, sessions = server
    ended = issuer.issue_access(Principal(user_id=5, username="e", family="phone")).token
    other = issuer.issue_access(Principal(user_id=5, username="e", family="laptop")).token
    async with (
        ws_connect(f"ws://{hostport}/echo?token={ended}") as phone,
        ws_connect(f"ws://{hostport}/echo?token={other}") as laptop,
    ):
        await phone.send({"hello": 1})
        assert "echo" in await phone.receive()
        await sessions.end_family(5, "phone", ttl_seconds=60)
        with pytest.raises(ConnectionClosed) as closed:
            await phone.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
        # The user's other login goes on.
        await laptop.send({"still": "here"})
        assert "echo" in await laptop.receive()
        # Raising the version ends every session of the user.
        await sessions.raise_version(5, 1)
        with pytest.raises(ConnectionClosed) as closed:
            await laptop.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401
    # And a new socket with one of those tokens is refused.
    async with ws_connect(f"ws://{hostport}/echo?token={other}") as again:
        with pytest.raises(ConnectionClosed) as closed:
            await again.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_a_user_holds_at_most_per_user_sockets(server: Server) -> None:
    hostport, issuer, _ = server
    token = issuer.issue_access(Principal(user_id=9, username="many")).token
    async with contextlib.AsyncExitStack() as stack:
        sockets = [
            await stack.enter_async_context(ws_connect(f"ws://{hostport}/echo?token={token}"))
            for _ in range(3)
        ]
        for socket in sockets:
            await socket.send({"n": 1})
            assert "echo" in await socket.receive()
        async with ws_connect(f"ws://{hostport}/echo?token={token}") as fourth:
            with pytest.raises(ConnectionClosed) as closed:
                await fourth.receive()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1008
        assert "at most 3" in closed.value.rcvd.reason
        # Another user is not affected by this one's sockets.
        stranger = issuer.issue_access(Principal(user_id=10, username="s")).token
        async with ws_connect(f"ws://{hostport}/whoami?token={stranger}") as socket:
            assert await socket.receive() == {"user_id": 10}
    # Closing sockets frees their places.
    async with ws_connect(f"ws://{hostport}/echo?token={token}") as socket:
        await socket.send({"n": 2})
        assert "echo" in await socket.receive()


async def _closed_code(url: str) -> int:
    async with ws_connect(url) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive()
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_a_ticket_opens_one_socket_only(server: Server) -> None:
    hostport, _, sessions = server
    ticket = await sessions.issue_ticket(Principal(user_id=4, username="d"))
    async with ws_connect(f"ws://{hostport}/whoami?ticket={ticket}") as socket:
        assert await socket.receive() == {"user_id": 4}
    # Spent: whoever copies the URL from a log or the history gets nowhere.
    assert await _closed_code(f"ws://{hostport}/whoami?ticket={ticket}") == 4401
    assert await _closed_code(f"ws://{hostport}/whoami?ticket=made-up") == 4401


async def test_an_expired_ticket_is_refused(tmp_path: Path) -> None:
    now = [0.0]
    sessions = MemorySessionStore(now=lambda: now[0])
    ticket = await sessions.issue_ticket(Principal(user_id=4, username="d"), ttl_seconds=30)
    now[0] = 31.0
    assert await sessions.redeem_ticket(ticket) is None


async def test_a_ticket_of_an_ended_session_is_refused(server: Server) -> None:
    hostport, _, sessions = server
    ticket = await sessions.issue_ticket(Principal(user_id=6, username="f", family="tab"))
    await sessions.end_family(6, "tab", ttl_seconds=60)
    assert await _closed_code(f"ws://{hostport}/whoami?ticket={ticket}") == 4401
