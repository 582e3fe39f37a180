"""The analytics answered from the warehouse: the admin overview (daily series and tops), the
public review and competition summaries, and their 4xx answers to bad input. The demo content
(seeded on the manual clock's first day) is the known data."""

from __future__ import annotations

from typing import Any

import httpx

from agora.entrypoints.demo import ALBUMS, REVIEWS
from tests.services.warehouse.support import Warehouse

DAY = "2026-01-01"  # the manual clock's day: the demo happens on it


async def _get(client: httpx.AsyncClient, path: str, **kwargs: Any) -> dict[str, Any]:
    response = await client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "success"
    data: dict[str, Any] = body["data"]
    return data


async def test_the_overview_counts_the_demo_day_by_day(
    warehouse: Warehouse, client: httpx.AsyncClient
) -> None:
    closed = await client.post("/api/polls/current/close", headers=warehouse.admin.headers)
    assert closed.status_code == 200, closed.text
    await warehouse.refresh()
    data = await _get(
        client,
        "/api/analytics/overview",
        params={"from": "2025-12-31", "to": "2026-01-02"},
        headers=warehouse.admin.headers,
    )
    assert data["as_of"] == "2026-01-01T12:00:00Z"
    assert (data["from"], data["to"]) == ("2025-12-31", "2026-01-02")
    daily = data["daily"]
    assert daily["days"] == ["2025-12-31", DAY, "2026-01-02"]
    assert daily["new_users"] == [0, 6, 0]
    assert daily["votes"] == [0, 5, 0]
    assert daily["reviews"] == [0, len(REVIEWS), 0]
    assert daily["entries"] == [0, 2, 0]
    assert daily["likes"] == [0, 4, 0]
    assert daily["posts"][1] > 0
    # Everyone but the admin voted, reviewed, posted or liked something.
    assert daily["active_users"][1] >= 5
    top = data["top_albums"][0]
    assert set(top) == {"album_id", "title", "artist", "genre", "reviews", "average_rating"}
    assert top["average_rating"] == max(r[2] for r in REVIEWS)
    genres = {g["genre"]: g for g in data["genres"]}
    assert set(genres) == {a[3] for a in ALBUMS}
    assert sum(sum(g["distribution"]) for g in genres.values()) == len(REVIEWS)
    assert data["most_followed"][0]["followers"] == 3  # mira: tomas, lena, yuki
    [competition] = data["competitions"]
    assert competition | {"competition_id": "-", "start_date": "-", "end_date": "-"} == {
        "competition_id": "-",
        "title": "Winter Flash Fiction",
        "status": "open",
        "start_date": "-",
        "end_date": "-",
        "entries": 2,
        "entrants": 2,
        "likes": 4,
        "comments": 2,
    }
    [book] = data["books_of_the_month"]
    assert (book["votes"], book["total_votes"]) == (2, 5)
    assert book["month"] == "2026-01"


async def test_the_overview_defaults_to_the_last_thirty_days(
    warehouse: Warehouse, client: httpx.AsyncClient
) -> None:
    await warehouse.refresh()
    data = await _get(client, "/api/analytics/overview", headers=warehouse.admin.headers)
    assert (data["from"], data["to"]) == ("2025-12-03", DAY)
    assert len(data["daily"]["days"]) == 30
    assert data["daily"]["new_users"][-1] == 6


BAD_RANGES = [
    ({"from": "2026-02-01", "to": "2026-01-01"}, "query.from"),  # backwards
    ({"from": "2024-01-01", "to": "2026-01-01"}, "query.to"),  # more than a year
    ({"from": "yesterday"}, "query.from"),
    ({"to": "2026-13-01"}, "query.to"),
]


async def test_a_bad_overview_range_is_422(warehouse: Warehouse, client: httpx.AsyncClient) -> None:
    for params, field in BAD_RANGES:
        response = await client.get(
            "/api/analytics/overview", params=params, headers=warehouse.admin.headers
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"]["details"][0]["field"] == field, params


async def test_the_overview_is_for_admins(warehouse: Warehouse, client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/analytics/overview")).status_code == 401
    member = await client.get("/api/analytics/overview", headers=await warehouse.token("mira"))
    assert member.status_code == 403
    assert member.json()["status"] == "error"


async def test_review_summaries_per_genre(warehouse: Warehouse, client: httpx.AsyncClient) -> None:
    await warehouse.refresh()
    every = await _get(client, "/api/analytics/reviews")
    assert {g["genre"] for g in every["genres"]} == {a[3] for a in ALBUMS}
    rock = await _get(client, "/api/analytics/reviews", params={"genre": "rock"})
    [genre] = rock["genres"]
    rock_albums = {a[0] for a in ALBUMS if a[3] == "rock"}
    ratings = [r[2] for r in REVIEWS if r[1] in rock_albums]
    assert (genre["genre"], genre["albums"], genre["reviews"]) == ("rock", 2, len(ratings))
    assert sum(genre["distribution"]) == len(ratings)
    for rating in ratings:
        assert genre["distribution"][int(rating * 2) - 1] >= 1
    assert {a["title"] for a in rock["top_albums"]} <= rock_albums
    unknown = await client.get("/api/analytics/reviews", params={"genre": "polka"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "genre_not_found"
    too_long = await client.get("/api/analytics/reviews", params={"genre": "x" * 51})
    assert too_long.status_code == 422


async def test_a_competition_in_numbers(warehouse: Warehouse, client: httpx.AsyncClient) -> None:
    await warehouse.refresh()
    [listed] = (await client.get("/api/competitions")).json()
    data = await _get(client, f"/api/analytics/competitions/{listed['competition_id']}")
    assert data["participation"]["entries"] == 2
    assert data["participation"]["likes"] == 4
    assert data["likes_by_day"] == [{"day": DAY, "count": 4}]
    assert [(e["likes"], e["comments"]) for e in data["top_entries"]] == [(3, 2), (1, 0)]
    for unknown in ("999999", "abc", "99999999999999999999999"):
        response = await client.get(f"/api/analytics/competitions/{unknown}")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "competition_not_found"
