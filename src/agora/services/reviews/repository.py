"""Queries of the reviews service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import Writes, insert_ignore
from agora.platform.reads import Reads, Row
from agora.services.reviews.models import Album, Review


@dataclass(frozen=True, slots=True)
class RatingStats:
    """An album's ratings: how many, their sum in half stars, and the count per half star."""

    count: int = 0
    sum_halves: int = 0
    by_halves: dict[int, int] = field(default_factory=dict)


# The hot reads select the tables' columns, not the mapped entities, with statements built once
# (decision 0041), and run as plain reads (`Reads`, decision 0044): rows are dicts by column name.
_ALBUMS = Album.__table__.c
_REVIEWS = Review.__table__.c


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# ---------------------------------------------------------------- albums


async def add_album(
    session: AsyncSession,
    *,
    title: str,
    artist: str,
    year: int | None,
    genre: str,
    created_by: int,
    created_at: datetime,
) -> int | None:
    """The new album's id, or None when an album with that title and artist exists, whatever
    their letter case."""
    statement = insert_ignore(
        session,
        Album,
        title=title,
        artist=artist,
        year=year,
        genre=genre,
        title_key=title.lower(),
        artist_key=artist.lower(),
        created_by=created_by,
        created_at=created_at,
    )
    return (await session.execute(statement.returning(Album.id))).scalar_one_or_none()


async def get_album(session: AsyncSession, album_id: int) -> Album | None:
    return await session.get(Album, album_id)


# An album's `id`, `title` and `artist` with its count of reviews per rating: one row per rating
# given (one with a NULL rating and a count of 0 when there is none), no row for no album.
_ALBUM_WITH_RATINGS = (
    select(
        _ALBUMS.id,
        _ALBUMS.title,
        _ALBUMS.artist,
        _REVIEWS.rating_halves,
        func.count(_REVIEWS.id).label("reviews"),
    )
    .select_from(Album.__table__.outerjoin(Review.__table__, _REVIEWS.album_id == _ALBUMS.id))
    .where(_ALBUMS.id == bindparam("album_id"))
    .group_by(_ALBUMS.id, _ALBUMS.title, _ALBUMS.artist, _REVIEWS.rating_halves)
)


async def get_album_with_stats(reads: Reads, album_id: int) -> tuple[Row, RatingStats] | None:
    """An album's `id`, `title` and `artist` (a row) and its rating statistics, in one round
    trip; None when there is no such album."""
    rows = await reads.all(_ALBUM_WITH_RATINGS, {"album_id": album_id})
    if not rows:
        return None
    counts = {
        int(row["rating_halves"]): int(row["reviews"])
        for row in rows
        if row["rating_halves"] is not None
    }
    return rows[0], _stats(counts)


async def list_albums(
    session: AsyncSession,
    *,
    text: str | None,
    genre: str | None,
    before: int | None,
    limit: int,
) -> list[Album]:
    """Albums newest first; `text` matches inside the title or the artist, ignoring case."""
    query = select(Album).order_by(Album.id.desc()).limit(limit)
    if text:
        pattern = _like(text.lower())
        query = query.where(
            or_(
                Album.title_key.like(pattern, escape="\\"),
                Album.artist_key.like(pattern, escape="\\"),
            )
        )
    if genre:
        query = query.where(func.lower(Album.genre) == genre.lower())
    if before is not None:
        query = query.where(Album.id < before)
    return list((await session.execute(query)).scalars())


async def get_rating_stats(
    session: AsyncSession, album_ids: Collection[int]
) -> dict[int, RatingStats]:
    """Rating statistics of each album (albums without reviews are absent)."""
    if not album_ids:
        return {}
    rows = (
        await session.execute(
            select(Review.album_id, Review.rating_halves, func.count())
            .where(Review.album_id.in_(list(album_ids)))
            .group_by(Review.album_id, Review.rating_halves)
        )
    ).all()
    by_album: dict[int, dict[int, int]] = {}
    for album_id, halves, count in rows:
        by_album.setdefault(album_id, {})[halves] = int(count)
    return {
        album_id: RatingStats(
            count=sum(counts.values()),
            sum_halves=sum(h * c for h, c in counts.items()),
            by_halves=counts,
        )
        for album_id, counts in by_album.items()
    }


_RATING_COUNTS = (
    select(_REVIEWS.rating_halves, func.count())
    .where(_REVIEWS.album_id == bindparam("album_id"))
    .group_by(_REVIEWS.rating_halves)
)


async def get_album_rating_stats(session: AsyncSession, album_id: int) -> RatingStats:
    """One album's rating statistics (empty ones when it has no review)."""
    rows = (await session.execute(_RATING_COUNTS, {"album_id": album_id})).all()
    return _stats({int(halves): int(count) for halves, count in rows})


def _stats(counts: dict[int, int]) -> RatingStats:
    return RatingStats(
        count=sum(counts.values()),
        sum_halves=sum(h * c for h, c in counts.items()),
        by_halves=counts,
    )


# ---------------------------------------------------------------- reviews


# Every value bound by name (a plain write fills in nothing; decision 0046), built once per
# backend: `INSERT ... ON CONFLICT DO NOTHING RETURNING id`.
def _add_review_statement(insert: Any) -> Any:
    table = cast(Table, Review.__table__)
    names = (
        "album_id",
        "user_id",
        "username",
        "rating_halves",
        "review_text",
        "created_at",
        "updated_at",
    )
    values = {name: bindparam(name, type_=table.c[name].type) for name in names}
    return insert(table).values(values).on_conflict_do_nothing().returning(table.c.id)


_ADD_REVIEW = {
    "postgresql": _add_review_statement(postgresql.insert),
    "sqlite": _add_review_statement(sqlite.insert),
}
_ALBUM_EXISTS = select(_ALBUMS.id).where(_ALBUMS.id == bindparam("album_id"))


async def album_exists(writes: Writes, album_id: int) -> bool:
    return bool(await writes.tuples(_ALBUM_EXISTS, {"album_id": album_id}))


async def add_review(writes: Writes, review: NewReview) -> int | None:
    """The new review's id, or None when this user already reviewed this album."""
    values = {name: getattr(review, name) for name in NEW_REVIEW_FIELDS}
    rows = await writes.tuples(_ADD_REVIEW[writes.dialect_name], values)
    return int(rows[0][0]) if rows else None


@dataclass(frozen=True, slots=True)
class NewReview:
    """A review to store."""

    album_id: int
    user_id: int
    username: str
    rating_halves: int
    review_text: str
    created_at: datetime
    updated_at: datetime


NEW_REVIEW_FIELDS = tuple(field.name for field in fields(NewReview))


async def get_review(
    session: AsyncSession, review_id: int, *, for_update: bool = False
) -> Review | None:
    query = select(Review).where(Review.id == review_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def delete_review(session: AsyncSession, review_id: int) -> bool:
    """True when this call deleted the review (a concurrent delete makes the other one False)."""
    result = await session.execute(
        delete(Review).where(Review.id == review_id).returning(Review.id)
    )
    return result.first() is not None


_REVIEW_COLUMNS = select(
    _REVIEWS.id,
    _REVIEWS.user_id,
    _REVIEWS.username,
    _REVIEWS.album_id,
    _REVIEWS.rating_halves,
    _REVIEWS.review_text,
    _REVIEWS.created_at,
    _REVIEWS.updated_at,
)
_REVIEW_BY = _REVIEW_COLUMNS.where(
    _REVIEWS.album_id == bindparam("album_id"), _REVIEWS.user_id == bindparam("user_id")
)


async def get_review_by(reads: Reads, album_id: int, user_id: int) -> Row | None:
    """The user's review of the album (there is at most one): a row with `Review`'s columns."""
    return await reads.one(_REVIEW_BY, {"album_id": album_id, "user_id": user_id})


_ALBUM_REVIEWS = (
    _REVIEW_COLUMNS.where(_REVIEWS.album_id == bindparam("album_id"))
    .order_by(_REVIEWS.id.desc())
    .limit(bindparam("limit"))
)
# The page after a cursor.
_ALBUM_REVIEWS_BEFORE = _ALBUM_REVIEWS.where(_REVIEWS.id < bindparam("before"))


async def list_album_reviews(
    reads: Reads, album_id: int, *, before: int | None, limit: int
) -> list[Row]:
    """An album's reviews newest first: rows with `Review`'s columns."""
    if before is None:
        return await reads.all(_ALBUM_REVIEWS, {"album_id": album_id, "limit": limit})
    params = {"album_id": album_id, "limit": limit, "before": before}
    return await reads.all(_ALBUM_REVIEWS_BEFORE, params)


async def update_review(
    session: AsyncSession,
    review: Review,
    *,
    rating_halves: int | None,
    review_text: str | None,
    updated_at: datetime,
) -> None:
    """Change the rating and/or the text (None leaves one as it is); the edit time moves either
    way."""
    if rating_halves is not None:
        review.rating_halves = rating_halves
    if review_text is not None:
        review.review_text = review_text
    review.updated_at = updated_at
    await session.flush()
