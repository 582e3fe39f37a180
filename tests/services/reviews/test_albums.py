"""The album catalog: admins add albums (AlbumAdded), everyone lists, searches and reads them."""

from __future__ import annotations

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from tests.services.reviews.support import ALBUMS, add_album, distribution, review
from tests.support.api import Api
from tests.support.events import EventLog


async def test_admin_adds_an_album_and_it_is_announced(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "reviews.album_added")
    admin = await api.register("admin")
    response = await client.post(
        ALBUMS,
        json={"title": "Blue", "artist": "Joni Mitchell", "year": 1971, "genre": "folk"},
        headers=admin.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["albumId"].isdigit()
    assert (body["title"], body["artist"], body["year"], body["genre"]) == (
        "Blue",
        "Joni Mitchell",
        1971,
        "folk",
    )
    assert body["averageRating"] is None
    assert body["reviewCount"] == 0
    assert body["ratingDistribution"] == distribution()
    events = await log.of_type("reviews.album_added")
    assert len(events) == 1
    assert events[0].payload == {
        "album_id": int(body["albumId"]),
        "title": "Blue",
        "artist": "Joni Mitchell",
        "year": 1971,
        "genre": "folk",
    }


async def test_only_admins_add_albums(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "reviews.album_added")
    await api.register("admin")
    member = await api.register("member")
    album = {"title": "Blue", "artist": "Joni Mitchell", "genre": "folk"}
    assert (await client.post(ALBUMS, json=album)).status_code == 401
    refused = await client.post(ALBUMS, json=album, headers=member.headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "admin_required"
    assert (await client.get(ALBUMS)).json()["albums"] == []
    assert await log.of_type("reviews.album_added") == []


async def test_an_album_is_in_the_catalog_once(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    await add_album(client, admin, "Blue", "Joni Mitchell")
    again = await client.post(
        ALBUMS,
        json={"title": "BLUE", "artist": "joni mitchell", "genre": "folk"},
        headers=admin.headers,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_album"
    await add_album(client, admin, "Blue", "Weezer", genre="rock")  # another artist's Blue


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"artist": "A", "genre": "rock"}, "body.title"),
        ({"title": "  ", "artist": "A", "genre": "rock"}, "body.title"),
        ({"title": "T", "genre": "rock"}, "body.artist"),
        ({"title": "T", "artist": "A"}, "body.genre"),
        ({"title": "T", "artist": "A", "genre": "rock", "year": 99999}, "body.year"),
        ({"title": "x" * 201, "artist": "A", "genre": "rock"}, "body.title"),
        ({"title": "T", "artist": "A", "genre": "rock", "label": "Blue Note"}, "body.label"),
    ],
)
async def test_album_fields_are_validated(
    api: Api, client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    admin = await api.register("admin")
    response = await client.post(ALBUMS, json=body, headers=admin.headers)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


async def test_search_by_title_or_artist_ignoring_case(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    await add_album(client, admin, "Kind of Blue", "Miles Davis")
    await add_album(client, admin, "Blue", "Joni Mitchell", genre="folk")
    await add_album(client, admin, "Bitches Brew", "Miles Davis")
    await add_album(client, admin, "100% Pure", "Percent Band", genre="pop")

    async def titles(**params: str) -> list[str]:
        response = await client.get(ALBUMS, params=params)
        assert response.status_code == 200
        return [a["title"] for a in response.json()["albums"]]

    assert await titles() == ["100% Pure", "Bitches Brew", "Blue", "Kind of Blue"]
    assert await titles(q="blue") == ["Blue", "Kind of Blue"]
    assert await titles(q="MILES") == ["Bitches Brew", "Kind of Blue"]
    assert await titles(q="0%") == ["100% Pure"]  # % is a character, not a wildcard
    assert await titles(q="%") == ["100% Pure"]
    assert await titles(q="blue", genre="Folk") == ["Blue"]
    assert await titles(q="nothing like this") == []


async def test_album_pages_do_not_overlap(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    ids = [await add_album(client, admin, f"Album {n}", "Various") for n in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get(ALBUMS, params=params)).json()
        seen.extend(a["albumId"] for a in page["albums"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    assert (await client.get(ALBUMS, params={"limit": 0})).status_code == 422
    assert (await client.get(ALBUMS, params={"cursor": "abc"})).status_code == 400


async def test_one_album_with_its_rating_summary(api: Api, client: httpx.AsyncClient) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    await review(client, admin, album_id, 4.5)
    await review(client, bob, album_id, 3)
    response = await client.get(f"{ALBUMS}/{album_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["averageRating"] == 3.75
    assert body["reviewCount"] == 2
    assert body["ratingDistribution"] == distribution(4.5, 3)
    listed = (await client.get(ALBUMS)).json()["albums"][0]
    assert (listed["averageRating"], listed["reviewCount"]) == (3.75, 2)
    missing = await client.get(f"{ALBUMS}/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "album_not_found"
    # An id of any shape that names nothing is a 404 (the contract), not a validation error.
    assert (await client.get(f"{ALBUMS}/abc")).status_code == 404
