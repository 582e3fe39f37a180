"""Chat over real WebSockets: acknowledgements, fan-out to every member, presence, edits and
deletes, malformed frames, the 4000-character and rate limits, closing rooms, and recovery of
missed messages after a reconnect."""

from __future__ import annotations

from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from tests.services.discussions.support import (
    category_created,
    close_code,
    deliver,
    frames_until,
    open_genre_room,
    ws_url,
)
from tests.support.api import Account, Api
from tests.support.live import JsonSocket, live_server, ws_connect


async def _enter(sock: JsonSocket) -> dict[str, Any]:
    """The welcome frame, and the member's own arrival announced to the room."""
    welcome = await sock.receive()
    assert welcome["type"] == "welcome"
    await sock.receive_until("presence")
    return welcome


async def _say(sock: JsonSocket, text: str, **extra: Any) -> dict[str, Any]:
    """Send a message; its acknowledgement."""
    await sock.send({"message": text, **extra})
    return await sock.receive_until("ack")


async def _error(sock: JsonSocket, frame: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(frame, str):
        await sock.send_raw(frame)
    else:
        await sock.send(frame)
    error = await sock.receive_until("error")
    details: dict[str, Any] = error["error"]
    return details


async def _two_members(api: Api) -> tuple[Account, Account]:
    return await api.register("alice"), await api.register("bob")


async def test_two_members_chat_with_acks_and_presence(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
    ):
        welcome = await a.receive()
        assert welcome["type"] == "welcome"
        assert welcome["room"]["roomId"] == room_id
        assert [p["username"] for p in welcome["present"]] == ["alice"]
        assert isinstance(welcome["offset"], int)
        assert welcome["epoch"]
        own = await a.receive_until("presence")
        assert (own["event"], own["username"]) == ("join", "alice")

        async with ws_connect(ws_url(hostport, room_id, bob)) as b:
            bob_welcome = await _enter(b)
            assert {p["username"] for p in bob_welcome["present"]} == {"alice", "bob"}
            joined = await a.receive_until("presence")
            assert (joined["event"], joined["userId"], joined["username"]) == (
                "join",
                str(bob.id),
                "bob",
            )
            assert {p["username"] for p in joined["present"]} == {"alice", "bob"}
            rooms = (await client.get("/api/forums/rooms")).json()["rooms"]
            assert rooms[0]["active_users"] == 2

            await a.send(
                {
                    "userId": str(alice.id),
                    "roomId": room_id,
                    "message": "Hello Bob",
                    "client_id": "c-1",
                }
            )
            first, second = await a.receive(), await a.receive()
            by_type = {first["type"]: first, second["type"]: second}
            assert set(by_type) == {"ack", "message"}
            ack, mine = by_type["ack"], by_type["message"]
            assert ack["client_id"] == "c-1"
            assert ack["message_id"] == mine["message_id"]
            assert ack["offset"] == mine["offset"]
            received = await b.receive_until("message")
            assert received == mine
            assert received["roomId"] == room_id
            assert received["userId"] == str(alice.id)
            assert received["username"] == "alice"
            assert received["message"] == "Hello Bob"
            assert received["created_at"].endswith("Z")
            assert received["epoch"] == welcome["epoch"]
            assert received["offset"] > welcome["offset"]

        left = await a.receive_until("presence")
        assert (left["event"], left["username"]) == ("leave", "bob")
        assert [p["username"] for p in left["present"]] == ["alice"]


async def test_members_edit_and_delete_only_their_own_messages(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    history = f"/api/forums/rooms/{room_id}/messages"
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
        ws_connect(ws_url(hostport, room_id, bob)) as b,
    ):
        await _enter(a)
        await _enter(b)
        message_id = (await _say(a, "tpyo"))["message_id"]
        await b.receive_until("message")

        edit = {"type": "edit", "message_id": message_id, "message": "hijacked"}
        assert (await _error(b, edit))["code"] == "not_your_message"
        delete = {"type": "delete", "message_id": message_id}
        assert (await _error(b, delete))["code"] == "not_your_message"
        unknown = {"type": "edit", "message_id": "999", "message": "x"}
        assert (await _error(a, unknown))["code"] == "message_not_found"

        await a.send({"type": "edit", "message_id": int(message_id), "message": "typo"})
        assert (await a.receive_until("ack"))["message_id"] == message_id
        edited = await b.receive_until("edited")
        assert (edited["message_id"], edited["message"]) == (message_id, "typo")
        assert edited["edited_at"] is not None
        [stored] = (await client.get(history)).json()["messages"]
        assert (stored["message"], stored["edited_at"] is not None) == ("typo", True)

        await a.send(delete)
        await a.receive_until("ack")
        deleted = await b.receive_until("deleted")
        assert deleted["message_id"] == message_id
        assert (await client.get(history)).json()["messages"] == []
        assert (await _error(a, edit))["code"] == "message_not_found"


async def test_malformed_frames_get_an_error_and_the_socket_keeps_working(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
    ):
        await _enter(a)
        assert (await _error(a, "not json"))["code"] == "malformed_frame"
        assert (await _error(a, "[1, 2]"))["code"] == "malformed_frame"
        assert (await _error(a, {}))["code"] == "validation_error"
        assert (await _error(a, {"message": 42}))["code"] == "validation_error"
        assert (await _error(a, {"message": ""}))["code"] == "empty_message"
        assert (await _error(a, {"message": "   "}))["code"] == "empty_message"
        assert (await _error(a, {"message": "x" * 4001}))["code"] == "message_too_long"
        assert (await _error(a, {"type": "dance"}))["code"] == "unknown_frame"
        assert (await _error(a, {"type": "edit", "message": "x"}))["code"] == "invalid_message_id"
        as_bob = {"message": "hi", "userId": str(bob.id)}
        assert (await _error(a, as_bob))["code"] == "acting_user_mismatch"
        elsewhere = {"message": "hi", "roomId": "999"}
        assert (await _error(a, elsewhere))["code"] == "wrong_room"

        await a.send({"type": "ping"})
        assert (await a.receive_until("pong"))["type"] == "pong"
        longest = await _say(a, "x" * 4000, client_id=7)
        assert longest["client_id"] == 7
        assert (await _say(a, "still here"))["message_id"]
    messages = (await client.get(f"/api/forums/rooms/{room_id}/messages")).json()["messages"]
    assert [len(m["message"]) for m in messages] == [len("still here"), 4000]


async def test_messages_over_the_rate_limit_are_refused(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
        ws_connect(ws_url(hostport, room_id, bob)) as b,
    ):
        await _enter(a)
        await _enter(b)
        for i in range(10):
            await _say(a, f"message {i}")
        await a.send({"message": "one too many", "client_id": "c-11"})
        refused = await a.receive_until("error")
        assert refused["error"]["code"] == "rate_limited"
        assert refused["retry_after"] >= 1
        assert refused["client_id"] == "c-11"
        received = [(await b.receive_until("message"))["message"] for _ in range(10)]
        assert received == [f"message {i}" for i in range(10)]
        assert await b.nothing_within(0.3)
        # The limit is per user: bob still speaks.
        assert (await _say(b, "my turn"))["message_id"]
    stored = (await client.get(f"/api/forums/rooms/{room_id}/messages")).json()["messages"]
    assert len(stored) == 11


async def test_closing_a_room_tells_and_disconnects_its_members(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    async with live_server(platform.app) as hostport:
        async with (
            ws_connect(ws_url(hostport, room_id, alice)) as a,
            ws_connect(ws_url(hostport, room_id, bob)) as b,
        ):
            await _enter(a)
            await _enter(b)
            closed = await client.delete(f"/api/forums/rooms/{room_id}", headers=alice.headers)
            assert closed.status_code == 200
            for sock in (a, b):
                notice = await sock.receive_until("room_closed")
                assert notice["roomId"] == room_id
                assert await close_code(sock) == 4410
        async with ws_connect(ws_url(hostport, room_id, bob)) as late:
            assert await close_code(late) == 4404


async def test_reconnecting_with_since_brings_exactly_the_missed_messages(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
    ):
        await _enter(a)
        async with ws_connect(ws_url(hostport, room_id, bob)) as b:
            await _enter(b)
            await _say(a, "m1")
            last_seen = await b.receive_until("message")
        await a.receive_until("presence")  # bob left
        for text in ("m2", "m3", "m4"):
            await _say(a, text)

        since = {"since": last_seen["offset"], "epoch": last_seen["epoch"]}
        async with ws_connect(ws_url(hostport, room_id, bob, **since)) as b:
            assert (await b.receive())["type"] == "welcome"
            missed = [await b.receive() for _ in range(3)]
            assert [(f["type"], f["message"]) for f in missed] == [
                ("message", "m2"),
                ("message", "m3"),
                ("message", "m4"),
            ]
            assert [f["offset"] for f in missed] == sorted(f["offset"] for f in missed)
            ready = await b.receive()
            assert (ready["type"], ready["offset"]) == ("ready", missed[-1]["offset"])
            await _say(a, "m5")
            live = await frames_until(b, "message")
            assert [f["type"] for f in live] == ["presence", "message"]
            assert live[-1]["message"] == "m5"

        # The contract's form: `since` alone is the id of the last message seen.
        async with ws_connect(ws_url(hostport, room_id, bob, since=last_seen["message_id"])) as b:
            assert (await b.receive())["type"] == "welcome"
            missed = [await b.receive() for _ in range(4)]
            assert [f["message"] for f in missed] == ["m2", "m3", "m4", "m5"]
            assert (await b.receive())["type"] == "ready"
            await _say(a, "m6")
            live = await frames_until(b, "message")
            assert [f["message"] for f in live if f["type"] == "message"] == ["m6"]

        stale = {"since": last_seen["offset"], "epoch": "another-life"}
        async with ws_connect(ws_url(hostport, room_id, bob, **stale)) as b:
            assert (await b.receive())["type"] == "reload"
            assert (await b.receive())["type"] == "welcome"
            assert (await b.receive())["type"] == "ready"


async def test_connections_are_refused_with_close_codes(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await _two_members(api)
    room_id = await open_genre_room(client, alice)
    closed_room = await open_genre_room(client, alice, "closed")
    assert (
        await client.delete(f"/api/forums/rooms/{closed_room}", headers=alice.headers)
    ).status_code == 200
    async with live_server(platform.app) as hostport:
        cases = [
            (ws_url(hostport, room_id, None), 4401),
            (ws_url(hostport, room_id, None, token="not-a-token"), 4401),
            (ws_url(hostport, room_id, alice, userId=str(bob.id)), 4403),
            (ws_url(hostport, "999", alice), 4404),
            (ws_url(hostport, "abc", alice), 4400),
            (ws_url(hostport, closed_room, alice), 4404),
        ]
        for url, code in cases:
            async with ws_connect(url) as sock:
                assert await close_code(sock) == code, url
        async with ws_connect(ws_url(hostport, room_id, alice, userId="")) as fine:
            assert (await fine.receive())["type"] == "welcome"
        # A resume point that cannot be used is not fatal: the client starts afresh.
        async with ws_connect(ws_url(hostport, room_id, alice, since="abc")) as fresh:
            assert (await fresh.receive())["error"]["code"] == "bad_since"
            assert (await fresh.receive())["type"] == "welcome"


async def test_history_pages_newest_first_without_overlap(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    room_id = await open_genre_room(client, alice)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room_id, alice)) as a,
    ):
        await _enter(a)
        sent = [(await _say(a, f"m{i}"))["message_id"] for i in range(7)]
    pages: list[list[str]] = []
    cursor = ""
    while True:
        response = await client.get(f"/api/forums/rooms/{room_id}/messages?limit=3&before={cursor}")
        assert response.status_code == 200
        page = response.json()
        pages.append([m["message_id"] for m in page["messages"]])
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [m for p in pages for m in p] == sent[::-1]
    first = (await client.get(f"/api/forums/rooms/{room_id}/messages?limit=1")).json()
    assert first["messages"][0]["username"] == "alice"
    assert first["messages"][0]["userId"] == str(alice.id)
    assert first["messages"][0]["message"] == "m6"


async def test_sports_chatrooms_count_connected_users(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    await deliver(platform, category_created())
    [room] = (await client.get("/api/sports/chatrooms")).json()["data"]
    async with (
        live_server(platform.app) as hostport,
        ws_connect(ws_url(hostport, room["chatroom_id"], alice)) as a,
        ws_connect(ws_url(hostport, room["chatroom_id"], alice)) as second_tab,
    ):
        await _enter(a)
        assert (await second_tab.receive())["type"] == "welcome"
        [listed] = (await client.get("/api/sports/chatrooms")).json()["data"]
        assert listed["active_users"] == 1  # one user, two sockets
        assert (await _say(a, "goal!"))["message_id"]
        assert (await second_tab.receive_until("message"))["message"] == "goal!"
    [after] = (await client.get("/api/sports/chatrooms")).json()["data"]
    assert after["active_users"] == 0
