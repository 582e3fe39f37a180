"""A reply in a lobby thread tells the thread's author (never the replier), honouring their
preferences; the notification points at the thread."""

from __future__ import annotations

import httpx
import pytest

from agora.entrypoints.embedded import Platform
from tests.services.notifications.support import notifications_of, set_preferences
from tests.support.api import Account, Api


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting", "discussions", "notifications")


async def _ok(
    client: httpx.AsyncClient, path: str, who: Account, **body: object
) -> dict[str, object]:
    response = await client.post(path, json=body or None, headers=who.headers)
    assert response.status_code < 300, f"{path}: {response.text}"
    data: dict[str, object] = response.json()
    return data


async def _lobby_thread(
    client: httpx.AsyncClient, platform: Platform, admin: Account, author: Account
) -> str:
    """The month's book is chosen, its lobby opens, and `author` starts a thread there."""
    book = await _ok(client, "/api/books", admin, title="Middlemarch", author="George Eliot")
    await _ok(client, "/api/vote", author, book_id=book["id"])
    await _ok(client, "/api/polls/current/close", admin)
    await platform.settle()
    thread = await _ok(client, "/api/discussion", author, title="Dorothea", content="Was she?")
    return str(thread["thread_id"])


async def test_a_reply_tells_the_threads_author_only(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, ben, cleo = [await api.register(n) for n in ("admin", "ben", "cleo")]
    thread_id = await _lobby_thread(client, platform, admin, ben)
    await _ok(client, f"/api/discussions/{thread_id}/reply", cleo, content="Not  wrong,\nyoung.")
    await _ok(client, f"/api/discussions/{thread_id}/reply", ben, content="Fair.")
    await platform.settle()
    (notice,) = await notifications_of(client, ben)
    assert notice["type"] == "reply"
    assert notice["message"] == 'cleo replied to your thread "Dorothea": Not wrong, young.'
    assert notice["data"]["thread_id"] == thread_id
    assert notice["data"]["user_id"] == str(cleo.id)
    # Nobody hears of their own reply, and a replier is not the thread's author.
    assert await notifications_of(client, cleo) == []


async def test_replies_turned_off_send_nothing(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    admin, ben, cleo = [await api.register(n) for n in ("admin", "ben", "cleo")]
    await set_preferences(client, ben, without=("reply",))
    thread_id = await _lobby_thread(client, platform, admin, ben)
    await _ok(client, f"/api/discussions/{thread_id}/reply", cleo, content="Agreed.")
    await platform.settle()
    assert await notifications_of(client, ben) == []
