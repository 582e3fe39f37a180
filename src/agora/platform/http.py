"""The service app factory: every service gets `/status`, `/metrics`, request ids, JSON access logs,
the one error format, and OpenAPI, the same way."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

import orjson
import structlog
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.middleware.asyncexitstack import AsyncExitStackMiddleware
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette._utils import get_route_path
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import ASGIApp, ExceptionHandler, Message, Receive, Scope, Send

from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock, SystemClock
from agora.platform.db import Database
from agora.platform.deps import (
    TOKEN_DEPENDENCIES,
    _current_user,
    _optional_user,
    provide,
    registered,
)
from agora.platform.errors import (
    BadRequest,
    PayloadTooLarge,
    Unauthorized,
    error_response,
    install_error_handlers,
)
from agora.platform.ids import MAX_ID
from agora.platform.logging import (
    ACCESS_LOGGER,
    LineLogger,
    begin_request,
    end_request,
    request_user_id,
)
from agora.platform.metrics import CONTENT_TYPE_LATEST, HttpMetrics, render
from agora.platform.openapi import document_errors
from agora.platform.reads import Reads
from agora.platform.realtime.sockets import LiveSocketsMiddleware
from agora.platform.requestid import HEADER, accept_or_make, current_request_id
from agora.platform.tracing import (
    TRACEPARENT_HEADER,
    RequestSpan,
    current_traceparent,
    in_process_span,
    is_server_span_middleware,
    trace_asgi,
)

# Whether a line at a level would be written at all is asked before one is built.
access_log = LineLogger(ACCESS_LOGGER)

HealthCheck = Callable[[], Awaitable[bool]]


class JSONBody(Response):
    """A JSON response rendered with orjson, for bodies that have no response model."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


class ModelJSON(Response):
    """A body already in its route's response model's shape (the route declares the model with
    `response_model`, for the OpenAPI document), rendered once by orjson: FastAPI neither
    validates the endpoint's return value against the model nor has pydantic serialise it, which
    for a hot read costs more than the read itself (decision 0034). Datetimes must be aware UTC:
    they are written with `Z`, as pydantic writes them. Tests compare such a body with the model's
    own rendering of it."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_UTC_Z)


class LeanArgs(dict[str, int]):
    """What a lean read is given about its request: the path's ids (the mapping itself, by
    parameter name), the query's parameters by name (`query`: the integers the lean path reads,
    and the endpoint's default for any parameter not given) and the bearer token's principal
    (`principal`, None when the endpoint reads no token or none was sent to an endpoint where it
    is optional)."""

    __slots__ = ("principal", "query")

    def __init__(
        self,
        ids: dict[str, int],
        query: dict[str, Any] | None = None,
        principal: Principal | None = None,
    ) -> None:
        super().__init__(ids)
        self.query: dict[str, Any] = query or {}
        self.principal = principal

    def number(self, name: str) -> int:
        """A query parameter that has a value (given, or its default)."""
        value = self.query[name]
        if not isinstance(value, int):
            raise LookupError(f"no value for the query parameter {name!r}")
        return value

    def user(self) -> Principal:
        """The principal of an endpoint that needs a token (the lean route had it checked)."""
        if self.principal is None:
            raise LookupError("no principal: the endpoint reads no token")
        return self.principal


# What a lean read is given: the app serving the request (its `provided` instances), a connection
# for its reads (`Database.reads()`, as its endpoint's `DbReads`), and the request's plain
# arguments.
LeanAnswer = Callable[[FastAPI, Reads, LeanArgs], Awaitable[Response]]
_LEAN_ARGS = "agora.lean_args"
# Where FastAPI's AsyncExitStackMiddleware leaves its stack, which its routes assert is there.
_FASTAPI_STACK = "fastapi_middleware_astack"


@dataclass(frozen=True)
class LeanRead:
    """A hot GET answered below FastAPI's request handling (decision 0037): `answer` makes the
    response `endpoint` (the FastAPI endpoint, which stays for the OpenAPI document and for every
    request the lean path declines) would make, from the same service call and the same body
    function. What the lean path may read is taken from the endpoint's own signature when it is
    installed (decision 0039): path ids, integer query parameters with their `Query(ge=, le=)`
    bounds and default, and the bearer token when the endpoint asks for `OptionalUser` or
    `CurrentUser`. An optional query parameter of another kind (a cursor, a text) is taken at its
    default: a request that gives it goes to FastAPI. An endpoint that reads anything else (a
    header, a body, an admin token, a required query parameter of another kind) is refused."""

    endpoint: Callable[..., Any]
    answer: LeanAnswer


def _plain_id(text: str) -> int | None:
    # Only the spelling every id validator reads the same way: ASCII digits, no sign, no leading
    # zero, no blanks, in range. Anything else goes the FastAPI way, which answers it.
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or text[0] == "0":
        return None
    number = int(text)
    return number if number <= MAX_ID else None


@dataclass(frozen=True, slots=True)
class _LeanInt:
    """An integer query parameter as the endpoint's `Query(ge=, le=)` declares it."""

    ge: int
    le: int
    default: int | None


@dataclass(frozen=True, slots=True)
class _LeanQuery:
    """The endpoint's query parameters as a lean read takes them: the integers it validates as
    FastAPI does (`read`), and the optional parameters of any other kind (`absent`, with their
    defaults), whose presence in a request sends it to FastAPI."""

    read: dict[str, _LeanInt]
    absent: dict[str, Any]


def _bounded_int(info: Any) -> _LeanInt | None:
    bounds = {
        name: getattr(item, name)
        for item in info.metadata
        for name in ("ge", "le")
        if hasattr(item, name)
    }
    if (
        info.annotation not in (int, int | None)
        or set(bounds) != {"ge", "le"}
        or len(info.metadata) != 2
        or bounds["ge"] < 1
        or bounds["le"] > MAX_ID
        or not (info.default is None or isinstance(info.default, int))
    ):
        return None
    return _LeanInt(bounds["ge"], bounds["le"], info.default)


def _lean_query(route: APIRoute) -> _LeanQuery:
    """The endpoint's query parameters: each integer between bounds with a default is read (as
    FastAPI would validate it); any other optional one is taken at its default, and a request
    that gives it goes to FastAPI; a required parameter of another kind is a RuntimeError."""
    read: dict[str, _LeanInt] = {}
    absent: dict[str, Any] = {}
    for field in route.dependant.query_params:
        info = field.field_info
        if info.is_required():
            raise RuntimeError(f"a lean read cannot read the query parameter {field.alias!r}")
        number = _bounded_int(info)
        if number is None:
            absent[field.alias] = info.get_default(call_default_factory=True)
        else:
            read[field.alias] = number
    return _LeanQuery(read, absent)


def _lean_auth(route: APIRoute) -> Literal["none", "optional", "required"]:
    """Whether the endpoint reads the bearer token (`OptionalUser`) or needs one (`CurrentUser`);
    a RuntimeError for a route whose inputs a lean read cannot take."""

    def inputs(dependant: Dependant) -> Iterator[Dependant]:
        yield dependant
        for dependency in dependant.dependencies:
            yield from inputs(dependency)

    calls = set()
    for index, dependant in enumerate(inputs(route.dependant)):
        calls.add(dependant.call)
        if (
            dependant.header_params
            or dependant.cookie_params
            or dependant.body_params
            or (index > 0 and (dependant.query_params or dependant.path_params))
        ):
            raise RuntimeError(f"a lean read cannot take the inputs of {route.path}")
    if calls & (TOKEN_DEPENDENCIES - {_optional_user, _current_user}):
        raise RuntimeError(f"a lean read cannot authorize {route.path}")
    if _current_user in calls:
        return "required"
    return "optional" if _optional_user in calls else "none"


def _plain_query(query_string: bytes, query: _LeanQuery) -> dict[str, Any] | None:
    """The query's values when it is in the plain form (`name=digits` pairs joined by `&`, each
    a read name at most once, its value in its bounds, written without sign, blank, escape or
    leading zero), the defaults filled in (those of the parameters it does not read too); None
    for anything else, which FastAPI answers."""
    accepted = query.read
    values: dict[str, Any] = {}
    if query_string:
        if not accepted:
            return None
        for pair in query_string.split(b"&"):
            name, equals, text = pair.partition(b"=")
            key = name.decode("latin-1")
            spec = accepted.get(key)
            if spec is None or not equals or key in values:
                return None
            number = _plain_id(text.decode("latin-1"))
            if number is None or not spec.ge <= number <= spec.le:
                return None
            values[key] = number
    for key, spec in accepted.items():
        values.setdefault(key, spec.default)
    values.update(query.absent)
    return values


class LeanReadRoute(BaseRoute):
    """Ahead of the app's routes: a `GET` of `route`'s path with plain ids and a plain query (and
    the token its endpoint needs, good and in force) is answered by the lean read; any other
    request (and every request while the app has dependency overrides, as tests set) goes to the
    FastAPI route, so what the lean path declines gets FastAPI's own answer. It sits where the
    router does: inside the platform's middleware (request id, access line, metrics, server span)
    and the app's exception handlers, which see the request as routed to `route`
    (`scope["route"]`, `scope["endpoint"]`, `path_params`)."""

    def __init__(self, route: APIRoute, answer: LeanAnswer) -> None:
        self.route = route
        self.answer = answer
        self.path = route.path
        self._regex = route.path_regex
        self._query = _lean_query(route)
        self._auth = _lean_auth(route)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or getattr(scope.get("app"), "dependency_overrides", None)
        ):
            return Match.NONE, {}
        # The path as Starlette's own routes read it (under a `root_path`, without it).
        found = self._regex.match(get_route_path(scope))
        if found is None:
            return Match.NONE, {}
        query = _plain_query(scope.get("query_string", b""), self._query)
        if query is None:
            return Match.NONE, {}
        params = found.groupdict()
        ids: dict[str, int] = {}
        for name, text in params.items():
            number = _plain_id(text)
            if number is None:
                return Match.NONE, {}
            ids[name] = number
        child = {
            "endpoint": self.route.endpoint,
            "route": self.route,
            "path_params": params,
            _LEAN_ARGS: LeanArgs(ids, query),
        }
        return Match.FULL, child

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)  # the FastAPI route answers for the name

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.respond(scope, receive)
        if response is None:
            await self._to_endpoint(scope, receive, send)
        else:
            await response(scope, receive, send)

    async def respond(self, scope: Scope, receive: Receive) -> Response | None:
        """The lean read's answer, or None when the request is the FastAPI route's to answer."""
        app = scope["app"]
        args: LeanArgs = scope[_LEAN_ARGS]
        if self._auth != "none":
            # The endpoint's own dependency, so the same token is good or bad alike; a bad one,
            # or none where one is needed, is the FastAPI route's to answer (and to refuse).
            try:
                args.principal = await _optional_user(Request(scope, receive))
            except Unauthorized:
                args.principal = None
                return None
            if args.principal is None and self._auth == "required":
                return None
        # What the endpoint's `DbReads` opens: a connection for reads, back in the pool before
        # the answer is sent.
        async with registered(app, Database).reads() as reads:
            return await self.answer(app, reads, args)

    async def _to_endpoint(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The FastAPI route's answer, with the exit stack FastAPI's middleware gives every
        # request (for uploaded files), which `LeanReadsMiddleware` skipped on the way here.
        async with AsyncExitStack() as stack:
            scope[_FASTAPI_STACK] = stack
            await self.route.handle(scope, receive, send)


class LeanReadsMiddleware:
    """The app's lean reads ahead of the layers they have no use for (decision 0044): a `GET`
    that a `LeanReadRoute` takes is answered here, inside the platform's request id, access line,
    metrics and server span, with the service's exception handlers around it (the contract's
    JSON for a 404, as the router's path gives it), without the body limit (the request has no
    body: one that declares one goes the whole way), the NUL check (a lean route takes digits
    only), the live-socket registry, the exit stack and the router's walk. Any other request goes
    on down. The embedded gateway asks it first too (`InProcessService`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # The app's exception handlers (Starlette's ExceptionMiddleware's), made on first use.
        self._handlers: dict[Any, ExceptionHandler] | None = None

    async def answer(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Answer the request if a lean read takes it; whether it did."""
        app = scope.get("app")
        if scope["type"] != "http" or scope["method"] != "GET" or not isinstance(app, FastAPI):
            return False
        # The lean routes are the first of the app's routes (`install_lean_reads`); read there
        # on each request, so that an app whose lean routes are taken out answers without them.
        for route in app.router.routes:
            if not isinstance(route, LeanReadRoute):
                return False
            match, child = route.matches(scope)
            if match is Match.FULL:
                if _declares_body(scope):
                    return False
                scope.update(child)
                await self._answer(route, app, scope, receive, send)
                return True
        return False

    async def _answer(
        self, route: LeanReadRoute, app: FastAPI, scope: Scope, receive: Receive, send: Send
    ) -> None:
        # The answer is made before anything is sent, so an error is the app's handlers' to
        # answer without Starlette's per-request wrapper of `send` watching for a started
        # response (decision 0047); an unexpected one goes on up to the layer that answers it
        # (Starlette's ServerErrorMiddleware, or `InProcessService`).
        if self._handlers is None:
            self._handlers, _ = _split_handlers(app)
        try:
            response = await route.respond(scope, receive)
        except Exception as error:  # noqa: BLE001  (the handlers choose, as in Starlette's wrapper)
            await ExceptionMiddleware(_raiser(error), handlers=self._handlers)(scope, receive, send)
            return
        if response is None:
            # The FastAPI route's answer, with the handlers in the scope as its own wrapper
            # reads them.
            await ExceptionMiddleware(route._to_endpoint, handlers=self._handlers)(
                scope, receive, send
            )
            return
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not await self.answer(scope, receive, send):
            await self.app(scope, receive, send)


def _raiser(error: Exception) -> ASGIApp:
    async def raise_it(scope: Scope, receive: Receive, send: Send) -> None:
        raise error

    return raise_it


def _split_handlers(app: FastAPI) -> tuple[dict[Any, ExceptionHandler], ExceptionHandler | None]:
    """The app's exception handlers as Starlette's own stack splits them: ExceptionMiddleware's,
    and the one its ServerErrorMiddleware calls for an unexpected error (500's, else
    `Exception`'s)."""
    handlers = dict(app.exception_handlers)
    unexpected = handlers.pop(Exception, None)
    return handlers, handlers.pop(500, None) or unexpected


def _declares_body(scope: Scope) -> bool:
    # `Content-Length: 0` (which some clients send with every GET) declares none.
    return any(
        name == _TRANSFER_ENCODING or (name == _CONTENT_LENGTH and value != b"0")
        for name, value in scope["headers"]
    )


def install_lean_reads(
    app: FastAPI, routers: Sequence[APIRouter], reads: Sequence[LeanRead]
) -> None:
    """Put each lean read ahead of the app's routes, for its endpoint's route in `routers`."""
    for read in reversed(reads):
        found = [
            route
            for router in routers
            for route in router.routes
            if isinstance(route, APIRoute) and route.endpoint is read.endpoint
        ]
        if len(found) != 1 or found[0].methods != {"GET"}:
            raise RuntimeError(f"a lean read needs one GET route for {read.endpoint.__name__}")
        app.router.routes.insert(0, LeanReadRoute(found[0], read.answer))


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


_REQUEST_ID = HEADER.encode()
_CONTENT_LENGTH = b"content-length"
_TRANSFER_ENCODING = b"transfer-encoding"
# What BodyLimitMiddleware leaves in the scope: the limit it enforced on this request's body.
BODY_LIMIT_KEY = "agora.body_limit"


def _nul_refusal(scope: Scope) -> Response | None:
    if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b""):
        error = BadRequest(
            "The path and query must not contain the NUL character", code="nul_character"
        )
        return error_response(error)
    return None


class RefuseNulMiddleware:
    """A NUL character in the path or query string names nothing and no database stores it
    (PostgreSQL refuses it in text): a 400 in the contract's error JSON before any endpoint runs.
    Request bodies are checked by `platform.schemas.RequestBody`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refusal := _nul_refusal(scope)) is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)


MAX_BODY_BYTES = 1024 * 1024


class BodyLimitMiddleware:
    """Refuse a request body over the limit with 413 before anything reads or parses it.

    A declared `Content-Length` over the limit is refused at once; a chunked body is read up to
    the limit (at most that much is ever held) and then refused, or replayed to the app. The limit
    is `app.state.max_body_bytes` when set (the composition root sets it from
    `AGORA_MAX_BODY_BYTES`), else `default`. The limit enforced is left in the scope
    (`BODY_LIMIT_KEY`), so that an inner layer with the same limit need not check again.
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
        scope[BODY_LIMIT_KEY] = limit
        declared = None
        chunked = False
        for name, value in scope["headers"]:
            if name == _CONTENT_LENGTH:
                declared = value
            elif name == _TRANSFER_ENCODING:
                chunked = True
        if declared is not None:
            try:
                too_large = int(declared) > limit
            except ValueError:
                too_large = False  # the server's HTTP parser refuses a malformed length
            if too_large:
                await _too_large(limit)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        if not chunked:
            # Neither a length nor chunks: HTTP/1.1 says there is no body (a GET), so nothing to
            # count or replay.
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
                await _too_large(limit)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return buffered.pop(0) if buffered else await receive()

        await self.app(scope, replay, send)


def _too_large(limit: int) -> Response:
    return error_response(PayloadTooLarge(f"Request bodies are limited to {limit} bytes"))


class ObservabilityMiddleware:
    """Request id in and out, one access-log line per request, and Prometheus metrics."""

    def __init__(self, app: ASGIApp, *, service: str, metrics: HttpMetrics) -> None:
        self.app = app
        self.service = service
        self.metrics = metrics
        self._in_flight = metrics.in_flight.labels(service)
        self._websockets = metrics.websockets.labels(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        incoming: bytes | None = None
        seen = 0
        for name, value in scope["headers"]:
            if name == _REQUEST_ID:
                incoming = value
                seen += 1
        given = incoming.decode("latin-1") if incoming is not None else None
        request_id = accept_or_make(given)
        if seen != 1 or request_id != given:
            # Made up here, or the client's was malformed or given twice: the layers inside
            # read exactly this one.
            scope["headers"] = [
                *(h for h in scope["headers"] if h[0] != _REQUEST_ID),
                (_REQUEST_ID, request_id.encode()),
            ]
        token = current_request_id.set(request_id)
        outermost, facts = begin_request()
        # Reset to the outer layer's values on the way out (the embedded gateway's, around a
        # service's); `bound_contextvars` without its context manager's generator.
        bound = structlog.contextvars.bind_contextvars(request_id=request_id, service=self.service)
        try:
            if scope["type"] == "http":
                await self._http(scope, receive, send, request_id, log_access=outermost)
            else:
                await self._websocket(scope, receive, send, log_access=outermost)
        finally:
            structlog.contextvars.reset_contextvars(**bound)
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
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k != _REQUEST_ID and k != TRACEPARENT_HEADER
                ]
                headers.append((_REQUEST_ID, request_id.encode()))
                traceparent = current_traceparent()
                if traceparent is not None:
                    headers.append((TRACEPARENT_HEADER, traceparent.encode()))
                message["headers"] = headers
            await send(message)

        self._in_flight.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._in_flight.dec()
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            self.metrics.observe(scope["method"], route, status, elapsed)
            level = logging.INFO if status < 500 else logging.ERROR
            if log_access and access_log.is_enabled_for(level):
                client = scope.get("client")
                access_log.log(
                    level,
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
        self._websockets.inc()
        try:
            await self.app(scope, receive, send)
        finally:
            self._websockets.dec()
            if log_access and access_log.is_enabled_for(logging.INFO):
                access_log.log(
                    logging.INFO,
                    f"WebSocket {scope['path']} closed",
                    path=scope["path"],
                    route=_route_template(scope),
                    user_id=request_user_id(),
                    **{"event.duration": int((time.perf_counter() - started) * 1e9)},
                )


# The middleware `create_service_app` adds: what `InProcessService` does itself, or what the
# embedded gateway around it already did for the request.
_PLATFORM_MIDDLEWARE: tuple[object, ...] = (
    LiveSocketsMiddleware,
    RefuseNulMiddleware,
    BodyLimitMiddleware,
    LeanReadsMiddleware,
    ObservabilityMiddleware,
)


class InProcessService:
    """A service app as the embedded gateway calls it: its routes, error handlers and
    dependencies, without a second copy of the middleware the gateway's own stack has already
    run for the request.

    The gateway's layers have taken or made the request id (header, log context, the response's
    `X-Request-ID` and `traceparent`), started the server span, begun the one access line and
    enforced the body limit; what is the service's own is done here once: its name on the log
    lines it writes, its metrics (requests by route template, latency, in flight, WebSockets), the
    NUL check, its exception handlers for every error (the contract's JSON, 404/405/422
    included), the live-socket registry for WebSockets, and a span of its own when the request is
    traced. An app that has middleware of its own beyond the platform's is called whole.
    """

    in_process = True

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.service: str = app.state.service_name
        self.metrics: HttpMetrics = app.state.metrics
        self._in_flight = self.metrics.in_flight.labels(self.service)
        self._websockets = self.metrics.websockets.labels(self.service)
        self._routes: ASGIApp | None = None
        self._sockets: ASGIApp | None = None
        self._lean = LeanReadsMiddleware(app)
        self._unexpected: ExceptionHandler | None = None
        self._whole = not all(
            m.cls in _PLATFORM_MIDDLEWARE or is_server_span_middleware(m.cls)
            for m in app.user_middleware
        )

    def _build(self) -> ASGIApp:
        # Built on the first request, as Starlette builds an app's stack: handlers and routes
        # added after the app was made (the saga endpoints) are in it.
        handlers, self._unexpected = _split_handlers(self.app)
        routes = ExceptionMiddleware(AsyncExitStackMiddleware(self.app.router), handlers=handlers)
        self._sockets = LiveSocketsMiddleware(routes)
        self._routes = routes
        return routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self._whole or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        routes = self._routes or self._build()
        scope["app"] = self.app
        tokens = structlog.contextvars.bind_contextvars(service=self.service)
        try:
            if scope["type"] == "http":
                await self._http(routes, scope, receive, send)
            else:
                self._websockets.inc()
                try:
                    await cast(ASGIApp, self._sockets)(scope, receive, send)
                finally:
                    self._websockets.dec()
        finally:
            structlog.contextvars.reset_contextvars(**tokens)

    async def _http(self, routes: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500
        answered = False

        async def send_status(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
                answered = True
            await send(message)

        self._in_flight.inc()
        try:
            with in_process_span(self.service, scope["method"], scope["path"]) as span:
                try:
                    refusal = _nul_refusal(scope)
                    if refusal is not None:
                        await refusal(scope, receive, send_status)
                    elif await self._lean.answer(scope, receive, send_status):
                        pass
                    elif not _limited_to(scope, _own_limit(self.app)):
                        await BodyLimitMiddleware(routes)(scope, receive, send_status)
                    else:
                        await routes(scope, receive, send_status)
                except Exception as exc:
                    await self._answer_unexpected(scope, receive, send_status, exc, answered)
                    raise
                finally:
                    if span is not None:
                        span.finish(f"{scope['method']} {_route_template(scope)}", status)
        finally:
            self._in_flight.dec()
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["method"], _route_template(scope), status, elapsed)

    async def _answer_unexpected(
        self, scope: Scope, receive: Receive, send: Send, exc: Exception, answered: bool
    ) -> None:
        """As Starlette's ServerErrorMiddleware does: the handler renders (and logs) it, the
        client gets its answer unless one has started, and the exception goes on up to the
        server."""
        if self._unexpected is None:
            return
        response = await cast(Any, self._unexpected)(Request(scope, receive), exc)
        if not answered and response is not None:
            await response(scope, receive, send)


def _limited_to(scope: Scope, limit: int) -> bool:
    """Whether a layer outside already held this request's body to `limit` or less."""
    enforced = scope.get(BODY_LIMIT_KEY)
    return isinstance(enforced, int) and enforced <= limit


def _own_limit(app: FastAPI) -> int:
    limit = getattr(app.state, "max_body_bytes", None)
    return limit if isinstance(limit, int) else MAX_BODY_BYTES


def native_telemetry_off() -> dict[str, Any]:
    """`FastAPI(...)` arguments that turn off FastAPI's own OpenTelemetry (FastAPI 0.16x starts
    a server span, spans per dependency and endpoint, metrics and log records whenever a tracer
    provider is configured, unless OpenTelemetry's ASGI middleware is in the app's stack): the
    platform's `ServerSpanMiddleware` makes the one server span (decision 0034). Nothing for a
    FastAPI without it."""
    if "telemetry" in inspect.signature(FastAPI.__init__).parameters:
        return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}
    return {}


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
    lean_reads: Sequence[LeanRead] = (),
) -> FastAPI:
    """Build a service's FastAPI app with the platform's endpoints, middleware and error
    handlers; `provides` are registered for endpoints to get with `deps.provider(TheirClass)`;
    `lean_reads` answer their endpoints' plain requests below FastAPI (decision 0037)."""
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
        # A service behind the gateway or the edge cannot redirect `/x/` to `/x`: it would name
        # its own address and path (without `/api`) in the Location. No contract path ends in `/`,
        # so such a path is a 404 like any unknown one.
        redirect_slashes=False,
        **native_telemetry_off(),
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
    install_lean_reads(app, routers, lean_reads)
    document_errors(app)
    app.add_middleware(LiveSocketsMiddleware)
    app.add_middleware(RefuseNulMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(LeanReadsMiddleware)
    app.add_middleware(ObservabilityMiddleware, service=service, metrics=metrics)
    trace_asgi(app)
    return app
