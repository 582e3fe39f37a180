"""gzip for the API's JSON answers (issue 18): Starlette's `GZipMiddleware`, narrowed to what is
worth compressing and safe to.

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

from collections.abc import Collection
from typing import Any

from starlette.datastructures import Headers
from starlette.middleware.gzip import GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 1024
# Level 6 (zlib's default): on the ballot's JSON within 0.1% of level 9's size for less CPU, and 8%
# smaller than level 1 (docs/performance.md, bench/compression.py).
COMPRESS_LEVEL = 6
GATEWAY_JSON_PATHS = frozenset({"/openapi.json", "/status", "/cluster"})
API_PREFIX = "/api"


def _is_json(start: Message) -> bool:
    media_type = Headers(raw=start.get("headers", [])).get("content-type", "")
    media_type = media_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class _WholeJsonOnly(IdentityResponder):
    """Hands a response to Starlette's responder only when it is JSON and its body comes in one
    message; anything else goes out exactly as the app sent it."""

    def __init__(self, app: ASGIApp, minimum_size: int, **kwargs: Any) -> None:
        super().__init__(app, minimum_size, **kwargs)
        self._held: Message | None = None
        self._through = False

    async def send_with_compression(self, message: Message) -> None:
        if self._through:
            await self.send(message)
            return
        kind = message["type"]
        if kind == "http.response.start":
            if not _is_json(message):
                self._through = True
                await self.send(message)
                return
            self._held = message
            return
        if self._held is None:
            await super().send_with_compression(message)
            return
        start, self._held = self._held, None
        if kind == "http.response.body" and message.get("more_body", False):
            # Streamed: pass it on as it comes.
            self._through = True
            await self.send(start)
            await self.send(message)
            return
        await super().send_with_compression(start)
        await super().send_with_compression(message)


class _GZip(_WholeJsonOnly, GZipResponder):
    pass


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
        responder: ASGIApp
        if "gzip" in _accepted(Headers(scope=scope).get("accept-encoding", "")):
            responder = _GZip(self.app, self.minimum_size, compresslevel=self.level)
        else:
            # Adds `Vary: Accept-Encoding` to what would have been compressed.
            responder = _WholeJsonOnly(self.app, self.minimum_size)
        await responder(scope, receive, send)


def _accepted(header: str) -> set[str]:
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
    return accepted
