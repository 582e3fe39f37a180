"""Structured logs in the Elastic Common Schema (ECS): one JSON object per line with `@timestamp`,
`log.level`, `message`, `service.name`, `trace.id`, `span.id`, and the request's `http.*`,
`url.path`, `event.duration` and `user.id`. Keys are written in ECS's dotted form (Filebeat and
Elasticsearch expand them; DuckDB reads them as columns); context that ECS has no field for goes
under `agora.*`. Standard-library loggers (uvicorn, alembic) go through the same chain.

Every line passes the redaction processor first: secrets are dropped by key and emails, tokens
and password hashes are masked wherever they appear in a value.

On a terminal the same events are rendered short and readable by structlog's console renderer,
and only warnings and the platform's milestones are shown (everything at DEBUG), so the screen
shows what matters.
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.handlers
import os
import re
import sys
from collections.abc import Callable, Mapping, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import structlog
from opentelemetry import trace

ECS_VERSION = "8.11.0"
ACCESS_LOGGER = "agora.access"

# The fields Agora writes; anything else is namespaced under `agora.` (see `_to_ecs`).
ECS_FIELDS = frozenset(
    {
        "@timestamp",
        "message",
        "log.level",
        "log.logger",
        "ecs.version",
        "service.name",
        "service.node.name",
        "process.pid",
        "trace.id",
        "span.id",
        "event.dataset",
        "event.duration",
        "event.outcome",
        "http.request.id",
        "http.request.method",
        "http.response.status_code",
        "url.path",
        "client.ip",
        "user.id",
        "error.type",
        "error.message",
        "error.stack_trace",
    }
)
CUSTOM_PREFIX = "agora."

# Keys of what callers pass that map onto ECS fields.
_RENAMES = {
    "event": "message",
    "level": "log.level",
    "logger": "log.logger",
    "timestamp": "@timestamp",
    "request_id": "http.request.id",
    "method": "http.request.method",
    "status": "http.response.status_code",
    "path": "url.path",
    "client": "client.ip",
    "user_id": "user.id",
    "exception": "error.stack_trace",
}
_DROP = frozenset({"process_service", "service", "_record", "_from_structlog"})

# Redaction: keys whose values are secrets, and value shapes that must never reach a log.
_SECRET_KEY = re.compile(
    r"(pass(word)?|secret|token|authorization|cookie|api[_-]?key|credential|private[_-]?key)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_PASSWORD_HASH = re.compile(r"\$argon2(id|i|d)\$[^\s\"']+")
_BEARER = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]{8,}")
# A credential in a URL's query (a WebSocket's `token` or single-use `ticket`, as uvicorn and
# proxies quote the request line): whatever its shape.
_QUERY_SECRET = re.compile(r"(?i)([?&](?:access_)?(?:token|ticket)=)[^&\s\"'#]+")
REDACTED = "[redacted]"


@dataclass
class _RequestFacts:
    """What an inner layer learns about a request for the outer layer's access line."""

    user_id: int | None = None


_request_facts: ContextVar[_RequestFacts | None] = ContextVar("agora_request_facts", default=None)
_service_name = "agora"
_node_name: str | None = None
# The processors of an ECS JSON line, in order, when `configure_logging` writes JSON (`LineLogger`).
_json_line: list[Any] | None = None


# Text without any of these cannot hold what the patterns mask: one search clears most values.
_MAYBE_SECRET = re.compile(r"@|eyJ|\$argon2|earer|token=|ticket=")


def redact_text(text: str) -> str:
    """Mask emails, bearer tokens, JWTs, credentials in URL queries and password hashes in a
    string."""
    if _MAYBE_SECRET.search(text) is None:
        return text
    text = _QUERY_SECRET.sub(r"\1" + REDACTED, text)
    text = _PASSWORD_HASH.sub(REDACTED, text)
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub("Bearer " + REDACTED, text)
    return _EMAIL.sub(REDACTED, text)


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {k: REDACTED if _is_secret(k) else _redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(v) for v in value]
    return value


def _is_secret(key: object) -> bool:
    if not isinstance(key, str):
        return False
    known = _secret_keys.get(key)
    if known is None:
        known = key not in _SAFE_KEYS and _SECRET_KEY.search(key) is not None
        if len(_secret_keys) >= 4096:  # keys are a small vocabulary; bound it anyway
            _secret_keys.clear()
        _secret_keys[key] = known
    return known


# Whether a key names a secret, per key seen: every line has the same dozen keys.
_secret_keys: dict[str, bool] = {}


# Keys that match the secret pattern by name but hold no secret.
_SAFE_KEYS = frozenset({"password_changed", "token_type", "tokens_revoked"})


# Values that cannot hold text: nothing to mask in them.
_PLAIN = frozenset({int, float, bool, type(None)})


def redact(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """structlog processor: drop secrets by key, mask secret-shaped text in every value."""
    # Values are replaced in place (the keys stay), so the dict is walked once, without a copy;
    # numbers and text, most of every line, are settled here without a call per value.
    for key, value in event_dict.items():
        secret = _secret_keys.get(key)
        if secret is None:
            secret = _is_secret(key)
        if secret:
            event_dict[key] = REDACTED
        elif value.__class__ is str:
            if _MAYBE_SECRET.search(value) is not None:
                event_dict[key] = redact_text(value)
        elif value.__class__ not in _PLAIN and key != "exc_info":
            event_dict[key] = _redact_value(value)
    return event_dict


def _redact_stack_trace(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """An exception's text (rendered after `redact` ran) may quote an email or a token too."""
    if isinstance(event_dict.get("exception"), str):
        event_dict["exception"] = redact_text(event_dict["exception"])
    return event_dict


def _add_trace_ids(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace.id", format(context.trace_id, "032x"))
        event_dict.setdefault("span.id", format(context.span_id, "016x"))
    return event_dict


def _to_ecs(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """Rename to ECS fields; namespace the rest under `agora.`."""
    out: dict[str, Any] = {"@timestamp": None, "log.level": None, "message": None}
    service = event_dict.get("service") or _service_name
    for key, value in event_dict.items():
        if value is None:
            continue
        name = _ecs_names.get(key)
        if name is None:
            name = _ecs_name(key)
        if name:
            out[name] = value
    if isinstance(out.get("log.level"), str):
        out["log.level"] = out["log.level"].lower()
    if "error.stack_trace" in out:
        lines = str(out["error.stack_trace"]).strip().splitlines()
        last = lines[-1] if lines else ""
        error_type, _, error_message = last.partition(":")
        out.setdefault("error.type", error_type.strip())
        out.setdefault("error.message", error_message.strip())
    if "client.ip" in out and not isinstance(out["client.ip"], str):
        out.pop("client.ip")
    out["message"] = str(out["message"])
    out["service.name"] = service
    if _node_name:
        out["service.node.name"] = _node_name
    out["process.pid"] = os.getpid()
    out["ecs.version"] = ECS_VERSION
    access = out.get("log.logger") == ACCESS_LOGGER
    out.setdefault("event.dataset", "agora.access" if access else "agora.log")
    return {k: v for k, v in out.items() if v is not None}


def _ecs_name(key: str) -> str:
    """The field an event's key is written as ("" for a key that is not written)."""
    if key in _DROP:
        name = ""
    else:
        renamed = _RENAMES.get(key, key)
        name = renamed if renamed in ECS_FIELDS else CUSTOM_PREFIX + key
    if len(_ecs_names) >= 4096:  # keys are a small vocabulary; bound it anyway
        _ecs_names.clear()
    _ecs_names[key] = name
    return name


# The ECS field of each event key seen: every line has the same dozen keys.
_ecs_names: dict[str, str] = {}


# Loggers whose INFO lines are milestones a person at a terminal wants to see.
TERMINAL_INFO_LOGGERS = frozenset({"agora.platform", "agora.demo", "agora.cluster"})


def _worth_a_terminal_line(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING or record.name in TERMINAL_INFO_LOGGERS


def _console_fields(_logger: Any, _name: str, event_dict: MutableMapping[str, Any]) -> Any:
    """For a terminal: the local time, the message and what a person reads, without the
    plumbing."""
    stamp = event_dict.get("timestamp")
    if isinstance(stamp, str):
        with contextlib.suppress(ValueError):
            moment = datetime.fromisoformat(stamp).astimezone()
            event_dict["timestamp"] = moment.strftime("%H:%M:%S")
    for key in ("process_service", "request_id", "trace.id", "span.id", "client"):
        event_dict.pop(key, None)
    if event_dict.get("logger") == ACCESS_LOGGER:
        event_dict.pop("logger", None)
    return event_dict


def _chain(as_json: bool) -> tuple[list[Any], list[Any]]:
    """The processors every event goes through, and those that render it."""
    # The same for every handler (a terminal and a log file render one event differently).
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_trace_ids,
        redact,
    ]
    if not as_json:
        console = structlog.dev.ConsoleRenderer(colors=sys.stdout.isatty(), pad_event_to=28)
        return shared, [_console_fields, console]
    return shared, [
        structlog.processors.format_exc_info,
        _redact_stack_trace,
        _to_ecs,
        structlog.processors.JSONRenderer(_json_text, default=str),
    ]


def _json_text(event: Mapping[str, Any], default: Callable[[Any], Any]) -> str:
    """One line of JSON, by orjson (a fifth of the standard library's time); the standard
    library for what orjson refuses (an integer past 64 bits)."""
    try:
        return orjson.dumps(event, default=default).decode()
    except TypeError:
        return json.dumps(event, default=default)


def _processor_formatter() -> logging.Formatter:
    shared, final = _chain(True)
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
    )


class _RenderOnce(logging.Formatter):
    """The ECS line of a record, rendered once for every handler that writes it (stdout and the
    log file get the same line, and the file's size check asks for it too); a `LineLogger`'s
    record comes rendered."""

    _KEY = "_agora_ecs_line"

    def __init__(self) -> None:
        super().__init__()
        self._ecs = _processor_formatter()

    def format(self, record: logging.LogRecord) -> str:
        line = record.__dict__.get(self._KEY)
        if not isinstance(line, str):
            line = self._ecs.format(record)
            record.__dict__[self._KEY] = line
        return line


def ecs_formatter() -> logging.Formatter:
    """A formatter that renders any record (structlog's, a `LineLogger`'s or the standard
    library's) as the ECS JSON line `configure_logging` writes."""
    return _RenderOnce()


class _SizeRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Rotates by the file's position, which the append that just happened left at its end: the
    standard handler asks the file system whether the path is a regular file (two `stat` calls)
    and seeks, for every line."""

    def shouldRollover(self, record: logging.LogRecord) -> bool:
        if self.stream is None:
            self.stream = self._open()
        if self.maxBytes <= 0:
            return False
        return self.stream.tell() + len(self.format(record)) + 1 >= self.maxBytes


def configure_logging(
    level: str = "INFO",
    *,
    json: bool | None = None,
    service: str | None = None,
    node: str | None = None,
    file: Path | None = None,
) -> None:
    """Set up structlog and the standard library once per process. `json=None` picks JSON unless
    stdout is a terminal; `file` gets the ECS JSON lines too, whatever stdout shows."""
    global _service_name, _node_name, _json_line
    as_json = json if json is not None else not sys.stdout.isatty()
    _service_name = service or "agora"
    _node_name = node
    shared, final = _chain(as_json)
    _json_line = [*shared, *final] if as_json else None
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    ecs = _RenderOnce()
    formatter: logging.Formatter = ecs
    if not as_json:
        formatter = structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
        )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    if not as_json and level.upper() != "DEBUG":
        # A terminal shows what a person acts on: warnings and errors, and the platform's own
        # milestones. A line per request, migration step or event handled would flood it; they
        # show with AGORA_LOG_LEVEL=DEBUG (and the log file, if any, has them all).
        handler.addFilter(_worth_a_terminal_line)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        # Bounded: four files of 64 MB at most (`agora logs` reads the current one).
        to_file = _SizeRotatingFileHandler(
            file, maxBytes=64 * 1024 * 1024, backupCount=3, encoding="utf-8"
        )
        to_file.setFormatter(ecs)
        root.addHandler(to_file)
    root.setLevel(level.upper())
    # No line names a source file, function, thread or process name: the standard library need
    # not look them up for every record (the logging HOWTO's "Optimization").
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # httpx writes a line per request at INFO: in the cluster, each process's discovery poll once
    # a second (the edge's too), a million and a half lines a day that say nothing. Its warnings
    # and errors still come through; Agora's own lines name the calls that matter.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if not as_json:
        # "Uvicorn running on ..." and "Application startup complete" would land below the
        # start-up banner, which already says where to go.
        logging.getLogger("uvicorn.error").setLevel("WARNING")
    # Our own middleware writes the access log, with the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel("WARNING")


class LineLogger:
    """A logger for the lines written once per request or event (the access line). Where the
    process writes JSON, the ECS line is made by the same processors, in the same order, as a
    structlog line, and handed to the standard library's handlers already rendered: without the
    bound logger's and the formatter's passes over it, a third less CPU per line (decision 0044).
    On a terminal it is structlog's logger."""

    def __init__(self, name: str) -> None:
        self._logger = logging.getLogger(name)
        self._structlog = structlog.get_logger(name)

    def is_enabled_for(self, level: int) -> bool:
        return self._logger.isEnabledFor(level)

    def log(self, level: int, message: str, **fields: Any) -> None:
        processors = _json_line
        if processors is None:
            self._structlog.log(level, message, **fields)
            return
        method = logging.getLevelName(level).lower()
        event: Any = {**fields, "event": message}
        for processor in processors:
            event = processor(self._logger, method, event)
        record = self._logger.makeRecord(self._logger.name, level, "", 0, message, (), None)
        record.__dict__[_RenderOnce._KEY] = event
        self._logger.handle(record)


def begin_request() -> tuple[bool, Any]:
    """Called by the outermost HTTP layer of a process: returns whether this layer writes the
    access line (an inner layer of the same process does not), and a token for `end_request`."""
    if _request_facts.get() is not None:
        return False, None
    return True, _request_facts.set(_RequestFacts())


def end_request(token: Any) -> None:
    if token is not None:
        _request_facts.reset(token)


def request_user_id() -> int | None:
    facts = _request_facts.get()
    return facts.user_id if facts is not None else None


def note_user(user_id: int) -> None:
    """Record who made the current request, for its access line."""
    facts = _request_facts.get()
    if facts is not None:
        facts.user_id = user_id
