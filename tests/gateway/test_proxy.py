"""The cluster proxy against real upstream servers: balancing, retries, breakers, timeouts,
WebSockets."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import httpx
import pytest
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from websockets.exceptions import ConnectionClosed

from agora.gateway.balancer import LeastOutstanding, RoundRobin
from agora.gateway.breaker import BreakerBoard, BreakerState
from agora.gateway.proxy import ServiceProxy
from agora.platform.clock import ManualClock
from agora.platform.discovery import Instance
from tests.support.live import live_server, ws_connect
from tests.support.waiting import eventually


@dataclass
class Upstream:
    """A fake service instance whose behaviour a test switches."""

    name: str
    mode: str = "ok"  # ok | fail | hang | error
    seen: list[str] = field(default_factory=list)
    traceparents: list[str | None] = field(default_factory=list)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def app(self) -> Starlette:
        async def handle(request: Request) -> Response:
            body = await request.body()
            self.seen.append(f"{request.method} {request.url.path} {body.decode()}")
            self.traceparents.append(request.headers.get("traceparent"))
            if self.mode == "fail":
                return JSONResponse({"down": True}, status_code=503)
            if self.mode == "error":
                return JSONResponse({"bug": True}, status_code=500)
            if self.mode == "hang":
                await asyncio.wait_for(self.released.wait(), 30)
            return JSONResponse(
                {"instance": self.name, "forwarded_for": request.headers.get("x-forwarded-for")},
                headers={"x-upstream": self.name},
            )

        async def echo(websocket: WebSocket) -> None:
            if websocket.query_params.get("token") != "good":
                await websocket.accept()
                await websocket.close(code=4401)
                return
            await websocket.accept()
            async for text in websocket.iter_text():
                await websocket.send_text(f"{self.name}:{text}")

        return Starlette(
            routes=[
                Route("/things/{rest:path}", handle, methods=["GET", "POST", "PUT"]),
                WebSocketRoute("/echo", echo),
            ]
        )


@dataclass
class Cluster:
    proxy: ServiceProxy
    http: httpx.AsyncClient
    upstreams: list[Upstream]
    instances: list[Instance]
    clock: ManualClock


@contextlib.asynccontextmanager
async def _cluster(
    count: int, *, upstream_timeout: float = 5.0, dead: int = 0
) -> AsyncIterator[Cluster]:
    # The timeout is long unless a test is about timeouts: on a loaded machine a healthy upstream
    # can take longer than half a second, and its timeout would then count against its breaker.
    clock = ManualClock()
    upstreams = [Upstream(f"u{i}") for i in range(count)]
    async with contextlib.AsyncExitStack() as stack:
        instances = []
        for i, upstream in enumerate(upstreams):
            hostport = await stack.enter_async_context(live_server(upstream.app()))
            host, port = hostport.split(":")
            instances.append(Instance(f"svc-{i}", "svc", host, int(port)))
        instances.extend(Instance(f"dead-{i}", "svc", "127.0.0.1", 1) for i in range(dead))
        for upstream in upstreams:
            # Registered after the servers, so it runs before they stop (the stack unwinds LIFO).
            stack.callback(upstream.released.set)
        session = aiohttp.ClientSession()
        stack.push_async_callback(session.close)
        proxy = ServiceProxy(
            "svc",
            lambda: instances,
            session=lambda: session,
            balancer=RoundRobin(),
            breakers=BreakerBoard(clock, cooldown_seconds=5),
            timeout=upstream_timeout,
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=proxy), base_url="http://gw")
        stack.push_async_callback(http.aclose)
        yield Cluster(proxy, http, upstreams, instances, clock)


async def test_requests_are_spread_round_robin() -> None:
    async with _cluster(2) as c:
        names = [(await c.http.get("/things/a")).json()["instance"] for _ in range(4)]
        assert names == ["u0", "u1", "u0", "u1"]
        response = await c.http.get("/things/a?x=1", headers={"X-Request-ID": "r1"})
        assert response.headers["x-upstream"] in ("u0", "u1")
        assert response.json()["forwarded_for"] == "127.0.0.1"


async def test_the_upstreams_date_and_server_are_left_to_the_gateways_own_server() -> None:
    """The upstream (uvicorn) writes `Date` and `Server`; the gateway's server writes its own, so
    passing the upstream's on would give the client two of each."""
    async with _cluster(1) as c:
        response = await c.http.get("/things/a")
        assert response.status_code == 200
        assert response.headers["x-upstream"] == "u0"
        assert response.headers.get_list("date") == []
        assert response.headers.get_list("server") == []


async def test_a_dead_instance_is_skipped_and_its_breaker_opens() -> None:
    async with _cluster(1, dead=1) as c:
        statuses = [(await c.http.get("/things/x")).status_code for _ in range(8)]
        assert statuses == [200] * 8  # each failure was retried on the live instance
        assert c.proxy.breakers.get("dead-0").state is BreakerState.OPEN
        before = len(c.upstreams[0].seen)
        for _ in range(5):
            assert (await c.http.get("/things/x")).status_code == 200
        assert len(c.upstreams[0].seen) == before + 5


async def test_a_post_is_not_retried_but_one_with_an_idempotency_key_is() -> None:
    async with _cluster(1, dead=1) as c:
        c.proxy.balancer = RoundRobin()
        outcomes = []
        for _ in range(2):
            response = await c.http.post("/things/p", content=b"once")
            outcomes.append(response.status_code)
        assert sorted(outcomes) == [200, 503]
        assert c.upstreams[0].seen.count("POST /things/p once") == 1
        keyed = [
            (
                await c.http.post("/things/k", content=b"k", headers={"Idempotency-Key": f"{i}"})
            ).status_code
            for i in range(2)
        ]
        assert keyed == [200, 200]


async def test_a_hanging_instance_times_out_and_the_request_moves_on() -> None:
    async with _cluster(2, upstream_timeout=0.3) as c:
        c.upstreams[0].mode = "hang"
        loop = asyncio.get_running_loop()
        started = loop.time()
        for _ in range(4):
            response = await c.http.get("/things/slow")
            assert response.status_code == 200
            assert response.json()["instance"] == "u1"
        # three timeouts open u0's breaker; after that nothing waits for it
        assert c.proxy.breakers.get("svc-0").state is BreakerState.OPEN
        assert loop.time() - started < 3 * 0.3 + 2


async def test_upstream_503s_open_the_breaker_and_a_probe_closes_it() -> None:
    async with _cluster(2) as c:
        c.upstreams[0].mode = "fail"
        for _ in range(6):
            assert (await c.http.get("/things/a")).json()["instance"] == "u1"
        assert c.proxy.breakers.get("svc-0").state is BreakerState.OPEN
        c.upstreams[0].mode = "ok"
        c.clock.advance(5.1)
        names = {(await c.http.get("/things/a")).json()["instance"] for _ in range(4)}
        assert names == {"u0", "u1"}
        assert c.proxy.breakers.get("svc-0").state is BreakerState.CLOSED


async def test_with_no_instance_left_the_answer_is_503_with_retry_after() -> None:
    async with _cluster(0, dead=2) as c:
        response = await c.http.get("/things/a")
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert response.json()["status"] == "error"


async def test_an_application_500_passes_through_and_does_not_trip_the_breaker() -> None:
    async with _cluster(1) as c:
        c.upstreams[0].mode = "error"
        for _ in range(4):
            assert (await c.http.get("/things/bug")).status_code == 500
        assert c.proxy.breakers.get("svc-0").state is BreakerState.CLOSED


async def test_least_outstanding_avoids_the_busy_instance() -> None:
    async with _cluster(2, upstream_timeout=2) as c:
        c.proxy.balancer = LeastOutstanding()
        c.upstreams[0].mode = "hang"
        slow = asyncio.create_task(c.http.get("/things/slow"))
        await eventually(lambda: c.upstreams[0].seen, what="the slow request to reach u0")
        c.upstreams[0].mode = "ok"
        quick = [(await c.http.get("/things/q")).json()["instance"] for _ in range(3)]
        assert "u1" in quick
        slow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await slow


async def test_websockets_are_proxied_with_their_close_codes() -> None:
    async with _cluster(1) as c, live_server(c.proxy) as hostport:
        async with ws_connect(f"ws://{hostport}/echo?token=good") as socket:
            await socket.send_raw("hello")
            raw = await asyncio.wait_for(socket.connection.recv(), 5)
            assert raw == "u0:hello"
        async with ws_connect(f"ws://{hostport}/echo?token=bad") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.connection.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4401


async def test_a_websocket_with_no_instance_is_closed_with_4503() -> None:
    async with _cluster(0, dead=1) as c, live_server(c.proxy) as hostport:
        async with ws_connect(f"ws://{hostport}/echo?token=good") as socket:
            with pytest.raises(ConnectionClosed) as closed:
                await socket.connection.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 4503


async def test_a_post_does_not_probe_a_half_open_instance_while_a_closed_one_is_there() -> None:
    async with _cluster(1, dead=1) as c:
        for _ in range(4):  # GETs open the dead instance's breaker (each retried elsewhere)
            assert (await c.http.get("/things/x")).status_code == 200
        assert c.proxy.breakers.get("dead-0").state is BreakerState.OPEN
        c.clock.advance(5.1)  # the cool-down is over: a probe may go to the dead instance
        statuses = [(await c.http.post("/things/w", content=b"w")).status_code for _ in range(4)]
        assert statuses == [200] * 4  # no write was spent on the probe
        assert (await c.http.get("/things/x")).status_code == 200  # a GET probes, and is retried
        assert c.proxy.breakers.get("dead-0").state is BreakerState.OPEN


async def test_with_no_closed_instance_a_post_may_probe_and_close_the_breaker() -> None:
    async with _cluster(1) as c:
        c.upstreams[0].mode = "fail"
        for _ in range(3):
            assert (await c.http.get("/things/x")).status_code == 503
        assert c.proxy.breakers.get("svc-0").state is BreakerState.OPEN
        c.upstreams[0].mode = "ok"
        c.clock.advance(5.1)
        assert (await c.http.post("/things/w", content=b"w")).status_code == 200
        assert c.proxy.breakers.get("svc-0").state is BreakerState.CLOSED


async def test_the_trace_travels_in_the_headers_and_a_sampled_one_through_the_traced_session() -> (
    None
):
    upstream = Upstream("u0")
    traced: list[str] = []

    async def on_request_start(
        _session: aiohttp.ClientSession, _context: object, params: aiohttp.TraceRequestStartParams
    ) -> None:
        traced.append(params.url.path)

    config = aiohttp.TraceConfig()
    config.on_request_start.append(on_request_start)
    async with contextlib.AsyncExitStack() as stack:
        host, port = (await stack.enter_async_context(live_server(upstream.app()))).split(":")
        stack.callback(upstream.released.set)
        plain = aiohttp.ClientSession()
        stack.push_async_callback(plain.close)
        with_spans = aiohttp.ClientSession(trace_configs=[config])
        stack.push_async_callback(with_spans.close)
        proxy = ServiceProxy(
            "svc",
            lambda: [Instance("svc-0", "svc", host, int(port))],
            session=lambda: plain,
            traced_session=lambda: with_spans,
            balancer=RoundRobin(),
            breakers=BreakerBoard(ManualClock()),
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=proxy), base_url="http://gw")
        stack.push_async_callback(http.aclose)
        trace_id, span_id = 0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331
        for flags, path in (
            (TraceFlags.DEFAULT, "/things/unsampled"),
            (TraceFlags.SAMPLED, "/things/sampled"),
        ):
            span = NonRecordingSpan(SpanContext(trace_id, span_id, False, TraceFlags(flags)))
            with trace.use_span(span):
                # A client's own traceparent is replaced by the gateway's span.
                response = await http.get(
                    path, headers={"traceparent": f"00-{'1' * 32}-{'2' * 16}-01"}
                )
            assert response.status_code == 200
        assert upstream.traceparents == [
            f"00-{trace_id:032x}-{span_id:016x}-00",
            f"00-{trace_id:032x}-{span_id:016x}-01",
        ]
        assert traced == ["/things/sampled"]  # the unsampled request made no client span
        await http.get("/things/untraced")  # no current span: no traceparent of the gateway's
        assert upstream.traceparents[-1] is None
        assert traced == ["/things/sampled"]
