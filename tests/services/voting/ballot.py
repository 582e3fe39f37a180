"""Seed-shaped calls to the voting endpoints, shared by the voting suites."""

from __future__ import annotations

from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.deps import registered
from agora.services.voting.service import VotingService
from tests.support.api import Account


def voting_service(platform: Platform) -> VotingService:
    return registered(platform.runtimes["voting"].app, VotingService)


async def settle(platform: Platform) -> None:
    """One round of the deadline job, now (the job itself looks every 2 seconds of real time)."""
    await voting_service(platform).do_settle()


async def add_book(
    client: httpx.AsyncClient,
    admin: Account,
    title: str,
    author: str = "Some Author",
    description: str = "Brief description of the book",
) -> int:
    """Put a book on the current ballot as an admin; returns its id."""
    response = await client.post(
        "/api/books",
        json={"title": title, "author": author, "description": description},
        headers=admin.headers,
    )
    assert response.status_code == 201, response.text
    book_id: int = response.json()["id"]
    return book_id


async def vote(
    client: httpx.AsyncClient, voter: Account, book_id: int, **extra: Any
) -> httpx.Response:
    return await client.post(
        "/api/vote", json={"book_id": book_id, "user_id": voter.id, **extra}, headers=voter.headers
    )


async def counts(client: httpx.AsyncClient) -> dict[int, int]:
    """book id → votes, from the seed's `GET /vote/status`."""
    response = await client.get("/api/vote/status")
    assert response.status_code == 200, response.text
    return {entry["book_id"]: entry["votes"] for entry in response.json()["status"]}


async def current_poll(client: httpx.AsyncClient, voter: Account | None = None) -> dict[str, Any]:
    response = await client.get(
        "/api/polls/current", headers=voter.headers if voter is not None else None
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def close_poll(
    client: httpx.AsyncClient, admin: Account, poll_id: int | None = None
) -> httpx.Response:
    body = {"poll_id": poll_id} if poll_id is not None else None
    return await client.post("/api/polls/current/close", json=body, headers=admin.headers)
