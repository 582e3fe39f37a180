"""Discussion threads with the bookclub seed's payloads: create, list, read, reply, and an open
thread's replies live."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.services.discussions.schemas import ThreadPage
from tests.services.discussions.support import deliver, poll_closed
from tests.support.api import Account, Api
from tests.support.lean import assert_list_answers_alike
from tests.support.live import live_server, ws_connect


async def _thread(
    client: httpx.AsyncClient, who: Account, title: str = "First impressions", **extra: str
) -> int:
    body = {"title": title, "author": who.username, "content": "Content of the discussion"}
    body.update(extra)
    response = await client.post("/api/discussion", json=body, headers=who.headers)
    assert response.status_code == 201, response.text
    thread_id: int = response.json()["thread_id"]
    return thread_id


async def _reply(
    client: httpx.AsyncClient, who: Account, thread_id: int, content: str = "Reply content"
) -> httpx.Response:
    return await client.post(
        f"/api/discussions/{thread_id}/reply",
        json={"author": who.username, "content": content},
        headers=who.headers,
    )


async def test_seed_thread_lifecycle_in_the_general_lobby(
    api: Api, client: httpx.AsyncClient
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    created = await client.post(
        "/api/discussion",
        json={"title": "New Discussion Title", "author": "alice", "content": "Content of it"},
        headers=alice.headers,
    )
    assert created.status_code == 201
    assert created.json()["message"] == "Discussion thread created successfully"
    thread_id = created.json()["thread_id"]
    assert isinstance(thread_id, int)

    replied = await _reply(client, bob, thread_id)
    assert replied.status_code == 201
    assert replied.json()["message"] == "Reply submitted successfully"
    assert isinstance(replied.json()["reply_id"], int)

    listing = (await client.get("/api/discussions")).json()
    assert listing["book"] is None
    [summary] = listing["discussions"]
    assert summary["thread_id"] == thread_id
    assert summary["title"] == "New Discussion Title"
    assert summary["author"] == "alice"
    assert summary["replies"] == 1
    assert summary["created_at"].endswith("Z")

    detail = (await client.get(f"/api/discussions/{thread_id}")).json()
    assert detail["content"] == "Content of it"
    assert detail["reply_count"] == 1
    assert [(r["author"], r["content"]) for r in detail["replies"]] == [("bob", "Reply content")]


async def test_author_comes_from_the_token(api: Api, client: httpx.AsyncClient) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    body = {"title": "Who wrote this", "content": "text"}
    anonymous = await client.post("/api/discussion", json=body)
    assert anonymous.status_code == 401
    as_bob = await client.post(
        "/api/discussion", json={**body, "author": "bob"}, headers=alice.headers
    )
    assert as_bob.status_code == 403
    assert as_bob.json()["error"]["code"] == "acting_user_mismatch"
    by_id = await client.post(
        "/api/discussion", json={**body, "author": str(alice.id)}, headers=alice.headers
    )
    assert by_id.status_code == 201
    without_author = await client.post("/api/discussion", json=body, headers=bob.headers)
    assert without_author.status_code == 201
    thread_id = without_author.json()["thread_id"]
    detail = (await client.get(f"/api/discussions/{thread_id}")).json()
    assert (detail["author"], detail["author_id"]) == ("bob", bob.id)

    reply_as_other = await client.post(
        f"/api/discussions/{thread_id}/reply",
        json={"author": "bob", "content": "hi"},
        headers=alice.headers,
    )
    assert reply_as_other.status_code == 403
    anonymous_reply = await client.post(
        f"/api/discussions/{thread_id}/reply", json={"content": "hi"}
    )
    assert anonymous_reply.status_code == 401


async def test_lengths_and_bad_input_are_clear_4xx(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")

    async def create(body: object) -> httpx.Response:
        return await client.post("/api/discussion", json=body, headers=alice.headers)

    for title in ("ab", "  ab  ", "x" * 201):
        response = await create({"title": title, "content": "text"})
        assert response.status_code == 422, title
        assert response.json()["error"]["details"][0]["field"] == "body.title"
    for content in ("", "   ", "x" * 20_001):
        response = await create({"title": "Fine title", "content": content})
        assert response.status_code == 422
        assert response.json()["error"]["details"][0]["field"] == "body.content"
    assert (await create({"title": "x" * 200, "content": "x" * 20_000})).status_code == 201
    assert (await create({"title": "abc", "content": "x"})).status_code == 201
    missing = await create({"content": "text"})
    assert missing.status_code == 422
    not_json = await client.post(
        "/api/discussion",
        content=b"{nope",
        headers={**alice.headers, "content-type": "application/json"},
    )
    assert not_json.status_code == 400

    thread_id = (await client.get("/api/discussions")).json()["discussions"][0]["thread_id"]
    empty_reply = await _reply(client, alice, thread_id, content="")
    assert empty_reply.status_code == 422
    too_long = await _reply(client, alice, thread_id, content="x" * 20_001)
    assert too_long.status_code == 422


async def test_unknown_threads_and_cursors(api: Api, client: httpx.AsyncClient) -> None:
    alice = await api.register("alice")
    missing = await client.get("/api/discussions/999")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "thread_not_found"
    reply = await _reply(client, alice, 999)
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "thread_not_found"
    assert (await client.get("/api/discussions/abc")).status_code == 404
    assert (await client.get("/api/discussions?before=garbage")).status_code == 400
    # Beyond the years a moment holds, other scripts' digits, a thread id beyond the id range.
    for cursor in ("99999999999999999999_1", "١٢_3", "1_9223372036854775808"):
        bad = await client.get("/api/discussions", params={"before": cursor})
        assert bad.status_code == 400
        assert bad.json()["error"]["code"] == "bad_cursor"
    assert (await client.get("/api/discussions?limit=0")).status_code == 422
    assert (await client.get("/api/discussions?limit=201")).status_code == 422
    unknown_book = await client.get("/api/discussions?book_id=5")
    assert unknown_book.status_code == 404
    assert unknown_book.json()["error"]["code"] == "book_not_found"
    # Every id in the id range names a thread or none (2**62 was once a lower bound of its own).
    beyond = await client.get(f"/api/discussions/{2**62 + 1}")
    assert beyond.status_code == 404
    assert beyond.json()["error"]["code"] == "thread_not_found"


async def test_replies_count_stays_exact_under_concurrent_replies(
    api: Api, client: httpx.AsyncClient
) -> None:
    users = [await api.register(name) for name in ("alice", "bob", "carol", "dave")]
    thread_id = await _thread(client, users[0])
    responses = await asyncio.gather(
        *(_reply(client, users[i % 4], thread_id, content=f"reply {i}") for i in range(24))
    )
    assert [r.status_code for r in responses] == [201] * 24
    assert len({r.json()["reply_id"] for r in responses}) == 24
    assert sorted(r.json()["replies"] for r in responses) == list(range(1, 25))
    listing = (await client.get("/api/discussions")).json()["discussions"]
    assert listing[0]["replies"] == 24
    detail = (await client.get(f"/api/discussions/{thread_id}?limit=200")).json()
    assert detail["reply_count"] == 24
    assert len(detail["replies"]) == 24


async def test_threads_newest_activity_first_with_a_cursor(
    api: Api, client: httpx.AsyncClient, clock: ManualClock
) -> None:
    alice = await api.register("alice")
    ids = []
    for title in ("Oldest", "Middle", "Newest"):
        ids.append(await _thread(client, alice, title))
        clock.advance(60)
    first = (await client.get("/api/discussions")).json()["discussions"]
    assert [t["thread_id"] for t in first] == ids[::-1]

    assert (await _reply(client, alice, ids[0])).status_code == 201
    page_1 = (await client.get("/api/discussions?limit=2")).json()
    assert [t["thread_id"] for t in page_1["discussions"]] == [ids[0], ids[2]]
    assert page_1["next_cursor"]
    page_2 = (await client.get(f"/api/discussions?limit=2&before={page_1['next_cursor']}")).json()
    assert [t["thread_id"] for t in page_2["discussions"]] == [ids[1]]
    assert page_2["next_cursor"] is None


async def test_thread_replies_page_oldest_first_without_overlap(
    api: Api, client: httpx.AsyncClient
) -> None:
    alice = await api.register("alice")
    thread_id = await _thread(client, alice)
    for i in range(5):
        assert (await _reply(client, alice, thread_id, content=f"r{i}")).status_code == 201
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        page = (await client.get(f"/api/discussions/{thread_id}?limit=2&cursor={cursor}")).json()
        seen += [r["content"] for r in page["replies"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == [f"r{i}" for i in range(5)]
    assert pages == 3


async def test_an_open_thread_gets_each_reply_live_with_the_count(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    alice, bob = await api.register("alice"), await api.register("bob")
    thread_id = await _thread(client, alice)
    async with (
        live_server(platform.app) as hostport,
        # Public, as the thread is: no token.
        ws_connect(f"ws://{hostport}/api/discussions/{thread_id}/live") as socket,
    ):
        await socket.receive_until("ready")
        replied = await _reply(client, bob, thread_id, "Seen live")
        frame = await socket.receive_until("reply")
        assert frame["reply_id"] == replied.json()["reply_id"]
        assert (frame["author"], frame["author_id"], frame["content"]) == (
            "bob",
            bob.id,
            "Seen live",
        )
        assert frame["reply_count"] == 1
        assert frame["created_at"].endswith("Z")
        await _reply(client, alice, thread_id, "And again")
        assert (await socket.receive_until("reply"))["reply_count"] == 2


async def test_thread_list_lean_read_answers_as_the_endpoint(
    api: Api, client: httpx.AsyncClient, platform: Platform
) -> None:
    """The lean read (decisions 0037, 0039, 0041) answers `GET /discussions` exactly as the
    FastAPI endpoint does, in the general lobby and in a book's, through the gateway and on the
    service's own app; a cursor and every other method go to the endpoint."""
    alice = await api.register("alice")
    app = platform.runtimes["discussions"].app
    requests = [
        ("GET", "/discussions"),
        ("GET", "/discussions?limit=1"),
        ("GET", "/discussions?book_id=10"),
        ("GET", "/discussions?before=nonsense"),
        ("GET", "/discussions/"),
        ("HEAD", "/discussions"),
        ("DELETE", "/discussions"),
        ("GET", "/discussions%00"),
    ]

    async def alike() -> dict[str, Any]:
        # The plain form, with a page size or a book (decision 0039), but no cursor.
        lean = ["/discussions"] * 3
        listed = await assert_list_answers_alike(
            client, app, requests, lean=lean, token=alice.headers
        )
        # Rendered without the response model (decision 0034): exactly the model's rendering.
        assert listed.content == ThreadPage.model_validate(listed.json()).model_dump_json().encode()
        body: dict[str, Any] = listed.json()
        return body

    assert await alike() == {"discussions": [], "book": None, "next_cursor": None}
    first = await _thread(client, alice, "One")
    await _thread(client, alice, "Two")
    assert (await _reply(client, alice, first)).status_code == 201
    general = await alike()
    threads = sorted((t["title"], t["replies"]) for t in general["discussions"])
    assert threads == [("One", 1), ("Two", 0)]
    await deliver(platform, poll_closed())
    lobby = await alike()
    assert lobby["book"]["title"] == "Dune"
    assert [t["author"] for t in lobby["discussions"]] == ["agora"]
    operation = app.openapi()["paths"]["/discussions"]["get"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ThreadPage"
    }
