"""Issue 11, items 2 and 7: the login throttle counts every attempt atomically before the password
is checked, on the account (not on the identifier typed) and on (account, address), and an attacker
cannot lock the owner out (decision 0014). Embedded, on SQLite and PostgreSQL; the cluster's
500-request flood is tests/cluster/test_login_abuse.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform.auth.passwords import PasswordHasher
from agora.platform.clock import ManualClock
from agora.services.users.service import UsersService
from tests.support.api import PASSWORD, Api
from tests.support.databases import DatabaseFactory
from tests.support.platform import client_for, running_platform

PAIR, ACCOUNT, ADDRESS = 5, 12, 30
WRONG = {"password": "wrong password!!"}


class CountingHasher(PasswordHasher):
    """Counts how many passwords were actually checked."""

    checked = 0

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        self.checked += 1
        return await super().verify(stored_hash, password)


@pytest.fixture
async def platform(
    db_backend: str, database_factory: DatabaseFactory, tmp_path: Path, clock: ManualClock
) -> AsyncIterator[Platform]:
    async with running_platform(
        database_factory,
        db_backend,
        tmp_path,
        clock=clock,
        login_max_failures=PAIR,
        login_account_max_failures=ACCOUNT,
        login_address_max_failures=ADDRESS,
    ) as running:
        yield running


@pytest.fixture
def hasher(platform: Platform) -> CountingHasher:
    users = platform.runtimes["users"].app.state.provided[UsersService]
    counting = CountingHasher(time_cost=1, memory_kib=1024, parallelism=1)
    users.hasher = counting
    return counting


def _from(platform: Platform, address: str) -> httpx.AsyncClient:
    return client_for(platform, client=(address, 40000))


async def _login(client: httpx.AsyncClient, password: str = PASSWORD, **who: str) -> int:
    response = await client.post("/api/users/login", json={**who, "password": password})
    assert response.status_code < 500, response.text
    if response.status_code == 429:
        assert int(response.headers["Retry-After"]) > 0
        assert response.json()["error"]["code"] == "rate_limited"
    return response.status_code


async def test_concurrent_guesses_cannot_slip_under_the_limit(
    api: Api, platform: Platform, hasher: CountingHasher
) -> None:
    await api.register("target")
    hasher.checked = 0
    async with _from(platform, "198.51.100.7") as attacker:
        statuses = await asyncio.gather(
            *(_login(attacker, WRONG["password"], username="target") for _ in range(50))
        )
    assert hasher.checked == PAIR
    assert sorted(statuses) == [401] * PAIR + [429] * (50 - PAIR)


async def test_username_and_email_are_one_account(
    api: Api, platform: Platform, hasher: CountingHasher
) -> None:
    await api.register("tomas", email="tomas@example.com")
    hasher.checked = 0
    async with _from(platform, "198.51.100.8") as attacker:
        for i in range(PAIR):
            who = {"username": "tomas"} if i % 2 else {"email": "TOMAS@example.com"}
            assert await _login(attacker, WRONG["password"], **who) == 401
        assert await _login(attacker, WRONG["password"], email="tomas@example.com") == 429
        assert await _login(attacker, WRONG["password"], username="tomas") == 429
    assert hasher.checked == PAIR


async def test_many_addresses_are_capped_per_account_but_the_owner_gets_in(
    api: Api, platform: Platform, hasher: CountingHasher
) -> None:
    async with _from(platform, "192.0.2.10") as home:
        # Registers and logs in from home: a first login from an address counts against the
        # account like any attempt from a new address.
        await Api(home).register("owner")
    hasher.checked = 0
    guesses = ACCOUNT - 1
    statuses = []
    for n in range(ACCOUNT + 8):
        async with _from(platform, f"203.0.113.{n + 1}") as attacker:
            statuses.append(await _login(attacker, WRONG["password"], username="owner"))
    assert hasher.checked == guesses
    assert statuses == [401] * guesses + [429] * (ACCOUNT + 8 - guesses)
    # The owner, from the address they logged in from before, is not locked out...
    async with _from(platform, "192.0.2.10") as home:
        assert await _login(home, username="owner") == 200
    # ...while a new address (the attacker's next one, or the owner travelling) waits.
    async with _from(platform, "203.0.113.200") as elsewhere:
        assert await _login(elsewhere, username="owner") == 429


async def test_one_address_spraying_many_accounts_is_capped(
    platform: Platform, hasher: CountingHasher
) -> None:
    async with _from(platform, "198.51.100.9") as sprayer:
        statuses = [
            await _login(sprayer, WRONG["password"], username=f"someone{n}")
            for n in range(ADDRESS + 3)
        ]
    assert statuses == [401] * ADDRESS + [429] * 3
    assert hasher.checked == ADDRESS


async def test_an_unknown_account_is_throttled_like_a_real_one(
    api: Api, platform: Platform
) -> None:
    """The throttle does not tell which accounts exist."""
    await api.register("realone")
    async with _from(platform, "198.51.100.10") as attacker:
        for who in ("realone", "ghost_account"):
            statuses = [
                await _login(attacker, WRONG["password"], username=who) for _ in range(PAIR + 1)
            ]
            assert statuses == [401] * PAIR + [429]


async def test_a_successful_login_clears_its_addresses_count(api: Api, platform: Platform) -> None:
    await api.register("forgetful")
    async with _from(platform, "192.0.2.20") as laptop:
        for _ in range(PAIR - 1):
            assert await _login(laptop, WRONG["password"], username="forgetful") == 401
        assert await _login(laptop, username="forgetful") == 200
        for _ in range(PAIR - 1):
            assert await _login(laptop, WRONG["password"], username="forgetful") == 401
        assert await _login(laptop, username="forgetful") == 200
