"""gzip for the API's JSON answers (issue 18): what Starlette's `GZipMiddleware` does, narrowed to
what is worth compressing and safe to.

Compressed, when the client sends `Accept-Encoding: gzip`: a JSON answer (`application/json`,
`application/*+json`) of at least `minimum_size` bytes whose body comes in one piece, on the API
(`/api/...`) and the gateway's own JSON endpoints. Such answers carry `Vary: Accept-Encoding`
whether compressed or not.

Left as they are:
- WebSockets (Starlette's middleware only touches HTTP);
- an answer that already has a `Content-Encoding` (a service, or the cluster proxy passing an
  upstream's bytes through untouched);
- a streamed answer (its first body message says more follows: server-sent events, a feed that
  flushes as it goes), whatever its type: compressing it would hold back or reframe what the
  client is meant to see as it comes;
- anything that is not JSON, and everything outside those paths: the web UI's files are
  precompressed at build time (decision 0026) and served by `agora.webui`.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Collection

import anyio.to_thread
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 1024
# Level 6 (zlib's default): on the ballot's JSON within 0.1% of level 9's size for less CPU, and 8%
# smaller than level 1 (docs/performance.md, bench/compression.py).
COMPRESS_LEVEL = 6
GATEWAY_JSON_PATHS = frozenset({"/openapi.json", "/status", "/cluster"})
API_PREFIX = "/api"


_CONTENT_TYPE = b"content-type"
_CONTENT_ENCODING = b"content-encoding"
_ACCEPT_ENCODING = b"accept-encoding"
# Bodies from this size are compressed on a worker thread, as Starlette's responder does.
THREAD_MINIMUM_SIZE = 128 * 1024


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    media_type = ""
    for key, value in headers:
        if key.lower() == _CONTENT_TYPE:
            media_type = value.decode("latin-1").partition(";")[0].strip().lower()
            break
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _encoded(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(key.lower() == _CONTENT_ENCODING for key, _ in headers)


class _Whole:
    """The `send` of one covered request: holds a JSON answer's start until its first body
    message, then sends both on, compressed when that message is the whole body and worth it.

    What Starlette's `GZipResponder`/`IdentityResponder` did for these answers, in one `send`
    without their per-request objects and header parsing (decision 0047): a JSON answer whose
    body comes whole, is at least `minimum_size` and has no `Content-Encoding` (nor a 206 status)
    gets `Vary: Accept-Encoding`, and, when gzip is accepted, the compressed body with its
    `Content-Encoding` and `Content-Length`."""

    __slots__ = ("_held", "_through", "gzip", "level", "minimum_size", "send")

    def __init__(self, send: Send, minimum_size: int, level: int, gzip: bool) -> None:
        self.send = send
        self.minimum_size = minimum_size
        self.level = level
        self.gzip = gzip
        self._held: Message | None = None
        self._through = False

    async def __call__(self, message: Message) -> None:
        if self._through:
            await self.send(message)
            return
        if self._held is None:
            if message["type"] == "http.response.start" and _is_json(message.get("headers", [])):
                self._held = message
                return
            self._through = True
            await self.send(message)
            return
        start, self._held, self._through = self._held, None, True
        body = message.get("body", b"")
        headers = start.get("headers", [])
        if (
            message["type"] != "http.response.body"
            or message.get("more_body", False)  # streamed: passed on as it comes
            or len(body) < self.minimum_size
            or start["status"] == 206
            or _encoded(headers)
        ):
            await self.send(start)
            await self.send(message)
            return
        mutable = MutableHeaders(raw=list(headers))
        mutable.add_vary_header("Accept-Encoding")
        if self.gzip:
            if len(body) >= THREAD_MINIMUM_SIZE:
                body = await anyio.to_thread.run_sync(self._compress, body)
            else:
                body = self._compress(body)
            mutable["Content-Encoding"] = "gzip"
            if start.get("trailers", False):
                del mutable["Content-Length"]
            else:
                mutable["Content-Length"] = str(len(body))
            message["body"] = body
        start["headers"] = mutable.raw
        await self.send(start)
        await self.send(message)

    def _compress(self, body: bytes) -> bytes:
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return compressor.compress(body) + compressor.flush()


class JsonCompression:
    """gzip for the JSON answers of `paths` (the API and the gateway's own JSON); see the module
    docstring for what is left alone."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        minimum_size: int = MINIMUM_SIZE,
        level: int = COMPRESS_LEVEL,
        exact_paths: Collection[str] = GATEWAY_JSON_PATHS,
        prefix: str = API_PREFIX,
    ) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.level = level
        self.exact_paths = frozenset(exact_paths)
        self.prefix = prefix

    def _covers(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/") or path in self.exact_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._covers(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        accept = b""
        for key, value in scope["headers"]:
            if key == _ACCEPT_ENCODING:
                accept = value
                break
        gzip = "gzip" in _accepted(accept.decode("latin-1"))
        await self.app(scope, receive, _Whole(send, self.minimum_size, self.level, gzip))


@functools.lru_cache(maxsize=64)
def _accepted(header: str) -> frozenset[str]:
    """The codings an `Accept-Encoding` accepts (`gzip;q=0` refuses gzip)."""
    accepted: set[str] = set()
    for part in header.split(","):
        name, _, params = part.partition(";")
        name = name.strip().lower()
        quality = params.strip().lower()
        if quality.startswith("q="):
            try:
                if float(quality[2:]) <= 0:
                    continue
            except ValueError:
                continue
        if name:
            accepted.add(name)
    if "*" in accepted:
        accepted.add("gzip")
    return frozenset(accepted)
