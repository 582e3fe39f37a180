"""What every log line must be: ECS fields of the right shapes (the set Agora chose, anything else
under `agora.`), and nothing secret: no email address, token (none in a URL's query either) or
password hash."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

from agora.platform.logging import CUSTOM_PREFIX, ECS_FIELDS, ecs_formatter

LEVELS = {"debug", "info", "warning", "error", "critical"}
_HEX32 = re.compile(r"[0-9a-f]{32}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
SECRETS = {
    "email": re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"),
    "token": re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\."),
    "password hash": re.compile(r"\$argon2(id|i|d)\$"),
    "bearer": re.compile(r"(?i)bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}"),
    "credential in a URL": re.compile(
        # An empty value (`?token=` then the line's quote, JSON-escaped) carries nothing.
        r"(?i)[?&](?:access_)?(?:token|ticket)=(?!\[redacted\])[^&\s\"'#\\]"
    ),
}


def ecs_problems(line: dict[str, Any]) -> list[str]:
    """Why a parsed log line is not an ECS line of Agora's (empty when it is)."""
    problems = [
        f"missing {key}"
        for key in (
            "@timestamp",
            "log.level",
            "message",
            "service.name",
            "ecs.version",
            "event.dataset",
        )
        if key not in line
    ]
    problems += [
        f"{key} is neither an ECS field Agora writes nor under agora."
        for key in line
        if key not in ECS_FIELDS and not key.startswith(CUSTOM_PREFIX)
    ]
    if "@timestamp" in line:
        stamp = str(line["@timestamp"])
        if not stamp.endswith("Z") or datetime.fromisoformat(stamp).tzinfo is None:
            problems.append(f"@timestamp {stamp} is not ISO-8601 UTC")
    if line.get("log.level") not in LEVELS:
        problems.append(f"log.level {line.get('log.level')!r}")
    shapes: dict[str, Any] = {
        "trace.id": lambda v: isinstance(v, str) and _HEX32.fullmatch(v),
        "span.id": lambda v: isinstance(v, str) and _HEX16.fullmatch(v),
        "event.duration": lambda v: isinstance(v, int) and v >= 0,
        "http.response.status_code": lambda v: isinstance(v, int) and 100 <= v < 600,
        "user.id": lambda v: isinstance(v, int),
        "process.pid": lambda v: isinstance(v, int),
        "message": lambda v: isinstance(v, str),
        "url.path": lambda v: isinstance(v, str) and v.startswith("/"),
        "event.outcome": lambda v: v in ("success", "failure", "unknown"),
    }
    for key, ok in shapes.items():
        if key in line and not ok(line[key]):
            problems.append(f"{key} has a bad value {line[key]!r}")
    if line.get("event.dataset") == "agora.access":
        problems += [
            f"access line without {key}"
            for key in ("http.request.id", "url.path", "event.duration")
            if key not in line
        ]
    return problems


def secrets_in(text: str) -> list[str]:
    """Which kinds of secret a rendered line contains."""
    return [kind for kind, pattern in SECRETS.items() if pattern.search(text)]


class LogAudit(logging.Handler):
    """Renders every record as the ECS JSON line it would be, and keeps the bad ones."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.setFormatter(ecs_formatter())
        self.checked = 0
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception as exc:  # noqa: BLE001 - a line that cannot be rendered is a finding
            self.bad.append(f"unrenderable {record.getMessage()!r}: {exc!r}")
            return
        self.checked += 1
        problems = secrets_in(text) + ecs_problems(json.loads(text))
        if problems and len(self.bad) < 50:
            self.bad.append(f"{problems}: {text}")
