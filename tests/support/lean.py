"""Lean reads (decision 0037) answer exactly what their FastAPI endpoints answer: the same requests
with the lean routes in place and taken out, compared answer by answer."""

from __future__ import annotations

from collections.abc import Awaitable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from fastapi import FastAPI
from starlette.responses import Response

from agora.platform.http import LeanAnswer, LeanArgs, LeanReadRoute
from agora.platform.reads import Reads

# A request: method and path (with its query), and headers of its own (a token) if any.
Request = tuple[str, str] | tuple[str, str, dict[str, str]]

# Made anew for every request (a rate limit counts down, and its window's seconds left turn over
# between two answers), whichever path answers it.
PER_REQUEST_HEADERS = frozenset(
    {"x-request-id", "traceparent", "date", "x-ratelimit-remaining", "x-ratelimit-reset"}
)


def through_gateway(requests: Sequence[Request]) -> list[Request]:
    """The same requests to the service's routes under the gateway's `/api`."""
    return [(r[0], "/api" + r[1], r[2] if len(r) == 3 else {}) for r in requests]


@contextmanager
def lean_reads_off(app: FastAPI) -> Iterator[None]:
    """The app without its lean routes: every request goes the FastAPI way."""
    routes = app.router.routes
    lean = [route for route in routes if isinstance(route, LeanReadRoute)]
    for route in lean:
        routes.remove(route)
    try:
        yield
    finally:
        routes[0:0] = lean


@contextmanager
def counting_lean_answers(app: FastAPI) -> Iterator[list[str]]:
    """The paths the app's lean routes answered while inside."""
    answered: list[str] = []
    lean = [route for route in app.router.routes if isinstance(route, LeanReadRoute)]
    originals = [route.answer for route in lean]

    def counting(answer: LeanAnswer, path: str) -> LeanAnswer:
        def counted(app: FastAPI, reads: Reads, args: LeanArgs) -> Awaitable[Response]:
            answered.append(path)
            return answer(app, reads, args)

        return counted

    for route, answer in zip(lean, originals, strict=True):
        route.answer = counting(answer, route.path)
    try:
        yield answered
    finally:
        for route, answer in zip(lean, originals, strict=True):
            route.answer = answer


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    # Which of those made anew it carries (their values differ from request to request).
    per_request: frozenset[str]

    @classmethod
    def of(cls, response: httpx.Response) -> Answer:
        headers = {
            name: value
            for name, value in response.headers.items()
            if name not in PER_REQUEST_HEADERS
        }
        per_request = PER_REQUEST_HEADERS & set(response.headers.keys())
        return cls(response.status_code, response.content, headers, frozenset(per_request))


async def _answer(
    client: httpx.AsyncClient, request: Request, headers: dict[str, str] | None
) -> Answer:
    method, path = request[0], request[1]
    own = request[2] if len(request) == 3 else {}
    response = await client.request(method, path, headers={**(headers or {}), **own})
    return Answer.of(response)


async def assert_answers_alike(
    client: httpx.AsyncClient,
    app: FastAPI,
    requests: Sequence[Request],
    *,
    headers: dict[str, str] | None = None,
) -> list[str]:
    """Each request (method, path, and its own headers if given, over `headers`) answered with
    the lean routes and without them: same status, body and headers (the request id, trace and
    date present alike). Returns the paths the lean routes answered."""
    with counting_lean_answers(app) as answered:
        lean = [await _answer(client, request, headers) for request in requests]
    # Counted too, so that a lean path that ignored the routes' removal would show.
    with counting_lean_answers(app) as leaked, lean_reads_off(app):
        normal = [await _answer(client, request, headers) for request in requests]
    assert leaked == []
    for request, one, other in zip(requests, lean, normal, strict=True):
        assert one == other, (request, one, other)
    return answered


async def assert_list_answers_alike(
    client: httpx.AsyncClient,
    app: FastAPI,
    requests: Sequence[Request],
    *,
    lean: list[str],
    token: dict[str, str],
) -> httpx.Response:
    """A public list's requests answered alike with and without the lean routes, through the
    gateway (asked for `no-cache`, so that its response cache answers none) and on the service's
    own app, the lean routes answering exactly `lean`; the first request alike with a member's
    `token` too. The app's own answer to the first request."""
    fresh = {"Cache-Control": "no-cache"}
    assert await assert_answers_alike(client, app, through_gateway(requests), headers=fresh) == lean
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as direct:
        assert await assert_answers_alike(direct, app, requests) == lean
        path = requests[0][1]
        assert await assert_answers_alike(direct, app, requests[:1], headers=token) == [path]
        return await direct.get(path)
