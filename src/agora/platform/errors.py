"""One error hierarchy for every service, and the handlers that render it as the contract's error
JSON.

    AgoraError                      base: code, message, http_status
    ├── BadRequest                  400 the request makes no sense (self-follow, wrong state)
    ├── ValidationFailed            422 a field is missing or invalid; `details` names each field
    ├── Unauthorized                401 no token, or a bad one
    ├── Forbidden                   403 authenticated, but not allowed
    ├── NotFound                    404 unknown id or path
    ├── MethodNotAllowed            405 known path, wrong method
    ├── Conflict                    409 the change collides with existing state
    ├── PayloadTooLarge             413 the request body is over the configured size
    ├── Locked                      423 the resource is locked (an account pending deletion)
    ├── RateLimited                 429 too many requests; carries `retry_after`
    └── ServiceUnavailable          503 a dependency is down; carries `retry_after`

A database that is overloaded or down (pool exhausted, lock wait over, connection refused, a
failover: `platform.db.is_database_unavailable`) renders as a 503 too; any other database error is
a 500.

Every error renders as `{"status": "error", "error": {"code", "message", ["details"]}}`. An
unexpected exception renders as a 500 with a request id and no stack trace; the trace goes to the
log only.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, cast

import orjson
import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastapi.routing import iter_route_contexts
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match
from starlette.websockets import WebSocket

from agora.platform.db import is_database_unavailable

log = structlog.get_logger("agora.errors")

# Close codes of a live socket refused for what its path or query names (decision 0032):
# malformed (4400), or naming nothing (4404).
WS_BAD_REQUEST = 4400
WS_NOT_FOUND = 4404


class AgoraError(Exception):
    """Base of every error a client may see."""

    code = "error"
    http_status = 500
    default_message = "Something went wrong"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        if code is not None:
            self.code = code
        self.details = list(details) if details else None
        self.headers = dict(headers or {})
        super().__init__(self.message)

    def to_body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"status": "error", "error": error}


class BadRequest(AgoraError):
    """The request is well-formed but makes no sense in the current state."""

    code = "bad_request"
    http_status = 400
    default_message = "Bad request"


class ValidationFailed(AgoraError):
    """One or more fields are missing or invalid; `details` lists them."""

    code = "validation_error"
    http_status = 422
    default_message = "The request has invalid fields"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        """An error about one field, e.g. `ValidationFailed.field("body.rating", "must be ...")`."""
        return cls(f"{field}: {message}", details=[{"field": field, "message": message}])


class Unauthorized(AgoraError):
    """No credentials, or credentials that do not check out."""

    code = "unauthorized"
    http_status = 401
    default_message = "Authentication required"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(message, **kwargs)


class Forbidden(AgoraError):
    """Authenticated, but this user may not do this."""

    code = "forbidden"
    http_status = 403
    default_message = "You are not allowed to do this"


class NotFound(AgoraError):
    """The id or path names nothing."""

    code = "not_found"
    http_status = 404
    default_message = "Not found"


class MethodNotAllowed(AgoraError):
    """The path exists but does not take this method."""

    code = "method_not_allowed"
    http_status = 405
    default_message = "Method not allowed"


class Conflict(AgoraError):
    """The change collides with existing state (a duplicate, a stale version)."""

    code = "conflict"
    http_status = 409
    default_message = "Conflict"


class PayloadTooLarge(AgoraError):
    """The request body is larger than this server accepts."""

    code = "body_too_large"
    http_status = 413
    default_message = "The request body is too large"


class Locked(AgoraError):
    """The resource is locked until something is done first (e.g. restore the account)."""

    code = "locked"
    http_status = 423
    default_message = "Locked"


class RateLimited(AgoraError):
    """Too many requests; try again after `retry_after` seconds."""

    code = "rate_limited"
    http_status = 429
    default_message = "Too many requests"

    def __init__(self, message: str | None = None, *, retry_after: float, **kwargs: Any) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Retry-After"] = str(self.retry_after)
        super().__init__(message, headers=headers, **kwargs)


class ServiceUnavailable(AgoraError):
    """A dependency is down or overloaded; try again later."""

    code = "service_unavailable"
    http_status = 503
    default_message = "A service this request needs is unavailable"

    def __init__(
        self, message: str | None = None, *, retry_after: float = 5, **kwargs: Any
    ) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        headers = dict(kwargs.pop("headers", None) or {})
        headers["Retry-After"] = str(self.retry_after)
        super().__init__(message, headers=headers, **kwargs)


_STATUS_TO_ERROR: dict[int, type[AgoraError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: PayloadTooLarge,
    422: ValidationFailed,
    503: ServiceUnavailable,
}


def error_response(error: AgoraError) -> Response:
    """Render an AgoraError as the contract's error JSON."""
    return Response(
        content=orjson.dumps(error.to_body()),
        status_code=error.http_status,
        headers=error.headers,
        media_type="application/json",
    )


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Turn pydantic's error list into `[{"field": "body.username", "message": "..."}]`."""
    details = []
    for err in errors:
        message = str(err.get("msg", "is invalid"))
        # pydantic prefixes messages from custom validators with "Value error, ".
        message = message.removeprefix("Value error, ")
        details.append({"field": _field_name(err.get("loc", ())), "message": message})
    return details


def validation_error(errors: Sequence[Any]) -> AgoraError:
    """The error for a request that failed schema validation (malformed JSON is a 400).

    A path parameter that fails validation (`/games/abc`, an id beyond any id) names nothing, so
    the request is a 404 whatever else is wrong with it, as for an unknown id of the right shape.
    """
    for err in errors:
        loc = err.get("loc", ())
        if len(loc) >= 2 and loc[0] == "path":
            shown = repr(str(err.get("input", "")))[:60]
            return NotFound(f"No {loc[1]} {shown}")
    if any(err.get("type") == "json_invalid" for err in errors):
        return BadRequest("The request body is not valid JSON", code="malformed_json")
    details = validation_details(errors)
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:5])
    return ValidationFailed(f"Invalid request: {summary}", details=details)


async def _handle_websocket_validation(websocket: WebSocket, exc: Exception) -> None:
    """A socket whose path or query does not parse (`/games/abc/live`): accepted, then closed
    with 4400 and what is wrong, which the client can read (a refusal before accepting reaches it
    as a bare HTTP error)."""
    details = validation_details(cast(WebSocketRequestValidationError, exc).errors())
    summary = "; ".join(f"{d['field']}: {d['message']}" for d in details[:3])
    await websocket.accept()
    await websocket.close(code=WS_BAD_REQUEST, reason=f"Malformed request: {summary}"[:120])


async def _handle_agora_error(request: Request, exc: Exception) -> Response:
    return error_response(cast(AgoraError, exc))


async def _handle_validation(request: Request, exc: Exception) -> Response:
    return error_response(validation_error(cast(RequestValidationError, exc).errors()))


async def _handle_http(request: Request, exc: Exception) -> Response:
    exc = cast(StarletteHTTPException, exc)
    error_cls = _STATUS_TO_ERROR.get(exc.status_code, AgoraError)
    # Starlette fills `detail` with the status's phrase when the raiser gave none.
    detail = exc.detail
    error = error_cls(detail, headers=dict(exc.headers or {}))
    if error_cls is AgoraError:
        error.http_status = exc.status_code
        error.code = "http_error"
    if exc.status_code == 404 and detail == "Not Found":
        error.message = f"No route for {request.method} {request.url.path}"
    if exc.status_code == 405:
        # Starlette names the methods of the first route that matched the path; every route of
        # the path counts (`/users/profile` is GET and PATCH).
        allowed = _allowed_methods(request)
        if allowed:
            error.headers["Allow"] = ", ".join(allowed)
            error.message = f"{request.method} is not allowed here; use {', '.join(allowed)}"
    return error_response(error)


def _allowed_methods(request: Request) -> list[str]:
    methods: set[str] = set()
    # With a method no route has, every route of this path matches partially.
    probe = {**request.scope, "method": "\x00"}
    for route in iter_route_contexts(request.app.router.routes):
        match, _ = route.matches(probe)
        if match is Match.PARTIAL:
            methods |= set(route.methods or ())
    return sorted(methods)


async def _handle_database_error(request: Request, exc: Exception) -> Response:
    """A database that is unreachable or no longer the primary (a failover) is a 503 the client
    may retry; any other database error is unexpected."""
    if is_database_unavailable(exc):
        # Pool exhausted, SQLite's lock wait over, PostgreSQL refusing connections or failing
        # over: a 503 to retry, not a bug to report as a 500.
        log.warning(
            "database_unavailable",
            path=request.url.path,
            method=request.method,
            error=type(exc).__name__,
        )
        error = ServiceUnavailable(
            "The database is busy or unavailable; try again shortly",
            code="database_unavailable",
            retry_after=2,
        )
        return error_response(error)
    return await _handle_unexpected(request, exc)


async def _handle_unexpected(request: Request, exc: Exception) -> Response:
    request_id = request.headers.get("x-request-id")
    log.exception("unhandled_error", path=request.url.path, method=request.method)
    body = {
        "status": "error",
        "error": {
            "code": "internal_error",
            "message": "An unexpected error occurred; it has been logged",
            "request_id": request_id,
        },
    }
    return Response(orjson.dumps(body), status_code=500, media_type="application/json")


def install_error_handlers(app: FastAPI) -> None:
    """Register the one set of handlers that turns every failure into the contract's error JSON."""
    app.add_exception_handler(AgoraError, _handle_agora_error)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(WebSocketRequestValidationError, _handle_websocket_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    for unavailable in (sa_exc.DBAPIError, sa_exc.TimeoutError, ConnectionError):
        app.add_exception_handler(unavailable, _handle_database_error)
    app.add_exception_handler(Exception, _handle_unexpected)
