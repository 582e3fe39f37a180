"""The book of the month: a closed poll opens its winner's lobby and first thread, once."""

from __future__ import annotations

from datetime import timedelta

import httpx

from agora.contracts.events.voting import PollClosed
from agora.entrypoints.embedded import Platform
from tests.services.discussions.support import WHEN, deliver, event_of, poll_closed
from tests.support.api import Api


async def _book_rooms(client: httpx.AsyncClient) -> list[dict[str, object]]:
    response = await client.get("/api/forums/rooms?roomType=book")
    assert response.status_code == 200
    rooms: list[dict[str, object]] = response.json()["rooms"]
    return rooms


async def test_poll_closed_opens_the_lobby_with_a_welcome_thread(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    general = await client.post(
        "/api/discussion",
        json={"title": "Before any poll", "content": "general lobby"},
        headers=alice.headers,
    )
    assert general.status_code == 201

    await deliver(platform, poll_closed())

    listing = (await client.get("/api/discussions")).json()
    assert listing["book"]["book_id"] == 10
    assert listing["book"]["title"] == "Dune"
    [welcome] = listing["discussions"]
    assert welcome["title"] == "Welcome to Dune by Frank Herbert"
    assert welcome["author"] == "agora"
    [lobby] = await _book_rooms(client)
    assert lobby["bookId"] == "10"
    assert lobby["roomId"] == listing["book"]["roomId"]
    assert lobby["name"] == "Dune by Frank Herbert"

    created = await client.post(
        "/api/discussion",
        json={"title": "Chapter one", "content": "spice"},
        headers=alice.headers,
    )
    assert created.status_code == 201
    titles = [t["title"] for t in (await client.get("/api/discussions")).json()["discussions"]]
    assert set(titles) == {"Welcome to Dune by Frank Herbert", "Chapter one"}


async def test_poll_closed_twice_opens_one_lobby_and_one_first_thread(
    client: httpx.AsyncClient, platform: Platform
) -> None:
    event = event_of(poll_closed())
    await platform.bus.publish(event)
    await platform.bus.publish(event)  # redelivered: the same event id
    await deliver(platform, poll_closed())  # announced again: a new event id, the same poll
    assert len(await _book_rooms(client)) == 1
    threads = (await client.get("/api/discussions")).json()["discussions"]
    assert [t["title"] for t in threads] == ["Welcome to Dune by Frank Herbert"]


async def test_a_later_poll_moves_the_book_of_the_month(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    await deliver(platform, poll_closed())
    await client.post(
        "/api/discussion", json={"title": "Dune talk", "content": "x"}, headers=alice.headers
    )
    later = poll_closed(
        poll_id=2,
        book_id=11,
        title="Emma",
        author="Jane Austen",
        month="2026-02",
        closed_at=WHEN + timedelta(days=30),
    )
    await deliver(platform, later)

    current = (await client.get("/api/discussions")).json()
    assert current["book"]["title"] == "Emma"
    assert [t["title"] for t in current["discussions"]] == ["Welcome to Emma by Jane Austen"]
    previous = (await client.get("/api/discussions?book_id=10")).json()
    assert {t["title"] for t in previous["discussions"]} == {
        "Welcome to Dune by Frank Herbert",
        "Dune talk",
    }
    assert len(await _book_rooms(client)) == 2


async def test_a_poll_without_winner_leaves_the_lobby_as_it_was(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice = await api.register("alice")
    await client.post(
        "/api/discussion", json={"title": "General", "content": "x"}, headers=alice.headers
    )
    nobody_voted = PollClosed(
        poll_id=1,
        month="2026-01",
        winner_book_id=None,
        winner_title=None,
        winner_author=None,
        total_votes=0,
        closed_at=WHEN,
    )
    await deliver(platform, nobody_voted)
    listing = (await client.get("/api/discussions")).json()
    assert listing["book"] is None
    assert [t["title"] for t in listing["discussions"]] == ["General"]
    assert await _book_rooms(client) == []


async def test_a_books_lobby_pages_with_a_cursor_through_threads_of_one_moment(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """Threads started at one moment (the clock stands still) page by id, newest first, in the
    lobby of the book of the month as in an earlier book's."""
    alice = await api.register("alice")
    await deliver(platform, poll_closed())
    for title in ("Chapter one", "Chapter two"):
        created = await client.post(
            "/api/discussion", json={"title": title, "content": "x"}, headers=alice.headers
        )
        assert created.status_code == 201
    for query in ("", "&book_id=10"):
        seen: list[str] = []
        cursor = None
        while True:
            after = f"&before={cursor}" if cursor else ""
            page = (await client.get(f"/api/discussions?limit=2{query}{after}")).json()
            assert page["book"]["title"] == "Dune"
            seen += [t["title"] for t in page["discussions"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["Chapter two", "Chapter one", "Welcome to Dune by Frank Herbert"]
