"""The gateway app: `/api/*` goes to the owning service; `/status`, `/docs`, `/openapi.json` and
`/metrics` are the gateway's own. Upstreams are ASGI apps: the services themselves in the
embedded topology (no HTTP hop), proxies to their instances in the cluster."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any, Literal

import structlog
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.gateway.compression import JsonCompression
from agora.gateway.openapi import merge_openapi
from agora.gateway.ratelimit import WRITE_METHODS, WriteRateLimiter
from agora.gateway.response_cache import ResponseCache
from agora.gateway.routing import RouteTable
from agora.platform.clientaddr import TrustedProxies
from agora.platform.clock import Clock
from agora.platform.errors import (
    AgoraError,
    MethodNotAllowed,
    NotFound,
    ServiceUnavailable,
    error_response,
    install_error_handlers,
)
from agora.platform.http import (
    MAX_BODY_BYTES,
    BodyLimitMiddleware,
    JSONBody,
    ObservabilityMiddleware,
    native_telemetry_off,
)
from agora.platform.metrics import CONTENT_TYPE_LATEST, HttpMetrics, render
from agora.platform.tracing import inject_into_scope, traced_asgi

log = structlog.get_logger("agora.gateway")

API_PREFIX = "/api"
WS_NOT_FOUND = 4404
WS_UNAVAILABLE = 4503

ServiceProbe = Callable[[], Awaitable[dict[str, bool]]]
OpenApiSource = Callable[[], Awaitable[dict[str, dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class _RouteLabel:
    """What the metrics middleware reads as the route template."""

    path: str


class ServiceState(BaseModel):
    status: Literal["running", "down"]


class GatewayStatus(BaseModel):
    service: str = "gateway"
    status: Literal["running", "degraded"]
    timestamp: datetime
    topology: str
    services: dict[str, ServiceState]


class GatewayDispatcher:
    """Hands each `/api/...` request or WebSocket to the owning service's ASGI app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        table: RouteTable,
        upstreams: Mapping[str, ASGIApp],
        write_limiter: WriteRateLimiter | None = None,
        response_cache: ResponseCache | None = None,
        trusted_proxies: TrustedProxies | None = None,
    ) -> None:
        self.app = app
        self.trusted_proxies = trusted_proxies or TrustedProxies()
        self.table = table
        self.upstreams = upstreams
        # Upstreams called in process (`platform.http.InProcessService`) run in the gateway's
        # own trace context; a proxy (`ServiceProxy`) writes it in its request's headers itself.
        # Any other upstream gets it in its scope's headers.
        self._trace_in_scope = frozenset(
            name
            for name, upstream in upstreams.items()
            if not getattr(upstream, "in_process", False)
            and not getattr(upstream, "carries_trace", False)
        )
        self.write_limiter = write_limiter
        self.response_cache = response_cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not (
            path == API_PREFIX or path.startswith(API_PREFIX + "/")
        ):
            await self.app(scope, receive, send)
            return
        # From here on (rate limits, logs, the services) the client is who the trusted proxies
        # say it is, or the peer.
        client = scope.get("client")
        address = self.trusted_proxies.client_of(scope)
        scope["client"] = (address, client[1] if client else 0)
        scope["headers"] = [
            *(h for h in scope.get("headers", []) if h[0] != b"x-forwarded-for"),
            (b"x-forwarded-for", address.encode("latin-1")),
        ]
        inner = path[len(API_PREFIX) :] or "/"
        websocket = scope["type"] == "websocket"
        match = self.table.match(scope.get("method", "GET"), inner, websocket=websocket)
        if match.route is None:
            await self._refuse_route(scope, receive, send, inner, match.allowed)
            return
        scope["route"] = _RouteLabel(API_PREFIX + match.route.pattern)
        upstream = self.upstreams.get(match.route.service)
        if upstream is None:
            await self._unavailable(scope, receive, send, match.route.service)
            return
        # Only writes are counted: a read need not wait on the limiter's coroutine.
        if not websocket and self.write_limiter is not None and scope["method"] in WRITE_METHODS:
            refusal, headers = await self.write_limiter.check(scope)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            send = _with_headers(send, headers)
        child = dict(scope)
        child["path"] = inner
        if match.route.service in self._trace_in_scope:
            # The hop a network call would be: the service's span is a child of the gateway's.
            inject_into_scope(child)
        raw = scope.get("raw_path")
        if isinstance(raw, bytes) and raw.startswith(API_PREFIX.encode()):
            child["raw_path"] = raw[len(API_PREFIX) :] or b"/"
        cache = self.response_cache
        if cache is not None and not websocket:
            if cache.cacheable(scope):
                await cache.serve(scope, receive, send, lambda _s, r, s: upstream(child, r, s))
                return
            if scope["method"] in WRITE_METHODS:
                send = cache.invalidating_send(match.route.service, send)
        await upstream(child, receive, send)

    async def _refuse_route(
        self, scope: Scope, receive: Receive, send: Send, inner: str, allowed: frozenset[str]
    ) -> None:
        if scope["type"] == "websocket":
            await _refuse_websocket(receive, send, WS_NOT_FOUND, "no such endpoint")
            return
        error: AgoraError
        if allowed:
            error = MethodNotAllowed(
                f"{scope['method']} is not allowed on /api{inner}; "
                f"use {', '.join(sorted(allowed))}",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        else:
            error = NotFound(f"No endpoint at /api{inner}", code="no_such_endpoint")
        await error_response(error)(scope, receive, send)

    async def _unavailable(self, scope: Scope, receive: Receive, send: Send, service: str) -> None:
        if scope["type"] == "websocket":
            await _refuse_websocket(receive, send, WS_UNAVAILABLE, f"{service} unavailable")
            return
        error = ServiceUnavailable(
            f"The {service} service is not available", code="service_unavailable"
        )
        await error_response(error)(scope, receive, send)


async def _refuse_websocket(receive: Receive, send: Send, code: int, reason: str) -> None:
    # Accept, then close: a close before accepting reaches the client as HTTP 403, without the code.
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.close", "code": code, "reason": reason})


def _with_headers(send: Send, headers: list[tuple[bytes, bytes]]) -> Send:
    if not headers:
        return send

    async def wrapped(message: Any) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *headers]
        await send(message)

    return wrapped


def create_gateway_app(
    *,
    table: RouteTable,
    upstreams: Mapping[str, ASGIApp],
    service_probe: ServiceProbe,
    openapi_source: OpenApiSource,
    clock: Clock,
    topology: str,
    write_limiter: WriteRateLimiter | None = None,
    response_cache: ResponseCache | None = None,
    lifespan: Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]] | None = None,
    ui: ASGIApp | None = None,
    extra_routers: Sequence[APIRouter] = (),
    trusted_proxies: TrustedProxies | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> ASGIApp:
    """The gateway as one ASGI app (observability → body limit → gzip of JSON answers →
    dispatcher → the gateway's own endpoints)."""
    metrics = HttpMetrics("gateway")
    app = FastAPI(
        title="Agora gateway",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        # The gateway's one server span is `traced_asgi`'s (decision 0034).
        **native_telemetry_off(),
    )
    install_error_handlers(app)
    cached_openapi: dict[str, Any] = {}

    @app.get("/status")
    async def status() -> GatewayStatus:
        states = await service_probe()
        return GatewayStatus(
            status="running" if all(states.values()) else "degraded",
            timestamp=clock.now(),
            topology=topology,
            services={
                name: ServiceState(status="running" if ok else "down")
                for name, ok in sorted(states.items())
            },
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return Response(render(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONBody:
        if not cached_openapi:
            cached_openapi.update(
                merge_openapi(await openapi_source(), table, title="Agora API", version="0.1.0")
            )
        return JSONBody(cached_openapi)

    for router in extra_routers:
        app.include_router(router)

    static = resources.files("fastapi_offline") / "static"
    app.mount("/docs/static", StaticFiles(directory=str(static)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Agora API",
            swagger_js_url="/docs/static/swagger-ui-bundle.js",
            swagger_css_url="/docs/static/swagger-ui.css",
            swagger_favicon_url="/docs/static/favicon.png",
        )

    if ui is not None:
        app.mount("/", ui, name="ui")
    else:

        @app.get("/", include_in_schema=False)
        async def home() -> RedirectResponse:
            return RedirectResponse("/docs")

    dispatcher = GatewayDispatcher(
        app,
        table=table,
        upstreams=upstreams,
        write_limiter=write_limiter,
        response_cache=response_cache,
        trusted_proxies=trusted_proxies,
    )
    limited = BodyLimitMiddleware(JsonCompression(dispatcher), default=max_body_bytes)
    return traced_asgi(ObservabilityMiddleware(limited, service="gateway", metrics=metrics))
