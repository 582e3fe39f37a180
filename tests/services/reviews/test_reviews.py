"""Reviews with the music seed's payloads: one per user per album, half-star ratings, edits and
deletes by the author only, and an album's reviews with exact aggregates under concurrency."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from agora.services.reviews.schemas import AlbumReviewsPage
from tests.services.reviews.support import REVIEWS, add_album, album_reviews, distribution, review
from tests.support.api import Account, Api
from tests.support.events import EventLog
from tests.support.lean import assert_answers_alike


async def test_post_a_review_with_the_seeds_payload(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "reviews.review_posted")
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    response = await client.post(
        REVIEWS,
        json={
            "userId": str(bob.id),
            "albumId": album_id,
            "rating": 4.5,
            "reviewText": "Modal jazz at its finest.",
        },
        headers=bob.headers,
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reviewId"].isdigit()
    assert body["userId"] == str(bob.id)
    assert body["username"] == "bob"
    assert body["albumId"] == album_id
    assert body["rating"] == 4.5
    assert body["reviewText"] == "Modal jazz at its finest."
    assert body["createdAt"] == body["updatedAt"] == "2026-01-01T12:00:00Z"
    events = await log.of_type("reviews.review_posted")
    assert len(events) == 1
    assert events[0].payload["review_id"] == int(body["reviewId"])
    assert events[0].payload["album_id"] == int(album_id)
    assert events[0].payload["user_id"] == bob.id
    assert events[0].payload["rating"] == 4.5
    one = await client.get(f"{REVIEWS}/{body['reviewId']}")
    assert one.status_code == 200
    assert one.json() == body
    assert (await client.get(f"{REVIEWS}/999")).status_code == 404


async def test_post_review_callers(api: Api, client: httpx.AsyncClient) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    payload = {"albumId": album_id, "rating": 4, "reviewText": "Fine."}
    assert (await client.post(REVIEWS, json=payload)).status_code == 401
    as_admin = await client.post(
        REVIEWS, json={**payload, "userId": str(admin.id)}, headers=bob.headers
    )
    assert as_admin.status_code == 403
    assert as_admin.json()["error"]["code"] == "acting_user_mismatch"
    unknown_album = await client.post(
        REVIEWS, json={**payload, "albumId": "999"}, headers=bob.headers
    )
    assert unknown_album.status_code == 404
    assert unknown_album.json()["error"]["code"] == "album_not_found"
    without_user_id = await client.post(REVIEWS, json=payload, headers=bob.headers)
    assert without_user_id.status_code == 201
    assert without_user_id.json()["userId"] == str(bob.id)
    rating_only = await client.post(
        REVIEWS, json={"albumId": album_id, "rating": 5}, headers=admin.headers
    )
    assert rating_only.status_code == 201
    assert rating_only.json()["reviewText"] == ""


@pytest.mark.parametrize("rating", [0, 0.25, 0.4, 5.5, 3.3, -1, 10, "great", True, None])
async def test_rating_must_be_half_steps_from_half_to_five(
    api: Api, client: httpx.AsyncClient, rating: object
) -> None:
    admin = await api.register("admin")
    album_id = await add_album(client, admin)
    response = await client.post(
        REVIEWS, json={"albumId": album_id, "rating": rating}, headers=admin.headers
    )
    assert response.status_code == 422
    assert "body.rating" in [d["field"] for d in response.json()["error"]["details"]]
    assert (await album_reviews(client, album_id))["reviewCount"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rating": 3}, "body.albumId"),
        ({"albumId": "abc", "rating": 3}, "body.albumId"),
        ({"albumId": "1"}, "body.rating"),
        ({"albumId": "1", "rating": 3, "reviewText": "x" * 5001}, "body.reviewText"),
        ({"albumId": "1", "rating": 3, "stars": 3}, "body.stars"),
    ],
)
async def test_other_review_fields_are_validated(
    api: Api, client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    admin = await api.register("admin")
    await add_album(client, admin)
    response = await client.post(REVIEWS, json=body, headers=admin.headers)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


@pytest.mark.parametrize("rating", [0.5, 1, 2.5, "3.5", 5])
async def test_every_half_step_is_accepted(
    api: Api, client: httpx.AsyncClient, rating: object
) -> None:
    admin = await api.register("admin")
    album_id = await add_album(client, admin)
    response = await client.post(
        REVIEWS, json={"albumId": album_id, "rating": rating}, headers=admin.headers
    )
    assert response.status_code == 201
    assert response.json()["rating"] == float(str(rating))


async def test_a_second_review_of_the_same_album_is_a_conflict(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    other_album = await add_album(client, admin, "Bitches Brew")
    first = await review(client, bob, album_id, 4)
    again = await client.post(REVIEWS, json={"albumId": album_id, "rating": 2}, headers=bob.headers)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_reviewed"
    await review(client, bob, other_album, 2)  # another album is fine
    page = await album_reviews(client, album_id)
    assert [r["reviewId"] for r in page["reviews"]] == [first["reviewId"]]
    assert page["averageRating"] == 4


async def test_concurrent_second_reviews_leave_one(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    log = EventLog(platform, "reviews.review_posted")
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    responses = await asyncio.gather(
        *(
            client.post(REVIEWS, json={"albumId": album_id, "rating": r}, headers=bob.headers)
            for r in (1, 2, 3, 4, 5)
        )
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409, 409]
    page = await album_reviews(client, album_id)
    assert page["reviewCount"] == 1
    assert len(await log.of_type("reviews.review_posted")) == 1


async def test_only_the_author_edits(api: Api, client: httpx.AsyncClient) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    album_id = await add_album(client, admin)
    mine = await review(client, bob, album_id, 2, "Not for me.")
    path = f"{REVIEWS}/{mine['reviewId']}"
    change = {"rating": 4.5, "reviewText": "It grew on me."}
    assert (await client.put(path, json=change)).status_code == 401
    other = await client.put(path, json=change, headers=carol.headers)
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "not_the_author"
    assert (await client.put(path, json=change, headers=admin.headers)).status_code == 403
    assert (await client.put(f"{REVIEWS}/999", json=change, headers=bob.headers)).status_code == 404
    edited = await client.put(path, json=change, headers=bob.headers)
    assert edited.status_code == 200
    assert edited.json()["rating"] == 4.5
    assert edited.json()["reviewText"] == "It grew on me."
    text_only = await client.put(path, json={"reviewText": "Now a favourite."}, headers=bob.headers)
    assert text_only.json()["rating"] == 4.5
    rating_only = await client.put(path, json={"rating": 5}, headers=bob.headers)
    assert rating_only.json()["reviewText"] == "Now a favourite."
    page = await album_reviews(client, album_id)
    assert page["averageRating"] == 5
    assert page["ratingDistribution"] == distribution(5)


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "body"), ({"rating": 0}, "body.rating"), ({"rating": 4, "albumId": "2"}, "body.albumId")],
)
async def test_edits_are_validated(
    api: Api, client: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    admin = await api.register("admin")
    album_id = await add_album(client, admin)
    mine = await review(client, admin, album_id, 3)
    response = await client.put(f"{REVIEWS}/{mine['reviewId']}", json=body, headers=admin.headers)
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


async def test_only_the_author_deletes_and_may_then_review_again(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin, bob, carol = [await api.register(n) for n in ("admin", "bob", "carol")]
    album_id = await add_album(client, admin)
    mine = await review(client, bob, album_id, 1)
    await review(client, carol, album_id, 4)
    path = f"{REVIEWS}/{mine['reviewId']}"
    assert (await client.delete(path)).status_code == 401
    assert (await client.delete(path, headers=carol.headers)).status_code == 403
    assert (await client.delete(path, headers=admin.headers)).status_code == 403
    deleted = await client.delete(path, headers=bob.headers)
    assert deleted.status_code == 200
    assert deleted.json()["message"] == "Review deleted"
    assert (await client.delete(path, headers=bob.headers)).status_code == 404
    assert (await client.get(path)).status_code == 404
    page = await album_reviews(client, album_id)
    assert (page["reviewCount"], page["averageRating"]) == (1, 4)
    await review(client, bob, album_id, 3)
    assert (await album_reviews(client, album_id))["reviewCount"] == 2


async def test_album_reviews_newest_first_with_aggregates_and_pages(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    users = [await api.register(f"listener{n}") for n in range(7)]
    album_id = await add_album(client, admin)
    ratings = [5, 4.5, 4.5, 3, 0.5, 2, 4]
    posted = [
        (await review(client, u, album_id, r, f"text {n}"))["reviewId"]
        for n, (u, r) in enumerate(zip(users, ratings, strict=True))
    ]
    first = await album_reviews(client, album_id, limit=3)
    assert first["albumId"] == album_id
    assert first["title"] == "Kind of Blue"
    assert first["reviewCount"] == 7
    assert first["averageRating"] == round(sum(ratings) / 7, 2)
    assert first["ratingDistribution"] == distribution(*ratings)
    seen = [r["reviewId"] for r in first["reviews"]]
    cursor = first["next_cursor"]
    while cursor is not None:
        page = await album_reviews(client, album_id, limit=3, cursor=cursor)
        seen.extend(r["reviewId"] for r in page["reviews"])
        cursor = page["next_cursor"]
    assert seen == list(reversed(posted))
    assert first["reviews"][0]["reviewText"] == "text 6"
    missing = await client.get(f"{REVIEWS}/album/999")
    assert missing.status_code == 404
    assert (await client.get(f"{REVIEWS}/album/{album_id}", params={"limit": 201})).status_code == (
        422
    )


async def test_an_album_without_reviews_has_no_average(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    album_id = await add_album(client, admin)
    page = await album_reviews(client, album_id)
    assert (page["averageRating"], page["reviewCount"], page["reviews"]) == (None, 0, [])
    assert page["ratingDistribution"] == distribution()


async def test_aggregates_are_exact_after_concurrent_posts_edits_and_deletes(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    users = [await api.register(f"critic{n}") for n in range(12)]
    album_id = await add_album(client, admin)
    rng = random.Random(7)
    steps = [h / 2 for h in range(1, 11)]

    async def post(user: Account) -> None:
        await review(client, user, album_id, rng.choice(steps))

    await asyncio.gather(*(post(u) for u in users))
    page = await album_reviews(client, album_id, limit=50)
    assert page["reviewCount"] == 12
    by_user = {r["userId"]: r["reviewId"] for r in page["reviews"]}

    last_rating: dict[int, float] = {}

    async def churn(user: Account) -> None:
        path = f"{REVIEWS}/{by_user[str(user.id)]}"
        for _ in range(3):
            rating = rng.choice(steps)
            response = await client.put(path, json={"rating": rating}, headers=user.headers)
            assert response.status_code == 200
            last_rating[user.id] = rating
        if user.id % 3 == 0:
            assert (await client.delete(path, headers=user.headers)).status_code == 200

    # Edits and deletes race with each other and with the readers of the aggregates.
    results = await asyncio.gather(
        *(churn(u) for u in users), *(album_reviews(client, album_id) for _ in range(4))
    )
    for snapshot in results[len(users) :]:
        assert snapshot is not None
        assert sum(snapshot["ratingDistribution"].values()) == snapshot["reviewCount"]

    survivors = [u for u in users if u.id % 3 != 0]
    ratings = [last_rating[u.id] for u in survivors]  # each review holds its author's last edit
    final = await album_reviews(client, album_id, limit=50)
    assert {r["userId"]: r["rating"] for r in final["reviews"]} == {
        str(u.id): last_rating[u.id] for u in survivors
    }
    assert final["reviewCount"] == len(survivors)
    assert final["averageRating"] == round(sum(ratings) / len(ratings), 2)
    assert final["ratingDistribution"] == distribution(*ratings)
    album = (await client.get(f"/api/users-reviews/albums/{album_id}")).json()
    assert (album["reviewCount"], album["averageRating"]) == (
        final["reviewCount"],
        final["averageRating"],
    )


async def test_my_review_comes_with_every_page_of_an_albums_reviews(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin, bob = await api.register("admin"), await api.register("bob")
    album_id = await add_album(client, admin)
    mine = await review(client, bob, album_id, 3.5, "Mine, the oldest.")
    others = [await api.register(f"fan{i}") for i in range(3)]
    for other in others:
        await review(client, other, album_id, 5)
    path = f"{REVIEWS}/album/{album_id}"
    # The first page (newest first, two a page) does not hold bob's review; my_review does.
    page = (await client.get(path, params={"limit": 2}, headers=bob.headers)).json()
    assert mine["reviewId"] not in [r["reviewId"] for r in page["reviews"]]
    assert page["my_review"]["reviewId"] == mine["reviewId"]
    assert page["my_review"]["rating"] == 3.5
    assert (await client.get(path, headers=others[0].headers)).json()["my_review"]["rating"] == 5
    assert (await client.get(path, headers=admin.headers)).json()["my_review"] is None
    assert (await album_reviews(client, album_id))["my_review"] is None


async def test_album_reviews_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The lean read (decisions 0037, 0039, 0041) answers a plain `GET /reviews/album/{albumId}`
    exactly as the FastAPI endpoint does, anonymous or with a token (the caller's own review),
    through the gateway and on the service's own app; a cursor, a malformed id, a refused
    `Authorization` and every other method go to the endpoint."""
    admin, bob, eve = [await api.register(n) for n in ("admin", "bob", "eve")]
    album_id = await add_album(client, admin)
    empty = await add_album(client, admin, "Blue", "Joni Mitchell")
    await review(client, bob, album_id, 4.5, "Timeless.")
    await review(client, eve, album_id, 3.0, "Fine — «cool» jazz.")
    app = platform.runtimes["reviews"].app
    base = "/users-reviews/reviews/album"
    plain = [album_id, empty, "999", f"{album_id}?limit=1"]
    others = ["0", f"00{album_id}", "abc", "-1", "9" * 25, f"{album_id}?limit=0"]
    others += [f"{album_id}?cursor=x", f"{album_id}/", f"{album_id}%00"]
    paths = [f"{base}/{text}" for text in plain + others]
    requests = [("GET", path) for path in paths] + [("HEAD", paths[0]), ("DELETE", paths[0])]
    fresh = {"Cache-Control": "no-cache"}
    through_gateway = [(method, "/api" + path) for method, path in requests]
    answered = await assert_answers_alike(client, app, through_gateway, headers=fresh)
    assert len(answered) == len(plain)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://reviews") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == len(plain)
        # A token is read as the endpoint reads it; one it refuses goes to the endpoint.
        for headers, lean in ((bob.headers, 2), ({"Authorization": "Basic x"}, 0)):
            answered = await assert_answers_alike(direct, app, requests[:2], headers=headers)
            assert len(answered) == lean
        mine = await direct.get(paths[0], headers=bob.headers)
        assert mine.json()["my_review"]["reviewText"] == "Timeless."
        listed = await direct.get(paths[0])
    # Rendered without the response model (decision 0034): exactly the model's own rendering.
    assert (
        listed.content == AlbumReviewsPage.model_validate(listed.json()).model_dump_json().encode()
    )
    body = listed.json()
    assert [r["reviewText"] for r in body["reviews"]] == ["Fine — «cool» jazz.", "Timeless."]
    assert (body["reviewCount"], body["averageRating"]) == (2, 3.75)
    assert body["ratingDistribution"] == distribution(4.5, 3.0)
    assert body["my_review"] is None
    operation = app.openapi()["paths"][f"{base}/{{albumId}}"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/AlbumReviewsPage"
    }
