"""Events of the reviews service."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class AlbumAdded(EventPayload):
    """An album joined the catalog (discussions keeps a copy to validate album rooms)."""

    event_type = "reviews.album_added"

    album_id: int
    title: str
    artist: str
    year: int | None
    genre: str


@register
class ReviewPosted(EventPayload):
    """A user reviewed an album."""

    event_type = "reviews.review_posted"

    review_id: int
    album_id: int
    user_id: int
    rating: float
    posted_at: datetime
