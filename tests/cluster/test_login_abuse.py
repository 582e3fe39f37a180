"""Issue 11 through the cluster gateway: 500 wrong passwords at once against one account from 50
addresses are capped, the owner still logs in from their own address, nobody gets a 500, and the
throttle keys on the client's address rather than the gateway's. (A 503 with Retry-After, load shed
when the machine is saturated, is allowed; a 500 is not.) Ended sessions end on every
replica at once.

The addresses are real: each client binds its own loopback address (127.0.0.0/8 is all local)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from tests.support.api import PASSWORD
from tests.support.cluster import RunningCluster, running_cluster

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(300)]

ACCOUNT_LIMIT = 20


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningCluster]:
    env = {
        "AGORA_WRITE_RATE_PER_MINUTE": "100000",
        "AGORA_LOGIN_ACCOUNT_MAX_FAILURES": str(ACCOUNT_LIMIT),
    }
    with running_cluster(
        tmp_path_factory.mktemp("cluster"), ["users"], replicas=2, env=env
    ) as running:
        yield running


def _client(gateway: str, address: str, connections: int = 10) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport(
        local_address=address, limits=httpx.Limits(max_connections=connections)
    )
    return httpx.AsyncClient(transport=transport, base_url=gateway, timeout=60)


async def _register(gateway: str, address: str, username: str) -> dict[str, str]:
    async with _client(gateway, address) as client:
        body = {"username": username, "password": PASSWORD}
        assert (await client.post("/api/users/register", json=body)).status_code == 201
        response = await client.post("/api/users/login", json=body)
        assert response.status_code == 200, response.text
        return dict(response.json())


async def _login(client: httpx.AsyncClient, username: str, password: str) -> int:
    response = await client.post(
        "/api/users/login", json={"username": username, "password": password}
    )
    if response.status_code == 503:
        # Shedding load is allowed (the flood may outrun two replicas on a busy machine), but only
        # as the contract's error with a time to come back: never a 500, never a bare failure.
        assert response.headers.get("Retry-After"), response.headers
        assert response.json()["status"] == "error", response.text
    return response.status_code


async def _flood(gateway: str, username: str) -> Counter[int]:
    clients = [_client(gateway, f"127.0.0.{n}") for n in range(2, 52)]
    try:
        statuses = await asyncio.gather(
            *(_login(client, username, "wrong password!!") for client in clients for _ in range(10))
        )
    finally:
        for client in clients:
            await client.aclose()
    return Counter(statuses)


def test_a_flood_of_guesses_is_capped_and_the_owner_still_gets_in(
    cluster: RunningCluster,
) -> None:
    gateway = cluster.gateway_urls[0]
    asyncio.run(_register(gateway, "127.0.0.200", "owner"))
    statuses = asyncio.run(_flood(gateway, "owner"))
    assert sum(statuses.values()) == 500
    assert set(statuses) <= {401, 429, 503}, statuses
    # A first login from an address counts against the account like any other: the owner's one.
    assert statuses[401] <= ACCOUNT_LIMIT - 1, statuses

    async def afterwards() -> None:
        async with _client(gateway, "127.0.0.200") as home:
            assert await _login(home, "owner", PASSWORD) == 200
        # The attackers' failures were counted on their addresses, not on the gateway's: someone
        # else logs in, even from one of those addresses.
        await _register(gateway, "127.0.0.201", "bystander")
        async with _client(gateway, "127.0.0.7") as shared:
            assert await _login(shared, "bystander", PASSWORD) == 200

    asyncio.run(afterwards())


def test_logout_ends_the_access_token_on_every_replica(cluster: RunningCluster) -> None:
    gateway = cluster.gateway_urls[0]

    async def scenario() -> None:
        login = await _register(gateway, "127.0.0.210", "leaver")
        headers = {"Authorization": f"Bearer {login['token']}"}
        async with _client(gateway, "127.0.0.210") as client:
            # Both replicas have seen (and cached) the token's session as in force.
            for _ in range(4):
                assert (await client.get("/api/users/profile", headers=headers)).status_code == 200
            body = {"refresh_token": login["refresh_token"]}
            assert (await client.post("/api/users/logout", json=body)).status_code == 200
            # Round robin over two replicas: each refuses it at once.
            for _ in range(4):
                response = await client.get("/api/users/profile", headers=headers)
                assert response.status_code == 401, response.text
                assert response.json()["error"]["code"] == "session_ended"

    asyncio.run(scenario())


def test_a_body_over_the_limit_is_refused_at_the_gateway(cluster: RunningCluster) -> None:
    """Item 9 in the cluster: the gateway refuses it before any replica sees it."""
    body = b'{"username": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    response = httpx.post(
        f"{cluster.gateway_urls[0]}/api/users/register",
        content=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"
