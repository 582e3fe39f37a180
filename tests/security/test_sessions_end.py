"""Issue 11, item 8: an access token loses its authority the moment its session ends (demotion,
deletion, logout), not when it expires, on HTTP and on live sockets, in every service."""

from __future__ import annotations

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform.auth.sessions import MemorySessionStore
from agora.services.users.service import UsersService
from tests.support.api import Account, Api


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting")


def _users(platform: Platform) -> UsersService:
    service = platform.runtimes["users"].app.state.provided[UsersService]
    assert isinstance(service, UsersService)
    return service


async def _profile(client: httpx.AsyncClient, account: Account) -> httpx.Response:
    return await client.get("/api/users/profile", headers=account.headers)


def _assert_session_ended(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "session_ended"


async def test_a_demoted_admin_loses_admin_rights_at_once(
    api: Api, client: httpx.AsyncClient
) -> None:
    root = await api.register("root")  # the first user is the admin
    chief = await api.register("chief")
    promoted = await client.put(
        f"/api/users/{chief.id}/role", json={"role": "admin"}, headers=root.headers
    )
    assert promoted.status_code == 200, promoted.text
    chief = await api.relogin(chief)
    book = {"title": "Dune", "author": "Frank Herbert"}
    assert (await client.post("/api/books", json=book, headers=chief.headers)).status_code == 201

    demoted = await client.put(
        f"/api/users/{chief.id}/role", json={"role": "member"}, headers=root.headers
    )
    assert demoted.status_code == 200, demoted.text

    # The token that still says "admin" is refused by every service, before its 15 minutes.
    book2 = {"title": "Emma", "author": "Jane Austen"}
    _assert_session_ended(await client.post("/api/books", json=book2, headers=chief.headers))
    _assert_session_ended(await _profile(client, chief))
    # Its refresh token cannot mint a new admin token either.
    refreshed = await client.post("/api/users/refresh", json={"refresh_token": chief.refresh_token})
    assert refreshed.status_code == 401
    # Logging in again gives a member's token, which works as a member's.
    chief = await api.relogin(chief)
    assert chief.login["role"] == "member"
    assert (await _profile(client, chief)).status_code == 200
    refused = await client.post("/api/books", json=book2, headers=chief.headers)
    assert refused.status_code == 403
    # The admin who did it is unaffected.
    assert (await _profile(client, root)).status_code == 200


async def test_logout_ends_that_logins_access_token_only(
    api: Api, client: httpx.AsyncClient
) -> None:
    phone = await api.register("maya")
    laptop = await api.login("maya")
    response = await client.post("/api/users/logout", json={"refresh_token": phone.refresh_token})
    assert response.status_code == 200
    _assert_session_ended(await _profile(client, phone))
    assert (await _profile(client, laptop)).status_code == 200


async def test_end_sessions_ends_every_login_and_the_user_can_sign_in_again(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    phone = await api.register("noor")
    laptop = await api.login("noor")
    bystander = await api.register("sam")
    users = _users(platform)
    async with platform.databases["users"].session() as session:
        version = await users.do_end_sessions(session, phone.id)
    assert version == 1
    for account in (phone, laptop):
        _assert_session_ended(await _profile(client, account))
        body = {"refresh_token": account.refresh_token}
        again = await client.post("/api/users/refresh", json=body)
        assert again.status_code == 401
    assert (await _profile(client, bystander)).status_code == 200
    fresh = await api.login("noor")
    assert (await _profile(client, fresh)).status_code == 200


async def test_ended_sessions_survive_a_restart_of_the_in_process_store(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The embedded store lives in memory; at start the users service copies what the database
    knows (raised versions, recently revoked logins) back into it."""
    demoted = await api.register("ada_l")
    logged_out = await api.register("bob")
    users = _users(platform)
    async with platform.databases["users"].session() as session:
        await users.do_end_sessions(session, demoted.id)
    await client.post("/api/users/logout", json={"refresh_token": logged_out.refresh_token})

    fresh = MemorySessionStore()
    restarted = UsersService(
        hasher=users.hasher,
        issuer=users.issuer,
        verifier=users.verifier,
        rate_limiter=users.rate_limiter,
        clock=users.clock,
        login_limits=users.login_limits,
        sessions=fresh,
    )
    await restarted.do_restore_sessions(platform.databases["users"])
    assert (await fresh.get(demoted.id)).version == 1
    bo = platform.verifier.verify_access(logged_out.token)
    assert not (await fresh.get(logged_out.id)).admits(bo)


async def test_an_unknown_user_cannot_have_sessions_ended(platform: Platform) -> None:
    from agora.platform.errors import NotFound

    async with platform.databases["users"].session() as session:
        with pytest.raises(NotFound):
            await _users(platform).do_end_sessions(session, 424242)
