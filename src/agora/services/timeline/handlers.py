"""Event consumers of the timeline service: the follow graph from the users service, and the fan-out
of its own tweet events into home feeds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.timeline import TweetDeleted, TweetPosted
from agora.contracts.events.users import UserFollowed, UserUnfollowed
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.db import Database, Writes
from agora.services.timeline.models import inbox
from agora.services.timeline.service import TimelineService


def build_consumer(database: Database, service: TimelineService) -> Consumer:
    """The `timeline` consumer group; the inbox makes each event's effects happen once."""
    consumer = Consumer(database, inbox, group="timeline")

    async def on_user_followed(session: AsyncSession, payload: UserFollowed, _: Event) -> None:
        await service.do_record_follow(session, payload)

    async def on_user_unfollowed(session: AsyncSession, payload: UserUnfollowed, _: Event) -> None:
        await service.do_record_unfollow(session, payload)

    async def on_tweet_posted(writes: Writes, payload: TweetPosted, _: Event) -> None:
        await service.do_fan_out_tweet(writes, payload)

    async def on_tweet_deleted(session: AsyncSession, payload: TweetDeleted, _: Event) -> None:
        await service.do_fan_out_deletion(session, payload)

    consumer.on(UserFollowed, on_user_followed)
    consumer.on(UserUnfollowed, on_user_unfollowed)
    # Every tweet's fan-out, in a plain write (decision 0046).
    consumer.on_plain(TweetPosted, on_tweet_posted)
    consumer.on(TweetDeleted, on_tweet_deleted)
    return consumer
