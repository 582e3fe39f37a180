"""The request id: taken from `X-Request-ID` or made up, returned to the client, and carried into
every log line and every event written while the request runs."""

from __future__ import annotations

import random
import re
from contextvars import ContextVar

HEADER = "x-request-id"
# What an incoming id must look like to be kept (the edge's HAProxy checks the same).
ID_PATTERN = r"[A-Za-z0-9._:-]{1,128}"
_VALID = re.compile(ID_PATTERN)

current_request_id: ContextVar[str | None] = ContextVar("agora_request_id", default=None)


def accept_or_make(incoming: str | None) -> str:
    """Keep a well-formed incoming id (so a trace spans services); otherwise make a new one: 128
    random bits in hex, like a UUID's. An id names a request in the logs and guards nothing, so
    it comes from `random` (reseeded in every forked process) rather than a system call per
    request."""
    if incoming and _VALID.fullmatch(incoming):
        return incoming
    return f"{random.getrandbits(128):032x}"


def get_request_id() -> str | None:
    return current_request_id.get()
