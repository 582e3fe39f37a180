"""The trace kit's own parts: the local trace store, the sampler's rule for background loops, the
server spans of requests and sockets, and trace context carried through the real-time hub to the
push of each frame."""

from __future__ import annotations

import asyncio
import random
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
from starlette.types import Message
from starlette.websockets import WebSocket

from agora.platform import tracing
from agora.platform.realtime import Channel, Publication, serve_channel
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
from tests.support.waiting import eventually

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


class _Ticks:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_new_traces_are_capped_a_second_but_a_callers_trace_always_continues() -> None:
    ticks = _Ticks()
    sampler = RequestSampler(1.0, 5, clock=ticks)

    def new_trace() -> Decision:
        trace_id = random.getrandbits(128) or 1
        return sampler.should_sample(None, trace_id, "GET /books", SpanKind.SERVER).decision

    # A second's worth at once, then nothing until the budget refills.
    assert [new_trace() for _ in range(7)] == [Decision.RECORD_AND_SAMPLE] * 5 + [Decision.DROP] * 2
    # A caller's sampled trace is followed with the budget spent, and uses none of it.
    parent = propagate.extract({"traceparent": PARENT})
    followed = sampler.should_sample(parent, int(TRACE_ID, 16), "GET /books", SpanKind.SERVER)
    assert followed.decision is Decision.RECORD_AND_SAMPLE
    ticks.now += 0.2  # a fifth of a second: one more new trace
    assert [new_trace() for _ in range(2)] == [Decision.RECORD_AND_SAMPLE, Decision.DROP]
    ticks.now += 60  # a quiet minute refills a second's worth, no more
    assert [new_trace() for _ in range(6)].count(Decision.RECORD_AND_SAMPLE) == 5
    # Without a cap, the ratio alone decides.
    uncapped = RequestSampler(1.0, 0, clock=ticks)
    decisions = {
        uncapped.should_sample(None, i + 1, "GET", SpanKind.SERVER).decision for i in range(500)
    }
    assert decisions == {Decision.RECORD_AND_SAMPLE}


def test_the_cap_applies_to_traces_the_ratio_kept() -> None:
    ticks = _Ticks()
    sampler = RequestSampler(0.5, 1000, clock=ticks)
    decisions = [
        sampler.should_sample(None, random.getrandbits(128) or 1, "GET", SpanKind.SERVER).decision
        for _ in range(4000)
    ]
    # About 2,000 pass the ratio; the budget goes to those alone: a second's worth, all of it.
    # (Spent before the ratio, it would keep about 500.)
    assert decisions.count(Decision.RECORD_AND_SAMPLE) == 1000


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


def _socket(path: str, traceparent: str | None) -> dict[str, Any]:
    scope = _request(path, traceparent)
    del scope["method"]
    return {**scope, "type": "websocket", "scheme": "ws", "subprotocols": []}


async def test_a_websocket_is_one_server_span_for_its_whole_connection(tmp_path: Path) -> None:
    provider = TracerProvider(sampler=RequestSampler(0.0))
    exporter = JsonLinesSpanExporter(tmp_path / "traces" / "t.jsonl")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("test")
    given: list[tuple[Any, Any]] = []
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        given.append((receive, send))
        seen.append(current_traceparent())
        await receive()
        if scope["path"] == "/refused":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "websocket.accept"})
        for n in range(3):
            with tracer.start_as_current_span(f"push {n}"):
                await send({"type": "websocket.send", "text": f"frame {n}"})
        if scope["path"] == "/boom":
            raise RuntimeError("boom")
        await send(
            {"type": "websocket.close", "code": 1011 if scope["path"] == "/failed" else 1000}
        )

    async def serve(scope: dict[str, Any]) -> list[Message]:
        sent: list[Message] = []

        async def receive() -> Message:
            return {"type": "websocket.connect"}

        async def send(message: Message) -> None:
            sent.append(message)

        await traced(scope, receive, send)
        if given[-1] == (receive, send):
            sent.append({"type": "unwrapped"})
        return sent

    traced = ServerSpanMiddleware(app, tracer_provider=provider)
    frames = await serve(_socket("/chat", PARENT))
    await serve(_socket("/refused", PARENT))
    await serve(_socket("/failed", PARENT))
    with pytest.raises(RuntimeError):
        await serve(_socket("/boom", PARENT))
    with tracer.start_as_current_span("gateway", propagate.extract({"traceparent": PARENT})):
        await serve(_socket("/inside", None))  # a layer inside another's span
    # Unsampled, by the caller or at a ratio of zero, and a probe: no span, and the app gets the
    # server's own `receive` and `send`, so no frame pays for tracing.
    unsampled = [
        await serve(_socket("/chat", f"00-{TRACE_ID}-00f067aa0ba902b7-00")),
        await serve(_socket("/chat", None)),
        await serve(_socket("/status", PARENT)),
    ]
    provider.shutdown()

    assert [m["type"] for m in frames] == [
        "websocket.accept",
        *["websocket.send"] * 3,
        "websocket.close",
    ]
    assert all(sent[-1] == {"type": "unwrapped"} for sent in unsampled)
    assert seen[5] is not None
    assert seen[5].startswith(f"00-{TRACE_ID}-")
    assert seen[5].endswith("-00")
    assert seen[7] is None
    spans = read_trace(tmp_path, TRACE_ID)
    servers = [s for s in spans if not s["name"].startswith(("push", "gateway"))]
    assert [(s["name"], s["kind"], s["parent_id"]) for s in servers] == [
        ("/chat", "server", "00f067aa0ba902b7"),
        ("/refused", "server", "00f067aa0ba902b7"),
        ("/failed", "server", "00f067aa0ba902b7"),
        ("/boom", "server", "00f067aa0ba902b7"),
        ("/inside", "internal", next(s["span_id"] for s in spans if s["name"] == "gateway")),
    ]
    chat, refused, failed, boom, _inside = servers
    # The handler's spans nest under the connection's, which ends when the app returns.
    pushes = [s for s in spans if s["parent_id"] == chat["span_id"]]
    assert [s["name"] for s in pushes] == ["push 0", "push 1", "push 2"]
    assert chat["end_ns"] >= pushes[-1]["end_ns"]
    assert seen[0] == f"00-{TRACE_ID}-{chat['span_id']}-01"
    assert chat["attributes"]["http.scheme"] == "ws"
    assert chat["attributes"]["http.target"] == "/chat"
    assert chat["attributes"]["http.status_code"] == 200
    assert chat["attributes"]["agora.websocket.close_code"] == 1000
    assert refused["attributes"]["http.status_code"] == 403
    assert refused["attributes"]["agora.websocket.close_code"] == 1008
    assert [s["status"] for s in (chat, refused, failed, boom)] == [
        "unset",
        "unset",
        "error",
        "error",
    ]
    assert trace.get_current_span().get_span_context().is_valid is False


class _Numbers(Channel):
    def encode(self, publication: Publication, *, replayed: bool) -> str | None:
        return str(publication.data["n"])


async def test_a_frame_push_is_a_span_of_the_publishers_trace_only_when_it_is_sampled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = _provider(tmp_path / "traces" / "t.jsonl")
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("agora"))
    hub = TracedHub(MemoryHub())
    pushed: list[tuple[str, str | None]] = []
    connected = False

    async def receive() -> dict[str, Any]:
        nonlocal connected
        if not connected:
            connected = True
            return {"type": "websocket.connect"}
        await asyncio.Event().wait()  # the client stays
        return {}

    async def send(message: Message) -> None:
        if message["type"] == "websocket.send":
            pushed.append((message["text"], current_traceparent()))

    websocket = WebSocket({"type": "websocket", "path": "/", "headers": []}, receive, send)
    await websocket.accept()
    serving = asyncio.create_task(serve_channel(websocket, _Numbers("room:1"), hub=hub))
    publisher = provider.get_tracer("test")
    try:
        await eventually(lambda: len(pushed) == 1, what="ready", within=5.0)
        for n, flags in ((1, "01"), (2, "00")):
            parent = propagate.extract({"traceparent": f"{PARENT[:-2]}{flags}"})
            with publisher.start_as_current_span("publish", parent):
                await hub.publish("room:1", {"n": n})
        await eventually(lambda: len(pushed) == 3, what="both frames", within=5.0)
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
    provider.shutdown()
    spans = read_trace(tmp_path, TRACE_ID)
    assert [(s["name"], s["kind"]) for s in spans] == [
        ("publish", "internal"),
        ("push room", "producer"),
    ]
    publish, push = spans
    assert push["parent_id"] == publish["span_id"]
    assert push["attributes"] == {"channel": "room:1"}
    # The sampled frame went out in the push span; the unsampled one in the socket's own context
    # (here none): no span was made for it, recorded or not.
    assert pushed[1:] == [("1", f"00-{TRACE_ID}-{push['span_id']}-01"), ("2", None)]


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


async def test_a_proxied_request_gets_a_client_span_inside_a_sampled_trace_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gateway's hop (`client_trace_configs`): a client span and its `traceparent` under a
    sampled request; under an unsampled one no span, and the request carries the server span's
    context on, still unsampled, so the service records nothing either."""
    from aiohttp import ClientSession, web
    from aiohttp.test_utils import TestServer

    provider = TracerProvider(sampler=RequestSampler(1.0))
    provider.add_span_processor(
        SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "traces" / "t-1.jsonl"))
    )
    monkeypatch.setattr(tracing, "_provider", provider)
    received: list[str | None] = []

    async def upstream(request: web.Request) -> web.Response:
        received.append(request.headers.get("traceparent"))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/", upstream)
    server = TestServer(app)
    await server.start_server()
    tracer = provider.get_tracer("test")
    unsampled = f"00-{'a' * 32}-00f067aa0ba902b7-00"
    servers = []
    try:
        async with ClientSession(trace_configs=tracing.client_trace_configs()) as session:
            for parent in (PARENT, unsampled):
                context = propagate.extract({"traceparent": parent})
                with tracer.start_as_current_span("GET /api/x", context, kind=SpanKind.SERVER) as s:
                    servers.append(f"{s.get_span_context().span_id:016x}")
                    async with session.get(server.make_url("/")) as answer:
                        assert await answer.text() == "ok"
    finally:
        await server.close()
        provider.shutdown()
    (client,) = [s for s in read_trace(tmp_path, TRACE_ID) if s["kind"] == "client"]
    assert client["parent_id"] == servers[0]
    assert received[0] == f"00-{TRACE_ID}-{client['span_id']}-01"
    assert read_trace(tmp_path, "a" * 32) == []
    assert received[1] == f"00-{'a' * 32}-{servers[1]}-00"


def test_an_event_of_an_unsampled_trace_is_handled_in_its_trace_without_a_span(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A consumer's or producer's span of a sampled trace is recorded as the sender's child; one
    of an unsampled trace (nine in ten) is not made at all, yet the handler still runs in the
    sender's trace (its log lines and the events it sends on keep the trace id, unsampled)."""
    provider = TracerProvider(sampler=RequestSampler(1.0))
    provider.add_span_processor(
        SimpleSpanProcessor(JsonLinesSpanExporter(tmp_path / "traces" / "t.jsonl"))
    )
    monkeypatch.setattr(tracing, "_tracer", provider.get_tracer("agora"))
    unsampled = f"00-{TRACE_ID}-00f067aa0ba902b7-00"
    made: list[object] = []
    monkeypatch.setattr(tracing._tracer, "start_as_current_span", _counting(made, tracing._tracer))

    with tracing.consumer_span("consume x", unsampled, group="g") as carried:
        assert carried == unsampled
        assert current_traceparent() == unsampled
        assert tracing.current_trace_id() == TRACE_ID
        with tracing.producer_span("send y", current_traceparent()) as onwards:
            assert onwards == unsampled
    assert current_traceparent() is None
    assert made == []

    with tracing.consumer_span("consume x", PARENT, group="g") as carried:
        assert carried is not None
        assert carried.split("-")[1] == TRACE_ID
    provider.shutdown()
    assert len(made) == 1
    (span,) = read_trace(tmp_path, TRACE_ID)
    assert (span["name"], span["kind"], span["parent_id"]) == (
        "consume x",
        "consumer",
        "00f067aa0ba902b7",
    )


def _counting(made: list[object], tracer: Any) -> Any:
    start = tracer.start_as_current_span

    def counted(*args: Any, **kwargs: Any) -> Any:
        made.append(args[0])
        return start(*args, **kwargs)

    return counted
