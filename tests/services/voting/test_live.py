"""Live counts over the `/vote/live` WebSocket, through the gateway on a real server."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from agora.entrypoints.embedded import Platform
from tests.services.voting.ballot import add_book, close_poll, vote
from tests.support.api import Api
from tests.support.live import live_server, ws_connect


def _counts(frame: dict[str, Any]) -> dict[int, int]:
    return {c["book_id"]: c["votes"] for c in frame["counts"]}


async def test_a_vote_over_http_reaches_every_watcher(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    emma = await add_book(client, admin, "Emma")
    alice = await api.register("alice")
    await vote(client, alice, emma)
    async with live_server(platform.app) as hostport:
        base = f"ws://{hostport}/api/vote/live"
        async with (
            ws_connect(f"{base}?token={alice.token}") as watcher_a,
            ws_connect(base) as watcher_b,
        ):
            snapshot_a = await watcher_a.receive()
            snapshot_b = await watcher_b.receive()
            assert snapshot_a["type"] == snapshot_b["type"] == "snapshot"
            assert _counts(snapshot_b) == {dune: 0, emma: 1}
            assert snapshot_b["total_votes"] == 1
            assert snapshot_a["my_vote"] == emma
            assert "my_vote" not in snapshot_b
            assert {"poll_id", "offset", "epoch"} <= snapshot_b.keys()

            moved = await vote(client, alice, dune)
            assert moved.status_code == 200
            update = await watcher_b.receive_until("votes")
            assert _counts(update) == {dune: 1, emma: 0}
            assert update["total_votes"] == 1
            assert update["poll_id"] == snapshot_b["poll_id"]
            assert update["offset"] > snapshot_b["offset"]
            assert update["epoch"] == snapshot_b["epoch"]
            assert _counts(await watcher_a.receive_until("votes")) == {dune: 1, emma: 0}
            # Voting again for the same book changes nothing, so nothing is sent.
            await vote(client, alice, dune)
            assert await watcher_b.nothing_within(0.3)


async def test_a_reconnecting_watcher_gets_what_it_missed_or_is_told_to_reload(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    alice, bob = await api.register("alice"), await api.register("bob")
    async with live_server(platform.app) as hostport:
        base = f"ws://{hostport}/api/vote/live"
        async with ws_connect(base) as watcher:
            snapshot = await watcher.receive()
        await vote(client, alice, dune)
        await vote(client, bob, dune)
        position = f"poll_id={snapshot['poll_id']}&since={snapshot['offset']}"
        async with ws_connect(f"{base}?{position}&epoch={snapshot['epoch']}") as watcher:
            first, second = await watcher.receive(), await watcher.receive()
            assert [first["type"], second["type"]] == ["votes", "votes"]
            assert [first["offset"], second["offset"]] == [
                snapshot["offset"] + 1,
                snapshot["offset"] + 2,
            ]
            assert [first["total_votes"], second["total_votes"]] == [1, 2]
            ready = await watcher.receive()
            assert (ready["type"], ready["offset"]) == ("ready", second["offset"])
            assert await watcher.nothing_within(0.2)
            await vote(client, admin, dune)
            live = await watcher.receive()
            assert (live["type"], live["total_votes"]) == ("votes", 3)
        async with ws_connect(f"{base}?{position}&epoch=another-life") as watcher:
            reload = await watcher.receive()
            assert reload["type"] == "reload"
            fresh = await watcher.receive()
            assert fresh["type"] == "snapshot"
            assert _counts(fresh) == {dune: 3}


async def test_closing_the_poll_sends_the_winner_then_the_next_poll(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    emma = await add_book(client, admin, "Emma")
    member = await api.register("member")
    await vote(client, member, dune)
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/vote/live") as watcher,
    ):
        january = await watcher.receive()
        assert (await close_poll(client, admin)).status_code == 200
        closed = await watcher.receive_until("closed")
        assert closed["poll_id"] == january["poll_id"]
        assert closed["winner"]["book_id"] == dune
        assert closed["winner"]["votes"] == 1
        february = await watcher.receive_until("snapshot")
        assert february["poll_id"] == closed["next_poll_id"]
        assert february["month"] == "2026-02"
        assert _counts(february) == {emma: 0}
        await vote(client, member, emma)
        update = await watcher.receive_until("votes")
        while update["total_votes"] == 0:  # the new poll's opening counts may come first
            update = await watcher.receive_until("votes")
        assert (update["poll_id"], _counts(update)) == (february["poll_id"], {emma: 1})


async def test_counts_never_go_backwards_under_concurrent_votes(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin = await api.register("admin")
    books = [await add_book(client, admin, f"Book {n}") for n in range(3)]
    voters = [await api.register(f"reader{i:02d}") for i in range(30)]
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/vote/live") as watcher,
    ):
        await watcher.receive()
        responses = await asyncio.gather(
            *(vote(client, v, books[i % 3]) for i, v in enumerate(voters))
        )
        assert all(r.status_code == 200 for r in responses)
        totals: list[int] = []
        seqs: list[int] = []
        while not totals or totals[-1] < 30:
            frame = await watcher.receive_until("votes")
            totals.append(frame["total_votes"])
            seqs.append(frame["seq"])
            assert sum(_counts(frame).values()) == frame["total_votes"]
        assert totals == sorted(totals)
        assert seqs == sorted(seqs)
        assert _counts(frame) == dict.fromkeys(books, 10)


async def test_bad_client_frames_get_an_error_and_the_socket_stays_open(
    api: Api, platform: Platform
) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/vote/live") as watcher,
    ):
        assert (await watcher.receive())["type"] == "snapshot"
        assert (await watcher.receive())["type"] == "ready"
        await watcher.send_raw("this is not json")
        malformed = await watcher.receive()
        assert malformed["type"] == "error"
        assert malformed["error"]["code"] == "malformed_frame"
        await watcher.send({"type": "dance"})
        assert (await watcher.receive())["error"]["code"] == "unknown_frame"
        await watcher.send({"type": "ping"})
        assert await watcher.receive() == {"type": "pong"}


async def test_a_bad_token_closes_the_socket_with_4401(api: Api, platform: Platform) -> None:
    async with (
        live_server(platform.app) as hostport,
        ws_connect(f"ws://{hostport}/api/vote/live?token=forged") as watcher,
    ):
        with pytest.raises(ConnectionClosed) as closed:
            await watcher.receive()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_an_unknown_poll_closes_with_4404_and_a_malformed_one_with_4400(
    api: Api, platform: Platform
) -> None:
    async with live_server(platform.app) as hostport:
        for query, code in (("poll_id=9999&since=3&epoch=abc", 4404), ("poll_id=abc", 4400)):
            async with ws_connect(f"ws://{hostport}/api/vote/live?{query}") as watcher:
                with pytest.raises(ConnectionClosed) as closed:
                    await watcher.receive()
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, bool(closed.value.rcvd.reason)) == (code, True)
        # A bad position is not fatal: an error frame, then a fresh snapshot.
        async with ws_connect(f"ws://{hostport}/api/vote/live?since=x") as watcher:
            assert (await watcher.receive())["error"]["code"] == "bad_since"
            assert (await watcher.receive())["type"] == "snapshot"
