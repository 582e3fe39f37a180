"""The monthly poll: it opens by itself, closes at its deadline or when an admin closes it, picks
the book of the month (ties go to the book that reached its count first), emits
`voting.poll_closed` once, and opens next month's poll with the rest of the ballot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.services.voting.ballot import (
    add_book,
    close_poll,
    counts,
    current_poll,
    settle,
    vote,
)
from tests.support.api import Account, Api
from tests.support.events import EventLog
from tests.support.waiting import eventually

POLL_CLOSED = "voting.poll_closed"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_the_first_poll_opens_by_itself_for_this_month(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    poll = await current_poll(client)
    assert poll["month"] == "2026-01"
    assert poll["status"] == "open"
    assert _at(poll["closes_at"]) == datetime(2026, 2, 1, tzinfo=UTC)
    assert _at(poll["poll"]["opens_at"]) <= clock.now()
    assert poll["candidates"] == []
    assert poll["my_vote"] is None
    history = (await client.get("/api/polls")).json()
    assert [p["month"] for p in history["polls"]] == ["2026-01"]


async def test_current_poll_shows_candidates_counts_and_my_vote(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune", "Frank Herbert")
    emma = await add_book(client, admin, "Emma", "Jane Austen")
    member = await api.register("member")
    await vote(client, member, emma)
    mine = await current_poll(client, member)
    assert [(c["book_id"], c["title"], c["votes"]) for c in mine["candidates"]] == [
        (dune, "Dune", 0),
        (emma, "Emma", 1),
    ]
    assert mine["my_vote"] == emma
    assert mine["total_votes"] == 1
    assert (await current_poll(client))["my_vote"] is None


async def test_admin_close_picks_the_winner_and_opens_next_month_with_the_rest(
    api: Api, client: httpx.AsyncClient, platform: Platform, clock: ManualClock
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune", "Frank Herbert")
    emma = await add_book(client, admin, "Emma", "Jane Austen")
    ulysses = await add_book(client, admin, "Ulysses", "James Joyce")
    voters = [await api.register(f"reader{i}") for i in range(3)]
    await vote(client, voters[0], emma)
    await vote(client, voters[1], emma)
    await vote(client, voters[2], dune)
    january = (await current_poll(client))["poll_id"]
    clock.advance(600)

    closed = await close_poll(client, admin)
    assert closed.status_code == 200
    body = closed.json()
    assert body["poll"]["status"] == "closed"
    assert body["poll"]["close_reason"] == "admin"
    assert body["poll"]["winner"]["book_id"] == emma
    assert body["poll"]["winner"]["votes"] == 2
    assert body["poll"]["total_votes"] == 3
    assert body["next_poll"]["month"] == "2026-02"
    assert _at(body["next_poll"]["closes_at"]) == datetime(2026, 3, 1, tzinfo=UTC)

    (event,) = await events.of_type(POLL_CLOSED)
    assert event.payload == {
        "poll_id": january,
        "month": "2026-01",
        "winner_book_id": emma,
        "winner_title": "Emma",
        "winner_author": "Jane Austen",
        "total_votes": 3,
        "closed_at": clock.now().isoformat().replace("+00:00", "Z"),
    }

    february = await current_poll(client, voters[0])
    assert february["month"] == "2026-02"
    assert february["my_vote"] is None
    assert [(c["book_id"], c["votes"]) for c in february["candidates"]] == [
        (dune, 0),
        (ulysses, 0),
    ]
    assert await counts(client) == {dune: 0, ulysses: 0}
    of_the_month = (await client.get("/api/books/of-the-month")).json()
    assert (of_the_month["id"], of_the_month["title"], of_the_month["month"]) == (
        emma,
        "Emma",
        "2026-01",
    )
    assert of_the_month["votes"] == 2
    # The winner cannot be put on a ballot again.
    again = await client.post(
        "/api/books", json={"title": "Emma", "author": "Jane Austen"}, headers=admin.headers
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_book_of_the_month"


async def test_closing_twice_is_harmless_and_emits_once(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    book = await add_book(client, admin, "Dune")
    await vote(client, admin, book)
    january = (await current_poll(client))["poll_id"]
    first, second = await asyncio.gather(
        close_poll(client, admin, january), close_poll(client, admin, january)
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    refused = first if first.status_code == 409 else second
    assert refused.json()["error"]["code"] == "poll_closed"
    third = await close_poll(client, admin, january)
    assert third.status_code == 409
    assert len(await events.of_type(POLL_CLOSED)) == 1
    history = (await client.get("/api/polls")).json()["polls"]
    assert [(p["month"], p["status"]) for p in history] == [
        ("2026-02", "open"),
        ("2026-01", "closed"),
    ]
    assert (await close_poll(client, admin, 9999)).status_code == 404


async def test_only_admins_close_polls(api: Api, client: httpx.AsyncClient) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    anonymous = await client.post("/api/polls/current/close")
    assert anonymous.status_code == 401
    as_member = await client.post("/api/polls/current/close", headers=member.headers)
    assert as_member.status_code == 403
    assert (await current_poll(client))["month"] == "2026-01"
    invalid = await client.post(
        "/api/polls/current/close", json={"poll_id": "latest"}, headers=admin.headers
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["details"][0]["field"] == "body.poll_id"
    assert (await current_poll(client))["month"] == "2026-01"


async def test_a_tie_goes_to_the_book_whose_last_vote_came_first(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    first = await add_book(client, admin, "First")
    second = await add_book(client, admin, "Second")
    u1, u2, u3, u4 = [await api.register(f"reader{i}") for i in range(4)]

    start = clock.now()

    async def at_minute(minute: int, voter: Account, book: int) -> None:
        clock.set(start + timedelta(minutes=minute))
        response = await vote(client, voter, book)
        assert response.status_code == 200

    await at_minute(0, u1, first)
    await at_minute(1, u2, first)  # First: 2, last vote at :01
    await at_minute(2, u3, second)
    await at_minute(3, u4, second)  # Second: 2, last vote at :03 -> First leads the tie
    await at_minute(4, u2, second)  # a move: First 1, Second 3
    await at_minute(5, u2, first)  # moved back: First 2 with its last vote at :05
    assert await counts(client) == {first: 2, second: 2}
    closed = await close_poll(client, admin)
    assert closed.json()["poll"]["winner"]["book_id"] == second
    (event,) = await events.of_type(POLL_CLOSED)
    assert event.payload["winner_title"] == "Second"


async def test_a_tie_within_one_instant_goes_to_the_earlier_vote(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    first = await add_book(client, admin, "First")
    second = await add_book(client, admin, "Second")
    u1, u2 = await api.register("reader1"), await api.register("reader2")
    assert (await vote(client, u1, second)).status_code == 200
    assert (await vote(client, u2, first)).status_code == 200
    closed = await close_poll(client, admin)
    assert closed.json()["poll"]["winner"]["book_id"] == second


async def test_the_deadline_closes_the_poll_when_the_clock_passes_it(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    emma = await add_book(client, admin, "Emma")
    member = await api.register("member")
    await vote(client, member, dune)
    clock.set(datetime(2026, 1, 31, 23, 59, 59, tzinfo=UTC))
    assert (await current_poll(client))["month"] == "2026-01"
    clock.set(datetime(2026, 2, 1, 0, 0, 5, tzinfo=UTC))
    # Before the deadline job has looked, reads show January closed with its result, and write
    # nothing.
    due = await current_poll(client)
    assert (due["month"], due["status"]) == ("2026-01", "closed")
    assert due["poll"]["winner"]["book_id"] == dune
    assert due["poll"]["closed_at"] == "2026-02-01T00:00:00Z"
    assert due["poll"]["close_reason"] == "deadline"
    assert (await client.get("/api/polls")).json()["polls"][0]["status"] == "closed"
    assert (await client.get("/api/books/of-the-month")).json()["book_id"] == dune
    # No read recorded the close (the deadline job, every 2 s of real time, may have by now on a
    # loaded machine: its events carry no request id).
    closes = await events.of_type(POLL_CLOSED)
    assert [e for e in closes if e.request_id is not None] == []
    # The deadline jobs of several instances notice the deadline at once; the poll closes once.
    await asyncio.gather(*(settle(platform) for _ in range(5)))
    polls = await asyncio.gather(*(current_poll(client) for _ in range(5)))
    assert {p["month"] for p in polls} == {"2026-02"}
    (event,) = await events.of_type(POLL_CLOSED)
    assert event.payload["winner_book_id"] == dune
    assert event.payload["closed_at"] == "2026-02-01T00:00:00Z"
    history = (await client.get("/api/polls")).json()["polls"]
    assert history[1]["close_reason"] == "deadline"
    assert history[1]["winner"]["title"] == "Dune"
    assert [c["book_id"] for c in polls[0]["candidates"]] == [emma]
    member = await api.relogin(member)  # a month later: a fresh token
    late = await vote(client, member, dune)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "not_a_candidate"


async def test_a_vote_after_the_deadline_is_refused_for_the_closed_poll(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    emma = await add_book(client, admin, "Emma")
    member = await api.register("member")
    await vote(client, member, dune)
    january = (await current_poll(client))["poll_id"]
    clock.set(datetime(2026, 2, 1, 0, 0, 1, tzinfo=UTC))
    member = await api.relogin(member)  # a month later: a fresh token
    late = await vote(client, member, emma, poll_id=january)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "poll_closed"
    history = (await client.get("/api/polls")).json()["polls"]
    assert history[1]["total_votes"] == 1


async def test_the_deadline_job_closes_the_poll_without_any_request(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    await add_book(client, admin, "Dune")
    clock.set(datetime(2026, 2, 1, 0, 0, 1, tzinfo=UTC))

    # The deadline is on the test's clock, but the job looks every 2 seconds of real time: give it a
    # few rounds, and send no request.
    closed = await eventually(
        lambda: events.of_type(POLL_CLOSED), what="the deadline job to close the poll", within=10
    )
    (event,) = closed
    assert event.payload["winner_book_id"] is None
    assert event.payload["closed_at"] == "2026-02-01T00:00:00Z"


async def test_a_poll_without_votes_closes_without_a_winner(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    events = EventLog(platform, POLL_CLOSED)
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    none_yet = await client.get("/api/books/of-the-month")
    assert none_yet.status_code == 404
    assert none_yet.json()["error"]["code"] == "no_book_of_the_month"
    closed = await close_poll(client, admin)
    assert closed.json()["poll"]["winner"] is None
    assert closed.json()["message"] == "The 2026-01 poll closed without votes"
    (event,) = await events.of_type(POLL_CLOSED)
    assert event.payload["winner_book_id"] is None
    assert event.payload["total_votes"] == 0
    assert [b["id"] for b in (await client.get("/api/books")).json()["books"]] == [dune]
    assert (await client.get("/api/books/of-the-month")).status_code == 404


async def test_admins_move_the_deadline(
    api: Api, client: httpx.AsyncClient, clock: ManualClock, platform: Platform
) -> None:
    admin = await api.register("admin")
    member = await api.register("member")
    body = {"closes_at": "2026-01-10T00:00:00Z"}
    assert (await client.patch("/api/polls/current", json=body)).status_code == 401
    as_member = await client.patch("/api/polls/current", json=body, headers=member.headers)
    assert as_member.status_code == 403
    past = await client.patch(
        "/api/polls/current", json={"closes_at": "2025-12-01T00:00:00Z"}, headers=admin.headers
    )
    assert past.status_code == 422
    assert past.json()["error"]["details"][0]["field"] == "body.closes_at"
    naive = await client.patch(
        "/api/polls/current", json={"closes_at": "2026-01-10T00:00:00"}, headers=admin.headers
    )
    assert naive.status_code == 422
    assert naive.json()["error"]["details"][0]["field"] == "body.closes_at"
    moved = await client.patch("/api/polls/current", json=body, headers=admin.headers)
    assert moved.status_code == 200
    assert _at(moved.json()["closes_at"]) == datetime(2026, 1, 10, tzinfo=UTC)
    clock.set(datetime(2026, 1, 10, 0, 0, 1, tzinfo=UTC))
    await settle(platform)
    poll = await current_poll(client)
    assert poll["month"] == "2026-02"
    assert _at(poll["poll"]["opens_at"]) == datetime(2026, 1, 10, tzinfo=UTC)


async def test_history_pages_newest_first_and_old_polls_keep_their_counts(
    api: Api, client: httpx.AsyncClient
) -> None:
    admin = await api.register("admin")
    dune = await add_book(client, admin, "Dune")
    emma = await add_book(client, admin, "Emma")
    ulysses = await add_book(client, admin, "Ulysses")
    await vote(client, admin, dune)
    january = (await close_poll(client, admin)).json()["poll"]["id"]
    await vote(client, admin, emma)
    february = (await close_poll(client, admin)).json()["poll"]["id"]
    first_page = (await client.get("/api/polls", params={"limit": 2})).json()
    assert [p["month"] for p in first_page["polls"]] == ["2026-03", "2026-02"]
    assert first_page["polls"][1]["winner"]["title"] == "Emma"
    rest = (
        await client.get("/api/polls", params={"limit": 2, "cursor": first_page["next_cursor"]})
    ).json()
    assert [p["id"] for p in rest["polls"]] == [january]
    assert rest["next_cursor"] is None
    old = (await client.get(f"/api/polls/{february}")).json()
    assert old["status"] == "closed"
    assert [(c["book_id"], c["votes"]) for c in old["candidates"]] == [(emma, 1), (ulysses, 0)]
    assert (await client.get("/api/polls/9999")).status_code == 404
    assert (await client.get("/api/polls", params={"limit": 500})).status_code == 422
    assert (await client.get("/api/polls", params={"cursor": "x"})).status_code == 400
