"""The gateway's own admin endpoints for operators: the latest failed and slow requests (their
access lines, from the logs `platform.logsearch` reads) and the spans of one trace. The web UI's
admin page shows them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from agora.platform.auth.principal import Principal
from agora.platform.auth.tokens import TokenVerifier
from agora.platform.errors import BadRequest, Forbidden, NotFound, Unauthorized
from agora.platform.logsearch import find_trace, log_files, recent_requests
from agora.platform.tracing import traces_present

_TRACE_ID = re.compile(r"[0-9a-f]{32}")


def _request_row(line: dict[str, Any], traced: set[str]) -> dict[str, Any]:
    trace_id = line.get("trace.id")
    return {
        "at": line.get("@timestamp"),
        "method": line.get("http.request.method"),
        "path": line.get("url.path"),
        "route": line.get("agora.route"),
        "status": line.get("http.response.status_code"),
        "duration_ms": round(int(line.get("event.duration", 0)) / 1e6, 1),
        "service": line.get("service.name"),
        "instance": line.get("service.node.name"),
        "request_id": line.get("http.request.id"),
        "user_id": line.get("user.id"),
        "trace_id": trace_id,
        "traced": trace_id in traced,
    }


def requests_router(data_dir: Path, verifier: TokenVerifier, *, slow_ms: float) -> APIRouter:
    """`GET /admin/requests` and `GET /admin/traces/{trace_id}`, for admins only."""
    router = APIRouter(prefix="/admin", include_in_schema=False)

    def admin(request: Request) -> Principal:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("This endpoint needs a bearer token")
        principal = verifier.verify_access(token.strip())
        if not principal.is_admin:
            raise Forbidden("Only admins can do this", code="admin_required")
        return principal

    # Declared on the routes: a local alias would not resolve under postponed annotations.
    only_admins = [Depends(admin)]

    @router.get("/requests", dependencies=only_admins)
    async def list_requests(
        slow: Annotated[float | None, Query(gt=0, le=600_000, description="ms")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
    ) -> dict[str, Any]:
        threshold = slow or slow_ms

        def read() -> list[dict[str, Any]]:
            lines = recent_requests(log_files(data_dir), slow_ms=threshold, limit=limit)
            ids = {str(line["trace.id"]) for line in lines if line.get("trace.id")}
            present = traces_present([data_dir, data_dir / "cluster"], ids)
            return [_request_row(line, present) for line in lines]

        return {"slow_ms": threshold, "requests": await run_in_threadpool(read)}

    @router.get("/traces/{trace_id}", dependencies=only_admins)
    async def get_trace(trace_id: str) -> dict[str, Any]:
        if not _TRACE_ID.fullmatch(trace_id):
            raise BadRequest("A trace id is 32 lowercase hex digits", code="invalid_trace_id")
        spans = await run_in_threadpool(find_trace, data_dir, trace_id)
        if not spans:
            raise NotFound(f"No spans of trace {trace_id} are stored", code="trace_not_found")
        return {"trace_id": trace_id, "spans": spans}

    return router
