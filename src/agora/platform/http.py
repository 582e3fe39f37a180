"""The service app factory: every service gets `/status`, `/metrics`, request ids, JSON access logs,
the one error format, and OpenAPI, the same way."""

from __future__ import annotations

import logging
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
from agora.platform.errors import (
    BadRequest,
    PayloadTooLarge,
    error_response,
    install_error_handlers,
)
from agora.platform.logging import begin_request, end_request, request_user_id
from agora.platform.metrics import CONTENT_TYPE_LATEST, HttpMetrics, render
from agora.platform.openapi import document_errors
from agora.platform.realtime.sockets import LiveSocketsMiddleware
from agora.platform.requestid import HEADER, accept_or_make, current_request_id
from agora.platform.tracing import (
    TRACEPARENT_HEADER,
    RequestSpan,
    current_traceparent,
    trace_asgi,
)

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


MAX_BODY_BYTES = 1024 * 1024


class BodyLimitMiddleware:
    """Refuse a request body over the limit with 413 before anything reads or parses it.

    A declared `Content-Length` over the limit is refused at once; a chunked body is read up to
    the limit (at most that much is ever held) and then refused, or replayed to the app. The limit
    is `app.state.max_body_bytes` when set (the composition root sets it from
    `AGORA_MAX_BODY_BYTES`), else `default`.
    """

    def __init__(self, app: ASGIApp, *, default: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.default = default

    def _limit(self, scope: Scope) -> int:
        state = getattr(scope.get("app"), "state", None)
        limit = getattr(state, "max_body_bytes", None)
        return limit if isinstance(limit, int) else self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        refusal = PayloadTooLarge(f"Request bodies are limited to {limit} bytes")
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False  # the server's HTTP parser refuses a malformed length
            if too_large:
                await error_response(refusal)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        buffered: list[Message] = []
        size = 0
        while True:
            message = await receive()
            buffered.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await error_response(refusal)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


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
        outermost, facts = begin_request()
        try:
            # Restores the outer layer's values on the way out (the embedded gateway's, around
            # a service's).
            with structlog.contextvars.bound_contextvars(
                request_id=request_id, service=self.service
            ):
                if scope["type"] == "http":
                    await self._http(scope, receive, send, request_id, log_access=outermost)
                else:
                    await self._websocket(scope, receive, send, log_access=outermost)
        finally:
            end_request(facts)
            current_request_id.reset(token)

    async def _http(
        self, scope: Scope, receive: Receive, send: Send, request_id: str, *, log_access: bool
    ) -> None:
        started = time.perf_counter()
        status = 500
        span = RequestSpan()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Now, not at the end: the server span ends with the last body chunk.
                span.rename(f"{scope['method']} {_route_template(scope)}")
                replaced = (HEADER.encode(), TRACEPARENT_HEADER)
                headers = [(k, v) for k, v in message.get("headers", []) if k not in replaced]
                headers.append((HEADER.encode(), request_id.encode()))
                traceparent = current_traceparent()
                if traceparent is not None:
                    headers.append((TRACEPARENT_HEADER, traceparent.encode()))
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
            if log_access:
                client = scope.get("client")
                access_log.log(
                    logging.INFO if status < 500 else logging.ERROR,
                    f"{scope['method']} {scope['path']} {status}",
                    method=scope["method"],
                    path=scope["path"],
                    route=route,
                    status=status,
                    client=client[0] if client else None,
                    user_id=request_user_id(),
                    **{
                        "event.duration": int(elapsed * 1e9),
                        "event.outcome": "failure" if status >= 400 else "success",
                    },
                )

    async def _websocket(
        self, scope: Scope, receive: Receive, send: Send, *, log_access: bool
    ) -> None:
        started = time.perf_counter()
        self.metrics.websockets.labels(self.service).inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self.metrics.websockets.labels(self.service).dec()
            if log_access:
                access_log.log(
                    logging.INFO,
                    f"WebSocket {scope['path']} closed",
                    path=scope["path"],
                    route=_route_template(scope),
                    user_id=request_user_id(),
                    **{"event.duration": int((time.perf_counter() - started) * 1e9)},
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
    document_errors(app)
    app.add_middleware(LiveSocketsMiddleware)
    app.add_middleware(RefuseNulMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(ObservabilityMiddleware, service=service, metrics=metrics)
    trace_asgi(app)
    return app
