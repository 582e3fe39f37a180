"""Request and response models of the reviews service, with the music seed's field names
(`userId`, `albumId`, `rating`, `reviewText`); ids are strings in responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    model_validator,
)

from agora.platform.ids import Id
from agora.platform.schemas import Message as PlatformMessage
from agora.platform.schemas import Strict

RATING_RULE = "must be a number from 0.5 to 5 in steps of 0.5"


def _no_bool(value: Any) -> Any:
    # JSON true would otherwise pass as the number 1.
    if isinstance(value, bool):
        raise ValueError(RATING_RULE)
    return value


def _half_steps(value: float) -> float:
    if not 0.5 <= value <= 5 or not (value * 2).is_integer():
        raise ValueError(RATING_RULE)
    return value


def _not_blank(value: str) -> str:
    stripped = value.strip()
    if not stripped:
        raise ValueError("must not be blank")
    return stripped


Rating = Annotated[float, BeforeValidator(_no_bool), AfterValidator(_half_steps)]
IdIn = Id
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_not_blank)]
ReviewText = Annotated[str, Field(max_length=5000)]


# ---------------------------------------------------------------- albums


class AlbumCreate(Strict):
    """A catalog entry (admins): title, artist, genre, and the release year if known."""

    title: Name
    artist: Name
    year: int | None = Field(default=None, ge=1000, le=2100)
    genre: Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_not_blank)]


class AlbumRead(BaseModel):
    """An album with its rating summary."""

    albumId: str
    title: str
    artist: str
    year: int | None
    genre: str
    averageRating: float | None
    reviewCount: int
    createdAt: datetime


class AlbumDetail(AlbumRead):
    """An album with how many reviews gave each rating (keys "0.5" to "5.0")."""

    ratingDistribution: dict[str, int]


class AlbumsPage(BaseModel):
    albums: list[AlbumRead]
    next_cursor: str | None


# ---------------------------------------------------------------- reviews


class ReviewCreate(Strict):
    """Seed: `{userId, albumId, rating, reviewText}`; `userId` is optional and must be the token's
    user."""

    userId: IdIn | None = None
    albumId: IdIn
    rating: Rating
    reviewText: ReviewText = ""


class ReviewUpdate(Strict):
    """Seed: `{rating, reviewText}`; either may be left out, not both."""

    rating: Rating | None = None
    reviewText: ReviewText | None = None

    @model_validator(mode="after")
    def _something(self) -> ReviewUpdate:
        if self.rating is None and self.reviewText is None:
            raise ValueError("give `rating`, `reviewText` or both")
        return self


class ReviewRead(BaseModel):
    """A review as the seed's fields, plus the author's name and the times."""

    reviewId: str
    userId: str
    username: str
    albumId: str
    rating: float
    reviewText: str
    createdAt: datetime
    updatedAt: datetime


class AlbumReviewsPage(BaseModel):
    """An album's reviews newest first, with its average, count and distribution."""

    albumId: str
    title: str
    artist: str
    averageRating: float | None
    reviewCount: int
    ratingDistribution: dict[str, int]
    reviews: list[ReviewRead]
    next_cursor: str | None
    my_review: ReviewRead | None = Field(
        default=None,
        description="The caller's own review of this album (token given), on every page; else null",
    )


class Message(PlatformMessage):
    """A write's success message, and the review it concerns."""

    reviewId: str
