"""Distributed traces with OpenTelemetry: the only module that wires the SDK and its
instrumentations (ASGI, SQLAlchemy, redis, gRPC, aiohttp). Services never import OpenTelemetry;
the platform kit starts spans where a request crosses something the instrumentations do not see:
an event in the outbox and on the bus (its W3C `traceparent` travels in the event), the consumer
that handles it in another service, and the push of a real-time frame to a socket.

Spans go over OTLP/HTTP to `AGORA_OTLP_ENDPOINT` (Jaeger, an OpenTelemetry Collector) when it is
set; otherwise to the local trace store: one JSON-lines file per process in `<data dir>/traces/`,
which `agora trace ID` reads. `AGORA_TRACE_SAMPLE_RATIO` samples new traces, at most
`AGORA_TRACE_MAX_PER_SECOND` of them a second in each process; a caller's sampling decision (the
`traceparent` flags) is kept.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import os
import threading
import time
import types
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import structlog
from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind, Status, StatusCode
from opentelemetry.util.types import Attributes
from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:
    import aiohttp

__all__ = [
    "TRACEPARENT_HEADER",
    "JsonLinesSpanExporter",
    "RequestSpan",
    "ServerSpanMiddleware",
    "TraceSettings",
    "client_trace_configs",
    "configure_tracing",
    "consumer_span",
    "current_trace_id",
    "current_traceparent",
    "database_span",
    "exporter_for",
    "in_process_span",
    "in_sampled_trace",
    "inject_into_scope",
    "is_sampled",
    "is_server_span_middleware",
    "producer_span",
    "read_trace",
    "trace_asgi",
    "trace_engine",
    "traced_asgi",
    "traces_present",
]

TRACEPARENT_HEADER = b"traceparent"
TRACES_DIR = "traces"

_tracer = trace.get_tracer("agora")
log = structlog.get_logger("agora.tracing")
_provider: TracerProvider | None = None
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class TraceSettings:
    """Where spans go and how many traces are kept."""

    service: str
    instance: str
    store_dir: Path
    otlp_endpoint: str | None = None
    sample_ratio: float = 0.1
    # New traces a second at most (0: no cap); a caller's sampled trace always continues.
    max_per_second: float = 10.0


class JsonLinesSpanExporter(SpanExporter):
    """The local trace store: finished spans appended as one JSON object per line. A file that
    grows past `max_bytes` becomes `<name>.old.jsonl` (replacing the previous one), so a
    long-running process keeps its recent traces in bounded space."""

    def __init__(self, path: Path, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_bytes = max_bytes
        self._file = path.open("ab")
        self._lock = threading.Lock()

    def _rotate_if_full(self) -> None:
        if self._file.tell() < self.max_bytes:
            return
        self._file.close()
        os.replace(self.path, self.path.with_suffix(".old.jsonl"))
        self._file = self.path.open("ab")

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = b"".join(
            orjson.dumps(span_record(span), default=str, option=orjson.OPT_APPEND_NEWLINE)
            for span in spans
        )
        with self._lock:
            if self._file.closed:
                return SpanExportResult.FAILURE
            self._file.write(lines)
            self._file.flush()
            self._rotate_if_full()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        with self._lock:
            self._file.close()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def span_record(span: ReadableSpan) -> dict[str, Any]:
    """One span as the trace store keeps it."""
    context = span.get_span_context()
    parent = span.parent
    resource = span.resource.attributes
    return {
        "trace_id": format(context.trace_id if context else 0, "032x"),
        "span_id": format(context.span_id if context else 0, "016x"),
        "parent_id": format(parent.span_id, "016x") if parent is not None else None,
        "name": span.name,
        "kind": span.kind.name.lower(),
        "service": resource.get("service.name"),
        "instance": resource.get("service.instance.id"),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name.lower(),
        "attributes": dict(span.attributes or {}),
        "links": [
            {
                "trace_id": format(link.context.trace_id, "032x"),
                "span_id": format(link.context.span_id, "016x"),
            }
            for link in span.links
        ],
    }


class TraceBudget:
    """At most `per_second` new traces a second, in bursts of up to a second's worth: a token
    bucket, as Jaeger's rate-limiting sampler keeps one. Thread-safe (DBOS's threads start
    spans too)."""

    __slots__ = ("_clock", "_last", "_lock", "_rate", "_size", "_tokens")

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic) -> None:
        if per_second <= 0:
            raise ValueError("a trace budget is a positive number of traces a second")
        self._rate = per_second
        self._size = max(1.0, per_second)
        self._tokens = self._size
        self._clock = clock
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one trace if the budget has one."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self._size, self._tokens + (now - self._last) * self._rate)
            self._last = now
            if self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True


class RequestSampler(Sampler):
    """Keeps `ratio` of new traces, at most `per_second` of them a second (None: no cap), and
    follows a parent's decision, whatever the budget: a trace a caller started is never cut.
    Starts no trace at a database or Redis call: background loops (outbox relays, stream
    readers, jobs) poll all the time, and a trace per poll would bury the requests.

    The cap bounds what tracing costs a busy process (a sampled request costs about 1.4 times an
    unsampled one, its spans exported besides; docs/performance.md) and how fast its traces
    churn through the store, while a quiet one keeps its `ratio` (decision 0049)."""

    def __init__(
        self,
        ratio: float,
        per_second: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._delegate = ParentBased(TraceIdRatioBased(ratio))
        self._budget = TraceBudget(per_second, clock) if per_second else None

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: Any = None,
    ) -> SamplingResult:
        parent = trace.get_current_span(parent_context).get_span_context()
        if kind is SpanKind.CLIENT and not parent.is_valid:
            return SamplingResult(Decision.DROP)
        result = self._delegate.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )
        budget = self._budget
        if budget is None or parent.is_valid:
            return result  # a caller's decision, followed whatever the budget
        # A new trace: the ratio kept it or not; the budget is spent only on one it kept.
        sampled: bool = result.decision.is_sampled()  # type: ignore[no-untyped-call]
        if sampled and not budget.take():
            return SamplingResult(Decision.DROP, None, result.trace_state)
        return result

    def get_description(self) -> str:
        return "RequestSampler"


def exporter_for(settings: TraceSettings) -> SpanExporter:
    """OTLP/HTTP when an endpoint is set, else the local trace store."""
    if settings.otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.otlp_endpoint.rstrip("/")
        if not endpoint.endswith("/v1/traces"):
            endpoint += "/v1/traces"
        return OTLPSpanExporter(endpoint=endpoint)
    return JsonLinesSpanExporter(
        settings.store_dir / TRACES_DIR / f"{settings.instance}-{os.getpid()}.jsonl"
    )


def configure_tracing(settings: TraceSettings) -> TracerProvider | None:
    """Install the SDK and the instrumentations for this process (once; later calls return the
    same provider). None when spans have nowhere to go: the process serves untraced rather than
    not at all."""
    global _provider
    with _lock:
        if _provider is not None:
            return _provider
        try:
            exporter = exporter_for(settings)
        except OSError as exc:
            log.warning("tracing_disabled", reason=f"trace store unavailable: {exc}")
            return None
        provider = TracerProvider(
            resource=Resource.create(
                {"service.name": settings.service, "service.instance.id": settings.instance}
            ),
            sampler=RequestSampler(settings.sample_ratio, settings.max_per_second),
        )
        provider.add_span_processor(BatchSpanProcessor(exporter))
        trace.set_tracer_provider(provider)
        _instrument_libraries()
        _provider = provider
        atexit.register(provider.shutdown)
        return provider


def _instrument_libraries() -> None:
    from opentelemetry.instrumentation.grpc import (
        GrpcAioInstrumentorClient,
        GrpcAioInstrumentorServer,
    )
    from opentelemetry.instrumentation.redis import RedisInstrumentor

    RedisInstrumentor().instrument()
    GrpcAioInstrumentorServer().instrument()  # type: ignore[no-untyped-call]
    GrpcAioInstrumentorClient().instrument()  # type: ignore[no-untyped-call]


def client_trace_configs() -> list[aiohttp.TraceConfig]:
    """What an `aiohttp.ClientSession` needs to carry traces (`trace_configs=`): OpenTelemetry's
    client span per request, made only inside a sampled trace. Inside an unsampled one the
    request carries the current context's `traceparent` on (flagged unsampled, so the service
    records nothing either) without a span nobody records: on the gateway's hop, making that span
    was about 15% of the gateway's CPU per request (docs/decisions/0043). Empty when tracing is
    not configured."""
    if _provider is None:
        return []
    from opentelemetry.instrumentation.aiohttp_client import create_trace_config

    config = create_trace_config(tracer_provider=_provider)
    (start_span,) = config.on_request_start

    async def on_request_start(
        session: aiohttp.ClientSession,
        context: types.SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        current = trace.get_current_span().get_span_context()
        if current.is_valid and not current.trace_flags.sampled:
            propagate.inject(params.headers)  # `on_request_end` skips a request without a span
            return
        await start_span(session, context, params)

    config.on_request_start[0] = on_request_start
    return [config]


def shutdown_tracing() -> None:
    """Flush and stop (tests that configure tracing more than once)."""
    global _provider
    with _lock:
        if _provider is not None:
            _provider.shutdown()
            _provider = None


def trace_engine(engine: Any) -> None:
    """Spans for a database engine's statements (a SQLAlchemy `AsyncEngine`)."""
    if _provider is None:
        return
    from opentelemetry.metrics import get_meter

    usage = get_meter("agora.db").create_up_down_counter("db.client.connections.usage")
    _statement_tracer()(_tracer, engine.sync_engine, usage)


@functools.cache
def _statement_tracer() -> Any:
    """OpenTelemetry's SQLAlchemy tracer, which skips a statement outside a sampled trace.

    Its own hook builds the span's name and attributes (the URL's, the statement's first word)
    and asks the sampler for every statement; `RequestSampler` drops a statement span unless its
    parent is sampled (with no parent, or an unsampled one: nine requests in ten), so the same
    decision is taken here first, for the cost of reading a flag."""
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    class SampledStatements(EngineTracer):
        def _before_cur_exec(self, *args: Any) -> Any:
            if not trace.get_current_span().get_span_context().trace_flags.sampled:
                _conn, _cursor, statement, params, *_rest = args
                return statement, params
            return super()._before_cur_exec(*args)  # type: ignore[no-untyped-call]

    return SampledStatements


def traced_asgi(app: ASGIApp) -> ASGIApp:
    """A server span per HTTP request or WebSocket, continuing the caller's `traceparent`."""
    return ServerSpanMiddleware(app)


_HTTP_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"}
)


def _span_details(scope: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The server span's first name, "METHOD /path" (renamed to the route once it is known).

    The instrumentation's own default reads an environment variable on every request, a
    measurable share of a cheap request's CPU (docs/performance.md)."""
    path = scope.get("path", "")
    method = scope.get("method")
    if method is None:  # a WebSocket
        return path, {}
    return f"{method if method in _HTTP_METHODS else 'HTTP'} {path}", {}


# The request headers the W3C propagators read (trace context and baggage).
_PROPAGATED_HEADERS = frozenset({b"traceparent", b"tracestate", b"baggage"})
# Scraped and probed every few seconds: spans of these would drown the requests people make.
_UNTRACED_SUFFIXES = ("/metrics", "/status")


# The close code of a WebSocket whose server failed (RFC 6455), an error like an HTTP 500.
_WS_INTERNAL_ERROR = 1011


def _semconv_mode() -> Any:
    """The instrumentation's semantic-conventions mode (`OTEL_SEMCONV_STABILITY_OPT_IN`), read
    as its middleware reads it, so a recorded span has the attributes it would have had."""
    from opentelemetry.instrumentation._semconv import (
        _OpenTelemetrySemanticConventionStability,
        _OpenTelemetryStabilitySignalType,
    )

    _OpenTelemetrySemanticConventionStability._initialize()  # type: ignore[no-untyped-call]
    return _OpenTelemetrySemanticConventionStability._get_opentelemetry_stability_opt_in_mode(
        _OpenTelemetryStabilitySignalType.HTTP
    )


class ServerSpanMiddleware:
    """A server span per HTTP request and per WebSocket connection, continuing the caller's
    `traceparent`, with the ASGI instrumentation's attributes and status.

    The instrumentation builds a dozen attributes, wraps `send` and records (no-op) metrics for
    every request, sampled or not: about a tenth of a cheap read's CPU (docs/performance.md,
    decision 0034); on a WebSocket it did work on every frame sent, about a tenth of a fan-out
    delivery's CPU. Here the span is started first, and only a recorded one gets the attributes,
    the status and the exception; an unsampled request or socket pays for the sampling decision
    and the current span, which it still needs (its `traceparent` goes on to the calls it makes
    and back in the response, flagged unsampled), and nothing per frame."""

    def __init__(
        self, app: ASGIApp, *, tracer_provider: trace.TracerProvider | None = None
    ) -> None:
        from opentelemetry.instrumentation import asgi

        self.app = app
        self._tracer = _tracer if tracer_provider is None else tracer_provider.get_tracer("agora")
        # The instrumentation's own functions, with its semantic-conventions mode: a recorded
        # span has the attributes and status it would have had.
        self._asgi = asgi
        self._mode = _semconv_mode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or (
            scope.get("root_path", "") + scope["path"]
        ).endswith(_UNTRACED_SUFFIXES):
            await self.app(scope, receive, send)
            return
        name, _ = _span_details(scope)
        if trace.get_current_span() is trace.INVALID_SPAN:
            carrier = {
                key.decode("latin-1"): value.decode("latin-1")
                for key, value in scope["headers"]
                if key in _PROPAGATED_HEADERS
            }
            parent = propagate.extract(carrier) if carrier else Context()
            kind = SpanKind.SERVER
        else:  # called inside another layer's span (a whole app behind the embedded gateway)
            parent = otel_context.get_current()
            kind = SpanKind.INTERNAL
        span = self._tracer.start_span(name, context=parent, kind=kind)
        # Current for the whole request or connection: the handler's spans and log lines (a
        # socket's tasks copy the context) belong to it.
        token = otel_context.attach(trace.set_span_in_context(span, parent))
        try:
            if not span.is_recording():
                await self.app(scope, receive, send)
                return
            if scope["type"] == "websocket":
                await self._recorded_socket(span, scope, receive, send)
            else:
                await self._recorded(span, scope, receive, send)
        finally:
            otel_context.detach(token)

    def _set_status(self, span: trace.Span, status: int) -> None:
        self._asgi.set_status_code(span, status, None, self._mode)  # type: ignore[no-untyped-call]

    def _start_recording(self, span: trace.Span, scope: Scope) -> None:
        attributes = self._asgi.collect_request_attributes(scope, self._mode)  # type: ignore[no-untyped-call]
        span.set_attributes(attributes)

    async def _recorded(self, span: trace.Span, scope: Scope, receive: Receive, send: Send) -> None:
        self._start_recording(span, scope)

        async def send_recorded(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._set_status(span, message["status"])
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                span.end()  # with the last body chunk, as the instrumentation does

        await self._run(span, scope, receive, send_recorded)

    async def _recorded_socket(
        self, span: trace.Span, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """A recorded WebSocket's span: the handshake's answer as its status code (200 once
        accepted, as the instrumentation reported it; a refusal's HTTP status), the server's
        close code, and the span ends when the connection does (the app returns)."""
        self._start_recording(span, scope)
        answered = False

        async def send_recorded(message: Message) -> None:
            nonlocal answered
            kind = message["type"]  # a frame (`websocket.send`) has nothing to record
            if kind == "websocket.accept":
                answered = True
                self._set_status(span, 200)
            elif kind == "websocket.close":
                if not answered:  # refused before accepting: the client sees HTTP 403
                    answered = True
                    self._set_status(span, 403)
                code = message.get("code", 1000)
                span.set_attribute("agora.websocket.close_code", code)
                if code == _WS_INTERNAL_ERROR:
                    span.set_status(Status(StatusCode.ERROR, f"closed {code}"))
            elif kind == "websocket.http.response.start":  # a refusal with a body of its own
                answered = True
                self._set_status(span, message["status"])
            await send(message)

        await self._run(span, scope, receive, send_recorded)

    async def _run(self, span: trace.Span, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            if span.is_recording():
                span.record_exception(exc)
                span.set_status(Status(StatusCode.ERROR, f"{type(exc).__name__}: {exc}"))
            raise
        finally:
            if span.is_recording():
                span.end()


def trace_asgi(app: Any) -> None:
    """Add the server-span middleware to a Starlette/FastAPI app (outermost)."""
    app.add_middleware(ServerSpanMiddleware)


def is_server_span_middleware(cls: object) -> bool:
    """Whether a middleware class is the one `trace_asgi` adds."""
    return cls is ServerSpanMiddleware


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the current span, if there is one (what the trace-context
    propagator would inject, without building a carrier)."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def is_sampled(traceparent: str | None) -> bool:
    """Whether a W3C `traceparent` flags its trace sampled. The sampler follows a parent's
    decision, so a span continuing an unsampled one is never recorded: a caller on a hot path
    (a frame pushed to each of a room's sockets) may skip making it."""
    # version-trace_id-parent_id-flags: the flags are at 53 in every version (later ones may
    # append fields).
    if traceparent is None or len(traceparent) < 55:
        return False
    try:
        return bool(int(traceparent[53:55], 16) & 1)
    except ValueError:
        return False


def current_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class RequestSpan:
    """The span current when a request entered a layer, to be named once the route is known
    (by then an inner layer's span may be current)."""

    __slots__ = ("_span",)

    def __init__(self) -> None:
        self._span = trace.get_current_span()

    def rename(self, name: str) -> None:
        """Name it after the route template (`GET /users/{user_id}`)."""
        if self._span.is_recording():
            self._span.update_name(name)


def inject_into_scope(scope: MutableMapping[str, Any]) -> None:
    """Put the current span's `traceparent` in an ASGI scope's headers: an in-process hop (the
    embedded gateway calling a service app) continues the trace as a network hop would."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if not carrier:
        return
    names = {name.encode() for name in carrier}
    headers = [(k, v) for k, v in scope.get("headers", []) if k not in names]
    headers += [(k.encode(), v.encode()) for k, v in carrier.items()]
    scope["headers"] = headers


class HopSpan:
    """The span of an in-process hop, to be named after the route once the service routed it."""

    __slots__ = ("_span",)

    def __init__(self, span: trace.Span) -> None:
        self._span = span

    def finish(self, name: str, status: int) -> None:
        self._span.update_name(name)
        self._span.set_attribute("http.response.status_code", status)
        if status >= 500:
            self._span.set_status(Status(StatusCode.ERROR))


@contextlib.contextmanager
def in_process_span(service: str, method: str, path: str) -> Iterator[HopSpan | None]:
    """A child span for a service's part of a request that the embedded gateway hands it in
    process, so that a trace shows which service did what (its statements are this span's
    children), as a network hop's server span would. Only when the request is recorded: an
    unsampled request pays one check, not a span."""
    if not trace.get_current_span().is_recording():
        yield None
        return
    with _tracer.start_as_current_span(
        f"{method} {path}", kind=SpanKind.INTERNAL, attributes={"agora.service": service}
    ) as span:
        yield HopSpan(span)


def in_sampled_trace() -> bool:
    """Whether the current span's trace is sampled: outside one, a span made now would not be
    recorded, and a hot path may skip making it."""
    return bool(trace.get_current_span().get_span_context().trace_flags.sampled)


@contextlib.contextmanager
def database_span(system: str, statement: str) -> Iterator[None]:
    """A client span for a statement sent to the driver directly (`platform.reads`), as
    OpenTelemetry's SQLAlchemy hook makes for the others: only inside a sampled trace."""
    if not in_sampled_trace():
        yield
        return
    verb = statement.split(None, 1)[0] if statement.strip() else system
    with _tracer.start_as_current_span(
        verb,
        kind=SpanKind.CLIENT,
        attributes={"db.system": system, "db.statement": statement},
    ):
        yield


def _context_of(traceparent: str | None) -> Context | None:
    if not traceparent:
        return None
    return propagate.extract({"traceparent": traceparent})


@contextlib.contextmanager
def _span(
    name: str,
    traceparent: str | None,
    kind: SpanKind,
    attributes: Mapping[str, str | int],
) -> Iterator[str | None]:
    if traceparent is not None and not is_sampled(traceparent):
        # The sampler follows the parent, so a span here would be made and never recorded (every
        # event of nine requests in ten). The parent's context is made current instead: log lines
        # and what is sent on from here keep the trace's id, unsampled.
        parent = _context_of(traceparent)
        token = otel_context.attach(parent) if parent is not None else None
        try:
            yield traceparent
        finally:
            if token is not None:
                otel_context.detach(token)
        return
    with _tracer.start_as_current_span(
        name, context=_context_of(traceparent), kind=kind, attributes=dict(attributes)
    ) as span:
        try:
            yield current_traceparent()
        except Exception as exc:
            span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
            raise


def producer_span(
    name: str, traceparent: str | None, **attributes: str | int
) -> contextlib.AbstractContextManager[str | None]:
    """A span that sends something on (an event to the bus, a frame to a socket), child of the
    `traceparent` it was written with; yields the `traceparent` to carry onwards."""
    return _span(name, traceparent, SpanKind.PRODUCER, attributes)


def consumer_span(
    name: str, traceparent: str | None, **attributes: str | int
) -> contextlib.AbstractContextManager[str | None]:
    """A span that handles something received (an event), child of its sender's span."""
    return _span(name, traceparent, SpanKind.CONSUMER, attributes)


def traces_present(store_dirs: Sequence[Path], trace_ids: set[str]) -> set[str]:
    """Which of these traces have spans in the local stores (one pass over the files)."""
    found: set[str] = set()
    if not trace_ids:
        return found
    prefix = len('{"trace_id":"')
    for directory in store_dirs:
        for path in sorted((directory / TRACES_DIR).glob("*.jsonl")):
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    trace_id = line[prefix : prefix + 32]
                    if trace_id in trace_ids:
                        found.add(trace_id)
    return found


def read_trace(store_dir: Path, trace_id: str) -> list[dict[str, Any]]:
    """Every span of one trace in the local store (every process's file), by start time."""
    spans: list[dict[str, Any]] = []
    needle = f'"trace_id":"{trace_id}"'
    for path in sorted((store_dir / TRACES_DIR).glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if needle in line:
                    with contextlib.suppress(json.JSONDecodeError):
                        spans.append(json.loads(line))
    return sorted(spans, key=lambda span: span["start_ns"])
