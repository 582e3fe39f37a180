"""The home timeline: whom one follows and oneself, newest first, private; fan-out on write,
follows and unfollows, deletes, pages, and a feed store that was emptied or is down."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.platform.bus.event import Event
from agora.platform.clock import ManualClock
from agora.platform.feeds import FeedStoreUnavailable
from agora.services.timeline import repository as repo
from tests.services.timeline.support import (
    follow,
    home,
    timeline_service,
    tweet,
    unfollow,
    user_timeline,
    walk,
)
from tests.support.api import Account, Api
from tests.support.events import EventLog


async def _trio(api: Api) -> tuple[Account, Account, Account]:
    return await api.register("alice"), await api.register("bob"), await api.register("carol")


async def test_home_holds_followed_users_and_oneself_newest_first(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await platform.settle()
    await tweet(client, bob, "bob 1")
    await tweet(client, carol, "carol 1")  # alice does not follow carol
    await tweet(client, alice, "alice 1")
    await tweet(client, bob, "bob 2")
    await platform.settle()
    assert await home(client, alice) == ["bob 2", "alice 1", "bob 1"]
    assert await home(client, bob) == ["bob 2", "bob 1"]  # following is not mutual
    assert await home(client, carol) == ["carol 1"]


async def test_home_timeline_is_private(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob, _ = await _trio(api)
    await tweet(client, alice, "for my eyes")
    path = f"/api/tweets/homeTimeline/{alice.id}"
    assert (await client.get(path)).status_code == 401
    other = await client.get(path, headers=bob.headers)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "not_your_timeline"
    owner = await client.get(path, headers=alice.headers)
    assert owner.status_code == 200
    assert [t["content"] for t in owner.json()["tweets"]] == ["for my eyes"]
    assert set(owner.json()["tweets"][0]) >= {"tweetId", "userId", "content", "timestamp"}


@pytest.mark.parametrize("warm", [True, False], ids=["warm-feed", "cold-feed"])
async def test_the_author_reads_their_tweet_right_after_posting(
    api: Api, client: httpx.AsyncClient, warm: bool
) -> None:
    alice = await api.register("alice")
    if warm:
        assert await home(client, alice) == []  # builds alice's feed before she posts
    for n in range(3):
        # No settling: the event's fan-out may not have run yet.
        await tweet(client, alice, f"post {n}")
        assert (await home(client, alice))[0] == f"post {n}"
        assert (await user_timeline(client, alice.id))[0] == f"post {n}"


async def test_following_merges_recent_posts_in_order(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await tweet(client, bob, "bob old")
    await tweet(client, alice, "alice 1")
    await tweet(client, carol, "carol old")
    await tweet(client, bob, "bob newer")
    assert await home(client, alice) == ["alice 1"]
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await platform.settle()
    assert await home(client, alice) == ["bob newer", "carol old", "alice 1", "bob old"]


async def test_unfollow_removes_past_posts_and_stops_future_ones(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await platform.settle()
    await tweet(client, bob, "bob before")
    await tweet(client, carol, "carol before")
    await platform.settle()
    assert await home(client, alice) == ["carol before", "bob before"]
    await unfollow(client, alice, bob)
    await platform.settle()
    assert await home(client, alice) == ["carol before"]
    await tweet(client, bob, "bob after")
    await tweet(client, carol, "carol after")
    await platform.settle()
    assert await home(client, alice) == ["carol after", "carol before"]
    assert await user_timeline(client, bob.id) == ["bob after", "bob before"]


async def test_delete_removes_a_tweet_from_every_timeline(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await follow(client, carol, bob)
    await platform.settle()
    await tweet(client, bob, "keep")
    doomed = await tweet(client, bob, "regret")
    await platform.settle()
    for reader in (alice, bob, carol):
        assert await home(client, reader) == ["regret", "keep"]
    response = await client.delete(f"/api/tweets/{doomed}", headers=bob.headers)
    assert response.status_code == 200
    # Gone at once from every timeline, before the deletion's fan-out ran ...
    for reader in (alice, bob, carol):
        assert await home(client, reader) == ["keep"]
    assert await user_timeline(client, bob.id) == ["keep"]
    await platform.settle()
    # ... and after it, from the feeds too.
    service = timeline_service(platform)
    for reader in (alice, bob, carol):
        assert int(doomed) not in await service.feeds.page(f"home:{reader.id}", limit=50)
        assert await home(client, reader) == ["keep"]


async def test_home_pages_do_not_overlap(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await platform.settle()
    posted = [
        await tweet(client, author, f"{author.username} {n}")
        for n in range(8)
        for author in (bob, carol, alice)
    ]
    await platform.settle()
    pages = await walk(client, f"/api/tweets/homeTimeline/{alice.id}", alice, limit=5)
    assert [len(p) for p in pages] == [5, 5, 5, 5, 4]
    flat = [i for page in pages for i in page]
    assert flat == list(reversed(posted))
    # A page that starts inside the timeline continues right below its cursor.
    below = await client.get(
        f"/api/tweets/homeTimeline/{alice.id}",
        params={"before": posted[10], "limit": 3},
        headers=alice.headers,
    )
    assert [t["tweetId"] for t in below.json()["tweets"]] == posted[9:6:-1]


async def test_home_is_correct_after_the_feed_store_is_emptied(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await follow(client, alice, carol)
    await platform.settle()
    await tweet(client, bob, "bob 1")
    deleted = await tweet(client, carol, "carol deleted")
    await tweet(client, alice, "alice 1")
    await tweet(client, carol, "carol 2")
    await client.delete(f"/api/tweets/{deleted}", headers=carol.headers)
    await unfollow(client, alice, bob)
    await platform.settle()
    expected = ["carol 2", "alice 1"]
    assert await home(client, alice) == expected

    await platform.feeds.clear()
    assert not await platform.feeds.exists(f"home:{alice.id}")
    assert await home(client, alice) == expected  # rebuilt from the database
    assert await platform.feeds.exists(f"home:{alice.id}")
    await tweet(client, carol, "carol 3")
    await platform.settle()
    assert await home(client, alice) == ["carol 3", *expected]


async def test_a_feed_filled_only_by_fan_out_is_rebuilt_before_it_is_read(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob, _ = await _trio(api)
    await tweet(client, alice, "alice old")
    await follow(client, alice, bob)
    await platform.settle()
    await platform.feeds.clear()
    await tweet(client, bob, "bob new")  # fanned out into alice's lost feed
    await platform.settle()
    assert await home(client, alice) == ["bob new", "alice old"]


class _Down:
    """Makes a feed store fail like a Redis that is down, until `up()`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, store: Any) -> None:
        self.monkeypatch = monkeypatch
        self.store = store
        self.names = ("add", "remove", "page", "exists", "rebuild", "delete", "clear")

    def down(self) -> None:
        async def unavailable(*args: Any, **kwargs: Any) -> Any:
            raise FeedStoreUnavailable("connection refused")

        for name in self.names:
            self.monkeypatch.setattr(self.store, name, unavailable)

    def up(self) -> None:
        for name in self.names:
            self.monkeypatch.delattr(self.store, name)


async def test_home_reads_the_database_while_the_feed_store_is_down(
    api: Api, client: httpx.AsyncClient, platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob, carol = await _trio(api)
    await follow(client, alice, bob)
    await platform.settle()
    await tweet(client, bob, "bob before")
    await platform.settle()
    assert await home(client, alice) == ["bob before"]

    outage = _Down(monkeypatch, platform.feeds)
    outage.down()
    await tweet(client, bob, "bob during")  # its fan-out fails
    await follow(client, alice, carol)
    await tweet(client, carol, "carol during")
    await platform.settle()
    assert await home(client, alice) == ["carol during", "bob during", "bob before"]
    pages = await walk(client, f"/api/tweets/homeTimeline/{alice.id}", alice, limit=2)
    assert [len(p) for p in pages] == [2, 1]

    outage.up()
    # Feeds missed writes during the outage; they are dropped and rebuilt, not trusted.
    assert await home(client, alice) == ["carol during", "bob during", "bob before"]
    await tweet(client, bob, "bob after")
    await platform.settle()
    assert await home(client, alice) == ["bob after", "carol during", "bob during", "bob before"]


async def test_redelivered_follow_events_are_harmless(
    api: Api, client: httpx.AsyncClient, platform: Platform, clock: ManualClock
) -> None:
    log = EventLog(platform, "user.followed", "user.unfollowed")
    alice, bob, _ = await _trio(api)
    await tweet(client, bob, "bob 1")
    await follow(client, alice, bob)
    await platform.settle()
    (followed,) = await log.of_type("user.followed")
    for _ in range(2):
        await platform.bus.publish(followed)  # the same event again (same id)
    await platform.settle()
    assert await home(client, alice) == ["bob 1"]

    clock.advance(1)
    await unfollow(client, alice, bob)
    await platform.settle()
    await platform.bus.publish(followed)
    # A copy of the old follow under a new id, arriving late: older than the unfollow, ignored.
    late = Event(
        type=followed.type,
        producer=followed.producer,
        occurred_at=followed.occurred_at,
        payload=followed.payload,
    )
    await platform.bus.publish(late)
    await platform.settle()
    await tweet(client, bob, "bob 2")
    await platform.settle()
    assert await home(client, alice) == []
    await platform.feeds.clear()
    assert await home(client, alice) == []  # the local follow graph agrees


async def test_the_home_feed_keeps_the_newest_entries_only(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    timeline_service(platform).feed_cap = 5
    alice, bob, _ = await _trio(api)
    await follow(client, alice, bob)
    await platform.settle()
    for n in range(8):
        await tweet(client, bob, f"bob {n}")
    await platform.settle()
    assert await home(client, alice) == [f"bob {n}" for n in range(7, 2, -1)]
    await platform.feeds.clear()
    assert await home(client, alice) == [f"bob {n}" for n in range(7, 2, -1)]
    assert len(await user_timeline(client, bob.id)) == 8


async def test_concurrent_posts_all_reach_every_follower_once(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    star = await api.register("star")
    fans = [await api.register(f"fan{n}") for n in range(4)]
    for fan in fans:
        await follow(client, fan, star)
    await platform.settle()
    posted = await asyncio.gather(*(tweet(client, star, f"shout {n}") for n in range(12)))
    await platform.settle()
    newest_first = sorted(posted, key=int, reverse=True)
    for fan in fans:
        response = await client.get(
            f"/api/tweets/homeTimeline/{fan.id}", params={"limit": 50}, headers=fan.headers
        )
        assert [t["tweetId"] for t in response.json()["tweets"]] == newest_first


async def test_feed_ids_are_looked_up_whatever_their_number(
    platform: Platform, clock: ManualClock
) -> None:
    # A page of feed ids runs one of a few statements with a fixed number of id parameters (no
    # expanding IN on a plain read): each length, across the sizes and past the largest, finds
    # exactly the ids that exist and belong in the viewer's home timeline.
    database = platform.databases["timeline"]
    viewer, followed, stranger = 1, 2, 3
    async with database.session() as session:
        await repo.set_follow(
            session, follower_id=viewer, followee_id=followed, active=True, at=clock.now()
        )
        ids = []
        for n in range(300):
            author = (viewer, followed, stranger)[n % 3]
            added = await repo.add_tweet(
                session, user_id=author, username=f"u{author}", content=f"{n}", now=clock.now()
            )
            ids.append(added.id)
    shown = {tweet_id for n, tweet_id in enumerate(ids) if n % 3 != 2}
    missing = max(ids) + 1  # a deleted tweet
    async with database.reads() as reads:
        for length in (1, 7, 8, 9, 51, 201, 256, 257, 300):
            asked = [*ids[:length][::-1], missing]
            found = await repo.get_home_tweets(reads, viewer, asked)
            assert set(found) == shown & set(asked)
            assert all(row["id"] == tweet_id for tweet_id, row in found.items())
            assert {row["content"] for row in found.values()} == {
                f"{n}" for n, tweet_id in enumerate(ids) if tweet_id in found
            }
