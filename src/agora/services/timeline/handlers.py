"""Event consumers of the timeline service: the follow graph from the users service, and the fan-out
of its own tweet events into home feeds."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.timeline import TweetDeleted, TweetPosted
from agora.contracts.events.users import UserFollowed, UserUnfollowed
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.db import Database
from agora.services.timeline.models import inbox
from agora.services.timeline.service import TimelineService


def make_consumer(database: Database, service: TimelineService) -> Consumer:
    """The `timeline` consumer group; the inbox makes each event's effects happen once."""

    async def followed(session: AsyncSession, payload: UserFollowed, _: Event) -> None:
        await service.on_followed(session, payload)

    async def unfollowed(session: AsyncSession, payload: UserUnfollowed, _: Event) -> None:
        await service.on_unfollowed(session, payload)

    async def posted(session: AsyncSession, payload: TweetPosted, _: Event) -> None:
        await service.on_tweet_posted(session, payload)

    async def deleted(session: AsyncSession, payload: TweetDeleted, _: Event) -> None:
        await service.on_tweet_deleted(session, payload)

    consumer = Consumer(database, inbox, group="timeline")
    consumer.on(UserFollowed, followed)
    consumer.on(UserUnfollowed, unfollowed)
    consumer.on(TweetPosted, posted)
    consumer.on(TweetDeleted, deleted)
    return consumer
