"""Fixtures of the sports tests: the users and sports services, and one caller of each kind."""

from __future__ import annotations

import httpx
import pytest

from tests.services.sports.support import Callers, Sports
from tests.support.api import Api


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "sports")


@pytest.fixture
async def callers(api: Api, client: httpx.AsyncClient) -> Callers:
    admin = await api.register("admin")
    feeder = await api.register("feeder")
    member = await api.register("member")
    granted = await client.put(
        f"/api/users/{feeder.id}/role", json={"role": "feeder"}, headers=admin.headers
    )
    assert granted.status_code == 200, granted.text
    return Callers(admin=admin, feeder=await api.relogin(feeder), member=member)


@pytest.fixture
def sports(client: httpx.AsyncClient) -> Sports:
    return Sports(client)
