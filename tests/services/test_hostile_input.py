"""Input an attacker sends on purpose (issue 11): the NUL character, which PostgreSQL refuses in
text, and a username with a trailing newline. Each is refused with a 4xx in the contract's error
JSON on both backends, and nothing is stored."""

from __future__ import annotations

import httpx
import pytest

from agora.platform.config import SERVICE_NAMES
from tests.support.api import Api


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return SERVICE_NAMES


def _error(response: httpx.Response, status: int) -> dict[str, str]:
    assert response.status_code == status, (response.request.url, response.text)
    body = response.json()
    assert body["status"] == "error"
    error: dict[str, str] = body["error"]
    return error


@pytest.mark.parametrize(
    "path",
    [
        "/api/users?q=a%00b",
        "/api/users/profile/1%00",
        "/api/tweets/userTimeline/1?before=%00",
        "/api/sports/ongoing-events?sport_category=%00",
    ],
)
async def test_nul_in_the_path_or_query_is_a_400(client: httpx.AsyncClient, path: str) -> None:
    assert _error(await client.get(path), 400)["code"] == "nul_character"


async def test_nul_in_any_body_text_is_a_422_naming_the_field(
    api: Api, client: httpx.AsyncClient
) -> None:
    alice = await api.register("alice")
    tweet = await client.post("/api/tweets", json={"content": "a\x00b"}, headers=alice.headers)
    assert "content" in _error(tweet, 422)["message"]
    bio = await client.patch("/api/users/profile", json={"bio": "\x00"}, headers=alice.headers)
    assert "bio" in _error(bio, 422)["message"]
    thread = await client.post(
        "/api/discussion",
        json={"title": "t\x00", "author": "alice", "content": "c"},
        headers=alice.headers,
    )
    assert "title" in _error(thread, 422)["message"]
    # Nothing of it was stored: the timeline is empty and the bio unchanged.
    timeline = await client.get(f"/api/tweets/userTimeline/{alice.id}")
    assert timeline.status_code == 200
    assert timeline.json()["tweets"] == []
    profile = (await client.get("/api/users/profile", headers=alice.headers)).json()
    assert "\x00" not in str(profile)


async def test_a_username_with_a_trailing_newline_cannot_register(
    api: Api, client: httpx.AsyncClient
) -> None:
    await api.register("tomas")
    spoof = await client.post(
        "/api/users/register", json={"username": "tomas\n", "password": "x" * 16}
    )
    assert "username" in _error(spoof, 422)["message"]
    found = (await client.get("/api/users?q=tomas")).json()
    assert [u["username"] for u in found["users"]] == ["tomas"]
