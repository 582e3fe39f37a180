"""An id beyond what any id column holds (64-bit) is bad input: every service refuses it with a
4xx in the contract's error JSON, in paths, bodies, query parameters and cursors, instead of
passing it to the database."""

from __future__ import annotations

import httpx
import pytest

from agora.platform.config import SERVICE_NAMES
from tests.support.api import Api

HUGE = "9" * 25


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return SERVICE_NAMES


READS = [
    f"/api/users/profile/{HUGE}",
    f"/api/users/{HUGE}/followers",
    f"/api/users/1/followers?cursor={HUGE}",
    f"/api/competitions/{HUGE}",
    f"/api/competitions/{HUGE}/submissions",
    f"/api/discussions/{HUGE}",
    f"/api/users-reviews/albums/{HUGE}",
    f"/api/users-reviews/reviews/album/{HUGE}",
    f"/api/users-reviews/reviews/{HUGE}",
    f"/api/tweets/userTimeline/{HUGE}",
    f"/api/tweets/userTimeline/1?before={HUGE}",
    f"/api/sports/games/{HUGE}",
    f"/api/sports/games?cursor={HUGE}",
    f"/api/forums/rooms/{HUGE}/messages",
    f"/api/polls/{HUGE}",
    f"/api/polls?cursor={HUGE}",
    f"/api/notifications?cursor={HUGE}",
]


async def _refused(response: httpx.Response) -> None:
    assert 400 <= response.status_code < 500, (response.request.url, response.text)
    assert response.json()["status"] == "error"


async def test_oversized_ids_are_bad_input_everywhere(api: Api, client: httpx.AsyncClient) -> None:
    me = await api.register("admin")
    for path in READS:
        await _refused(await client.get(path, headers=me.headers))
    writes: list[tuple[str, str, dict[str, object]]] = [
        ("POST", f"/api/users/{me.id}/follow", {"followUserId": HUGE}),
        ("POST", "/api/vote", {"book_id": HUGE}),
        ("POST", "/api/users-reviews/reviews", {"albumId": HUGE, "rating": 4}),
        ("POST", f"/api/competitions/{HUGE}/like/1", {}),
        ("POST", f"/api/notifications/{HUGE}/read", {}),
        ("POST", f"/api/sports/games/{HUGE}/events", {"event_type": "goal"}),
        ("DELETE", f"/api/tweets/{HUGE}", {}),
    ]
    for method, path, body in writes:
        await _refused(await client.request(method, path, json=body, headers=me.headers))
