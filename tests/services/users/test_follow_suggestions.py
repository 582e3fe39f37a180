"""Follow suggestions: people I do not follow yet, ranked by the people I follow who follow them,
then by followers, then by the latest login; never myself; a signed-in read with a bounded limit."""

from __future__ import annotations

import httpx

from agora.platform.clock import ManualClock
from tests.support.api import Account, Api


async def _follow(client: httpx.AsyncClient, who: Account, whom: Account) -> None:
    response = await client.post(
        f"/api/users/{who.id}/follow", json={"followUserId": str(whom.id)}, headers=who.headers
    )
    assert response.status_code == 200, response.text


async def _suggested(client: httpx.AsyncClient, who: Account, query: str = "") -> list[str]:
    response = await client.get(f"/api/users/suggestions{query}", headers=who.headers)
    assert response.status_code == 200, response.text
    return [u["username"] for u in response.json()["users"]]


async def test_suggestions_rank_friends_of_friends_then_followers_then_activity(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    ana, bob, cat, dan, eve, fay = [
        await api.register(name) for name in ("ana", "bob", "cat", "dan", "eve", "fay")
    ]
    await _follow(client, ana, bob)
    await _follow(client, bob, dan)  # someone Ana follows follows Dan
    for fan in (cat, dan, fay):
        await _follow(client, fan, eve)  # Eve has the most followers
    # Cat logs in again later than everyone else: the more recently active of the two left.
    clock.advance(3600)
    await api.login("cat")
    ana = await api.login("ana")  # a fresh token: the first one has expired meanwhile

    response = await client.get("/api/users/suggestions?limit=10", headers=ana.headers)
    assert response.status_code == 200
    users = response.json()["users"]
    # Not Ana herself, not Bob whom she follows.
    assert [u["username"] for u in users] == ["dan", "eve", "cat", "fay"]
    assert users[0] == {
        "user_id": str(dan.id),
        "userId": str(dan.id),
        "username": "dan",
        "profile_picture": "",
        "followers_count": 1,
        "followed_by_followings": 1,
    }
    assert (users[1]["followers_count"], users[1]["followed_by_followings"]) == (3, 0)

    assert await _suggested(client, ana, "?limit=2") == ["dan", "eve"]
    # The default is a short list.
    assert len(await _suggested(client, ana)) == 4

    # A follow takes the person off the list.
    await _follow(client, ana, dan)
    assert await _suggested(client, ana, "?limit=10") == ["eve", "cat", "fay"]
    # Eve follows nobody: everyone but herself; Bob and Dan have a follower each, then Cat and Ana
    # logged in last (the newer account first), then Fay.
    eve = await api.login("eve")
    assert await _suggested(client, eve, "?limit=50") == ["dan", "bob", "cat", "ana", "fay"]


async def test_suggestions_with_no_one_else_are_empty(api: Api, client: httpx.AsyncClient) -> None:
    ana = await api.register("ana")
    assert await _suggested(client, ana) == []


async def test_suggestions_need_a_token_and_a_limit_in_range(
    api: Api, client: httpx.AsyncClient
) -> None:
    ana = await api.register("ana")
    anonymous = await client.get("/api/users/suggestions")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "unauthorized"
    for bad in ("0", "51", "-3", "many"):
        response = await client.get(f"/api/users/suggestions?limit={bad}", headers=ana.headers)
        assert response.status_code == 422, (bad, response.text)
        error = response.json()["error"]
        assert error["code"] == "validation_error"
        assert error["details"][0]["field"] == "query.limit", error
    assert len(await _suggested(client, ana, "?limit=50")) == 0
