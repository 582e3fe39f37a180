"""The trace kit's own parts: the local trace store, the sampler's rule for background loops, and
trace context carried through the real-time hub."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from opentelemetry import propagate, trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.sampling import Decision
from opentelemetry.trace import SpanKind

from agora.platform.realtime.memory import MemoryHub
from agora.platform.realtime.traced import TracedHub
from agora.platform.tracing import (
    JsonLinesSpanExporter,
    RequestSampler,
    ServerSpanMiddleware,
    TraceSettings,
    configure_tracing,
    current_traceparent,
    exporter_for,
    read_trace,
    traces_present,
)

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"


def _provider(path: Path, max_bytes: int = 1 << 20) -> TracerProvider:
    provider = TracerProvider()
    exporter = JsonLinesSpanExporter(path, max_bytes=max_bytes)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def test_the_store_keeps_spans_with_their_links_and_bounds_its_size(tmp_path: Path) -> None:
    provider = _provider(tmp_path / "traces" / "users-1-42.jsonl", max_bytes=2_000)
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span(
        "GET /users/{user_id}", propagate.extract({"traceparent": PARENT}), kind=SpanKind.SERVER
    ) as server:
        for n in range(12):
            with tracer.start_as_current_span(f"SELECT {n}", kind=SpanKind.CLIENT):
                pass
    provider.shutdown()
    files = sorted(p.name for p in (tmp_path / "traces").glob("*.jsonl"))
    assert files == ["users-1-42.jsonl", "users-1-42.old.jsonl"]  # rotated, one old file kept
    spans = read_trace(tmp_path, TRACE_ID)
    root = next(s for s in spans if s["name"] == "GET /users/{user_id}")
    assert root["parent_id"] == "00f067aa0ba902b7"
    assert root["kind"] == "server"
    server_id = format(server.get_span_context().span_id, "016x")
    assert root["span_id"] == server_id
    children = [s for s in spans if s["name"].startswith("SELECT")]
    assert children
    assert all(s["parent_id"] == server_id for s in children)
    assert traces_present([tmp_path], {TRACE_ID, "f" * 32}) == {TRACE_ID}


def test_background_database_calls_start_no_trace_but_requests_do() -> None:
    sampler = RequestSampler(1.0)
    trace_id = int(TRACE_ID, 16)
    assert (
        sampler.should_sample(None, trace_id, "SELECT", SpanKind.CLIENT).decision is Decision.DROP
    )
    kept = sampler.should_sample(None, trace_id, "GET /books", SpanKind.SERVER)
    assert kept.decision is Decision.RECORD_AND_SAMPLE
    # Within a request, the same call is part of its trace.
    parent = propagate.extract({"traceparent": PARENT})
    inside = sampler.should_sample(parent, trace_id, "SELECT", SpanKind.CLIENT)
    assert inside.decision is Decision.RECORD_AND_SAMPLE
    # A caller's sampled flag wins over a ratio of zero.
    never = RequestSampler(0.0)
    assert never.should_sample(parent, trace_id, "GET", SpanKind.SERVER).decision is (
        Decision.RECORD_AND_SAMPLE
    )
    assert never.should_sample(None, trace_id, "GET", SpanKind.SERVER).decision is Decision.DROP


async def test_a_publication_carries_the_publishers_trace_to_the_socket(tmp_path: Path) -> None:
    provider = _provider(tmp_path / "traces" / "t.jsonl")
    hub = TracedHub(MemoryHub())
    subscription = await hub.subscribe("user:7")
    with provider.get_tracer("test").start_as_current_span(
        "consume", propagate.extract({"traceparent": PARENT})
    ) as span:
        published = await hub.publish("user:7", {"type": "notification", "n": 1})
        expected = f"00-{TRACE_ID}-{span.get_span_context().span_id:016x}-01"
    await hub.publish("user:7", {"type": "notification", "n": 2})  # outside any span
    assert published.traceparent == expected
    assert published.data == {"type": "notification", "n": 1}
    received = []
    async for publication in subscription:
        received.append(publication)
        if len(received) == 2:
            break
    assert [p.traceparent for p in received] == [expected, None]
    assert [p.data for p in received] == [{"type": "notification", "n": n} for n in (1, 2)]
    history = await hub.history("user:7")
    assert [p.traceparent for p in history.publications] == [expected, None]
    assert all("_traceparent" not in p.data for p in history.publications)
    await hub.close()
    provider.shutdown()
    assert trace.get_current_span().get_span_context().is_valid is False


def test_spans_go_over_otlp_when_an_endpoint_is_set() -> None:
    """What a Jaeger or an OpenTelemetry Collector receives: OTLP/HTTP protobuf on /v1/traces."""
    received: list[tuple[str, bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_address[1]}"
        settings = TraceSettings("users", "users-1", Path("unused"), otlp_endpoint=endpoint)
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(exporter_for(settings)))
        parent = propagate.extract({"traceparent": PARENT})
        with provider.get_tracer("test").start_as_current_span("GET /books", parent):
            pass
        provider.shutdown()
    finally:
        server.shutdown()
        server.server_close()
    (path, body) = received[0]
    assert path == "/v1/traces"
    request = ExportTraceServiceRequest.FromString(body)
    (span,) = request.resource_spans[0].scope_spans[0].spans
    assert span.trace_id.hex() == TRACE_ID
    assert span.name == "GET /books"


def test_a_store_that_cannot_be_written_leaves_the_process_untraced(tmp_path: Path) -> None:
    blocked = tmp_path / "data"
    blocked.write_text("a file where the data dir should be")
    assert configure_tracing(TraceSettings("users", "users-1", blocked)) is None
    assert not isinstance(trace.get_tracer_provider(), TracerProvider)


def _request(path: str, traceparent: str | None) -> dict[str, Any]:
    headers = [(b"host", b"svc")]
    if traceparent is not None:
        headers.append((b"traceparent", traceparent.encode()))
    return {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }


async def _serve(app: Any, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent


async def test_the_server_span_is_recorded_only_when_sampled_and_carries_the_trace(
    tmp_path: Path,
) -> None:
    provider = TracerProvider(sampler=RequestSampler(0.0))
    exporter = JsonLinesSpanExporter(tmp_path / "traces" / "t.jsonl")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(current_traceparent())
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        status = 404 if scope["path"] == "/missing" else 200
        await send({"type": "http.response.start", "status": status, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    traced = ServerSpanMiddleware(app, tracer_provider=provider)
    # Sampled by the caller: a server span, child of the caller's, with the request's attributes.
    await _serve(traced, _request("/books/7", PARENT))
    await _serve(traced, _request("/missing", PARENT))
    with pytest.raises(RuntimeError):
        await _serve(traced, _request("/boom", PARENT))
    # Not sampled by the caller: no span, but the trace goes on, flagged unsampled.
    unsampled = f"00-{TRACE_ID}-00f067aa0ba902b7-00"
    await _serve(traced, _request("/books/8", unsampled))
    # A new trace at a ratio of zero: none either; a probe is never traced.
    await _serve(traced, _request("/books/9", None))
    await _serve(traced, _request("/status", PARENT))
    provider.shutdown()
    spans = read_trace(tmp_path, TRACE_ID)
    assert [(s["name"], s["kind"], s["parent_id"]) for s in spans] == [
        ("GET /books/7", "server", "00f067aa0ba902b7"),
        ("GET /missing", "server", "00f067aa0ba902b7"),
        ("GET /boom", "server", "00f067aa0ba902b7"),
    ]
    ok, missing, _boom = (s["attributes"] for s in spans)
    assert ok["http.method"] == "GET"
    assert ok["http.status_code"] == 200
    assert ok["http.target"] == "/books/7"
    assert missing["http.status_code"] == 404
    assert [s["status"] for s in spans] == ["unset", "unset", "error"]
    recorded = [f"{s['span_id']}" for s in spans]
    assert [tp.split("-")[2] if tp else None for tp in seen[:3]] == recorded
    assert seen[3] is not None
    assert seen[3].startswith(f"00-{TRACE_ID}-")
    assert "00f067aa0ba902b7" not in seen[3]
    # A new trace's id (W3C level 2 may flag it random, 02), never flagged sampled (01).
    assert seen[4] is not None
    assert TRACE_ID not in seen[4]
    assert [not int(tp[-2:], 16) & 1 for tp in (seen[3], seen[4])] == [True, True]
    assert seen[5] is None
    assert trace.get_current_span().get_span_context().is_valid is False


def test_statements_get_spans_inside_sampled_traces_only(tmp_path: Path) -> None:
    """The statement tracer takes the sampler's decision itself (to skip building spans that
    would be dropped): a statement is traced under a sampled request, not under an unsampled one
    nor outside any."""
    from opentelemetry.metrics import get_meter
    from sqlalchemy import create_engine, text

    from agora.platform.tracing import _statement_tracer

    provider = TracerProvider(sampler=RequestSampler(1.0))
    provider.add_span_processor(
        SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "traces" / "t-1.jsonl"))
    )
    tracer = provider.get_tracer("test")
    engine = create_engine("sqlite://")
    usage = get_meter("test").create_up_down_counter("db.client.connections.usage")
    _statement_tracer()(tracer, engine, usage)
    unsampled = f"00-{'a' * 32}-00f067aa0ba902b7-00"
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))  # no trace
        for parent in (PARENT, unsampled):
            with tracer.start_as_current_span(
                "POST /api/vote", propagate.extract({"traceparent": parent}), kind=SpanKind.SERVER
            ):
                conn.execute(text("SELECT 2"))
    provider.shutdown()
    spans = read_trace(tmp_path, TRACE_ID)
    statements = [s for s in spans if s["name"].startswith("SELECT")]
    assert [s["kind"] for s in statements] == ["client"]
    assert read_trace(tmp_path, "a" * 32) == []
