"""Registration and login: the seeds' payloads, validation, uniqueness, roles and login
throttling."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from tests.support.api import PASSWORD, Api
from tests.support.events import EventLog
from tests.support.platform import client_for


async def test_register_returns_every_seeds_fields(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/users/register",
        json={"username": "alice", "email": "Alice@Example.com", "password": PASSWORD},
    )
    assert response.status_code == 201
    body = response.json()
    # Seed 004's envelope, seed 001's fields, seed 003's camelCase id.
    assert body["status"] == "success"
    assert body["message"] == "Registration successful"
    assert body["user_id"] == body["userId"] == "1"
    assert body["username"] == "alice"
    assert body["email"] == "alice@example.com"
    assert body["created_at"].endswith("Z")
    assert "password" not in response.text


async def test_register_without_email_as_in_the_twitter_seed(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/users/register", json={"username": "tweeter", "password": PASSWORD}
    )
    assert response.status_code == 201
    assert response.json()["email"] is None


async def test_first_user_is_admin_and_later_ones_members(
    api: Api, client: httpx.AsyncClient
) -> None:
    first = await api.register("first")
    second = await api.register("second")
    assert first.login["role"] == "admin"
    assert second.login["role"] == "member"


async def test_concurrent_first_registrations_make_exactly_one_admin(
    api: Api, client: httpx.AsyncClient
) -> None:
    names = [f"racer{i}" for i in range(8)]
    responses = await asyncio.gather(
        *(
            client.post("/api/users/register", json={"username": n, "password": PASSWORD})
            for n in names
        )
    )
    assert [r.status_code for r in responses] == [201] * 8
    assert sorted(r.json()["role"] for r in responses) == ["admin"] + ["member"] * 7


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "Alice", "password": PASSWORD}, "body.username"),
        ({"username": "al", "password": PASSWORD}, "body.username"),
        ({"username": "a" * 33, "password": PASSWORD}, "body.username"),
        ({"username": "al-ice", "password": PASSWORD}, "body.username"),
        ({"username": "alice", "password": "short"}, "body.password"),
        ({"username": "alice", "password": "x" * 129}, "body.password"),
        ({"username": "alice", "password": PASSWORD, "email": "not-an-email"}, "body.email"),
        ({"password": PASSWORD}, "body.username"),
        ({"username": "alice"}, "body.password"),
    ],
)
async def test_register_rejects_invalid_fields_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/api/users/register", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]]
    assert response.json()["status"] == "error"


async def test_register_malformed_json_is_a_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/users/register", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_json"


async def test_duplicate_username_or_email_is_a_409(api: Api, client: httpx.AsyncClient) -> None:
    await api.register("alice", email="alice@example.com")
    same_name = await client.post(
        "/api/users/register",
        json={"username": "alice", "email": "other@example.com", "password": PASSWORD},
    )
    same_email = await client.post(
        "/api/users/register",
        json={"username": "alice2", "email": "ALICE@example.com", "password": PASSWORD},
    )
    assert same_name.status_code == 409
    assert same_name.json()["error"]["code"] == "duplicate_username"
    assert same_email.status_code == 409
    assert same_email.json()["error"]["code"] == "duplicate_email"


async def test_registration_emits_user_registered(api: Api, platform: Platform) -> None:
    log = EventLog(platform, "user.registered")
    account = await api.register("alice")
    events = await log.of_type("user.registered")
    assert len(events) == 1
    assert events[0].payload["user_id"] == account.id
    assert events[0].payload["username"] == "alice"
    assert events[0].producer == "users"


async def test_login_by_username_or_email_returns_every_seeds_fields(
    api: Api, client: httpx.AsyncClient
) -> None:
    await api.register("alice", email="alice@example.com")
    by_name = await client.post(
        "/api/users/login", json={"username": "alice", "password": PASSWORD}
    )
    by_email = await client.post(
        "/api/users/login", json={"email": "ALICE@example.com", "password": PASSWORD}
    )
    for response in (by_name, by_email):
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "success"
        assert body["token"] == body["accessToken"] == body["access_token"]
        assert body["user_id"] == body["userId"] == "1"
        assert body["username"] == "alice"
        assert body["expires_at"].endswith("Z")
        assert body["expires_in"] == 900
        assert body["refresh_token"]


async def test_login_errors_do_not_reveal_whether_the_account_exists(
    api: Api, client: httpx.AsyncClient
) -> None:
    await api.register("alice")
    wrong_password = await client.post(
        "/api/users/login", json={"username": "alice", "password": "wrong password!!"}
    )
    no_account = await client.post(
        "/api/users/login", json={"username": "nobody", "password": "wrong password!!"}
    )
    assert wrong_password.status_code == no_account.status_code == 401
    assert wrong_password.json() == no_account.json()


async def test_login_needs_an_identifier(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/users/login", json={"password": PASSWORD})
    assert response.status_code == 422


async def test_ten_failed_logins_from_one_address_lock_it_out_of_the_account(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The rest of the throttle (per account, per address, the owner's addresses, concurrency)
    is in tests/security/test_login_throttle.py."""
    await api.register("alice")
    for _ in range(10):
        response = await client.post(
            "/api/users/login", json={"username": "alice", "password": "wrong password!!"}
        )
        assert response.status_code == 401
    locked = await client.post("/api/users/login", json={"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert locked.json()["error"]["code"] == "rate_limited"
    # The guesses from that address do not lock alice out from another one.
    async with client_for(platform, client=("203.0.113.9", 4000)) as elsewhere:
        response = await elsewhere.post(
            "/api/users/login", json={"username": "alice", "password": PASSWORD}
        )
        assert response.status_code == 200
