"""Events of the timeline service (it consumes its own to fan tweets out to home timelines)."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class TweetPosted(EventPayload):
    """A user posted a tweet."""

    event_type = "timeline.tweet_posted"

    tweet_id: int
    user_id: int
    username: str
    content: str
    posted_at: datetime


@register
class TweetDeleted(EventPayload):
    """The author deleted a tweet; it leaves every timeline."""

    event_type = "timeline.tweet_deleted"

    tweet_id: int
    user_id: int
    deleted_at: datetime
