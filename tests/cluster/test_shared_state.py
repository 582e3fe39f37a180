"""State shared across processes: a chat room whose members sit on different replicas, and votes
sent through two gateways at once, on the real PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.contract import flows
from tests.support.cluster import RunningCluster, running_cluster
from tests.support.live import ws_connect

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]

SERVICES = ["users", "voting", "discussions"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    with running_cluster(
        tmp_path_factory.mktemp("cluster"), SERVICES, replicas=2, gateways=2
    ) as running:
        yield running


@pytest.fixture(scope="module")
def admin(cluster: RunningCluster) -> flows.User:
    async def first() -> flows.User:
        async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
            return await flows.register(http, flows.unique("admin"))

    return asyncio.run(first())


async def test_chat_reaches_members_on_another_replica(
    cluster: RunningCluster, admin: flows.User
) -> None:
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
        room = await http.post(
            "/api/forums/rooms", json={"roomType": "genre", "genreId": "jazz"}, headers=admin.auth
        )
        assert room.status_code in (200, 201), room.text
        room_id = room.json()["roomId"]
        ana = await flows.register(http, flows.unique("ana"))
        ben = await flows.register(http, flows.unique("ben"))
    first, second = cluster.replicas("discussions")
    url = "ws://127.0.0.1:{port}/forums/connect?roomId={room}&token={token}"
    async with (
        ws_connect(url.format(port=first.port, room=room_id, token=ana.token)) as on_first,
        ws_connect(url.format(port=second.port, room=room_id, token=ben.token)) as on_second,
    ):
        await on_first.receive_until("welcome")
        await on_second.receive_until("welcome")
        await on_first.send({"message": "Kind of Blue, anyone?"})
        heard = await on_second.receive_until("message", within=10)
        assert heard["message"] == "Kind of Blue, anyone?"
        assert heard["username"] == ana.name
        await on_second.send({"message": "Always."})
        reply = await on_first.receive_until("message", within=10)
        if reply["message"] != "Always.":  # the sender also sees their own message first
            reply = await on_first.receive_until("message", within=10)
        assert reply["message"] == "Always."
        last_seen = reply
    # Ben drops; Ana goes on; Ben comes back through the *other* replica with his last position.
    async with ws_connect(url.format(port=first.port, room=room_id, token=ana.token)) as again:
        await again.receive_until("welcome")
        for text in ("Side A first.", "Then side B."):
            await again.send({"message": text})
            await again.receive_until("ack", within=10)
    since = f"&since={last_seen['offset']}&epoch={last_seen['epoch']}"
    back_url = url.format(port=first.port, room=room_id, token=ben.token) + since
    async with ws_connect(back_url) as back:
        missed = [(await back.receive_until("message", within=10))["message"] for _ in range(2)]
        assert missed == ["Side A first.", "Then side B."]
        # Nothing is replayed twice: no further chat message arrives (presence frames may).
        extra: list[str] = []
        with contextlib.suppress(TimeoutError):
            while True:
                frame = await back.receive(within=0.5)
                if frame.get("type") == "message":
                    extra.append(frame["message"])
        assert extra == []


async def test_a_vote_sent_through_two_gateways_at_once_counts_once(
    cluster: RunningCluster, admin: flows.User
) -> None:
    one, two = cluster.gateway_urls
    async with (
        httpx.AsyncClient(base_url=one, timeout=20) as gw1,
        httpx.AsyncClient(base_url=two, timeout=20) as gw2,
    ):
        books = []
        for title in ("Middlemarch", "Beloved"):
            added = await gw1.post(
                "/api/books",
                json={"title": flows.unique(title), "author": "Someone", "description": ""},
                headers=admin.auth,
            )
            assert added.status_code == 201, added.text
            books.append(added.json()["id"])
        voters = [await flows.register(gw1, flows.unique("voter")) for _ in range(10)]

        async def vote(gateway: httpx.AsyncClient, voter: flows.User, book: int) -> int:
            response = await gateway.post("/api/vote", json={"book_id": book}, headers=voter.auth)
            return response.status_code

        # Every voter sends the same vote through both gateways at the same moment.
        sent = await asyncio.gather(
            *(vote(gw, v, books[i % 2]) for i, v in enumerate(voters) for gw in (gw1, gw2))
        )
        assert all(status == 200 for status in sent), sent
        status = await gw2.get("/api/vote/status", headers={"Cache-Control": "no-cache"})
        counts = {row["book_id"]: row["votes"] for row in status.json()["status"]}
        assert counts[books[0]] == 5
        assert counts[books[1]] == 5
        assert status.json()["total_votes"] == 10


async def test_a_logout_closes_the_logins_sockets_on_every_replica(
    cluster: RunningCluster, admin: flows.User
) -> None:
    """Issue 11, item 8 in the cluster: the session store's pub/sub reaches every process."""
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
        book = {"title": flows.unique("Book"), "author": "Anon"}
        added = await http.post("/api/books", json=book, headers=admin.auth)
        assert added.status_code in (200, 201), added.text
        name = flows.unique("cleo")
        cleo = await flows.register(http, name)
        login = await http.post(
            "/api/users/login", json={"username": name, "password": flows.PASSWORD}
        )
        refresh_token = login.json()["refresh_token"]
        token = login.json()["token"]
        first, second = cluster.replicas("voting")
        url = "ws://127.0.0.1:{port}/vote/live?token={token}"
        async with (
            ws_connect(url.format(port=first.port, token=token)) as on_first,
            ws_connect(url.format(port=second.port, token=token)) as on_second,
            ws_connect(url.format(port=first.port, token=cleo.token)) as other_login,
        ):
            for socket in (on_first, on_second, other_login):
                await socket.receive_until("snapshot", within=10)
            out = await http.post("/api/users/logout", json={"refresh_token": refresh_token})
            assert out.status_code == 200
            for socket in (on_first, on_second):
                with pytest.raises(ConnectionClosed) as closed:
                    await socket.receive_until("never", within=10)
                assert closed.value.rcvd is not None
                assert closed.value.rcvd.code == 4401
            await other_login.send({"type": "ping"})
            await other_login.receive_until("pong", within=10)


async def test_the_gateway_closes_a_socket_that_sends_an_oversized_frame(
    cluster: RunningCluster,
) -> None:
    """Issue 11, item 9 in the cluster: refused in the protocol (1009), not buffered whole."""
    gateway = cluster.gateway_urls[0].replace("http://", "ws://")
    async with ws_connect(f"{gateway}/api/vote/live") as socket:
        await socket.receive_until("snapshot", within=10)
        await socket.send_raw("x" * (256 * 1024))
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive_until("never", within=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
