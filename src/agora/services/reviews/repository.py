"""Queries of the reviews service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import insert_ignore
from agora.services.reviews.models import Album, Review


@dataclass(frozen=True, slots=True)
class RatingStats:
    """An album's ratings: how many, their sum in half stars, and the count per half star."""

    count: int = 0
    sum_halves: int = 0
    by_halves: dict[int, int] = field(default_factory=dict)


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


# ---------------------------------------------------------------- reviews


async def add_review(
    session: AsyncSession,
    *,
    album_id: int,
    user_id: int,
    username: str,
    rating_halves: int,
    review_text: str,
    created_at: datetime,
) -> int | None:
    """The new review's id, or None when this user already reviewed this album."""
    statement = insert_ignore(
        session,
        Review,
        album_id=album_id,
        user_id=user_id,
        username=username,
        rating_halves=rating_halves,
        review_text=review_text,
        created_at=created_at,
        updated_at=created_at,
    )
    return (await session.execute(statement.returning(Review.id))).scalar_one_or_none()


async def get_review(
    session: AsyncSession, review_id: int, *, for_update: bool = False
) -> Review | None:
    query = select(Review).where(Review.id == review_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


async def get_review_by(session: AsyncSession, album_id: int, user_id: int) -> Review | None:
    """The user's review of the album (there is at most one)."""
    query = select(Review).where(Review.album_id == album_id, Review.user_id == user_id)
    return (await session.execute(query)).scalar_one_or_none()


async def delete_review(session: AsyncSession, review_id: int) -> bool:
    """True when this call deleted the review (a concurrent delete makes the other one False)."""
    result = await session.execute(
        delete(Review).where(Review.id == review_id).returning(Review.id)
    )
    return result.first() is not None


async def list_album_reviews(
    session: AsyncSession, album_id: int, *, before: int | None, limit: int
) -> list[Review]:
    query = (
        select(Review).where(Review.album_id == album_id).order_by(Review.id.desc()).limit(limit)
    )
    if before is not None:
        query = query.where(Review.id < before)
    return list((await session.execute(query)).scalars())


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
