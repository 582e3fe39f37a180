"""Seed-shaped calls of the music seed, shared by the reviews tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import Account

ALBUMS = "/api/users-reviews/albums"
REVIEWS = "/api/users-reviews/reviews"


async def add_album(
    client: httpx.AsyncClient,
    admin: Account,
    title: str = "Kind of Blue",
    artist: str = "Miles Davis",
    *,
    year: int | None = 1959,
    genre: str = "jazz",
) -> str:
    """Add an album as `admin`; returns its albumId."""
    response = await client.post(
        ALBUMS,
        json={"title": title, "artist": artist, "year": year, "genre": genre},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    album_id: str = response.json()["albumId"]
    return album_id


async def review(
    client: httpx.AsyncClient, who: Account, album_id: str, rating: float, text: str = "Good."
) -> dict[str, Any]:
    """Post a review as `who` with the seed's payload; returns the review."""
    response = await client.post(
        REVIEWS,
        json={"userId": str(who.id), "albumId": album_id, "rating": rating, "reviewText": text},
        headers=who.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def album_reviews(client: httpx.AsyncClient, album_id: str, **params: Any) -> dict[str, Any]:
    response = await client.get(f"{REVIEWS}/album/{album_id}", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def distribution(*ratings: float) -> dict[str, int]:
    """The expected `ratingDistribution` of these ratings."""
    counts = {f"{h / 2:.1f}": 0 for h in range(1, 11)}
    for rating in ratings:
        counts[f"{rating:.1f}"] += 1
    return counts
