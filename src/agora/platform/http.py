"""The service app factory: every service gets `/status`, `/metrics`, request ids, JSON access logs,
the one error format, and OpenAPI, the same way."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Literal

import orjson
import structlog
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel, Field
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.platform.clock import Clock, SystemClock
from agora.platform.deps import provide
from agora.platform.errors import BadRequest, error_response, install_error_handlers
from agora.platform.metrics import CONTENT_TYPE_LATEST, HttpMetrics, render
from agora.platform.realtime.sockets import LiveSocketsMiddleware
from agora.platform.requestid import HEADER, accept_or_make, current_request_id

access_log = structlog.get_logger("agora.access")

HealthCheck = Callable[[], Awaitable[bool]]


class JSONBody(Response):
    """A JSON response rendered with orjson, for bodies that have no response model."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


class StatusRead(BaseModel):
    """The bookclub seed's status shape, common to every service."""

    service: str = Field(examples=["voting_service"])
    status: Literal["running", "degraded"] = "running"
    timestamp: datetime
    checks: dict[str, bool] = Field(default_factory=dict)


def _route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"


def _set_header(scope: Scope, name: bytes, value: bytes) -> None:
    headers = [(k, v) for k, v in scope.get("headers", []) if k != name]
    headers.append((name, value))
    scope["headers"] = headers


class RefuseNulMiddleware:
    """A NUL character in the path or query string names nothing and no database stores it
    (PostgreSQL refuses it in text): a 400 in the contract's error JSON before any endpoint runs.
    Request bodies are checked by `platform.schemas.RequestBody`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")
        ):
            error = BadRequest(
                "The path and query must not contain the NUL character", code="nul_character"
            )
            await error_response(error)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class ObservabilityMiddleware:
    """Request id in and out, one access-log line per request, and Prometheus metrics."""

    def __init__(self, app: ASGIApp, *, service: str, metrics: HttpMetrics) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming = dict(scope.get("headers", [])).get(HEADER.encode())
        request_id = accept_or_make(incoming.decode("latin-1") if incoming else None)
        _set_header(scope, HEADER.encode(), request_id.encode())
        token = current_request_id.set(request_id)
        structlog.contextvars.bind_contextvars(request_id=request_id, service=self.service)
        try:
            if scope["type"] == "http":
                await self._http(scope, receive, send, request_id)
            else:
                await self._websocket(scope, receive, send)
        finally:
            structlog.contextvars.unbind_contextvars("request_id", "service")
            current_request_id.reset(token)

    async def _http(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k != HEADER.encode()]
                headers.append((HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        self.metrics.in_flight.labels(self.service).inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.metrics.in_flight.labels(self.service).dec()
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            self.metrics.observe(scope["method"], route, status, elapsed)
            client = scope.get("client")
            access_log.info(
                "http_request",
                method=scope["method"],
                path=scope["path"],
                route=route,
                status=status,
                duration_ms=round(elapsed * 1000, 2),
                client=client[0] if client else None,
            )

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        self.metrics.websockets.labels(self.service).inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.metrics.websockets.labels(self.service).dec()
            access_log.info(
                "websocket_closed",
                path=scope["path"],
                route=_route_template(scope),
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )


def create_service_app(
    *,
    service: str,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    health_checks: dict[str, HealthCheck] | None = None,
    clock: Clock | None = None,
    version: str = "0.1.0",
    provides: Sequence[object] = (),
) -> FastAPI:
    """Build a service's FastAPI app with the platform's endpoints, middleware and error
    handlers; `provides` are registered for endpoints to get with `deps.provider(TheirClass)`."""
    the_clock = clock or SystemClock()
    checks = dict(health_checks or {})
    metrics = HttpMetrics(service)
    app = FastAPI(
        title=title,
        description=description,
        version=version,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.service_name = service
    app.state.metrics = metrics
    install_error_handlers(app)
    provide(app, *provides)

    @app.get("/status", tags=["platform"], summary="Is this service running?")
    async def status() -> StatusRead:
        results = {name: await check() for name, check in checks.items()}
        return StatusRead(
            service=f"{service}_service",
            status="running" if all(results.values()) else "degraded",
            timestamp=the_clock.now(),
            checks=results,
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint() -> Response:
        return Response(render(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    for router in routers:
        app.include_router(router)
    app.add_middleware(LiveSocketsMiddleware)
    app.add_middleware(RefuseNulMiddleware)
    app.add_middleware(ObservabilityMiddleware, service=service, metrics=metrics)
    return app
