"""HTTP endpoints of the reviews service, under the music seed's base URL `/users-reviews`. Thin:
parse, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query

from agora.platform.auth.principal import Principal
from agora.platform.deps import (
    CurrentUser,
    Db,
    DbReads,
    DbSession,
    OptionalUser,
    PageCursor,
    PageLimit,
    provider,
    registered,
)
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.ids import IdPath
from agora.platform.reads import Reads, Row
from agora.services.reviews.models import Album, Review
from agora.services.reviews.schemas import (
    AlbumCreate,
    AlbumDetail,
    AlbumRead,
    AlbumReviewsPage,
    AlbumsPage,
    Message,
    ReviewCreate,
    ReviewRead,
    ReviewUpdate,
)
from agora.services.reviews.service import RatingSummary, ReviewsService

Reviews = Annotated[ReviewsService, Depends(provider(ReviewsService))]
Limit = PageLimit
Cursor = PageCursor

router = APIRouter(prefix="/users-reviews", tags=["reviews"])


def _album(album: Album, summary: RatingSummary) -> AlbumRead:
    return AlbumRead(
        albumId=str(album.id),
        title=album.title,
        artist=album.artist,
        year=album.year,
        genre=album.genre,
        averageRating=summary.average,
        reviewCount=summary.count,
        createdAt=album.created_at,
    )


def _album_detail(album: Album, summary: RatingSummary) -> AlbumDetail:
    return AlbumDetail(
        **_album(album, summary).model_dump(), ratingDistribution=summary.distribution
    )


def _review_fields(review: Row) -> dict[str, Any]:
    # `ReviewRead`'s fields, in its order, of a row with the review's columns.
    return {
        "reviewId": str(review["id"]),
        "userId": str(review["user_id"]),
        "username": review["username"],
        "albumId": str(review["album_id"]),
        "rating": review["rating_halves"] / 2,
        "reviewText": review["review_text"],
        "createdAt": review["created_at"],
        "updatedAt": review["updated_at"],
    }


# The columns `_review_fields` reads.
_REVIEW_COLUMNS = (
    "id",
    "user_id",
    "username",
    "album_id",
    "rating_halves",
    "review_text",
    "created_at",
    "updated_at",
)


def _review(review: Review) -> ReviewRead:
    return ReviewRead(**_review_fields({name: getattr(review, name) for name in _REVIEW_COLUMNS}))


# ---------------------------------------------------------------- albums


@router.post("/albums", status_code=201, summary="Add an album to the catalog (admins)")
async def add_album(
    body: AlbumCreate, db: DbSession, reviews: Reviews, me: CurrentUser
) -> AlbumDetail:
    album = await reviews.do_add_album(db, me, body)
    return _album_detail(album, RatingSummary.of(None))


@router.get("/albums", summary="The catalog newest first; `q` searches titles and artists")
async def list_albums(
    db: DbSession,
    reviews: Reviews,
    q: Annotated[
        str | None, Query(max_length=200, description="Text inside the title or the artist")
    ] = None,
    genre: Annotated[str | None, Query(max_length=50, description="Only this genre")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> AlbumsPage:
    listing = await reviews.list_albums(db, text=q, genre=genre, cursor=cursor, limit=limit)
    return AlbumsPage(
        albums=[_album(album, summary) for album, summary in listing.albums],
        next_cursor=listing.next_cursor,
    )


@router.get("/albums/{albumId}", summary="One album with its rating summary")
async def get_album(albumId: IdPath, db: DbSession, reviews: Reviews) -> AlbumDetail:
    album = await reviews.access_album(db, albumId)
    return _album_detail(album, await reviews.get_summary(db, album.id))


# ---------------------------------------------------------------- reviews


@router.post("/reviews", status_code=201, summary="Review an album (once per album)")
async def post_review(body: ReviewCreate, db: Db, reviews: Reviews, me: CurrentUser) -> ReviewRead:
    # A plain write opened here, not a `DbSession` dependency (decision 0046).
    async with db.writes() as writes:
        review = await reviews.do_post_review(writes, me, body)
    return _review(review)


@router.get(
    "/reviews/album/{albumId}",
    summary="An album's reviews newest first, with its average, count and distribution",
    response_model=AlbumReviewsPage,
)
async def album_reviews(
    albumId: IdPath,
    reads: DbReads,
    reviews: Reviews,
    me: OptionalUser,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ModelJSON:
    return await _album_reviews_body(reads, reviews, albumId, limit=limit, cursor=cursor, me=me)


async def _lean_album_reviews(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `album_reviews` answers without a cursor, below FastAPI (decisions 0037, 0039).
    reviews = registered(app, ReviewsService)
    return await _album_reviews_body(
        reads, reviews, args["albumId"], limit=args.number("limit"), cursor=None, me=args.principal
    )


async def _album_reviews_body(
    reads: Reads,
    reviews: ReviewsService,
    album_id: int,
    *,
    limit: int,
    cursor: str | None,
    me: Principal | None,
) -> ModelJSON:
    # A hot read: rows rendered once, in `AlbumReviewsPage`'s shape (decision 0041).
    page = await reviews.list_album_reviews(reads, album_id, cursor=cursor, limit=limit, me=me)
    return ModelJSON(
        {
            "albumId": str(page.album["id"]),
            "title": page.album["title"],
            "artist": page.album["artist"],
            "averageRating": page.summary.average,
            "reviewCount": page.summary.count,
            "ratingDistribution": page.summary.distribution,
            "reviews": [_review_fields(r) for r in page.reviews],
            "next_cursor": page.next_cursor,
            "my_review": None if page.mine is None else _review_fields(page.mine),
        }
    )


# Answered below FastAPI for plain requests (decisions 0037, 0039).
LEAN_READS = [LeanRead(album_reviews, _lean_album_reviews)]


@router.get("/reviews/{reviewId}", summary="One review")
async def get_review(reviewId: IdPath, db: DbSession, reviews: Reviews) -> ReviewRead:
    return _review(await reviews.access_review(db, reviewId))


@router.put("/reviews/{reviewId}", summary="Edit my review's rating or text")
async def update_review(
    reviewId: IdPath, body: ReviewUpdate, db: DbSession, reviews: Reviews, me: CurrentUser
) -> ReviewRead:
    return _review(await reviews.do_update_review(db, me, reviewId, body))


@router.delete("/reviews/{reviewId}", summary="Delete my review")
async def delete_review(
    reviewId: IdPath, db: DbSession, reviews: Reviews, me: CurrentUser
) -> Message:
    await reviews.do_delete_review(db, me, reviewId)
    return Message(message="Review deleted", reviewId=str(reviewId))
