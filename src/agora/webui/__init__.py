"""The web UI: a single-page app of static files (HTML, ES modules, CSS) that the gateway serves at
`/`.

What a browser gets at `/` is the built app (decision 0026): `dist/index.html`, the app shell with
its CSS inline, and one minified, fingerprinted bundle `dist/app-<hash>.js`, both precompressed
(brotli, gzip) at build time. Fingerprinted files never change, so browsers keep them for a year
without asking (`immutable`); everything else is revalidated on each load. The sources stay
reachable as they are (`/index.html` runs them unbundled, for development)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.platform.errors import MethodNotAllowed, NotFound, error_response

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
INDEX: Final = "index.html"
BUILT_INDEX: Final = "dist/index.html"
FINGERPRINTED: Final = re.compile(r"dist/[\w.-]+-[0-9a-f]{12}\.\w+")
# Precompressed siblings, best first.
ENCODINGS: Final = (("br", ".br"), ("gzip", ".gz"))

# Set here rather than read from the OS's mime table, which differs between machines (a module
# served as text/plain is refused by the browser).
CONTENT_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}

# Browsers keep the files but ask again each time (ETag / Last-Modified answer 304): a new
# release is picked up on the next load, with no hashed file names and so no build step.
CACHE_CONTROL: Final = "no-cache"
IMMUTABLE: Final = "public, max-age=31536000, immutable"

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: https: http:",
        "connect-src 'self' ws: wss:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)

SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

WS_NOT_FOUND: Final = 4404


class UiFiles(StaticFiles):
    """The UI's files with explicit content types, revalidation and the contract's JSON 404."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        served = Path(full_path)
        encoding = next((name for name, ext in ENCODINGS if served.suffix == ext), None)
        if encoding is not None:
            served = served.with_suffix("")  # the type is the original file's
            response.headers["Content-Encoding"] = encoding
        suffix = served.suffix.lower()
        if suffix in CONTENT_TYPES and response.status_code != 304:
            response.headers["Content-Type"] = CONTENT_TYPES[suffix]
        if served.parent.name == "dist":
            response.headers["Vary"] = "Accept-Encoding"
        fingerprinted = FINGERPRINTED.fullmatch(f"dist/{served.name}") is not None
        response.headers["Cache-Control"] = IMMUTABLE if fingerprinted else CACHE_CONTROL
        response.headers.update(SECURITY_HEADERS)
        if suffix == ".html":
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        if scope["method"] not in ("GET", "HEAD"):
            return error_response(
                MethodNotAllowed(
                    f"{scope['method']} is not allowed here; use GET",
                    headers={"Allow": "GET, HEAD"},
                )
            )
        if path in ("", "."):
            path = BUILT_INDEX
        path = self._precompressed(path, scope)
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            return error_response(NotFound(f"No page at /{path}", code="not_found"))

    def _precompressed(self, path: str, scope: Scope) -> str:
        """The precompressed sibling of a built file the client accepts, if there is one."""
        if not path.startswith("dist/") or path.endswith((".br", ".gz")):
            return path
        accepted = _accepted_encodings(scope)
        directory = Path(str(self.directory))
        for encoding, extension in ENCODINGS:
            if encoding in accepted and (directory / f"{path}{extension}").is_file():
                return f"{path}{extension}"
        return path


def _accepted_encodings(scope: Scope) -> set[str]:
    for key, value in scope.get("headers", []):
        if key == b"accept-encoding":
            names = (part.split(";")[0].strip() for part in value.decode("latin-1").split(","))
            return {name for name in names if name}
    return set()


class UiApp:
    """Serves the static UI over HTTP; a WebSocket that reaches it asked for no known endpoint."""

    def __init__(self, directory: Path = STATIC_DIR) -> None:
        self.files = UiFiles(directory=directory)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Accept, then close: a close before accepting reaches the client without the code.
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": WS_NOT_FOUND})
            return
        await self.files(scope, receive, send)


def create_ui_app() -> ASGIApp:
    """The web UI as an ASGI app, to be mounted last at `/` by the gateway."""
    return UiApp()
