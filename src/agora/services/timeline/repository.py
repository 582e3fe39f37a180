"""Queries of the timeline service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import dialect_of
from agora.services.timeline.models import Follow, Tweet

# ---------------------------------------------------------------- tweets


# Built once, on the table: SQLAlchemy's Core path, instead of the ORM's unit-of-work flush of a
# new object on every post (decision 0039).
_TWEETS = cast(Table, Tweet.__table__)
_ADD_TWEET = (
    insert(_TWEETS)
    .values(
        user_id=bindparam("user_id"),
        username=bindparam("username"),
        content=bindparam("content"),
        created_at=bindparam("created_at"),
    )
    .returning(_TWEETS.c.id)
)


async def add_tweet(
    session: AsyncSession, *, user_id: int, username: str, content: str, now: datetime
) -> Tweet:
    """Insert a tweet; the row as inserted (not in the session: the post only reads it)."""
    values = {"user_id": user_id, "username": username, "content": content, "created_at": now}
    tweet_id = (await session.execute(_ADD_TWEET, values)).scalar_one()
    return Tweet(id=tweet_id, **values)


async def get_tweet(session: AsyncSession, tweet_id: int) -> Tweet | None:
    return await session.get(Tweet, tweet_id)


async def delete_tweet(session: AsyncSession, tweet_id: int) -> bool:
    """True when this call deleted the tweet (a concurrent delete makes the other one False)."""
    result = await session.execute(delete(Tweet).where(Tweet.id == tweet_id).returning(Tweet.id))
    return result.first() is not None


@dataclass(frozen=True, slots=True)
class TweetRow:
    """A tweet as a timeline page shows it, read as columns (no ORM object per tweet on a hot
    read; decision 0039)."""

    id: int
    user_id: int
    username: str
    content: str
    created_at: datetime


_TWEET_ROW = tuple(
    _TWEETS.c[name] for name in ("id", "user_id", "username", "content", "created_at")
)
# Built once, with the page size bound (every user timeline page runs one of them).
_USER_TWEETS = (
    select(*_TWEET_ROW)
    .where(_TWEETS.c.user_id == bindparam("user_id"))
    .order_by(_TWEETS.c.id.desc())
    .limit(bindparam("limit"))
)
_USER_TWEETS_BEFORE = _USER_TWEETS.where(_TWEETS.c.id < bindparam("before"))


def _tweet_rows(rows: Any) -> list[TweetRow]:
    return [TweetRow(row[0], row[1], row[2], row[3], row[4]) for row in rows]


async def list_user_tweets(
    session: AsyncSession, user_id: int, *, before: int | None, limit: int
) -> list[TweetRow]:
    """One user's tweets, newest first."""
    parameters: dict[str, Any] = {"user_id": user_id, "limit": limit}
    if before is None:
        return _tweet_rows(await session.execute(_USER_TWEETS, parameters))
    parameters["before"] = before
    return _tweet_rows(await session.execute(_USER_TWEETS_BEFORE, parameters))


async def recent_tweet_ids(session: AsyncSession, user_id: int, limit: int) -> list[int]:
    query = select(Tweet.id).where(Tweet.user_id == user_id).order_by(Tweet.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


def _home_authors(viewer: Any) -> Any:
    """The condition "written by the viewer or by someone the viewer follows"."""
    followed = select(Follow.followee_id).where(Follow.follower_id == viewer, Follow.active)
    return or_(Tweet.user_id == viewer, Tweet.user_id.in_(followed))


async def home_tweet_ids(session: AsyncSession, viewer: int, limit: int) -> list[int]:
    """The newest ids of a home timeline computed from the follow graph (a feed rebuild)."""
    query = select(Tweet.id).where(_home_authors(viewer)).order_by(Tweet.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


async def list_home_tweets(
    session: AsyncSession, viewer: int, *, before: int | None, limit: int
) -> list[TweetRow]:
    """A home timeline page computed from the follow graph (when the feed store is down)."""
    query = select(*_TWEET_ROW).where(_home_authors(viewer)).order_by(Tweet.id.desc()).limit(limit)
    if before is not None:
        query = query.where(Tweet.id < before)
    return _tweet_rows(await session.execute(query))


async def get_home_tweets(
    session: AsyncSession, viewer: int, tweet_ids: Collection[int]
) -> dict[int, TweetRow]:
    """Those of `tweet_ids` that still exist and belong in the viewer's home timeline now."""
    if not tweet_ids:
        return {}
    parameters = {"tweet_ids": list(tweet_ids), "viewer": viewer}
    rows = _tweet_rows(await session.execute(_HOME_TWEETS, parameters))
    return {tweet.id: tweet for tweet in rows}


# Built once: every home timeline page from the feed store runs it, and building a statement
# costs more than running its cached compilation (decision 0034); its columns, not the mapped
# class, so that no ORM object is loaded per tweet (decision 0039).
_HOME_TWEETS = select(*_TWEET_ROW).where(
    _TWEETS.c.id.in_(bindparam("tweet_ids", expanding=True)), _home_authors(bindparam("viewer"))
)


# ---------------------------------------------------------------- the follow graph


async def set_follow(
    session: AsyncSession, *, follower_id: int, followee_id: int, active: bool, at: datetime
) -> bool:
    """Record that the edge became (in)active at `at`, unless a newer change is already recorded.
    True when this change was applied.

    Equal times (a follow and an unfollow within one clock tick) go to the later delivery: within a
    type, and on the in-process bus across types, delivery follows publication.
    """
    dialect = dialect_of(session)
    values = {
        "follower_id": follower_id,
        "followee_id": followee_id,
        "active": active,
        "changed_at": at,
    }
    insert: Any
    if dialect == "postgresql":
        insert = postgresql.insert(Follow)
    elif dialect == "sqlite":
        insert = sqlite.insert(Follow)
    else:
        raise NotImplementedError(f"set_follow is not implemented for {dialect}")
    statement = (
        insert.values(values)
        .on_conflict_do_update(
            index_elements=[Follow.follower_id, Follow.followee_id],
            set_={"active": insert.excluded.active, "changed_at": insert.excluded.changed_at},
            where=Follow.changed_at <= insert.excluded.changed_at,
        )
        .returning(Follow.follower_id)
    )
    return (await session.execute(statement)).first() is not None


async def list_follower_ids(session: AsyncSession, user_id: int) -> list[int]:
    query = select(Follow.follower_id).where(Follow.followee_id == user_id, Follow.active)
    return list((await session.execute(query)).scalars())
