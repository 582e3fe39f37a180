"""Issue 11, item 3: a login flood does not turn into 500s or stall other requests. argon2 runs
outside database write transactions (it held SQLite's write lock for ~350 ms per login), and a
database that is overloaded (pool exhausted, lock wait over) is a 503 in the contract's JSON."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from fastapi import APIRouter
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from agora.entrypoints.embedded import Platform
from agora.platform.auth.passwords import PasswordHasher
from agora.platform.db import Database
from agora.platform.http import create_service_app
from agora.services.users.service import UsersService
from tests.support.api import PASSWORD, Api
from tests.support.platform import client_for


class WriterProbingHasher(PasswordHasher):
    """While hashing or verifying, proves that a write transaction can begin at once: the login
    holds no write lock (on SQLite a `BEGIN IMMEDIATE` would wait for it)."""

    def __init__(self, database: Database) -> None:
        super().__init__(time_cost=1, memory_kib=1024, parallelism=1)
        self.database = database
        self.probes = 0

    async def _probe(self) -> None:
        async with asyncio.timeout(3):
            async with self.database.session() as session:
                await session.execute(text("UPDATE users SET bio = bio WHERE id = -1"))
        self.probes += 1

    async def hash(self, password: str) -> str:
        await self._probe()
        return await super().hash(password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        await self._probe()
        return await super().verify(stored_hash, password)


def _users(platform: Platform) -> UsersService:
    service = platform.runtimes["users"].app.state.provided[UsersService]
    assert isinstance(service, UsersService)
    return service


async def test_passwords_are_hashed_and_checked_outside_write_transactions(
    api: Api, platform: Platform
) -> None:
    probing = WriterProbingHasher(platform.databases["users"])
    _users(platform).hasher = probing
    account = await api.register("careful")  # hash at registration, verify at login
    assert account.token
    wrong = await api.client.post(
        "/api/users/login", json={"username": "careful", "password": "not the password"}
    )
    assert wrong.status_code == 401
    assert probing.probes == 3


async def test_a_login_flood_gets_no_500_and_reads_go_on(api: Api, platform: Platform) -> None:
    owner = await api.register("popular")

    async def guess(address: str) -> int:
        async with client_for(platform, client=(address, 1)) as client:
            response = await client.post(
                "/api/users/login", json={"username": "popular", "password": "guess guess guess"}
            )
            return response.status_code

    flood = asyncio.gather(*(guess(f"198.51.100.{n % 20}") for n in range(200)))
    profile = await api.client.get("/api/users/profile", headers=owner.headers)
    statuses = Counter(await flood)
    assert profile.status_code == 200
    assert set(statuses) <= {401, 429}, statuses
    login = await api.client.post(
        "/api/users/login", json={"username": "popular", "password": PASSWORD}
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    "failure",
    [
        sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"),
        sa_exc.OperationalError("INSERT ...", {}, Exception("database is locked")),
        sa_exc.OperationalError("SELECT 1", {}, Exception("too many clients already")),
    ],
)
async def test_an_overloaded_database_is_a_503_not_a_500(failure: Exception) -> None:
    router = APIRouter()

    @router.get("/busy")
    async def busy() -> None:
        raise failure

    app = create_service_app(service="demo", title="d", description="d", routers=[router])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        response = await client.get("/busy")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json() == {
        "status": "error",
        "error": {
            "code": "database_unavailable",
            "message": "The database is busy or unavailable; try again shortly",
        },
    }
