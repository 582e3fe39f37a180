"""Business rules of the reviews service: the album catalog, one review per user per album, and
each album's rating summary.

`do_*` change state and emit events; `access_*` fetch and authorize; `get_*`/`list_*` read.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.reviews import AlbumAdded, ReviewPosted
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.clock import Clock
from agora.platform.db import Writes
from agora.platform.deps import check_acting_user
from agora.platform.errors import Conflict, Forbidden, NotFound
from agora.platform.pagination import fetch_size, paginate, parse_id_cursor
from agora.platform.reads import Reads, Row
from agora.services.reviews import repository as repo
from agora.services.reviews.models import Album, Review
from agora.services.reviews.repository import RatingStats
from agora.services.reviews.schemas import AlbumCreate, ReviewCreate, ReviewUpdate

log = structlog.get_logger("agora.reviews")

HALF_STARS = range(1, 11)


@dataclass(frozen=True, slots=True)
class RatingSummary:
    """What readers see of an album's ratings."""

    count: int
    average: float | None
    distribution: dict[str, int]

    @classmethod
    def of(cls, stats: RatingStats | None) -> RatingSummary:
        stats = stats or RatingStats()
        average = round(stats.sum_halves / (2 * stats.count), 2) if stats.count else None
        distribution = {f"{h / 2:.1f}": stats.by_halves.get(h, 0) for h in HALF_STARS}
        return cls(count=stats.count, average=average, distribution=distribution)


@dataclass(frozen=True, slots=True)
class AlbumsListing:
    albums: list[tuple[Album, RatingSummary]]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class AlbumReviews:
    # Rows: the album's `id`, `title` and `artist`; the reviews' columns.
    album: Row
    summary: RatingSummary
    reviews: list[Row]
    next_cursor: str | None
    # The caller's own review of the album, wherever it is in the list (None when anonymous).
    mine: Row | None = None


def _no_album(album_id: int) -> NotFound:
    return NotFound(f"No album with id {album_id}", code="album_not_found")


def _halves(rating: float) -> int:
    return round(rating * 2)


class ReviewsService:
    """The reviews service's rules, with its collaborators injected."""

    def __init__(self, *, clock: Clock) -> None:
        self.clock = clock

    # ------------------------------------------------------------ albums

    async def do_add_album(self, session: AsyncSession, me: Principal, data: AlbumCreate) -> Album:
        if not me.is_admin:
            raise Forbidden("Only admins add albums to the catalog", code="admin_required")
        now = self.clock.now()
        album_id = await repo.add_album(
            session,
            title=data.title,
            artist=data.artist,
            year=data.year,
            genre=data.genre,
            created_by=me.user_id,
            created_at=now,
        )
        if album_id is None:
            raise Conflict(
                f"{data.title!r} by {data.artist} is already in the catalog",
                code="duplicate_album",
            )
        album = await self.access_album(session, album_id)
        await emit(
            session,
            AlbumAdded(
                album_id=album.id,
                title=album.title,
                artist=album.artist,
                year=album.year,
                genre=album.genre,
            ),
        )
        log.info("album_added", album_id=album.id)
        return album

    async def access_album(self, session: AsyncSession, album_id: int) -> Album:
        album = await repo.get_album(session, album_id)
        if album is None:
            raise _no_album(album_id)
        return album

    async def get_summary(self, session: AsyncSession, album_id: int) -> RatingSummary:
        return RatingSummary.of(await repo.get_album_rating_stats(session, album_id))

    async def list_albums(
        self,
        session: AsyncSession,
        *,
        text: str | None,
        genre: str | None,
        cursor: str | None,
        limit: int,
    ) -> AlbumsListing:
        albums = await repo.list_albums(
            session,
            text=text.strip() if text else None,
            genre=genre.strip() if genre else None,
            before=parse_id_cursor(cursor),
            limit=fetch_size(limit),
        )
        page = paginate(albums, limit, cursor_of=lambda album: album.id)
        stats = await repo.get_rating_stats(session, [a.id for a in page.items])
        return AlbumsListing(
            albums=[(a, RatingSummary.of(stats.get(a.id))) for a in page.items],
            next_cursor=page.next_cursor,
        )

    # ------------------------------------------------------------ reviews

    async def do_post_review(self, writes: Writes, me: Principal, data: ReviewCreate) -> Review:
        """Review an album once, in the endpoint's plain write (decision 0046); the review as
        stored."""
        check_acting_user(me, data.userId, field="userId")
        if not await repo.album_exists(writes, data.albumId):
            raise _no_album(data.albumId)
        now = self.clock.now()
        new = repo.NewReview(
            album_id=data.albumId,
            user_id=me.user_id,
            username=me.username,
            rating_halves=_halves(data.rating),
            review_text=data.reviewText,
            created_at=now,
            updated_at=now,
        )
        review_id = await repo.add_review(writes, new)
        if review_id is None:
            raise Conflict(
                "You already reviewed this album; edit your review instead",
                code="already_reviewed",
            )
        await emit(
            writes,
            ReviewPosted(
                review_id=review_id,
                album_id=data.albumId,
                user_id=me.user_id,
                rating=data.rating,
                posted_at=now,
            ),
        )
        # The row as inserted (no column of it is filled in by the database but its id).
        return Review(id=review_id, **{name: getattr(new, name) for name in repo.NEW_REVIEW_FIELDS})

    async def access_review(
        self, session: AsyncSession, review_id: int, *, for_update: bool = False
    ) -> Review:
        review = await repo.get_review(session, review_id, for_update=for_update)
        if review is None:
            raise NotFound(f"No review with id {review_id}", code="review_not_found")
        return review

    async def _access_own_review(
        self, session: AsyncSession, me: Principal, review_id: int
    ) -> Review:
        review = await self.access_review(session, review_id, for_update=True)
        if review.user_id != me.user_id:
            raise Forbidden("Only the author can change a review", code="not_the_author")
        return review

    async def do_update_review(
        self, session: AsyncSession, me: Principal, review_id: int, data: ReviewUpdate
    ) -> Review:
        review = await self._access_own_review(session, me, review_id)
        await repo.update_review(
            session,
            review,
            rating_halves=None if data.rating is None else _halves(data.rating),
            review_text=data.reviewText,
            updated_at=self.clock.now(),
        )
        return review

    async def do_delete_review(self, session: AsyncSession, me: Principal, review_id: int) -> None:
        await self._access_own_review(session, me, review_id)
        if not await repo.delete_review(session, review_id):
            raise NotFound(f"No review with id {review_id}", code="review_not_found")

    async def list_album_reviews(
        self,
        reads: Reads,
        album_id: int,
        *,
        cursor: str | None,
        limit: int,
        me: Principal | None = None,
    ) -> AlbumReviews:
        found = await repo.get_album_with_stats(reads, album_id)
        if found is None:
            raise _no_album(album_id)
        album, stats = found
        reviews = await repo.list_album_reviews(
            reads, album["id"], before=parse_id_cursor(cursor), limit=fetch_size(limit)
        )
        page = paginate(reviews, limit, cursor_of=lambda review: review["id"])
        return AlbumReviews(
            album=album,
            summary=RatingSummary.of(stats),
            reviews=page.items,
            next_cursor=page.next_cursor,
            mine=None if me is None else await repo.get_review_by(reads, album["id"], me.user_id),
        )
