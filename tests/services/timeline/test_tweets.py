"""Posting, reading and deleting tweets with the Twitter-like seed's payloads; the public user
timeline and its pages."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from tests.services.timeline.support import home, tweet, user_timeline, walk
from tests.support.api import Api
from tests.support.events import EventLog


async def test_post_returns_the_seeds_fields(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    response = await client.post(
        "/api/tweets",
        json={"userId": str(alice.id), "content": "Hello, timeline!"},
        headers=alice.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["tweetId"].isdigit()
    assert body["userId"] == str(alice.id)
    assert body["content"] == "Hello, timeline!"
    assert body["timestamp"] == "2026-01-01T12:00:00Z"
    assert body["username"] == "alice"
    without_user_id = await client.post(
        "/api/tweets", json={"content": "userId is optional"}, headers=alice.headers
    )
    assert without_user_id.status_code == 201
    assert without_user_id.json()["userId"] == str(alice.id)


async def test_post_callers(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    anonymous = await client.post("/api/tweets", json={"content": "who am I"})
    assert anonymous.status_code == 401
    as_someone_else = await client.post(
        "/api/tweets", json={"userId": str(alice.id), "content": "I am alice"}, headers=bob.headers
    )
    assert as_someone_else.status_code == 403
    assert as_someone_else.json()["error"]["code"] == "acting_user_mismatch"
    assert await user_timeline(client, alice.id) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "x" * 281}, "body.content"),
        ({"content": ""}, "body.content"),
        ({"content": "   \n\t"}, "body.content"),
        ({}, "body.content"),
        ({"content": 42}, "body.content"),
        ({"content": "fine", "userId": "alice"}, "body.userId"),
        ({"content": "fine", "retweets": 3}, "body.retweets"),
    ],
)
async def test_post_rejects_invalid_fields_naming_them(
    api: Api, client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    alice = await api.register("alice")
    response = await client.post("/api/tweets", json=body, headers=alice.headers)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


async def test_280_characters_fit(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    exact = "é" * 280  # characters, not bytes
    response = await client.post("/api/tweets", json={"content": exact}, headers=alice.headers)
    assert response.status_code == 201
    assert response.json()["content"] == exact


async def test_posting_emits_tweet_posted(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "timeline.tweet_posted")
    alice = await api.register("alice")
    tweet_id = await tweet(client, alice, "an event")
    events = await log.of_type("timeline.tweet_posted")
    assert [e.payload["tweet_id"] for e in events] == [int(tweet_id)]
    assert events[0].payload["user_id"] == alice.id
    assert events[0].payload["content"] == "an event"
    assert events[0].producer == "timeline"


async def test_user_timeline_is_public_newest_first_and_only_the_users(
    api: Api, client: httpx.AsyncClient
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    for n in range(3):
        await tweet(client, alice, f"alice {n}")
        await tweet(client, bob, f"bob {n}")
    assert await user_timeline(client, alice.id) == ["alice 2", "alice 1", "alice 0"]
    response = await client.get(f"/api/tweets/userTimeline/{bob.id}", headers=alice.headers)
    assert [t["content"] for t in response.json()["tweets"]] == ["bob 2", "bob 1", "bob 0"]
    first = response.json()["tweets"][0]
    assert set(first) >= {"tweetId", "userId", "content", "timestamp"}
    assert first["userId"] == str(bob.id)


async def test_user_timeline_of_unknown_or_silent_users(
    api: Api, client: httpx.AsyncClient
) -> None:
    quiet = await api.register("quiet")
    assert await user_timeline(client, quiet.id) == []
    missing = await client.get("/api/tweets/userTimeline/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "user_not_found"
    assert (await client.get("/api/tweets/userTimeline/abc")).status_code == 404


async def test_user_timeline_pages_do_not_overlap(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    ids = [await tweet(client, alice, f"tweet {n}") for n in range(12)]
    pages = await walk(client, f"/api/tweets/userTimeline/{alice.id}", alice, limit=5)
    assert [len(p) for p in pages] == [5, 5, 2]
    flat = [i for page in pages for i in page]
    assert flat == list(reversed(ids))  # newest first, each exactly once
    bad = await client.get(f"/api/tweets/userTimeline/{alice.id}", params={"limit": 201})
    assert bad.status_code == 422
    bad_cursor = await client.get(f"/api/tweets/userTimeline/{alice.id}", params={"before": "x"})
    assert bad_cursor.status_code == 422
    assert bad_cursor.json()["error"]["details"][0]["field"] == "query.before"


async def test_one_tweet_by_id(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    tweet_id = await tweet(client, alice, "just this one")
    response = await client.get(f"/api/tweets/{tweet_id}")
    assert response.status_code == 200
    assert response.json()["content"] == "just this one"
    assert (await client.get("/api/tweets/999")).status_code == 404


async def test_delete_callers(api: Api, client: httpx.AsyncClient, platform: Platform) -> None:
    log = EventLog(platform, "timeline.tweet_deleted")
    admin, alice, bob = [await api.register(n) for n in ("admin", "alice", "bob")]
    tweet_id = await tweet(client, alice, "mine to delete")
    assert (await client.delete(f"/api/tweets/{tweet_id}")).status_code == 401
    other = await client.delete(f"/api/tweets/{tweet_id}", headers=bob.headers)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "not_the_author"
    by_admin = await client.delete(f"/api/tweets/{tweet_id}", headers=admin.headers)
    assert by_admin.status_code == 403  # only the author deletes a tweet
    owner = await client.delete(f"/api/tweets/{tweet_id}", headers=alice.headers)
    assert owner.status_code == 200
    assert owner.json()["message"] == "Tweet deleted"
    again = await client.delete(f"/api/tweets/{tweet_id}", headers=alice.headers)
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "tweet_not_found"
    assert (await client.get(f"/api/tweets/{tweet_id}")).status_code == 404
    events = await log.of_type("timeline.tweet_deleted")
    assert [e.payload["tweet_id"] for e in events] == [int(tweet_id)]


async def test_concurrent_deletes_of_one_tweet_delete_it_once(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "timeline.tweet_deleted")
    alice = await api.register("alice")
    tweet_id = await tweet(client, alice, "racing deletes")
    responses = await asyncio.gather(
        *(client.delete(f"/api/tweets/{tweet_id}", headers=alice.headers) for _ in range(4))
    )
    assert sorted(r.status_code for r in responses) == [200, 404, 404, 404]
    assert len(await log.of_type("timeline.tweet_deleted")) == 1
    assert await home(client, alice) == []
