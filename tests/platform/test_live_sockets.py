"""Every live socket behaves the same where `serve_channel` serves it: `ready` after the opening
frames, live publications, exactly the missed frames (in order) after a reconnect with `since`,
`reload` for a position the history cannot cover, an `error` frame for a malformed frame with the
socket still open, and 4401 for a bad token. One test per behaviour, run over the five sockets."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.services.discussions.support import open_genre_room
from tests.services.sports.support import Sports
from tests.support.api import Account, Api
from tests.support.live import JsonSocket, live_server, ws_connect

_serial = itertools.count(1000)


@dataclass
class Socket:
    """One live socket under test: where it is, what it opens with, what its channel carries."""

    path: str  # under /api, with its own query (a `token=` is appended)
    channel: str
    kind: str  # the type of the payload frames published in the test
    opening: list[str]  # frame types before `ready` on a fresh connection
    resumed: list[str]  # ... on a reconnect whose missed frames the history covers
    payload: Callable[[], dict[str, Any]]
    needs_token: bool = True
    me: Account | None = None

    def url(self, hostport: str, token: str | None, query: str = "") -> str:
        joiner = "&" if "?" in self.path else "?"
        parts = [f"token={token}"] if token else []
        parts += [query] if query else []
        return f"ws://{hostport}/api{self.path}" + (joiner + "&".join(parts) if parts else "")


Setup = Callable[[Api, httpx.AsyncClient, Account], Awaitable[Socket]]


async def _notifications(api: Api, client: httpx.AsyncClient, me: Account) -> Socket:
    def payload() -> dict[str, Any]:
        n = next(_serial)
        return {
            "notification": {
                "notification_id": str(n),
                "user_id": str(me.id),
                "type": "news",
                "message": f"news {n}",
                "data": {},
                "read": False,
                "created_at": "2026-01-01T12:00:00Z",
                "read_at": None,
            }
        }

    return Socket("/notifications/ws", f"user:{me.id}", "notification", [], [], payload)


async def _timeline(api: Api, client: httpx.AsyncClient, me: Account) -> Socket:
    def payload() -> dict[str, Any]:
        n = next(_serial)
        return {
            "type": "tweet",
            "tweetId": str(n),
            "userId": str(me.id),
            "username": me.username,
            "content": f"tweet {n}",
            "timestamp": "2026-01-01T12:00:00Z",
        }

    return Socket("/tweets/live", f"feed:{me.id}", "tweet", [], [], payload)


async def _sports(api: Api, client: httpx.AsyncClient, me: Account) -> Socket:
    sports = Sports(client)
    game_id = await sports.game(me, await sports.category(me, "Football"))

    def payload() -> dict[str, Any]:
        return {
            "type": "score",
            "game_id": game_id,
            "version": next(_serial),
            "score_team_1": 1,
            "score_team_2": 0,
            "status": "live",
            "current_period": "1st half",
            "period_running": True,
        }

    path = f"/sports/games/{game_id}/live"
    return Socket(path, f"game:{game_id}", "score", ["snapshot"], [], payload, needs_token=False)


async def _voting(api: Api, client: httpx.AsyncClient, me: Account) -> Socket:
    # The first poll opens when the voting service's job first runs: until then, 409 "try again
    # in a moment".
    for _ in range(100):
        poll = await client.get("/api/polls/current")
        if poll.status_code != 409:
            break
        await asyncio.sleep(0.1)
    assert poll.status_code == 200, poll.text
    poll_id = int(poll.json()["poll_id"])

    def payload() -> dict[str, Any]:
        return {
            "type": "votes",
            "poll_id": poll_id,
            "month": "2026-01",
            "status": "open",
            "closes_at": "2026-01-31T23:59:59+00:00",
            "counts": [],
            "total_votes": 0,
            "seq": next(_serial),
        }

    path = f"/vote/live?poll_id={poll_id}"
    return Socket(path, f"poll:{poll_id}", "votes", ["snapshot"], [], payload, needs_token=False)


async def _chat(api: Api, client: httpx.AsyncClient, me: Account) -> Socket:
    room_id = await open_genre_room(client, me)

    def payload() -> dict[str, Any]:
        n = next(_serial)
        return {
            "type": "message",
            "message_id": str(n),
            "roomId": room_id,
            "userId": str(me.id),
            "username": me.username,
            "message": f"message {n}",
            "created_at": "2026-01-01T12:00:00Z",
            "edited_at": None,
        }

    path = f"/forums/connect?roomId={room_id}&userId={me.id}"
    return Socket(path, f"room:{room_id}", "message", ["welcome"], ["welcome"], payload)


SOCKETS: dict[str, Setup] = {
    "notifications": _notifications,
    "timeline": _timeline,
    "sports": _sports,
    "voting": _voting,
    "chat": _chat,
}


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "notifications", "timeline", "sports", "voting", "discussions")


@pytest.fixture(params=sorted(SOCKETS))
async def socket(request: pytest.FixtureRequest, api: Api, client: httpx.AsyncClient) -> Socket:
    me = await api.register("admin")
    setup: Setup = SOCKETS[request.param]
    socket = await setup(api, client, me)
    socket.me = me
    return socket


@pytest.fixture
def me(socket: Socket) -> Account:
    assert socket.me is not None
    return socket.me


async def _until_ready(sock: JsonSocket) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    while True:
        frame = await sock.receive()
        if frame["type"] == "ready":
            return frames, frame
        frames.append(frame)


async def test_ready_then_live_then_exactly_what_was_missed(
    platform: Platform, socket: Socket, me: Account
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, me.token)) as sock,
    ):
        opening, ready = await _until_ready(sock)
        assert [f["type"] for f in opening] == socket.opening
        assert ready["channel"] == socket.channel
        seen = await platform.hub.publish(socket.channel, socket.payload())
        live = await sock.receive_until(socket.kind)
        assert (live["offset"], live["epoch"]) == (seen.offset, seen.epoch)
        missed = [await platform.hub.publish(socket.channel, socket.payload()) for _ in range(2)]
        since = f"since={seen.offset}&epoch={seen.epoch}"
        async with ws_connect(socket.url(hostport, me.token, since)) as sock:
            frames, ready = await _until_ready(sock)
            opening = frames[: len(socket.resumed)]
            assert [f["type"] for f in opening] == socket.resumed
            replayed = frames[len(socket.resumed) :]
            # Chat's own presence changes may be in the history too; they are not replayed.
            assert [(f["type"], f["offset"]) for f in replayed] == [
                (socket.kind, p.offset) for p in missed
            ]
            assert all(f["epoch"] == seen.epoch for f in replayed)
            # Where the client now is: past the missed frames (and past any presence change of
            # chat's that was not replayed), with nothing in between left out.
            assert ready["epoch"] == seen.epoch
            assert ready["offset"] >= missed[-1].offset
            after = await platform.hub.publish(socket.channel, socket.payload())
            assert (await sock.receive_until(socket.kind))["offset"] == after.offset


async def test_a_position_the_history_cannot_cover_gets_reload(
    platform: Platform, socket: Socket, me: Account
) -> None:
    async with live_server(platform.app) as hostport:
        await platform.hub.publish(socket.channel, socket.payload())
        position = await platform.hub.position(socket.channel)
        stale = "since=3&epoch=another-life"
        async with ws_connect(socket.url(hostport, me.token, stale)) as sock:
            frames, ready = await _until_ready(sock)
            reload = frames[0]
            assert reload["type"] == "reload"
            assert reload["channel"] == socket.channel
            assert (reload["offset"], reload["epoch"]) == (position.offset, position.epoch)
            # A channel with a snapshot sends it again; then nothing old, and `ready`.
            assert [f["type"] for f in frames[1:]] == socket.opening
            assert (ready["offset"], ready["epoch"]) == (reload["offset"], reload["epoch"])


async def test_a_malformed_since_gets_an_error_and_a_fresh_start(
    platform: Platform, socket: Socket, me: Account
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, me.token, "since=x1&epoch=e")) as sock,
    ):
        assert (await sock.receive())["error"]["code"] == "bad_since"
        opening, _ = await _until_ready(sock)
        assert [f["type"] for f in opening] == socket.opening


async def test_bad_frames_get_an_error_and_the_socket_stays_open(
    platform: Platform, socket: Socket, me: Account
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, me.token)) as sock,
    ):
        await _until_ready(sock)
        await sock.send_raw("{not json")
        assert (await sock.receive_until("error"))["error"]["code"] == "malformed_frame"
        await sock.send({"type": "dance"})
        assert (await sock.receive_until("error"))["error"]["code"] == "unknown_frame"
        await sock.send({"type": "ping", "client_id": "p-1"})
        assert await sock.receive_until("pong") == {"type": "pong", "client_id": "p-1"}
        published = await platform.hub.publish(socket.channel, socket.payload())
        assert (await sock.receive_until(socket.kind))["offset"] == published.offset


async def test_a_bad_token_closes_with_4401(platform: Platform, socket: Socket) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, "garbage")) as sock,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await sock.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_without_a_token_4401_or_watched_anonymously(
    platform: Platform, socket: Socket
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, None)) as sock,
    ):
        if not socket.needs_token:
            opening, _ = await _until_ready(sock)
            assert [f["type"] for f in opening] == socket.opening
            return
        with pytest.raises(ConnectionClosed) as closed:
            await sock.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_a_publication_its_frame_does_not_describe_is_not_sent(
    platform: Platform, socket: Socket, me: Account
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(socket.url(hostport, me.token)) as sock,
    ):
        await _until_ready(sock)
        await platform.hub.publish(socket.channel, {**socket.payload(), "surprise": 1})
        good = await platform.hub.publish(socket.channel, socket.payload())
        frame = await sock.receive_until(socket.kind)
        assert frame["offset"] == good.offset
        assert "surprise" not in frame
