"""gzip of the API's JSON answers (issue 18): through the embedded gateway, and the rules of
`JsonCompression` on answers a real service would not give (streams, already encoded ones)."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from agora.gateway.compression import JsonCompression
from tests.support.api import Api


@pytest.fixture
def db_backend() -> str:
    """Compression happens in the gateway, whatever the database."""
    return "sqlite"


@pytest.fixture
def platform_services() -> tuple[str, ...]:
    return ("users", "voting")


async def get_raw(client: httpx.AsyncClient, path: str, **headers: str) -> httpx.Response:
    """GET with exactly the given Accept-Encoding (httpx sends its own otherwise) and the body
    left as it came."""
    request = client.build_request("GET", path, headers=headers)
    if "Accept-Encoding" not in headers:
        del request.headers["Accept-Encoding"]
    response = await client.send(request, stream=True)
    response._content = b"".join([chunk async for chunk in response.aiter_raw()])
    return response


@pytest.fixture
async def books(api: Api, client: httpx.AsyncClient) -> int:
    """A ballot long enough that its list is well over 1 KB; the list's size in bytes."""
    admin = await api.register("admin")
    for number in range(30):
        response = await client.post(
            "/api/books",
            json={"title": f"Book number {number}", "author": "A. Writer", "description": "x" * 40},
            headers=admin.headers,
        )
        assert response.status_code == 201, response.text
    plain = await get_raw(client, "/api/books")
    return len(plain.content)


async def test_a_large_json_answer_is_gzip_when_asked_and_identity_when_not(
    client: httpx.AsyncClient, books: int
) -> None:
    assert books > 2048
    plain = await get_raw(client, "/api/books")
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"].lower() == "accept-encoding"
    zipped = await get_raw(client, "/api/books", **{"Accept-Encoding": "gzip, br"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in zipped.headers["vary"].lower()
    assert int(zipped.headers["content-length"]) == len(zipped.content) < len(plain.content) / 3
    assert json.loads(gzip.decompress(zipped.content)) == json.loads(plain.content)
    # Refused explicitly, it is not sent.
    refused = await get_raw(client, "/api/books", **{"Accept-Encoding": "gzip;q=0, identity"})
    assert "content-encoding" not in refused.headers
    # The response cache answers the second anonymous GET: compressed the same way.
    again = await get_raw(client, "/api/books", **{"Accept-Encoding": "gzip"})
    assert again.headers.get("x-cache") == "HIT"
    assert again.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(again.content)) == json.loads(plain.content)


async def test_a_small_answer_stays_uncompressed(client: httpx.AsyncClient, api: Api) -> None:
    account = await api.register("small")
    response = await get_raw(
        client, f"/api/users/profile/{account.id}", **{"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert len(response.content) < 1024
    assert "content-encoding" not in response.headers
    assert response.json()["username"] == account.username


async def test_the_gateways_own_json_is_compressed_and_the_ui_keeps_its_own(
    client: httpx.AsyncClient,
) -> None:
    document = await get_raw(client, "/openapi.json", **{"Accept-Encoding": "gzip"})
    assert document.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(document.content))["paths"]
    # The web UI's shell: its precompressed sibling (decision 0026), compressed once only.
    page = await get_raw(client, "/", **{"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    assert b"<html" in gzip.decompress(page.content).lower()
    source = await get_raw(client, "/js/main.js", **{"Accept-Encoding": "gzip"})
    assert "content-encoding" not in source.headers


# ------------------------------------------------------------ the rules, on a bare app

BIG = {"items": [{"n": n, "text": "a fairly repetitive line of text"} for n in range(100)]}


def _app() -> Starlette:
    async def big(request: Request) -> Response:
        return JSONResponse(BIG)

    async def encoded(request: Request) -> Response:
        body = gzip.compress(json.dumps(BIG).encode())
        return Response(body, media_type="application/json", headers={"Content-Encoding": "gzip"})

    async def stream(request: Request) -> Response:
        async def chunks() -> AsyncIterator[bytes]:
            for n in range(50):
                yield f"data: {json.dumps({'n': n, 'pad': 'x' * 60})}\n\n".encode()

        return StreamingResponse(chunks(), media_type="text/event-stream")

    async def json_stream(request: Request) -> Response:
        async def chunks() -> AsyncIterator[bytes]:
            for n in range(50):
                yield json.dumps({"n": n, "pad": "x" * 60}).encode() + b"\n"

        return StreamingResponse(chunks(), media_type="application/json")

    async def text(request: Request) -> Response:
        return Response("plain " * 500, media_type="text/plain")

    routes = [
        Route(f"/api/{name}", handler)
        for name, handler in (
            ("big", big),
            ("encoded", encoded),
            ("stream", stream),
            ("json-stream", json_stream),
            ("text", text),
        )
    ]
    return Starlette(routes=[*routes, Route("/elsewhere", big)])


@pytest.fixture
async def bare() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=JsonCompression(_app()))
    async with httpx.AsyncClient(transport=transport, base_url="http://agora.test") as http:
        yield http


async def test_only_whole_json_answers_on_the_api_are_compressed(
    bare: httpx.AsyncClient,
) -> None:
    gz = {"Accept-Encoding": "gzip"}
    assert (await get_raw(bare, "/api/big", **gz)).headers["content-encoding"] == "gzip"
    # Already encoded upstream: passed through as it is, not compressed twice.
    encoded = await get_raw(bare, "/api/encoded", **gz)
    assert encoded.headers["content-encoding"] == "gzip"
    assert json.loads(gzip.decompress(encoded.content)) == BIG
    # Streams (server-sent events, or JSON flushed as it goes) go out as they come.
    for path in ("/api/stream", "/api/json-stream"):
        streamed = await get_raw(bare, path, **gz)
        assert "content-encoding" not in streamed.headers, path
        assert streamed.content.count(b"\n") >= 50, path
    # Not JSON, or not the API: left alone.
    for path in ("/api/text", "/elsewhere"):
        assert "content-encoding" not in (await get_raw(bare, path, **gz)).headers, path
