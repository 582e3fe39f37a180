"""Nominations: members suggest books (at most 3 waiting each), admins approve them onto the
current ballot or reject them, and each member sees their own."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.services.voting.ballot import add_book, close_poll
from tests.support.api import Account, Api


def _book(title: str, author: str = "Some Author") -> dict[str, str]:
    return {"title": title, "author": author, "description": "Brief description of the book"}


async def _nominate(
    client: httpx.AsyncClient, member: Account, title: str, author: str = "Some Author"
) -> httpx.Response:
    return await client.post(
        "/api/books/nominations", json=_book(title, author), headers=member.headers
    )


async def _listed(client: httpx.AsyncClient, who: Account, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/books/nominations", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    nominations: list[dict[str, Any]] = response.json()["nominations"]
    return nominations


async def test_a_member_nominates_and_an_admin_approves_it_onto_the_ballot(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    created = await _nominate(client, member, "Middlemarch", "George Eliot")
    assert created.status_code == 201
    nomination = created.json()
    assert nomination["status"] == "pending"
    assert nomination["user_id"] == member.id
    assert nomination["username"] == "member"
    assert (await client.get("/api/books")).json()["books"] == []

    approved = await client.post(
        f"/api/books/nominations/{nomination['id']}/approve", headers=admin.headers
    )
    assert approved.status_code == 200
    assert approved.json()["nomination"]["status"] == "approved"
    book_id = approved.json()["book"]["id"]
    books = (await client.get("/api/books")).json()["books"]
    assert [(b["id"], b["title"], b["author"]) for b in books] == [
        (book_id, "Middlemarch", "George Eliot")
    ]
    vote = await client.post("/api/vote", json={"book_id": book_id}, headers=member.headers)
    assert vote.status_code == 200
    twice = await client.post(
        f"/api/books/nominations/{nomination['id']}/approve", headers=admin.headers
    )
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "nomination_decided"
    assert len((await client.get("/api/books")).json()["books"]) == 1


async def test_admins_see_all_pending_and_members_only_their_own(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    alice, bob = await api.register("alice"), await api.register("bob")
    a1 = (await _nominate(client, alice, "Book A")).json()["id"]
    b1 = (await _nominate(client, bob, "Book B")).json()["id"]
    a2 = (await _nominate(client, alice, "Book C")).json()["id"]
    await client.post(f"/api/books/nominations/{a2}/reject", headers=admin.headers)

    assert (await client.get("/api/books/nominations")).status_code == 401
    assert [n["id"] for n in await _listed(client, admin)] == [b1, a1]
    assert [n["id"] for n in await _listed(client, admin, status="all")] == [a2, b1, a1]
    assert [n["id"] for n in await _listed(client, admin, status="rejected")] == [a2]
    assert [n["id"] for n in await _listed(client, alice)] == [a2, a1]
    assert [n["id"] for n in await _listed(client, alice, status="pending")] == [a1]
    assert [n["id"] for n in await _listed(client, bob)] == [b1]
    page = (
        await client.get("/api/books/nominations", params={"limit": 1}, headers=alice.headers)
    ).json()
    assert [n["id"] for n in page["nominations"]] == [a2]
    rest = await _listed(client, alice, limit=1, cursor=page["next_cursor"])
    assert [n["id"] for n in rest] == [a1]
    bad = await client.get(
        "/api/books/nominations", params={"status": "lost"}, headers=admin.headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"][0]["field"] == "query.status"


async def test_only_admins_decide_nominations(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    alice, bob = await api.register("alice"), await api.register("bob")
    nomination = (await _nominate(client, alice, "Book A")).json()["id"]
    for path in ("approve", "reject"):
        url = f"/api/books/nominations/{nomination}/{path}"
        assert (await client.post(url)).status_code == 401
        own = await client.post(url, headers=alice.headers)
        assert own.status_code == 403
        other = await client.post(url, headers=bob.headers)
        assert other.status_code == 403
    assert (await _listed(client, alice))[0]["status"] == "pending"
    missing = await client.post("/api/books/nominations/9999/approve", headers=admin.headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "nomination_not_found"


async def test_rejection_carries_a_reason_and_frees_a_slot(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    ids = [(await _nominate(client, member, f"Book {n}")).json()["id"] for n in range(3)]
    fourth = await _nominate(client, member, "Book 3")
    assert fourth.status_code == 409
    assert fourth.json()["error"]["code"] == "too_many_nominations"
    rejected = await client.post(
        f"/api/books/nominations/{ids[0]}/reject",
        json={"reason": "We read it last year"},
        headers=admin.headers,
    )
    assert rejected.status_code == 200
    assert rejected.json()["nomination"]["status"] == "rejected"
    assert rejected.json()["nomination"]["reason"] == "We read it last year"
    assert (await _nominate(client, member, "Book 3")).status_code == 201
    approved = await client.post(f"/api/books/nominations/{ids[1]}/approve", headers=admin.headers)
    assert approved.status_code == 200
    assert (await _nominate(client, member, "Book 4")).status_code == 201
    assert (await _nominate(client, member, "Book 5")).status_code == 409


async def test_the_limit_of_three_holds_under_concurrent_nominations(
    api: Api, client: httpx.AsyncClient
) -> None:
    await api.register("admin")
    member = await api.register("member")
    responses = await asyncio.gather(*(_nominate(client, member, f"Book {n}") for n in range(8)))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [409] * 5
    assert len(await _listed(client, member, status="pending")) == 3


async def test_a_member_withdraws_their_own_pending_nomination(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    alice, bob = await api.register("alice"), await api.register("bob")
    nomination = (await _nominate(client, alice, "Book A")).json()["id"]
    url = f"/api/books/nominations/{nomination}"
    assert (await client.delete(url)).status_code == 401
    assert (await client.delete(url, headers=bob.headers)).status_code == 403
    assert (await client.delete(url, headers=admin.headers)).status_code == 403
    withdrawn = await client.delete(url, headers=alice.headers)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["nomination"]["status"] == "withdrawn"
    assert (await client.delete(url, headers=alice.headers)).status_code == 409
    assert await _listed(client, admin) == []


async def test_duplicate_nominations_are_conflicts(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    alice, bob = await api.register("alice"), await api.register("bob")
    await add_book(client, admin, "Dune", "Frank Herbert")
    on_ballot = await _nominate(client, alice, "DUNE", "frank herbert")
    assert on_ballot.status_code == 409
    assert on_ballot.json()["error"]["code"] == "already_a_candidate"
    assert (await _nominate(client, alice, "Emma", "Jane Austen")).status_code == 201
    again = await _nominate(client, alice, "emma ", "Jane  Austen")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_nominated"
    # Another member may suggest the same book; approving one puts it on the ballot once.
    bobs = (await _nominate(client, bob, "Emma", "Jane Austen")).json()["id"]
    alices = (await _listed(client, alice))[0]["id"]
    assert (
        await client.post(f"/api/books/nominations/{alices}/approve", headers=admin.headers)
    ).status_code == 200
    second = await client.post(f"/api/books/nominations/{bobs}/approve", headers=admin.headers)
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "duplicate_book"
    assert (await _listed(client, bob))[0]["status"] == "pending"
    assert len((await client.get("/api/books")).json()["books"]) == 2


async def test_a_past_book_of_the_month_cannot_be_nominated(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    winner = await add_book(client, admin, "Dune", "Frank Herbert")
    await client.post("/api/vote", json={"book_id": winner}, headers=member.headers)
    assert (await close_poll(client, admin)).status_code == 200
    response = await _nominate(client, member, "Dune", "Frank Herbert")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_book_of_the_month"


async def test_invalid_nominations_name_the_field(api: Api, client: httpx.AsyncClient) -> None:
    await api.register("admin")
    member = await api.register("member")
    anonymous = await client.post("/api/books/nominations", json=_book("Book"))
    assert anonymous.status_code == 401
    missing = await client.post(
        "/api/books/nominations", json={"title": "Book"}, headers=member.headers
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["details"][0]["field"] == "body.author"
    blank = await client.post(
        "/api/books/nominations", json={"title": " ", "author": "A"}, headers=member.headers
    )
    assert blank.status_code == 422
    assert blank.json()["error"]["details"][0]["field"] == "body.title"
    assert await _listed(client, member) == []
