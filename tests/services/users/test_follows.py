"""Follow and unfollow with the Twitter-like seed's payloads; followers and followings pages."""

from __future__ import annotations

import httpx

from agora.entrypoints.embedded import Platform
from tests.support.api import Account, Api
from tests.support.events import EventLog


async def _follow(client: httpx.AsyncClient, who: Account, whom: int) -> httpx.Response:
    return await client.post(
        f"/api/users/{who.id}/follow", json={"followUserId": str(whom)}, headers=who.headers
    )


async def _unfollow(client: httpx.AsyncClient, who: Account, whom: int) -> httpx.Response:
    return await client.request(
        "DELETE",
        f"/api/users/{who.id}/unfollow",
        json={"unfollowUserId": str(whom)},
        headers=who.headers,
    )


async def test_follow_then_lists_show_it(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    response = await _follow(client, alice, bob.id)
    assert response.status_code == 200
    assert response.json()["message"] == "Now following bob"
    followings = await client.get(f"/api/users/{alice.id}/followings")
    assert followings.json()["followings"] == [str(bob.id)]
    assert followings.json()["users"][0]["username"] == "bob"
    followers = await client.get(f"/api/users/{bob.id}/followers")
    assert followers.json()["followers"] == [str(alice.id)]
    profile = await client.get(f"/api/users/profile/{bob.id}")
    assert (profile.json()["followers_count"], profile.json()["followings_count"]) == (1, 0)
    follower = await client.get(f"/api/users/profile/{alice.id}")
    assert (follower.json()["followers_count"], follower.json()["followings_count"]) == (0, 1)
    mine = await client.get("/api/users/profile", headers=alice.headers)
    assert (mine.json()["followers_count"], mine.json()["followings_count"]) == (0, 1)


async def test_follow_rules(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    self_follow = await _follow(client, alice, alice.id)
    assert self_follow.status_code == 400
    assert self_follow.json()["error"]["code"] == "self_follow"
    as_someone_else = await client.post(
        f"/api/users/{bob.id}/follow", json={"followUserId": alice.id}, headers=alice.headers
    )
    assert as_someone_else.status_code == 403
    assert (await _follow(client, alice, 999)).status_code == 404
    anonymous = await client.post(f"/api/users/{alice.id}/follow", json={"followUserId": bob.id})
    assert anonymous.status_code == 401
    missing_field = await client.post(
        f"/api/users/{alice.id}/follow", json={}, headers=alice.headers
    )
    assert missing_field.status_code == 422
    assert missing_field.json()["error"]["details"][0]["field"] == "body.followUserId"
    not_a_number = await client.post(
        f"/api/users/{alice.id}/follow", json={"followUserId": "bob"}, headers=alice.headers
    )
    assert not_a_number.status_code == 422


async def test_repeating_follow_or_unfollow_is_harmless_and_emits_once(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "user.followed", "user.unfollowed")
    alice, bob = await api.register("alice"), await api.register("bob")
    assert (await _follow(client, alice, bob.id)).status_code == 200
    again = await _follow(client, alice, bob.id)
    assert again.status_code == 200
    assert again.json()["message"] == "Already following bob"
    assert (await client.get(f"/api/users/{bob.id}/followers")).json()["followers"] == [
        str(alice.id)
    ]
    assert (await _unfollow(client, alice, bob.id)).status_code == 200
    twice = await _unfollow(client, alice, bob.id)
    assert twice.status_code == 200
    assert twice.json()["message"] == "Was not following bob"
    assert (await client.get(f"/api/users/{bob.id}/followers")).json()["followers"] == []
    followed = await log.of_type("user.followed")
    unfollowed = await log.of_type("user.unfollowed")
    assert [(e.payload["follower_id"], e.payload["followee_id"]) for e in followed] == [
        (alice.id, bob.id)
    ]
    assert len(unfollowed) == 1


async def test_unfollow_accepts_a_query_parameter_too(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    await _follow(client, alice, bob.id)
    response = await client.delete(
        f"/api/users/{alice.id}/unfollow", params={"unfollowUserId": bob.id}, headers=alice.headers
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Unfollowed bob"
    neither = await client.delete(f"/api/users/{alice.id}/unfollow", headers=alice.headers)
    assert neither.status_code == 422


async def test_followers_pages_do_not_overlap(api: Api, client: httpx.AsyncClient) -> None:
    star = await api.register("star")
    fans = [await api.register(f"fan{i}") for i in range(7)]
    for fan in fans:
        await _follow(client, fan, star.id)
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(f"/api/users/{star.id}/followers", params=params)).json()
        seen.extend(page["followers"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(f.id) for f in reversed(fans)]  # newest first, each once
    bad = await client.get(f"/api/users/{star.id}/followers", params={"limit": 500})
    assert bad.status_code == 422
    assert (await client.get("/api/users/999/followers")).status_code == 404
