"""Searching the JSON log lines of every process with DuckDB (`agora logs`, the admin page of
slow and failed requests), and finding one trace's spans in the local trace stores.

Where the lines are: in a cluster, the day files rsyslog gathered (`central/` in the cluster's
work directory); before rsyslog has written any (or without it), each process's own file
(`logs/`); in the embedded topology, `<data dir>/logs/`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from agora.platform.tracing import read_trace

LEVELS = ("debug", "info", "warning", "error", "critical")
_SINCE = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def _cluster_dirs(data_dir: Path) -> list[Path]:
    # The data dir of `agora cluster up`, or a cluster process's own (the cluster's work dir).
    return [data_dir / "cluster", data_dir]


def log_files(data_dir: Path) -> list[Path]:
    """The files to search, best source first."""
    for cluster in _cluster_dirs(data_dir):
        central = sorted(p for p in (cluster / "central").glob("*.log") if p.name[0].isdigit())
        if central:
            return central
    own = sorted((data_dir / "cluster" / "logs").glob("*.log"))
    return own + sorted((data_dir / "logs").glob("*.log"))


def parse_since(text: str) -> timedelta:
    """`10m`, `2h`, `90s`, `1d`."""
    match = _SINCE.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"--since takes a number and s, m, h or d (like 10m), not {text!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@dataclass(frozen=True, slots=True)
class LogQuery:
    """What `agora logs` filters on; every given filter must match."""

    service: str | None = None
    level: str | None = None
    trace_id: str | None = None
    request_id: str | None = None
    since: timedelta | None = None
    grep: str | None = None
    after: str | None = None  # a `@timestamp`: only later lines (follow mode)
    limit: int = 500


def _field(name: str) -> str:
    return f"json_extract_string(json, '$.\"{name}\"')"


def search_logs(files: Sequence[Path], query: LogQuery) -> list[dict[str, Any]]:
    """The lines that match, oldest first (the newest `limit` of them)."""
    if not files:
        return []
    # A line that is not JSON (a crash's traceback) reads as NULL.
    where: list[str] = ["json IS NOT NULL"]
    params: list[object] = []
    if query.service:
        where.append(f"({_field('service.name')} = ? OR {_field('service.node.name')} = ?)")
        params += [query.service, query.service]
    if query.level:
        wanted = LEVELS[LEVELS.index(query.level.lower()) :]
        where.append(f"{_field('log.level')} IN ({', '.join('?' * len(wanted))})")
        params += list(wanted)
    if query.trace_id:
        where.append(f"{_field('trace.id')} = ?")
        params.append(query.trace_id.lower())
    if query.request_id:
        where.append(f"{_field('http.request.id')} = ?")
        params.append(query.request_id)
    if query.since is not None:
        where.append(f"{_field('@timestamp')} >= ?")
        params.append(stamp(datetime.now(UTC) - query.since))
    if query.after is not None:
        where.append(f"{_field('@timestamp')} > ?")
        params.append(query.after)
    if query.grep:
        where.append("contains(lower(json::VARCHAR), lower(?))")
        params.append(query.grep)
    # Only our own field names and placeholders are spliced in; every value is a parameter.
    sql = (
        "SELECT json::VARCHAR FROM read_ndjson_objects(?, ignore_errors=true, "  # noqa: S608
        "maximum_object_size=1048576)"
        + f" WHERE {' AND '.join(where)}"
        + f" ORDER BY {_field('@timestamp')} DESC LIMIT {int(query.limit)}"
    )
    with duckdb.connect() as db:
        rows = db.execute(sql, [[str(f) for f in files], *params]).fetchall()
    return [json.loads(row[0]) for row in reversed(rows)]


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def find_trace(data_dir: Path, trace_id: str) -> list[dict[str, Any]]:
    """Every span of a trace in the trace stores under `data_dir` (embedded and cluster)."""
    spans: list[dict[str, Any]] = []
    for directory in (data_dir, data_dir / "cluster"):
        spans += read_trace(directory, trace_id.lower())
    return sorted(spans, key=lambda span: span["start_ns"])


def recent_requests(
    files: Sequence[Path], *, slow_ms: float, limit: int = 100
) -> list[dict[str, Any]]:
    """The latest access lines of failed (5xx) or slow requests, newest first."""
    if not files:
        return []
    # Only our own field names are spliced in; every value is a parameter.
    sql = (
        "SELECT json::VARCHAR FROM read_ndjson_objects(?, ignore_errors=true, "  # noqa: S608
        "maximum_object_size=1048576) "
        f"WHERE {_field('event.dataset')} = 'agora.access' AND ("
        f"TRY_CAST({_field('http.response.status_code')} AS INTEGER) >= 500 OR "
        f"TRY_CAST({_field('event.duration')} AS BIGINT) >= ?) "
        f"ORDER BY {_field('@timestamp')} DESC LIMIT {int(limit)}"
    )
    with duckdb.connect() as db:
        rows = db.execute(sql, [[str(f) for f in files], int(slow_ms * 1e6)]).fetchall()
    return [json.loads(row[0]) for row in rows]
