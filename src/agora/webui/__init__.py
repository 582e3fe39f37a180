"""The web UI: a single-page app of static files (HTML, ES modules, CSS) that the gateway serves at
`/`. No build step: the browser loads the modules as they are on disk."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from agora.platform.errors import MethodNotAllowed, NotFound, error_response

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
INDEX: Final = "index.html"

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
        suffix = Path(full_path).suffix.lower()
        if suffix in CONTENT_TYPES and response.status_code != 304:
            response.headers["Content-Type"] = CONTENT_TYPES[suffix]
        response.headers["Cache-Control"] = CACHE_CONTROL
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
            path = INDEX
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            return error_response(NotFound(f"No page at /{path}", code="not_found"))


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
