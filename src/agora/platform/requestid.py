"""The request id: taken from `X-Request-ID` or made up, returned to the client, and carried into
every log line and every event written while the request runs."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "x-request-id"
_VALID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current_request_id: ContextVar[str | None] = ContextVar("agora_request_id", default=None)


def accept_or_make(incoming: str | None) -> str:
    """Keep a well-formed incoming id (so a trace spans services); otherwise make a new one."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def get_request_id() -> str | None:
    return current_request_id.get()
