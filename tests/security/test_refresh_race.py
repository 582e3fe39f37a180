"""Issue 11, item 10: two tabs refreshing the same token together both stay signed in (the slower
one gets a sibling pair within a short grace window); a reuse after the window is still a replay
that revokes the whole login."""

from __future__ import annotations

import asyncio

import httpx

from agora.platform.clock import ManualClock
from tests.support.api import Api


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/users/refresh", json={"refresh_token": token})


async def test_two_tabs_refreshing_at_once_both_stay_signed_in(
    api: Api, client: httpx.AsyncClient
) -> None:
    alice = await api.register("alice")
    first, second = await asyncio.gather(
        _refresh(client, alice.refresh_token), _refresh(client, alice.refresh_token)
    )
    assert first.status_code == second.status_code == 200, (first.text, second.text)
    pairs = [first.json(), second.json()]
    assert pairs[0]["refresh_token"] != pairs[1]["refresh_token"]
    for pair in pairs:
        headers = {"Authorization": f"Bearer {pair['token']}"}
        assert (await client.get("/api/users/profile", headers=headers)).status_code == 200
        assert (await _refresh(client, pair["refresh_token"])).status_code == 200


async def test_a_reuse_after_the_grace_window_revokes_the_login(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    bob = await api.register("bob")
    newest = (await _refresh(client, bob.refresh_token)).json()
    clock.advance(seconds=9)
    sibling = await _refresh(client, bob.refresh_token)  # still within 10 s: a second tab
    assert sibling.status_code == 200
    clock.advance(seconds=2)
    replay = await _refresh(client, bob.refresh_token)
    assert replay.status_code == 401
    assert replay.json()["error"]["code"] == "token_reused"
    # Every token of that login is dead, access tokens included (a thief's too).
    for pair in (newest, sibling.json()):
        assert (await _refresh(client, pair["refresh_token"])).status_code == 401
        headers = {"Authorization": f"Bearer {pair['token']}"}
        profile = await client.get("/api/users/profile", headers=headers)
        assert profile.status_code == 401
        assert profile.json()["error"]["code"] == "session_ended"
    # Another login of bob's goes on.
    other = await api.login("bob")
    assert (await client.get("/api/users/profile", headers=other.headers)).status_code == 200


async def test_a_signed_out_token_gets_no_grace(api: Api, client: httpx.AsyncClient) -> None:
    cy = await api.register("cyrus")
    assert (await _refresh(client, cy.refresh_token)).status_code == 200
    logout = await client.post("/api/users/logout", json={"refresh_token": cy.refresh_token})
    assert logout.status_code == 200
    assert (await _refresh(client, cy.refresh_token)).status_code == 401
