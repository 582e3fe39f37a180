"""The cluster gateway's upstream: an ASGI app that forwards a request or a WebSocket to one live
instance of a service, chosen by the balancer and guarded by that instance's circuit breaker.

Every call has a timeout. An idempotent request (GET, HEAD, OPTIONS, or one carrying an
`Idempotency-Key`) that fails at the transport, times out, or gets a 502/503/504 is retried once on
another instance; nothing else is retried. With no usable instance the answer is a 503 in the
contract's error JSON with `Retry-After`. A 500 is the application answering: it is passed through
and does not count against the instance.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any

import aiohttp
import structlog
from starlette.types import Message, Receive, Scope, Send

from agora.gateway.balancer import Balancer
from agora.gateway.breaker import BreakerBoard, BreakerState
from agora.platform.discovery import Instance
from agora.platform.errors import PayloadTooLarge, ServiceUnavailable, error_response
from agora.platform.tracing import current_traceparent, is_sampled

log = structlog.get_logger("agora.gateway.proxy")

HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
    }
)
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
FAILURE_STATUSES = frozenset({502, 503, 504})
WS_UNAVAILABLE = 4503
MAX_BODY = 1024 * 1024
MAX_FRAME = 64 * 1024
# An answer with a Content-Length up to this is read whole and sent on in one message (so the
# gateway's compression sees a whole body and knows its size); a longer one, or one without a
# length (a stream), is passed on chunk by chunk as it comes.
MAX_BUFFERED = 1024 * 1024


_HOP_BY_HOP_BYTES = frozenset(name.encode() for name in HOP_BY_HOP)
# The upstream's `Date` and `Server` are not passed on: the gateway's own server writes its own,
# and an answer with two of each is malformed (nginx's `proxy_hide_header` default does the same).
_NOT_PASSED_BACK = _HOP_BY_HOP_BYTES | {b"date", b"server"}
_SEC_WEBSOCKET = b"sec-websocket"
_FORWARDED_FOR = b"x-forwarded-for"


def _forward_headers(scope: Scope) -> dict[str, str]:
    headers: dict[str, str] = {}
    for raw_key, raw_value in scope.get("headers", []):
        key = raw_key.lower()
        # The dispatcher has put the client's address, as far as this gateway's trusted proxies
        # vouch for it, in the scope: the service gets exactly that (below), not a chain a client
        # could extend.
        if key in _HOP_BY_HOP_BYTES or key == _FORWARDED_FOR or key.startswith(_SEC_WEBSOCKET):
            continue
        headers[key.decode("latin-1")] = raw_value.decode("latin-1")
    client = scope.get("client")
    if client:
        headers["x-forwarded-for"] = str(client[0])
    headers["x-forwarded-proto"] = scope.get("scheme", "http")
    return headers


def _target(instance: Instance, scope: Scope, websocket: bool = False) -> str:
    path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string") or b""
    base = instance.base_url.replace("http://", "ws://", 1) if websocket else instance.base_url
    url = base + path.decode("latin-1")
    return f"{url}?{query.decode('latin-1')}" if query else url


class ServiceProxy:
    """Forwards to the live instances of one service.

    `session` carries the requests of unsampled traces (nine in ten), with the current
    `traceparent` in their headers and no client span; `traced_session`, when given, carries
    those of sampled traces, its trace configs making the client span (decision 0047)."""

    # The hop carries the trace in its own headers: the dispatcher need not put it in the scope.
    carries_trace = True

    def __init__(
        self,
        service: str,
        instances: Callable[[], Sequence[Instance]],
        *,
        session: Callable[[], aiohttp.ClientSession],
        traced_session: Callable[[], aiohttp.ClientSession] | None = None,
        balancer: Balancer,
        breakers: BreakerBoard,
        timeout: float = 5.0,
        max_body: int = MAX_BODY,
        max_frame: int = MAX_FRAME,
    ) -> None:
        self.service = service
        self.max_body = max_body
        self.max_frame = max_frame
        self.instances = instances
        self.session = session
        self.traced_session = traced_session
        self.balancer = balancer
        self.breakers = breakers
        self.timeout = timeout
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    def _choose(self, tried: set[str], *, retryable: bool = True) -> Instance | None:
        """A usable instance not tried yet, with its breaker's permission (claims a half-open
        probe).

        A request that cannot be retried goes to an instance whose breaker is closed whenever
        there is one: a half-open probe may fail, and it should be a request that can then be
        retried elsewhere. With no closed breaker left, it may probe, so writes alone can still
        bring a recovered instance back.
        """
        while True:
            candidates = [
                i
                for i in self.instances()
                if i.id not in tried and self.breakers.get(i.id).available()
            ]
            if not retryable:
                closed = [
                    i for i in candidates if self.breakers.get(i.id).state is BreakerState.CLOSED
                ]
                candidates = closed or candidates
            instance = self.balancer.pick(candidates)
            if instance is None:
                return None
            if self.breakers.get(instance.id).allow():
                return instance
            tried.add(instance.id)

    def _session_for(self, headers: dict[str, str]) -> aiohttp.ClientSession:
        """The session for this request, its `traceparent` put in `headers`: the current span's,
        as OpenTelemetry's propagator would write it (the caller's `tracestate` and `baggage`
        travel with the other headers)."""
        traceparent = current_traceparent()
        if traceparent is None:
            return self.session()
        headers["traceparent"] = traceparent
        if self.traced_session is not None and is_sampled(traceparent):
            return self.traced_session()
        return self.session()

    def _no_instance(self) -> ServiceUnavailable:
        return ServiceUnavailable(
            f"No instance of the {self.service} service is available",
            code="no_instance_available",
            retry_after=2,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)

    # ------------------------------------------------------------------ HTTP

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                raise PayloadTooLarge(f"Request bodies are limited to {self.max_body} bytes")
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await self._read_body(receive)
        except PayloadTooLarge as exc:
            await error_response(exc)(scope, receive, send)
            return
        method: str = scope["method"]
        headers = _forward_headers(scope)
        session = self._session_for(headers)
        idempotent = method in IDEMPOTENT or "idempotency-key" in headers
        attempts = 2 if idempotent else 1
        tried: set[str] = set()
        last_error = "no instance"
        for _ in range(attempts):
            instance = self._choose(tried, retryable=idempotent)
            if instance is None:
                break
            tried.add(instance.id)
            breaker = self.breakers.get(instance.id)
            self.balancer.started(instance)
            try:
                answered, failure = await self._forward(
                    session, instance, scope, method, headers, body, send, idempotent
                )
            finally:
                self.balancer.finished(instance)
            if failure is None:
                breaker.record_success()
            else:
                breaker.record_failure()
                last_error = failure
                log.warning(
                    "upstream_failed", service=self.service, instance=instance.id, reason=failure
                )
            if answered:
                return
        error = (
            self._no_instance()
            if last_error == "no instance"
            else ServiceUnavailable(
                f"The {self.service} service did not answer ({last_error})",
                code="upstream_unavailable",
                retry_after=2,
            )
        )
        await error_response(error)(scope, receive, send)

    async def _forward(
        self,
        session: aiohttp.ClientSession,
        instance: Instance,
        scope: Scope,
        method: str,
        headers: dict[str, str],
        body: bytes,
        send: Send,
        idempotent: bool,
    ) -> tuple[bool, str | None]:
        """Send to one instance and stream its answer back.

        Returns (whether the client got an answer, why the instance failed or None). An idempotent
        request whose instance failed before answering returns (False, reason): try another.
        """
        try:
            async with session.request(
                method,
                _target(instance, scope),
                headers=headers,
                data=body or None,
                timeout=self._timeout,
                allow_redirects=False,
                auto_decompress=False,
            ) as response:
                failure = (
                    f"status {response.status}" if response.status in FAILURE_STATUSES else None
                )
                if failure is not None and idempotent:
                    return False, failure
                out_headers = [
                    (key, value)
                    for key, value in ((k.lower(), v) for k, v in response.raw_headers)
                    if key not in _NOT_PASSED_BACK
                ]
                length = response.content_length
                if length is not None and length <= MAX_BUFFERED:
                    # The upstream's bytes as they are (auto_decompress is off), so its length
                    # and any Content-Encoding still hold.
                    body = await response.read()
                    if method != "HEAD" and response.status not in (204, 304):
                        out_headers.append((b"content-length", str(len(body)).encode()))
                    start = {"type": "http.response.start", "status": response.status}
                    await send({**start, "headers": out_headers})
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                    return True, failure
                await send(
                    {
                        "type": "http.response.start",
                        "status": response.status,
                        "headers": out_headers,
                    }
                )
                async for chunk in response.content.iter_chunked(64 * 1024):
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return True, failure
        except TimeoutError:
            return False, "timeout"
        except aiohttp.ClientError as exc:
            return False, type(exc).__name__

    # ------------------------------------------------------------------ WebSocket

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _forward_headers(scope)
        session = self._session_for(headers)
        protocols = [p.strip() for p in headers.pop("sec-websocket-protocol", "").split(",") if p]
        tried: set[str] = set()
        upstream: aiohttp.ClientWebSocketResponse | None = None
        for _ in range(2):
            instance = self._choose(tried)
            if instance is None:
                break
            tried.add(instance.id)
            try:
                upstream = await session.ws_connect(
                    _target(instance, scope, websocket=True),
                    headers=headers,
                    protocols=protocols,
                    timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=self.timeout),
                    autoping=True,
                    heartbeat=30,
                    max_msg_size=self.max_frame,
                )
            except (TimeoutError, aiohttp.ClientError) as exc:
                self.breakers.get(instance.id).record_failure()
                log.warning("upstream_ws_failed", service=self.service, error=type(exc).__name__)
                continue
            self.breakers.get(instance.id).record_success()
            break
        first = await receive()
        if first["type"] != "websocket.connect":
            if upstream is not None:
                await upstream.close()
            return
        if upstream is None:
            await send({"type": "websocket.accept"})
            await send({"type": "websocket.close", "code": WS_UNAVAILABLE, "reason": "unavailable"})
            return
        accept: Message = {"type": "websocket.accept"}
        if upstream.protocol:
            accept["subprotocol"] = upstream.protocol
        await send(accept)
        await _pump(upstream, receive, send)


async def _pump(upstream: aiohttp.ClientWebSocketResponse, receive: Receive, send: Send) -> None:
    """Relay frames both ways until either side closes; the close code travels across."""

    async def client_to_upstream() -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                await upstream.close(code=message.get("code", 1000))
                return
            if message.get("text") is not None:
                await upstream.send_str(message["text"])
            elif message.get("bytes") is not None:
                await upstream.send_bytes(message["bytes"])

    async def upstream_to_client() -> None:
        reason = ""
        while True:
            frame = await upstream.receive()
            if frame.type == aiohttp.WSMsgType.TEXT:
                await send({"type": "websocket.send", "text": frame.data})
            elif frame.type == aiohttp.WSMsgType.BINARY:
                await send({"type": "websocket.send", "bytes": frame.data})
            else:
                if frame.type == aiohttp.WSMsgType.CLOSE and isinstance(frame.extra, str):
                    # The reason travels with the code (4404 "No poll with id 7").
                    reason = frame.extra
                break
        code = upstream.close_code or 1000
        with contextlib.suppress(RuntimeError, OSError):
            await send({"type": "websocket.close", "code": code, "reason": reason})

    tasks = [asyncio.create_task(client_to_upstream()), asyncio.create_task(upstream_to_client())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if not upstream.closed:
            await upstream.close()


def proxy_status(proxies: dict[str, ServiceProxy]) -> dict[str, Any]:
    """Instances and breaker states per service, for `agora cluster status`."""
    out: dict[str, Any] = {}
    for name, proxy in proxies.items():
        out[name] = [
            {
                "id": instance.id,
                "address": f"{instance.host}:{instance.port}",
                "breaker": proxy.breakers.get(instance.id).state.value,
            }
            for instance in proxy.instances()
        ]
    return out
