"""The timeline service's part in the account sagas: a member's tweets and their place in the
follow graph this service keeps. Hidden tweets leave every home feed (the fan-out of a deletion)
and come back into them on restore (the fan-out of a post); pages are read from the database, so
a hidden tweet never shows even in a feed that still lists it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.timeline import TweetDeleted, TweetPosted
from agora.platform.db import Database
from agora.platform.sagas.holding import Row
from agora.platform.sagas.participant import (
    BaseRules,
    HeldRow,
    HoldScope,
    Participant,
    of_table,
    participant_for,
    rows_of,
    table_of,
)
from agora.services.timeline.models import Base, Follow, Tweet
from agora.services.timeline.service import TimelineService

TWEETS = table_of(Tweet)
FOLLOWS = table_of(Follow)


class TimelineRules(BaseRules):
    def __init__(self, service: TimelineService) -> None:
        self.service = service

    async def hide(self, scope: HoldScope, user_id: int) -> None:
        tweets = await scope.hold(TWEETS, TWEETS.c.user_id == user_id)
        now = self.service.clock.now()
        for tweet in tweets:
            # Before the follows are held: the fan-out reaches the followers' feeds.
            await self.service.do_fan_out_deletion(
                scope.session, TweetDeleted(tweet_id=tweet["id"], user_id=user_id, deleted_at=now)
            )
        await scope.hold(
            FOLLOWS, or_(FOLLOWS.c.follower_id == user_id, FOLLOWS.c.followee_id == user_id)
        )

    async def after_restore(self, session: AsyncSession, rows: Sequence[HeldRow]) -> None:
        await session.flush()
        for tweet in sorted(of_table(rows, TWEETS), key=lambda t: t["id"]):
            await self.service.do_fan_out_tweet(
                session,
                TweetPosted(
                    tweet_id=tweet["id"],
                    user_id=tweet["user_id"],
                    username=tweet["username"],
                    content=tweet["content"],
                    posted_at=tweet["created_at"],
                ),
            )

    async def export(self, session: AsyncSession, user_id: int) -> dict[str, list[Row]]:
        return {"tweets": await rows_of(session, TWEETS, TWEETS.c.user_id == user_id)}


def build_participant(database: Database, service: TimelineService) -> Participant:
    return participant_for("timeline", database, Base.metadata, TimelineRules(service))
