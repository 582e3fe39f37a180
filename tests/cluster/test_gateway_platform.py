"""The cluster gateway's share of issue 18, on real processes, PostgreSQL and Redis: gzip of the
API's JSON answers proxied from a service, live sockets that name nothing closed with 4404 (4400
when malformed), and socket tickets (decision 0025) issued by the users service through one
gateway and redeemed by the voting service's process through another."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Iterator

import httpx
import pytest
import redis.asyncio as aioredis
from websockets.exceptions import ConnectionClosed

from tests.contract import flows
from tests.support.cluster import RunningCluster, running_cluster
from tests.support.live import ws_connect

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(600)]

SERVICES = ["users", "voting"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    with running_cluster(
        tmp_path_factory.mktemp("cluster"), SERVICES, replicas=1, gateways=2
    ) as running:
        yield running


@pytest.fixture(scope="module")
def admin(cluster: RunningCluster) -> flows.User:
    """The first account (the admin), and a ballot long enough that its list is over 2 KB."""

    async def first() -> flows.User:
        async with httpx.AsyncClient(base_url=cluster.gateway_urls[0], timeout=10) as http:
            admin = await flows.register(http, flows.unique("admin"))
            for number in range(30):
                book = {"title": f"Book {number}", "author": "A. Writer", "description": "x" * 40}
                added = await http.post("/api/books", json=book, headers=admin.auth)
                assert added.status_code == 201, added.text
            return admin

    return asyncio.run(first())


def ws_base(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1)


async def get_raw(http: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    """GET with exactly the given Accept-Encoding, the body left as it came."""
    request = http.build_request("GET", path, headers=headers)
    if "Accept-Encoding" not in headers:
        del request.headers["Accept-Encoding"]
    response = await http.send(request, stream=True)
    response._content = b"".join([chunk async for chunk in response.aiter_raw()])
    return response


async def close_of(url: str) -> tuple[int, str]:
    async with ws_connect(url) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            await socket.receive(within=10)
    assert closed.value.rcvd is not None, url
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def test_proxied_json_is_gzip_when_asked_and_identity_when_not(
    cluster: RunningCluster, admin: flows.User
) -> None:
    async with httpx.AsyncClient(base_url=cluster.gateway_urls[1], timeout=10) as http:
        # With a token: past the response cache, a fresh answer proxied from the service.
        plain = await get_raw(http, "/api/books", Authorization=f"Bearer {admin.token}")
        zipped = await get_raw(
            http, "/api/books", Authorization=f"Bearer {admin.token}", **{"Accept-Encoding": "gzip"}
        )
        small = await get_raw(http, f"/api/users/profile/{admin.id}", **{"Accept-Encoding": "gzip"})
    assert plain.status_code == zipped.status_code == 200
    assert len(plain.content) > 2048
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"].lower() == "accept-encoding"
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert int(zipped.headers["content-length"]) == len(zipped.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(zipped.content)) == json.loads(plain.content)
    assert small.status_code == 200
    assert len(small.content) < 1024
    assert "content-encoding" not in small.headers
    assert small.json()["username"] == admin.name


async def test_a_socket_naming_nothing_closes_with_4404_through_the_cluster_gateway(
    cluster: RunningCluster, admin: flows.User
) -> None:
    base = ws_base(cluster.gateway_urls[0])
    code, reason = await close_of(f"{base}/api/vote/live?poll_id=987654")
    assert (code, "987654" in reason) == (4404, True), reason
    code, reason = await close_of(f"{base}/api/vote/live?poll_id=abc")
    assert code == 4400, reason
    assert reason


async def test_a_ticket_from_one_gateway_opens_one_socket_through_another(
    cluster: RunningCluster, admin: flows.User
) -> None:
    first, second = cluster.gateway_urls
    async with httpx.AsyncClient(base_url=first, timeout=10) as http:
        voter = await flows.register(http, flows.unique("voter"))
        ballot = (await http.get("/api/polls/current", headers=voter.auth)).json()
        book_id = ballot["candidates"][3]["book_id"]
        voted = await http.post(
            "/api/vote", json={"book_id": book_id, "poll_id": ballot["poll_id"]}, headers=voter.auth
        )
        assert voted.status_code in (200, 201), voted.text

        async def ticket() -> str:
            issued = await http.post("/api/users/socket-ticket", headers=voter.auth)
            assert issued.status_code == 200, issued.text
            value: str = issued.json()["ticket"]
            return value

        spent, expiring = await ticket(), await ticket()
    url = f"{ws_base(second)}/api/vote/live?ticket={{}}"
    # Issued by the users service through the first gateway, redeemed by the voting service's
    # process through the second: the snapshot is the voter's own (their vote in it).
    async with ws_connect(url.format(spent)) as socket:
        snapshot = await socket.receive_until("snapshot", within=10)
        assert snapshot["my_vote"] == book_id
    # Spent: refused, through either gateway.
    for gateway in (first, second):
        code, _ = await close_of(f"{ws_base(gateway)}/api/vote/live?ticket={spent}")
        assert code == 4401
    # Expired: the store (Redis) let it lapse before it was used.
    store = aioredis.from_url(cluster.plan.settings.redis_url)
    try:
        key = f"{cluster.plan.settings.redis_prefix}ticket:{expiring}"
        assert await store.pexpire(key, 1)
        await asyncio.sleep(0.05)
        assert not await store.exists(key)
    finally:
        await store.aclose()
    code, reason = await close_of(url.format(expiring))
    assert code == 4401, reason
