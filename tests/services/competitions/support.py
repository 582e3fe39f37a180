"""Seed-shaped calls to the competitions endpoints, shared by the competitions and notifications
suites."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.deps import registered
from agora.services.competitions.service import CompetitionsService
from tests.support.api import Account

# Shorter than an access token's life (15 minutes), so tests can pass the end without new logins.
DURATION = 600


async def create_competition(
    client: httpx.AsyncClient,
    admin: Account,
    clock: ManualClock,
    *,
    title: str = "Short Story Spring",
    starts_in: float = 0,
    lasts: float = DURATION,
    **extra: Any,
) -> dict[str, Any]:
    start = clock.now() + timedelta(seconds=starts_in)
    body = {
        "title": title,
        "description": "Stories under 2,000 words",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(seconds=lasts)).isoformat(),
        **extra,
    }
    response = await client.post("/api/competitions", json=body, headers=admin.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def submit(
    client: httpx.AsyncClient,
    who: Account,
    competition_id: str,
    *,
    title: str = "The Lighthouse",
    content: str = "It was a dark and stormy night.",
) -> httpx.Response:
    return await client.post(
        f"/api/competitions/{competition_id}/submit",
        json={"title": title, "content": content},
        headers=who.headers,
    )


async def submit_ok(
    client: httpx.AsyncClient, who: Account, competition_id: str, **kwargs: str
) -> str:
    response = await submit(client, who, competition_id, **kwargs)
    assert response.status_code == 201, response.text
    submission_id: str = response.json()["submission_id"]
    return submission_id


async def like(
    client: httpx.AsyncClient, who: Account, competition_id: str, submission_id: str
) -> httpx.Response:
    return await client.post(
        f"/api/competitions/{competition_id}/like/{submission_id}", headers=who.headers
    )


async def comment(
    client: httpx.AsyncClient,
    who: Account,
    competition_id: str,
    submission_id: str,
    content: str = "Lovely imagery.",
    parent: str | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {"content": content}
    if parent is not None:
        body["parent_comment_id"] = parent
    return await client.post(
        f"/api/competitions/{competition_id}/comment/{submission_id}",
        json=body,
        headers=who.headers,
    )


async def comment_ok(
    client: httpx.AsyncClient,
    who: Account,
    competition_id: str,
    submission_id: str,
    content: str = "Lovely imagery.",
    parent: str | None = None,
) -> str:
    response = await comment(client, who, competition_id, submission_id, content, parent)
    assert response.status_code == 201, response.text
    comment_id: str = response.json()["comment_id"]
    return comment_id


async def subscribe(client: httpx.AsyncClient, who: Account, competition_id: str) -> httpx.Response:
    return await client.post(f"/api/users/subscribe/{competition_id}", headers=who.headers)


def competitions_service(platform: Platform) -> CompetitionsService:
    return registered(platform.runtimes["competitions"].app, CompetitionsService)
