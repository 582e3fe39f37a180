"""Seed-shaped calls of the Twitter-like seed, shared by the timeline tests."""

from __future__ import annotations

from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.deps import registered
from agora.services.timeline.schemas import TweetsPage
from agora.services.timeline.service import TimelineService
from tests.support.api import Account


async def follow(client: httpx.AsyncClient, who: Account, whom: Account) -> None:
    response = await client.post(
        f"/api/users/{who.id}/follow", json={"followUserId": str(whom.id)}, headers=who.headers
    )
    assert response.status_code == 200, response.text


async def unfollow(client: httpx.AsyncClient, who: Account, whom: Account) -> None:
    response = await client.request(
        "DELETE",
        f"/api/users/{who.id}/unfollow",
        json={"unfollowUserId": str(whom.id)},
        headers=who.headers,
    )
    assert response.status_code == 200, response.text


async def tweet(client: httpx.AsyncClient, who: Account, content: str) -> str:
    """Post as `who`; returns the tweetId."""
    response = await client.post(
        "/api/tweets", json={"userId": str(who.id), "content": content}, headers=who.headers
    )
    assert response.status_code == 201, response.text
    tweet_id: str = response.json()["tweetId"]
    return tweet_id


async def home(client: httpx.AsyncClient, who: Account, **params: Any) -> list[str]:
    """The contents on `who`'s home timeline (one page), newest first."""
    response = await client.get(
        f"/api/tweets/homeTimeline/{who.id}", params=params, headers=who.headers
    )
    assert response.status_code == 200, response.text
    _in_the_model_shape(response)
    return [t["content"] for t in response.json()["tweets"]]


def _in_the_model_shape(response: httpx.Response) -> None:
    """A timeline page is rendered without its response model (decision 0034): it must be exactly
    the model's own rendering of it."""
    model = TweetsPage.model_validate(response.json())
    assert response.content == model.model_dump_json().encode()


async def user_timeline(client: httpx.AsyncClient, user_id: int, **params: Any) -> list[str]:
    response = await client.get(f"/api/tweets/userTimeline/{user_id}", params=params)
    assert response.status_code == 200, response.text
    _in_the_model_shape(response)
    return [t["content"] for t in response.json()["tweets"]]


async def walk(client: httpx.AsyncClient, path: str, who: Account, limit: int) -> list[list[str]]:
    """Every page of a timeline, following `next_cursor`; each page as its tweetIds."""
    pages: list[list[str]] = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        response = await client.get(path, params=params, headers=who.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([t["tweetId"] for t in body["tweets"]])
        if body["next_cursor"] is None:
            return pages
        assert body["next_cursor"] == pages[-1][-1]
        params["before"] = body["next_cursor"]


def timeline_service(platform: Platform) -> TimelineService:
    return registered(platform.runtimes["timeline"].app, TimelineService)
