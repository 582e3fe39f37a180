"""Business rules of the timeline service: posting and deleting tweets, the user and home
timelines, and fan-out on write into the home feeds.

Home timelines are capped feeds of tweet ids in the `FeedStore` (Mastodon's design): a new tweet
goes into the feed of its author and of each follower after it commits; a feed the store lost is
rebuilt from the database by its next reader; following merges the followee's recent tweets in,
unfollowing takes them out. The database stays the truth: every page is read back from it, so a
deleted tweet or an unfollowed author never shows even while a feed still lists them, and when the
store is down home timelines are computed from the database.

`do_*` change state and emit events (including applying other events: the follow graph and the
fan-out); `access_*` fetch and authorize; `list_*` read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.timeline import TweetDeleted, TweetPosted
from agora.contracts.events.users import UserFollowed, UserUnfollowed
from agora.contracts.users import UserDirectory
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.cache.base import Cache, get_json, set_json
from agora.platform.clock import Clock
from agora.platform.db import UnitOfWork, after_commit
from agora.platform.deps import check_acting_user
from agora.platform.errors import Forbidden, NotFound
from agora.platform.feeds import FeedStore, FeedStoreUnavailable
from agora.platform.pagination import Page, fetch_size, paginate
from agora.platform.reads import Reads, Row
from agora.platform.realtime.base import Hub
from agora.platform.schemas import iso
from agora.services.timeline import repository as repo
from agora.services.timeline.models import Tweet
from agora.services.timeline.schemas import TweetCreate

log = structlog.get_logger("agora.timeline")

# Twitter's and DeathStarBench's home timeline length; older tweets leave the home timeline.
HOME_FEED_CAP = 800
# Known users stay known (accounts are not deleted); unknown ones are asked again next time.
USER_EXISTS_TTL = 3600.0
STORE_WARNING_INTERVAL = 10.0


def home_feed(user_id: int) -> str:
    return f"home:{user_id}"


def live_channel(user_id: int) -> str:
    """The hub channel of a user's live home timeline."""
    return f"feed:{user_id}"


def tweet_frame(tweet: Tweet) -> dict[str, Any]:
    """A new home-timeline item as the live socket sends it."""
    return {
        "type": "tweet",
        "tweetId": str(tweet.id),
        "userId": str(tweet.user_id),
        "username": tweet.username,
        "content": tweet.content,
        "timestamp": iso(tweet.created_at),
    }


class TimelineService:
    """The timeline service's rules, with its collaborators injected."""

    def __init__(
        self,
        *,
        feeds: FeedStore,
        hub: Hub,
        clock: Clock,
        cache: Cache,
        directory: UserDirectory | None,
        feed_cap: int = HOME_FEED_CAP,
    ) -> None:
        self.feeds = feeds
        self.hub = hub
        self.clock = clock
        self.cache = cache
        self.directory = directory
        self.feed_cap = feed_cap
        # Set when a feed write failed: some feeds may now miss items or keep removed ones. Every
        # feed is dropped (and rebuilt by its next reader) as soon as the store answers again.
        self._feeds_suspect = False
        self._last_warning = float("-inf")

    # ------------------------------------------------------------ the feed store

    def _store_failed(self, event: str, exc: FeedStoreUnavailable) -> None:
        # While the store is down every request fails over; one warning per interval says so.
        now = self.clock.monotonic()
        if now - self._last_warning >= STORE_WARNING_INTERVAL:
            self._last_warning = now
            log.warning(event, error=str(exc))

    async def _heal(self) -> None:
        if not self._feeds_suspect:
            return
        # Cleared first: a write that fails during the clear sets it again, for another clear.
        self._feeds_suspect = False
        try:
            await self.feeds.clear()
        except FeedStoreUnavailable:
            self._feeds_suspect = True
            raise
        log.info("feed_store_recovered_feeds_cleared")

    async def _write_feeds(self, write: Callable[[], Awaitable[None]]) -> None:
        """Apply a feed change; if the store is down, remember that feeds may be stale."""
        try:
            await self._heal()
            await write()
        except FeedStoreUnavailable as exc:
            self._feeds_suspect = True
            self._store_failed("feed_store_write_failed", exc)

    # ------------------------------------------------------------ tweets

    async def do_post(self, session: UnitOfWork, me: Principal, data: TweetCreate) -> Tweet:
        check_acting_user(me, data.userId, field="userId")
        now = self.clock.now()
        tweet = await repo.add_tweet(
            session, user_id=me.user_id, username=me.username, content=data.content, now=now
        )
        await emit(
            session,
            TweetPosted(
                tweet_id=tweet.id,
                user_id=me.user_id,
                username=me.username,
                content=tweet.content,
                posted_at=now,
            ),
        )
        tweet_id, feed = tweet.id, home_feed(me.user_id)

        async def into_own_feed() -> None:
            # Read-your-write: the author's home timeline has the tweet before POST returns; the
            # fan-out to followers follows from the event.
            await self._write_feeds(lambda: self.feeds.add([feed], [tweet_id], cap=self.feed_cap))

        after_commit(session, into_own_feed)
        return tweet

    async def access_tweet(self, session: AsyncSession, tweet_id: int) -> Tweet:
        tweet = await repo.get_tweet(session, tweet_id)
        if tweet is None:
            raise NotFound(f"No tweet with id {tweet_id}", code="tweet_not_found")
        return tweet

    async def do_delete(self, session: AsyncSession, me: Principal, tweet_id: int) -> None:
        tweet = await self.access_tweet(session, tweet_id)
        if tweet.user_id != me.user_id:
            raise Forbidden("Only the author can delete a tweet", code="not_the_author")
        if not await repo.delete_tweet(session, tweet_id):
            raise NotFound(f"No tweet with id {tweet_id}", code="tweet_not_found")
        await emit(
            session,
            TweetDeleted(tweet_id=tweet_id, user_id=me.user_id, deleted_at=self.clock.now()),
        )
        feed = home_feed(me.user_id)

        async def out_of_own_feed() -> None:
            await self._write_feeds(lambda: self.feeds.remove([feed], [tweet_id]))

        after_commit(session, out_of_own_feed)

    # ------------------------------------------------------------ timelines

    async def _check_user_exists(self, user_id: int) -> None:
        if self.directory is None:
            return
        key = f"user-exists:{user_id}"
        if await get_json(self.cache, key):
            return
        if user_id not in await self.directory.get_users([user_id]):
            raise NotFound(f"No user with id {user_id}", code="user_not_found")
        await set_json(self.cache, key, True, ttl=USER_EXISTS_TTL)

    async def list_user_timeline(
        self, reads: Reads, user_id: int, *, before: int | None, limit: int
    ) -> Page[Row]:
        """A page of a user's tweets, newest first, as rows (`id`, `user_id`, `username`,
        `content`, `created_at`)."""
        tweets = await repo.list_user_tweets(reads, user_id, before=before, limit=fetch_size(limit))
        if not tweets:
            await self._check_user_exists(user_id)
        return paginate(tweets, limit, cursor_of=lambda tweet: tweet["id"])

    async def list_home_timeline(
        self, reads: Reads, me: Principal, user_id: int, *, before: int | None, limit: int
    ) -> Page[Row]:
        """A page of my home timeline, newest first, as rows (as `list_user_timeline`'s)."""
        if me.user_id != user_id:
            raise Forbidden(
                "A home timeline is visible to its owner only", code="not_your_timeline"
            )
        try:
            tweets = await self._home_from_feed(
                reads, me.user_id, before=before, want=fetch_size(limit)
            )
        except FeedStoreUnavailable as exc:
            self._store_failed("feed_store_read_failed_reading_database", exc)
            tweets = await repo.list_home_tweets(
                reads, me.user_id, before=before, limit=fetch_size(limit)
            )
        return paginate(tweets, limit, cursor_of=lambda tweet: tweet["id"])

    async def _home_from_feed(
        self, reads: Reads, viewer: int, *, before: int | None, want: int
    ) -> list[Row]:
        await self._heal()
        feed = home_feed(viewer)
        if not await self.feeds.exists(feed):
            ids = await repo.home_tweet_ids(reads, viewer, self.feed_cap)
            await self.feeds.rebuild(feed, ids, cap=self.feed_cap)
        found: list[Row] = []
        cursor = before
        while len(found) < want:
            asked = want - len(found)
            ids = await self.feeds.page(feed, before=cursor, limit=asked)
            if not ids:
                break
            visible = await repo.get_home_tweets(reads, viewer, ids)
            found.extend(visible[i] for i in ids if i in visible)
            stale = [i for i in ids if i not in visible]
            if stale:
                # Deleted, or by someone no longer followed, and the event has not reached this
                # feed yet (or was lost): tidy up now.
                await self.feeds.remove([feed], stale)
            if len(ids) < asked:
                break
            cursor = ids[-1]
        return found

    # ------------------------------------------------------------ events (fan-out)

    def _publish_after_commit(
        self, session: UnitOfWork, user_ids: Sequence[int], frame: dict[str, Any]
    ) -> None:
        async def publish() -> None:
            for user_id in user_ids:
                await self.hub.publish(live_channel(user_id), frame)

        after_commit(session, publish)

    async def do_fan_out_tweet(self, session: UnitOfWork, event: TweetPosted) -> None:
        tweet = await repo.get_tweet(session, event.tweet_id)
        if tweet is None:
            return  # deleted before its fan-out ran
        readers = [event.user_id, *await repo.list_follower_ids(session, event.user_id)]
        feeds = [home_feed(user_id) for user_id in readers]
        await self._write_feeds(lambda: self.feeds.add(feeds, [tweet.id], cap=self.feed_cap))
        self._publish_after_commit(session, readers, tweet_frame(tweet))

    async def do_fan_out_deletion(self, session: AsyncSession, event: TweetDeleted) -> None:
        readers = [event.user_id, *await repo.list_follower_ids(session, event.user_id)]
        feeds = [home_feed(user_id) for user_id in readers]
        await self._write_feeds(lambda: self.feeds.remove(feeds, [event.tweet_id]))
        frame = {"type": "tweet_deleted", "tweetId": str(event.tweet_id)}
        self._publish_after_commit(session, readers, frame)

    async def do_record_follow(self, session: AsyncSession, event: UserFollowed) -> None:
        applied = await repo.set_follow(
            session,
            follower_id=event.follower_id,
            followee_id=event.followee_id,
            active=True,
            at=event.followed_at,
        )
        if not applied:
            return  # an unfollow newer than this follow was already applied
        ids = await repo.recent_tweet_ids(session, event.followee_id, self.feed_cap)
        feed = home_feed(event.follower_id)
        await self._write_feeds(lambda: self.feeds.add([feed], ids, cap=self.feed_cap))
        # The followee's earlier posts are in the feed now: an open home timeline shows them at
        # once rather than on the next reload.
        frame = {"type": "follows_changed", "userId": str(event.followee_id), "following": True}
        self._publish_after_commit(session, [event.follower_id], frame)

    async def do_record_unfollow(self, session: AsyncSession, event: UserUnfollowed) -> None:
        applied = await repo.set_follow(
            session,
            follower_id=event.follower_id,
            followee_id=event.followee_id,
            active=False,
            at=event.unfollowed_at,
        )
        if not applied:
            return
        # A feed holds at most `feed_cap` ids, so the followee's newest `feed_cap` cover all of
        # theirs that it can hold.
        ids = await repo.recent_tweet_ids(session, event.followee_id, self.feed_cap)
        feed = home_feed(event.follower_id)
        await self._write_feeds(lambda: self.feeds.remove([feed], ids))
        frame = {"type": "follows_changed", "userId": str(event.followee_id), "following": False}
        self._publish_after_commit(session, [event.follower_id], frame)
