"""The live home timeline over a real WebSocket: new posts and deletions of followed users as they
happen, recovery after a reconnect, and the socket's rules."""

from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.services.timeline.support import follow, tweet, unfollow
from tests.support.api import Api
from tests.support.live import live_server, ws_connect


async def test_followers_see_new_posts_and_deletions_live(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = [await api.register(n) for n in ("alice", "bob", "carol")]
    await follow(client, alice, bob)
    await platform.settle()
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/tweets/live?token={alice.token}") as socket,
    ):
        ready = await socket.receive()
        assert ready["type"] == "ready"
        assert ready["channel"] == f"feed:{alice.id}"
        await tweet(client, carol, "carol is not followed")
        tweet_id = await tweet(client, bob, "live from bob")
        await platform.settle()
        frame = await socket.receive_until("tweet")
        assert frame["tweetId"] == tweet_id
        assert frame["userId"] == str(bob.id)
        assert frame["username"] == "bob"
        assert frame["content"] == "live from bob"
        assert frame["timestamp"] == "2026-01-01T12:00:00Z"
        await client.delete(f"/api/tweets/{tweet_id}", headers=bob.headers)
        await platform.settle()
        gone = await socket.receive_until("tweet_deleted")
        assert gone["tweetId"] == tweet_id
        assert await socket.nothing_within(0.2)


async def test_a_reconnect_gets_what_it_missed_first(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    await follow(client, alice, bob)
    await platform.settle()
    async with live_server(platform.app) as hostport:
        url = f"ws://{hostport}/api/tweets/live?token={alice.token}"
        async with ws_connect(url) as socket:
            await socket.receive_until("ready")
            await tweet(client, bob, "seen")
            await platform.settle()
            seen = await socket.receive_until("tweet")
        await tweet(client, bob, "missed 1")
        await tweet(client, alice, "missed 2")
        await platform.settle()
        since = f"&since={seen['offset']}&epoch={seen['epoch']}"
        async with ws_connect(url + since) as socket:
            first, second = await socket.receive(), await socket.receive()
            assert [first["content"], second["content"]] == ["missed 1", "missed 2"]
            assert second["offset"] == seen["offset"] + 2
            ready = await socket.receive()
            assert (ready["type"], ready["offset"]) == ("ready", second["offset"])
        async with ws_connect(url + "&since=1&epoch=another-life") as socket:
            reload = await socket.receive()
            assert reload["type"] == "reload"
            assert (await socket.receive())["type"] == "ready"


async def test_the_live_socket_answers_pings_and_survives_bad_frames(
    api: Api, platform: Platform
) -> None:
    alice = await api.register("alice")
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/tweets/live?token={alice.token}") as socket,
    ):
        await socket.receive_until("ready")
        await socket.send_raw("{not json")
        assert (await socket.receive())["error"]["code"] == "malformed_frame"
        await socket.send({"type": "post", "content": "not here"})
        assert (await socket.receive())["error"]["code"] == "unknown_frame"
        await socket.send({"type": "ping"})
        assert await socket.receive() == {"type": "pong"}


@pytest.mark.parametrize("query", ["", "?token=garbage"])
async def test_the_live_socket_needs_a_good_token(platform: Platform, query: str) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/tweets/live{query}") as socket,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_a_follow_fills_an_open_home_timeline_at_once(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    earlier = await tweet(client, bob, "posted before anyone followed")
    await platform.settle()
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/tweets/live?token={alice.token}") as socket,
    ):
        await socket.receive_until("ready")
        await follow(client, alice, bob)
        await platform.settle()
        changed = await socket.receive_until("follows_changed")
        assert changed["userId"] == str(bob.id)
        assert changed["following"] is True
        home = await client.get(f"/api/tweets/homeTimeline/{alice.id}", headers=alice.headers)
        assert earlier in [t["tweetId"] for t in home.json()["tweets"]]
        await unfollow(client, alice, bob)
        await platform.settle()
        assert (await socket.receive_until("follows_changed"))["following"] is False
