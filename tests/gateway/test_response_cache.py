"""The gateway's response cache: what is cached, and every way an entry is dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send

from agora.gateway.app import create_gateway_app
from agora.gateway.response_cache import ResponseCache
from agora.gateway.routes import default_table
from agora.platform.bus.event import Event
from agora.platform.bus.memory import InMemoryBus
from agora.platform.cache.memory import MemoryCache
from agora.platform.clock import ManualClock


@dataclass
class Voting:
    """A stand-in voting service that counts how often it is asked."""

    calls: int = 0
    cache_control: str = "public, max-age=30"
    books: list[str] = field(default_factory=lambda: ["Dune"])

    def app(self) -> Starlette:
        async def books(request: Request) -> JSONResponse:
            self.calls += 1
            return JSONResponse(
                {"books": self.books}, headers={"Cache-Control": self.cache_control}
            )

        async def vote(request: Request) -> JSONResponse:
            self.books.append("Emma")
            return JSONResponse({"message": "Vote submitted successfully"})

        return Starlette(routes=[Route("/books", books), Route("/vote", vote, methods=["POST"])])


@dataclass
class Setup:
    http: httpx.AsyncClient
    voting: Voting
    bus: InMemoryBus
    clock: ManualClock


@pytest.fixture
async def setup() -> AsyncIterator[Setup]:
    clock = ManualClock()
    voting = Voting()
    bus = InMemoryBus()
    cache = ResponseCache(MemoryCache(clock=clock))
    cache.subscribe(bus, ["voting.poll_closed", "users.registered"])
    await bus.start()

    async def probe() -> dict[str, bool]:
        return {"voting": True}

    async def docs() -> dict[str, dict[str, object]]:
        return {}

    app = create_gateway_app(
        table=default_table(),
        upstreams={"voting": voting.app()},
        service_probe=probe,
        openapi_source=docs,
        clock=clock,
        topology="embedded",
        response_cache=cache,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as http:
        yield Setup(http, voting, bus, clock)
    await bus.stop()


async def test_an_anonymous_list_is_served_from_the_cache(setup: Setup) -> None:
    first = await setup.http.get("/api/books")
    second = await setup.http.get("/api/books")
    assert first.headers["x-cache"] == "MISS"
    assert second.headers["x-cache"] == "HIT"
    assert second.json() == first.json() == {"books": ["Dune"]}
    assert second.headers["content-type"] == "application/json"
    assert setup.voting.calls == 1


async def test_personal_queried_or_uncacheable_answers_are_not_cached(setup: Setup) -> None:
    await setup.http.get("/api/books", headers={"Authorization": "Bearer x"})
    await setup.http.get("/api/books", headers={"Authorization": "Bearer x"})
    await setup.http.get("/api/books?limit=5")
    await setup.http.get("/api/books?limit=5")
    assert setup.voting.calls == 4
    setup.voting.cache_control = "private, max-age=30"
    await setup.http.get("/api/books")
    await setup.http.get("/api/books")
    assert setup.voting.calls == 6


async def test_a_client_may_ask_for_a_fresh_answer(setup: Setup) -> None:
    await setup.http.get("/api/books")
    fresh = await setup.http.get("/api/books", headers={"Cache-Control": "no-cache"})
    assert fresh.headers.get("x-cache") != "HIT"
    assert setup.voting.calls == 2


async def test_a_write_through_the_gateway_drops_the_list_before_it_answers(setup: Setup) -> None:
    await setup.http.get("/api/books")
    assert (await setup.http.post("/api/vote", json={"book_id": 1})).status_code == 200
    after = await setup.http.get("/api/books")
    assert after.headers["x-cache"] == "MISS"
    assert after.json() == {"books": ["Dune", "Emma"]}


async def test_the_owners_events_drop_the_list(setup: Setup) -> None:
    await setup.http.get("/api/books")
    event = Event(
        type="voting.poll_closed",
        producer="voting",
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        payload={},
    )
    await setup.bus.publish(event)
    await setup.bus.drain()
    assert (await setup.http.get("/api/books")).headers["x-cache"] == "MISS"


async def test_s_maxage_is_for_the_gateway_while_browsers_revalidate(setup: Setup) -> None:
    setup.voting.cache_control = "public, max-age=0, s-maxage=10"
    await setup.http.get("/api/books")
    hit = await setup.http.get("/api/books")
    assert hit.headers["x-cache"] == "HIT"
    assert hit.headers["cache-control"] == "public, max-age=0, s-maxage=10"
    setup.clock.advance(11)
    assert (await setup.http.get("/api/books")).headers["x-cache"] == "MISS"


async def test_entries_expire_after_the_services_max_age(setup: Setup) -> None:
    await setup.http.get("/api/books")
    setup.clock.advance(29)
    assert (await setup.http.get("/api/books")).headers["x-cache"] == "HIT"
    setup.clock.advance(2)
    assert (await setup.http.get("/api/books")).headers["x-cache"] == "MISS"


async def test_an_answer_computed_across_an_invalidation_is_not_kept(setup: Setup) -> None:
    """A list read before a write, but answered after the write's invalidation, must not be
    served afterwards."""
    cache = ResponseCache(MemoryCache(clock=setup.clock))
    stale_list = {"books": ["Dune"]}

    async def slow_upstream(scope: Scope, receive: Receive, send: Send) -> None:
        # The write (and its invalidation) happens while this answer is being computed.
        await cache.invalidate("voting")
        response = JSONResponse(stale_list, headers={"Cache-Control": "public, max-age=30"})
        await response(scope, receive, send)

    scope: Scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/books",
        "headers": [],
        "query_string": b"",
    }
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    await cache.serve(scope, receive, send, slow_upstream)
    sent.clear()
    calls = 0

    async def fresh_upstream(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal calls
        calls += 1
        response = JSONResponse(
            {"books": ["Dune", "Emma"]}, headers={"Cache-Control": "public, max-age=30"}
        )
        await response(scope, receive, send)

    await cache.serve(scope, receive, send, fresh_upstream)
    assert calls == 1, "the stale answer was not served from the cache"


class GenerationNodeDown(MemoryCache):
    """A cache whose node holding the generations is down (a ring node failing over): reads of
    `generation:*` miss and writes to them are lost; other keys work."""

    async def get(self, key: str) -> bytes | None:
        if key.startswith("generation:"):
            return None
        return await super().get(key)

    async def set(self, key: str, value: bytes, ttl: float | None = None) -> None:
        if not key.startswith("generation:"):
            await super().set(key, value, ttl)


async def test_without_a_readable_generation_nothing_is_served_from_the_cache() -> None:
    """An invalidation that cannot be written must not leave an answer that outlives a write:
    with the generation unreadable, every request goes to the service."""
    clock = ManualClock()
    voting = Voting()
    app = create_gateway_app(
        table=default_table(),
        upstreams={"voting": voting.app()},
        service_probe=lambda: _all_up(),
        openapi_source=lambda: _no_docs(),
        clock=clock,
        topology="embedded",
        response_cache=ResponseCache(GenerationNodeDown(clock=clock)),
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
        await http.get("/api/books")
        assert (await http.post("/api/vote", json={"book_id": 1})).status_code == 200
        after = await http.get("/api/books")
    assert after.json()["books"] == ["Dune", "Emma"]
    assert voting.calls == 2


async def _all_up() -> dict[str, bool]:
    return {"voting": True}


async def _no_docs() -> dict[str, dict[str, object]]:
    return {}
