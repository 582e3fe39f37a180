"""Issue 11, item 1: every per-address limit keys on the client's address, which X-Forwarded-For can
change only when a configured proxy sent it; behind the gateway, services key on the address the
gateway vouches for, not on the gateway's own (which locked every user out in the cluster)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from agora.entrypoints.embedded import Platform
from agora.gateway.proxy import _forward_headers
from agora.platform.clientaddr import TrustedProxies
from agora.platform.clock import ManualClock
from tests.support.api import Api
from tests.support.databases import DatabaseFactory
from tests.support.platform import client_for, running_platform

PAIR = 3


def _scope(peer: str, *forwarded: str) -> dict[str, object]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return {"type": "http", "client": (peer, 1234), "headers": headers}


@pytest.mark.parametrize(
    ("trusted", "scope", "client"),
    [
        # Nobody trusted: the peer, whatever the header says.
        ([], _scope("203.0.113.1", "1.1.1.1"), "203.0.113.1"),
        # A trusted proxy: the rightmost hop it does not vouch for.
        (["10.0.0.0/8"], _scope("10.0.0.2", "198.51.100.4"), "198.51.100.4"),
        (["10.0.0.0/8"], _scope("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.9"), "198.51.100.4"),
        (["10.0.0.0/8"], _scope("10.0.0.2", "6.6.6.6", "198.51.100.4"), "198.51.100.4"),
        # An untrusted peer's header is the client's own claim: ignored.
        (["10.0.0.0/8"], _scope("198.51.100.4", "10.0.0.3"), "198.51.100.4"),
        # Only proxies all the way: the leftmost, the furthest any of them saw.
        (["10.0.0.0/8"], _scope("10.0.0.2", "10.0.0.7"), "10.0.0.7"),
        (["10.0.0.0/8"], _scope("10.0.0.2"), "10.0.0.2"),
        # Garbage in the chain: the last address a trusted proxy vouched for.
        (["10.0.0.0/8"], _scope("10.0.0.2", "evil, 10.0.0.8"), "10.0.0.8"),
        (["10.0.0.0/8"], _scope("10.0.0.2", "not-an-ip"), "10.0.0.2"),
        # Ports and IPv6.
        (["::1"], _scope("::1", "[2001:db8::5]:443"), "2001:db8::5"),
        (["127.0.0.1"], _scope("127.0.0.1", "198.51.100.4:5555"), "198.51.100.4"),
    ],
)
def test_the_client_address_is_what_trusted_proxies_vouch_for(
    trusted: list[str], scope: dict[str, object], client: str
) -> None:
    assert TrustedProxies(trusted).client_of(scope) == client


def test_the_cluster_gateway_forwards_only_the_address_it_resolved() -> None:
    """A chain the client wrote never reaches the service: it could not move its address there."""
    scope = {
        "type": "http",
        "client": ("198.51.100.4", 1),
        "headers": [(b"x-forwarded-for", b"6.6.6.6"), (b"host", b"agora")],
    }
    assert _forward_headers(scope)["x-forwarded-for"] == "198.51.100.4"


@pytest.fixture
async def platform(
    db_backend: str, database_factory: DatabaseFactory, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Platform]:
    """The embedded platform behind a reverse proxy at 10.0.0.2."""
    async with running_platform(
        database_factory,
        db_backend,
        tmp_path,
        clock=clock,
        login_max_failures=PAIR,
        trusted_proxies=["10.0.0.2"],
    ) as running:
        yield running


async def _guess(platform: Platform, peer: str, forwarded: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    async with client_for(platform, client=(peer, 5000)) as client:
        response = await client.post(
            "/api/users/login",
            json={"username": "victim", "password": "wrong password!!"},
            headers=headers,
        )
    return response.status_code


async def test_behind_a_trusted_proxy_each_client_has_its_own_count(
    api: Api, platform: Platform
) -> None:
    await api.register("victim")
    # Through the proxy, one client exhausts its own count...
    assert [await _guess(platform, "10.0.0.2", "198.51.100.1") for _ in range(PAIR + 1)] == [
        401
    ] * PAIR + [429]
    # ...and another client behind the same proxy is not locked out by it.
    assert await _guess(platform, "10.0.0.2", "198.51.100.2") == 401


async def test_a_client_cannot_dodge_its_count_by_forging_x_forwarded_for(
    api: Api, platform: Platform
) -> None:
    await api.register("victim")
    statuses = [await _guess(platform, "203.0.113.66", f"192.0.2.{n}") for n in range(PAIR + 2)]
    assert statuses == [401] * PAIR + [429, 429]
