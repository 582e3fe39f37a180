"""The gateway's response cache for the public lists the seeds mark as cacheable (books, vote
status, active competitions).

Only anonymous GETs without a query string are cached, and only answers the owning service marks
`Cache-Control: public, s-maxage=N` (or `max-age=N`; the service knows how long its list stays true,
e.g. until the next competition starts or ends). Entries of a service are dropped when a write to
that service passes through the gateway (before the write's answer starts, so a client reads its own
write) and when the service's events arrive on the bus (writes through other gateways, deadlines,
jobs).

Dropping is by generation: each service's entries live under its current generation token, and
invalidating writes a new token. An answer is stored under the generation read *before* asking the
service, so an answer that was computed while an invalidation happened lands under a key nobody
reads again, instead of outliving the change.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping

import orjson
import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.platform.bus.base import EventBus
from agora.platform.bus.event import Event
from agora.platform.cache.base import Cache

log = structlog.get_logger("agora.gateway.cache")

CACHEABLE: Mapping[str, str] = {
    "/api/books": "voting",
    "/api/vote/status": "voting",
    "/api/competitions": "competitions",
}
MAX_TTL = 60.0
GENERATION_TTL = 86_400.0
MAX_BODY = 256 * 1024
_MAX_AGE = re.compile(r"(?<![-\w])max-age=(\d+)")
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


def _ttl(headers: Iterable[tuple[bytes, bytes]]) -> float | None:
    """How long a shared cache may keep an answer: `s-maxage` (for shared caches only), else
    `max-age`; only for `public` answers."""
    for key, value in headers:
        if key.lower() == b"cache-control":
            text = value.decode("latin-1").lower()
            if "public" not in text or "no-store" in text:
                return None
            match = _S_MAXAGE.search(text) or _MAX_AGE.search(text)
            if match and int(match.group(1)) > 0:
                return min(float(match.group(1)), MAX_TTL)
    return None


class ResponseCache:
    """Serves and stores cacheable answers; knows which paths belong to which service."""

    def __init__(self, cache: Cache, rules: Mapping[str, str] = CACHEABLE) -> None:
        self.cache = cache
        self.rules = dict(rules)

    async def _generation(self, service: str) -> str | None:
        """The service's current generation; None when the cache cannot tell (its node is down
        or failing over), and then nothing is served from or stored in it: an invalidation may
        not have reached it, so a stored answer could outlive a change."""
        key = f"generation:{service}"
        raw = await self.cache.get(key)
        if raw is None:
            # Never set, expired, or unreachable: start a new generation, trusted only once it
            # reads back.
            await self.cache.set(key, uuid.uuid4().hex.encode(), GENERATION_TTL)
            raw = await self.cache.get(key)
        return raw.decode() if raw else None

    def paths_of(self, service: str) -> list[str]:
        return [path for path, owner in self.rules.items() if owner == service]

    async def invalidate(self, service: str) -> None:
        if self.paths_of(service):
            token = uuid.uuid4().hex.encode()
            await self.cache.set(f"generation:{service}", token, GENERATION_TTL)

    def cacheable(self, scope: Scope) -> bool:
        asked = (_header(scope, b"cache-control") or b"").lower()
        return (
            scope.get("method") == "GET"
            and scope["path"] in self.rules
            and not scope.get("query_string")
            and _header(scope, b"authorization") is None
            # A client may insist on a fresh answer, as with any shared HTTP cache.
            and b"no-cache" not in asked
            and b"no-store" not in asked
        )

    async def serve(self, scope: Scope, receive: Receive, send: Send, upstream: ASGIApp) -> None:
        """Answer a cacheable request from the cache, or from upstream and remember the answer."""
        owner = self.rules[scope["path"]]
        generation = await self._generation(owner)
        if generation is None:
            await upstream(scope, receive, send)
            return
        key = f"response:{owner}:{generation}:{scope['path']}"
        raw = await self.cache.get(key)
        if raw is not None:
            stored = orjson.loads(raw)
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored["headers"]]
            await send(
                {
                    "type": "http.response.start",
                    "status": stored["status"],
                    "headers": [*headers, (b"x-cache", b"HIT")],
                }
            )
            await send({"type": "http.response.body", "body": stored["body"].encode("utf-8")})
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                message["headers"] = [*message.get("headers", []), (b"x-cache", b"MISS")]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        await upstream(scope, receive, capture)
        if start is None or start["status"] != 200:
            return
        ttl = _ttl(start.get("headers", []))
        body = b"".join(chunks)
        if ttl is None or len(body) > MAX_BODY:
            return
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return
        headers = [
            (k.decode("latin-1"), v.decode("latin-1"))
            for k, v in start.get("headers", [])
            if k.lower() in (b"content-type", b"cache-control")
        ]
        record = {"status": 200, "headers": headers, "body": text}
        await self.cache.set(key, orjson.dumps(record), ttl)

    def invalidating_send(self, service: str, send: Send) -> Send:
        """For a write to `service`: drop its cached lists before the answer starts."""
        if not self.paths_of(service):
            return send

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] < 500:
                await self.invalidate(service)
            await send(message)

        return wrapped

    def subscribe(self, bus: EventBus, event_types: Iterable[str]) -> None:
        """Invalidate a service's lists when its events arrive (consumer group `gateway-cache`)."""
        owners = set(self.rules.values())
        types = [t for t in event_types if t.split(".", 1)[0] in owners]
        if not types:
            return

        async def on_event(event: Event) -> None:
            await self.invalidate(event.type.split(".", 1)[0])

        bus.subscribe("gateway-cache", types, on_event)
