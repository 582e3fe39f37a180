"""Candidate books: the seed's `GET /books` and the admins' `POST /books`."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.services.voting.schemas import BookList, VoteStatus
from tests.services.voting.ballot import add_book, vote
from tests.support.api import Api
from tests.support.lean import (
    Request,
    assert_answers_alike,
    assert_list_answers_alike,
    through_gateway,
)


async def test_anonymous_sees_the_current_ballot_in_the_seed_shape(
    api: Api, client: httpx.AsyncClient
) -> None:
    empty = await client.get("/api/books")
    assert empty.status_code == 200
    assert empty.json()["books"] == []
    admin = await api.register("admin")
    first = await add_book(client, admin, "Title 1", "Author 1")
    second = await add_book(client, admin, "Title 2", "Author 2")
    member = await api.register("member")
    assert (await vote(client, member, second)).status_code == 200
    listed = await client.get("/api/books")
    # Rendered without the response model (decision 0034): exactly the model's own rendering.
    assert listed.content == BookList.model_validate(listed.json()).model_dump_json().encode()
    body = listed.json()
    assert body["books"] == [
        {
            "id": first,
            "title": "Title 1",
            "author": "Author 1",
            "description": "Brief description of the book",
            "votes": 0,
        },
        {
            "id": second,
            "title": "Title 2",
            "author": "Author 2",
            "description": "Brief description of the book",
            "votes": 1,
        },
    ]
    assert body["month"] == "2026-01"
    assert body["total_votes"] == 1


async def test_only_admins_add_candidates(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    payload = {"title": "Dune", "author": "Frank Herbert", "description": "Spice."}
    anonymous = await client.post("/api/books", json=payload)
    assert anonymous.status_code == 401
    as_member = await client.post("/api/books", json=payload, headers=member.headers)
    assert as_member.status_code == 403
    assert as_member.json()["error"]["code"] == "admin_required"
    as_admin = await client.post("/api/books", json=payload, headers=admin.headers)
    assert as_admin.status_code == 201
    created = as_admin.json()
    assert created["title"] == "Dune"
    assert created["votes"] == 0
    assert created["poll_id"] == (await client.get("/api/polls/current")).json()["poll_id"]
    assert [b["title"] for b in (await client.get("/api/books")).json()["books"]] == ["Dune"]


async def test_the_same_book_twice_on_one_ballot_is_a_conflict(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    await add_book(client, admin, "The Hobbit", "J. R. R. Tolkien")
    again = await client.post(
        "/api/books",
        json={"title": "  the hobbit ", "author": "j. r. r.  TOLKIEN", "description": ""},
        headers=admin.headers,
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_book"
    other_author = await client.post(
        "/api/books",
        json={"title": "The Hobbit", "author": "Someone Else", "description": ""},
        headers=admin.headers,
    )
    assert other_author.status_code == 201
    assert len((await client.get("/api/books")).json()["books"]) == 2


async def test_invalid_books_name_the_field(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    missing = await client.post("/api/books", json={"author": "A"}, headers=admin.headers)
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "body.title"
    blank = await client.post(
        "/api/books", json={"title": "T", "author": "   "}, headers=admin.headers
    )
    assert blank.status_code == 422
    assert blank.json()["error"]["details"][0]["field"] == "body.author"
    too_long = await client.post(
        "/api/books",
        json={"title": "T", "author": "A", "description": "x" * 2001},
        headers=admin.headers,
    )
    assert too_long.status_code == 422
    assert too_long.json()["error"]["details"][0]["field"] == "body.description"
    unknown = await client.post(
        "/api/books", json={"title": "T", "author": "A", "pages": 3}, headers=admin.headers
    )
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "body.pages"
    not_json = await client.post(
        "/api/books",
        content=b"{",
        headers={**admin.headers, "content-type": "application/json"},
    )
    assert not_json.status_code == 400
    assert (await client.get("/api/books")).json()["books"] == []


async def test_description_is_optional(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    response = await client.post(
        "/api/books", json={"title": "Emma", "author": "Jane Austen"}, headers=admin.headers
    )
    assert response.status_code == 201
    assert response.json()["description"] == ""


# Past the gateway's response cache, to see what the voting service itself says.
FRESH = {"Cache-Control": "no-cache"}


async def test_anonymous_lists_may_be_cached_briefly_but_never_past_the_deadline(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    member = await api.register("member")
    books = await client.get("/api/books", headers=FRESH)
    assert books.headers["cache-control"] == "public, max-age=0, s-maxage=5"
    anonymous = await client.get("/api/vote/status", headers=FRESH)
    assert anonymous.headers["cache-control"] == "public, max-age=0, s-maxage=5"
    # An answer that says what the caller voted for is theirs alone.
    mine = await client.get("/api/vote/status", headers=member.headers)
    assert "public" not in mine.headers.get("cache-control", "")
    clock.set(datetime(2026, 1, 31, 23, 59, 58, tzinfo=UTC))
    assert (await client.get("/api/books", headers=FRESH)).headers[
        "cache-control"
    ] == "public, max-age=0, s-maxage=2"
    clock.set(datetime(2026, 1, 31, 23, 59, 59, 500000, tzinfo=UTC))
    assert "cache-control" not in (await client.get("/api/books", headers=FRESH)).headers


async def test_books_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The lean read (decision 0037) answers `GET /books` exactly as the FastAPI endpoint does
    (body, `Cache-Control`), through the gateway and on the service's own app; every other request
    goes to the endpoint."""
    admin = await api.register("admin")
    book = await add_book(client, admin, "Title 1", "Author 1")
    member = await api.register("member")
    assert (await vote(client, member, book)).status_code == 200
    app = platform.runtimes["voting"].app
    requests = [
        ("GET", "/books"),
        ("GET", "/books?limit=5"),
        ("GET", "/books/"),
        ("HEAD", "/books"),
        ("DELETE", "/books"),
        ("GET", "/books%00"),
    ]
    listed = await assert_list_answers_alike(
        client, app, requests, lean=["/books"], token=member.headers
    )
    assert listed.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
    operation = app.openapi()["paths"]["/books"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookList"
    }


async def test_vote_status_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform, clock: ManualClock
) -> None:
    """The lean read (decisions 0037, 0039) answers `GET /vote/status` exactly as the FastAPI
    endpoint does: anonymous (cacheable) or with a good token (the caller's vote, not cacheable);
    a bad token, a query string or another method goes to the endpoint."""
    admin = await api.register("admin")
    first = await add_book(client, admin, "Title 1", "Author 1")
    await add_book(client, admin, "Title 2", "Author 2")
    member = await api.register("member")
    assert (await vote(client, member, first)).status_code == 200
    app = platform.runtimes["voting"].app
    plain: list[Request] = [("GET", "/vote/status"), ("GET", "/vote/status", member.headers)]
    plain += [("GET", "/vote/status", admin.headers)]
    refused = [{"Authorization": "Bearer "}, {"Authorization": "Basic abc"}]
    refused += [{"Authorization": "Bearer not-a-token"}]
    refused += [{"Authorization": f"Bearer {member.refresh_token}"}]
    others: list[Request] = [("GET", "/vote/status", headers) for headers in refused]
    others += [("GET", "/vote/status?limit=5"), ("GET", "/vote/status/"), ("HEAD", "/vote/status")]
    others += [("POST", "/vote/status"), ("GET", "/vote/status?x", member.headers)]
    requests = plain + others
    fresh = {"Cache-Control": "no-cache"}
    answered = await assert_answers_alike(client, app, through_gateway(requests), headers=fresh)
    assert len(answered) == len(plain)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://voting") as direct:
        answered = await assert_answers_alike(direct, app, requests)
        assert len(answered) == len(plain)
        anonymous = await direct.get("/vote/status")
        mine = await direct.get("/vote/status", headers=member.headers)
        for response in (anonymous, mine):
            # Rendered without the response model (decision 0034): the model's own rendering.
            model = VoteStatus.model_validate(response.json())
            assert response.content == model.model_dump_json().encode()
        assert anonymous.json()["my_vote"] is None
        assert anonymous.headers["cache-control"].startswith("public, max-age=0, s-maxage=")
        assert mine.json()["my_vote"] == first
        assert "cache-control" not in mine.headers
        clock.advance(16 * 60)
        expired: list[Request] = [("GET", "/vote/status", member.headers)]
        assert await assert_answers_alike(direct, app, expired) == []
        response = await direct.get("/vote/status", headers=member.headers)
        assert response.json()["error"]["code"] == "token_expired"
    operation = app.openapi()["paths"]["/vote/status"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/VoteStatus"
    }
