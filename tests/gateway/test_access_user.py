"""The cluster gateway's access line names the user of a write, from the token it verified for the
rate limit, and never from a token that did not verify (forged, expired) nor on a read, whose token
the gateway does not check (the owning service does)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agora.gateway.app import create_gateway_app
from agora.gateway.ratelimit import WriteRateLimiter
from agora.gateway.routes import default_table
from agora.platform.auth.keys import generate_keypair, load_private_key, load_public_key
from agora.platform.auth.principal import Principal
from agora.platform.auth.tokens import TokenIssuer, TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.logging import ecs_formatter
from agora.platform.ratelimit import RateLimit
from agora.platform.ratelimit_backends import MemoryRateLimiter

USER = Principal(user_id=42, username="ada")


class Gateway:
    def __init__(self, http: httpx.AsyncClient, stream: io.StringIO, issuer: TokenIssuer) -> None:
        self.http = http
        self.stream = stream
        self.issuer = issuer

    def access_line(self) -> dict[str, Any]:
        lines = [json.loads(x) for x in self.stream.getvalue().splitlines() if x]
        access = [x for x in lines if x.get("event.dataset") == "agora.access"]
        assert access, lines
        line: dict[str, Any] = access[-1]
        return line


@pytest.fixture
async def gateway(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Gateway]:
    async def anything(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True})

    users = Starlette(routes=[Route("/users/profile", anything, methods=["GET", "PATCH"])])
    private, public = generate_keypair(tmp_path)
    issuer = TokenIssuer(load_private_key(private), issuer="i", audience="a", clock=clock)
    verifier = TokenVerifier(load_public_key(public), issuer="i", audience="a", clock=clock)
    limiter = MemoryRateLimiter()

    async def probe() -> dict[str, bool]:
        return {"users": True}

    async def docs() -> dict[str, dict[str, object]]:
        return {}

    app = create_gateway_app(
        table=default_table(),
        upstreams={"users": users},
        service_probe=probe,
        openapi_source=docs,
        clock=clock,
        topology="cluster",
        write_limiter=WriteRateLimiter(limiter, verifier, RateLimit(100, 60)),
    )
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ecs_formatter())
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            yield Gateway(http, stream, issuer)
    finally:
        root.removeHandler(handler)
        await limiter.close()


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_a_write_with_a_verified_token_names_its_user(gateway: Gateway) -> None:
    token = gateway.issuer.issue_access(USER).token
    response = await gateway.http.patch("/api/users/profile", json={}, headers=_bearer(token))
    assert response.status_code == 200
    line = gateway.access_line()
    assert line["service.name"] == "gateway"
    assert line["url.path"] == "/api/users/profile"
    assert line["user.id"] == USER.user_id
    assert token not in json.dumps(line)


async def test_a_forged_or_expired_token_names_no_one(
    gateway: Gateway, tmp_path: Path, clock: ManualClock
) -> None:
    other, _ = generate_keypair(tmp_path / "other")
    forger = TokenIssuer(load_private_key(other), issuer="i", audience="a", clock=clock)
    forged = forger.issue_access(USER).token
    await gateway.http.patch("/api/users/profile", json={}, headers=_bearer(forged))
    assert "user.id" not in gateway.access_line()

    expired = gateway.issuer.issue_access(USER).token
    clock.advance(2 * 86400)
    await gateway.http.patch("/api/users/profile", json={}, headers=_bearer(expired))
    assert "user.id" not in gateway.access_line()


async def test_a_read_is_not_verified_at_the_gateway_so_names_no_one(gateway: Gateway) -> None:
    token = gateway.issuer.issue_access(USER).token
    response = await gateway.http.get("/api/users/profile", headers=_bearer(token))
    assert response.status_code == 200
    assert "user.id" not in gateway.access_line()
