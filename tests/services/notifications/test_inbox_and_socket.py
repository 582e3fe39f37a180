"""A user's notification list (mine only, newest first, read state, cursor) and the live socket
(authentication, bad frames, several connections, recovery after reconnecting)."""

from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.services.notifications.support import notifications_of
from tests.support.api import Account, Api
from tests.support.live import live_server, ws_connect


async def _send(client: httpx.AsyncClient, admin: Account, to: Account, message: str) -> None:
    response = await client.post(
        "/api/notifications",
        json={"user_id": to.id, "message": message, "type": "news"},
        headers=admin.headers,
    )
    assert response.status_code == 200, response.text


async def test_my_list_is_newest_first_with_unread_count_and_cursor(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    for i in range(3):
        await _send(client, admin, bob, f"news {i}")
    assert (await client.get("/api/notifications")).status_code == 401
    first = (await client.get("/api/notifications?limit=2", headers=bob.headers)).json()
    assert [n["message"] for n in first["data"]] == ["news 2", "news 1"]
    assert first["unread_count"] == 3
    rest = (
        await client.get(
            f"/api/notifications?limit=2&cursor={first['next_cursor']}", headers=bob.headers
        )
    ).json()
    assert [n["message"] for n in rest["data"]] == ["news 0"]
    assert rest["next_cursor"] is None
    assert (await client.get("/api/notifications", headers=admin.headers)).json()["data"] == []


async def test_reading_marks_only_my_own_notifications(api: Api, client: httpx.AsyncClient) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    for i in range(3):
        await _send(client, admin, bob, f"news {i}")
    newest = (await notifications_of(client, bob))[0]["notification_id"]
    path = f"/api/notifications/{newest}/read"
    assert (await client.post(path)).status_code == 401
    others = await client.post(path, headers=carol.headers)
    assert others.status_code == 404
    assert (await client.post(path, headers=admin.headers)).status_code == 404
    marked = await client.post(path, headers=bob.headers)
    assert marked.status_code == 200
    assert marked.json()["data"]["read"] is True
    assert marked.json()["unread_count"] == 2
    assert (await client.post(path, headers=bob.headers)).json()["unread_count"] == 2
    unread = (await client.get("/api/notifications?unread_only=true", headers=bob.headers)).json()
    assert len(unread["data"]) == 2
    everything = await client.post("/api/notifications/read-all", headers=bob.headers)
    assert everything.status_code == 200
    assert everything.json()["marked"] == 2
    assert (await client.get("/api/notifications", headers=bob.headers)).json()["unread_count"] == 0
    assert (await client.post("/api/notifications/read-all")).status_code == 401
    assert (
        await client.post("/api/notifications/999/read", headers=bob.headers)
    ).status_code == 404


async def test_the_socket_refuses_a_bad_token_and_survives_bad_frames(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    bob = await api.register("bob")
    async with live_server(platform.app) as hostport:
        async with ws_connect(f"ws://{hostport}/api/notifications/ws?token=nope") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.receive()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4401
        async with ws_connect(f"ws://{hostport}/api/notifications/ws") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.receive()
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == 4401
        url = f"ws://{hostport}/api/notifications/ws?token={bob.token}"
        async with ws_connect(url) as socket:
            await socket.receive_until("ready")
            await socket.send_raw("not json")
            assert (await socket.receive())["error"]["code"] == "malformed_frame"
            await socket.send({"type": "dance"})
            assert (await socket.receive())["error"]["code"] == "unknown_frame"
            await socket.send({"type": "ping"})
            assert (await socket.receive())["type"] == "pong"


async def test_a_reconnecting_socket_gets_what_it_missed_and_the_list_has_everything(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    async with live_server(platform.app) as hostport:
        url = f"ws://{hostport}/api/notifications/ws?token={bob.token}"
        async with ws_connect(url) as socket:
            await socket.receive_until("ready")
            await _send(client, admin, bob, "while online")
            frame = await socket.receive_until("notification")
            assert frame["notification"]["message"] == "while online"
            offset, epoch = frame["offset"], frame["epoch"]
        await _send(client, admin, bob, "missed 1")
        await _send(client, admin, bob, "missed 2")
        async with ws_connect(f"{url}&since={offset}&epoch={epoch}") as socket:
            missed = [await socket.receive() for _ in range(2)]
            assert [f["notification"]["message"] for f in missed] == ["missed 1", "missed 2"]
            ready = await socket.receive()
            assert ready["type"] == "ready"
            assert ready["offset"] == offset + 2
            await _send(client, admin, bob, "live again")
            frame = await socket.receive_until("notification")
            assert frame["notification"]["message"] == "live again"
        async with ws_connect(f"{url}&since={offset}&epoch=stale") as socket:
            assert (await socket.receive())["type"] == "reload"
        async with ws_connect(f"{url}&since=abc") as socket:
            assert (await socket.receive())["error"]["code"] == "bad_since"
            assert (await socket.receive_until("ready"))["type"] == "ready"
    listed = await notifications_of(client, bob)
    assert [n["message"] for n in listed] == ["live again", "missed 2", "missed 1", "while online"]
