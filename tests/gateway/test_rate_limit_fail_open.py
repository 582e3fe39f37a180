"""When the rate-limit store is down the gateway lets writes through, and says so."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from agora.gateway.app import create_gateway_app
from agora.gateway.ratelimit import WriteRateLimiter
from agora.gateway.routes import default_table
from agora.platform.auth.keys import generate_keypair, load_public_key
from agora.platform.auth.tokens import TokenVerifier
from agora.platform.clock import ManualClock
from agora.platform.ratelimit import RateLimit
from agora.platform.ratelimit_backends import RedisRateLimiter


@pytest.mark.redis
async def test_writes_pass_when_the_limiter_is_down(tmp_path: Path, clock: ManualClock) -> None:
    async def register(request: Request) -> JSONResponse:
        return JSONResponse({"ok": True}, status_code=201)

    users = Starlette(routes=[Route("/users/register", register, methods=["POST"])])
    _, public = generate_keypair(tmp_path)
    verifier = TokenVerifier(load_public_key(public), issuer="i", audience="a", clock=clock)
    registry = CollectorRegistry()
    down = RedisRateLimiter("redis://127.0.0.1:1/0")
    limiter = WriteRateLimiter(down, verifier, RateLimit(1, 60), registry=registry)

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
        write_limiter=limiter,
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
        statuses = [(await http.post("/api/users/register", json={})).status_code for _ in range(3)]
    await down.close()
    assert statuses == [201, 201, 201]  # a limit of 1 would have refused two of them
    assert registry.get_sample_value("agora_gateway_ratelimit_fail_open_total") == 3.0
