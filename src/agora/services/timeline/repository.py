"""Queries of the timeline service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import UnitOfWork, Writes, dialect_of
from agora.platform.reads import Reads, Row, in_slots, slot_values
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
    unit: UnitOfWork, *, user_id: int, username: str, content: str, now: datetime
) -> Tweet:
    """Insert a tweet; the row as inserted (not in the session: the post only reads it)."""
    values = {"user_id": user_id, "username": username, "content": content, "created_at": now}
    if isinstance(unit, Writes):
        tweet_id = (await unit.tuples(_ADD_TWEET, values))[0][0]
    else:
        tweet_id = (await unit.execute(_ADD_TWEET, values)).scalar_one()
    return Tweet(id=tweet_id, **values)


_TWEET = select(_TWEETS).where(_TWEETS.c.id == bindparam("tweet_id"))


async def get_tweet(unit: UnitOfWork, tweet_id: int) -> Tweet | None:
    """The tweet; in a plain write (a fan-out, decision 0046) read from its row, not in a
    session."""
    if isinstance(unit, Writes):
        row = await unit.one(_TWEET, {"tweet_id": tweet_id})
        return None if row is None else Tweet(**row)
    return await unit.get(Tweet, tweet_id)


async def delete_tweet(session: AsyncSession, tweet_id: int) -> bool:
    """True when this call deleted the tweet (a concurrent delete makes the other one False)."""
    result = await session.execute(delete(Tweet).where(Tweet.id == tweet_id).returning(Tweet.id))
    return result.first() is not None


# A timeline page's tweets are read as rows (dicts by column: `id`, `user_id`, `username`,
# `content`, `created_at`) through `Reads`, below the Session: no ORM object per tweet on a hot
# read (decisions 0039, 0044).
_TWEET_ROW = tuple(
    _TWEETS.c[name] for name in ("id", "user_id", "username", "content", "created_at")
)


def tweet_row(tweet: Tweet) -> Row:
    """A tweet entity (a post, a single tweet's read) as the row a timeline page reads."""
    return {column.name: getattr(tweet, column.name) for column in _TWEET_ROW}


# Built once, with the page size bound (every user timeline page runs one of them).
_USER_TWEETS = (
    select(*_TWEET_ROW)
    .where(_TWEETS.c.user_id == bindparam("user_id"))
    .order_by(_TWEETS.c.id.desc())
    .limit(bindparam("limit"))
)
_USER_TWEETS_BEFORE = _USER_TWEETS.where(_TWEETS.c.id < bindparam("before"))


async def list_user_tweets(
    reads: Reads, user_id: int, *, before: int | None, limit: int
) -> list[Row]:
    """One user's tweets, newest first."""
    if before is None:
        return await reads.all(_USER_TWEETS, {"user_id": user_id, "limit": limit})
    parameters = {"user_id": user_id, "limit": limit, "before": before}
    return await reads.all(_USER_TWEETS_BEFORE, parameters)


async def recent_tweet_ids(session: AsyncSession, user_id: int, limit: int) -> list[int]:
    query = select(Tweet.id).where(Tweet.user_id == user_id).order_by(Tweet.id.desc()).limit(limit)
    return list((await session.execute(query)).scalars())


# The condition "written by the viewer or by someone the viewer follows", built once on the
# viewer's id (decision 0034), as are the statements below, each with its page size bound.
_FOLLOWS = cast(Table, Follow.__table__)
_FOLLOWED = select(_FOLLOWS.c.followee_id).where(
    _FOLLOWS.c.follower_id == bindparam("viewer"), _FOLLOWS.c.active
)
_HOME_AUTHORS = or_(_TWEETS.c.user_id == bindparam("viewer"), _TWEETS.c.user_id.in_(_FOLLOWED))
_HOME_TWEET_IDS = (
    select(_TWEETS.c.id)
    .where(_HOME_AUTHORS)
    .order_by(_TWEETS.c.id.desc())
    .limit(bindparam("limit"))
)
_HOME_TWEETS_COMPUTED = (
    select(*_TWEET_ROW).where(_HOME_AUTHORS).order_by(_TWEETS.c.id.desc()).limit(bindparam("limit"))
)
_HOME_TWEETS_COMPUTED_BEFORE = _HOME_TWEETS_COMPUTED.where(_TWEETS.c.id < bindparam("before"))


async def home_tweet_ids(reads: Reads, viewer: int, limit: int) -> list[int]:
    """The newest ids of a home timeline computed from the follow graph (a feed rebuild)."""
    rows = await reads.all(_HOME_TWEET_IDS, {"viewer": viewer, "limit": limit})
    return [row["id"] for row in rows]


async def list_home_tweets(
    reads: Reads, viewer: int, *, before: int | None, limit: int
) -> list[Row]:
    """A home timeline page computed from the follow graph (when the feed store is down)."""
    if before is None:
        return await reads.all(_HOME_TWEETS_COMPUTED, {"viewer": viewer, "limit": limit})
    parameters = {"viewer": viewer, "limit": limit, "before": before}
    return await reads.all(_HOME_TWEETS_COMPUTED_BEFORE, parameters)


# A page of feed ids is looked up by one statement with a fixed number of id parameters, the
# smallest of these that holds the page (the last id repeated to fill it): `Reads` runs no
# expanding IN, whose SQL changes with the list's length. Built once each; the largest holds a
# page of the largest size (`PageLimit`'s 200, and one to tell whether another page follows).
_ID_SLOTS = (8, 32, 64, 128, 256)
_HOME_TWEETS = {
    slots: select(*_TWEET_ROW).where(in_slots(_TWEETS.c.id, "id", slots), _HOME_AUTHORS)
    for slots in _ID_SLOTS
}


async def get_home_tweets(reads: Reads, viewer: int, tweet_ids: Sequence[int]) -> dict[int, Row]:
    """Those of `tweet_ids` that still exist and belong in the viewer's home timeline now."""
    found: dict[int, Row] = {}
    largest = _ID_SLOTS[-1]
    for start in range(0, len(tweet_ids), largest):
        chunk = tweet_ids[start : start + largest]
        slots = next(size for size in _ID_SLOTS if size >= len(chunk))
        parameters = {"viewer": viewer, **slot_values("id", chunk, slots)}
        for row in await reads.all(_HOME_TWEETS[slots], parameters):
            found[row["id"]] = row
    return found


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


_FOLLOWER_IDS = select(_FOLLOWS.c.follower_id).where(
    _FOLLOWS.c.followee_id == bindparam("user_id"), _FOLLOWS.c.active
)


async def list_follower_ids(unit: UnitOfWork, user_id: int) -> list[int]:
    params = {"user_id": user_id}
    if isinstance(unit, Writes):
        return [row[0] for row in await unit.tuples(_FOLLOWER_IDS, params)]
    return list((await unit.execute(_FOLLOWER_IDS, params)).scalars())
