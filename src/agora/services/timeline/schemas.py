"""Request and response models of the timeline service, with the Twitter-like seed's field names."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agora.platform.ids import Id
from agora.platform.schemas import Message as PlatformMessage
from agora.platform.schemas import RequestBody

MAX_TWEET_LENGTH = 280

UserIdIn = Id


class TweetCreate(RequestBody):
    """Seed: `{userId, content}`; `userId` is optional and must be the token's user."""

    model_config = ConfigDict(extra="forbid")

    userId: UserIdIn | None = None
    content: str = Field(min_length=1, max_length=MAX_TWEET_LENGTH)

    @field_validator("content")
    @classmethod
    def _not_blank(cls, content: str) -> str:
        if not content.strip():
            raise ValueError("must not be blank")
        return content


class TweetRead(BaseModel):
    """Seed: `{tweetId, userId, content, timestamp}`, plus the author's name."""

    tweetId: str
    userId: str
    username: str
    content: str
    timestamp: datetime


class TweetsPage(BaseModel):
    """Seed: `{"tweets": [...]}` newest first, and the `before` cursor of the next page."""

    tweets: list[TweetRead]
    next_cursor: str | None


class Message(PlatformMessage):
    """Seed: `{message}`, and the tweet it concerns."""

    tweetId: str
