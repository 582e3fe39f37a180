"""`agora logs` and `agora trace`: search the JSON log lines with DuckDB, and draw one trace's
spans from the local trace store as an indented waterfall.

Where the lines are: in a cluster, the day files rsyslog gathered (`<data dir>/cluster/central/`);
before rsyslog has written any (or without it), each process's own file (`cluster/logs/`); in the
embedded topology, `<data dir>/logs/`.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import typer

from agora.platform.tracing import read_trace

LEVELS = ("debug", "info", "warning", "error", "critical")
_SINCE = re.compile(r"(\d+)\s*([smhd])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
# The fields a line is printed with first; the rest follow as key=value.
_HEAD = ("@timestamp", "log.level", "service.name", "service.node.name", "message")
_QUIET = {"ecs.version", "process.pid", "event.dataset", "log.logger", "span.id"}


def log_files(data_dir: Path) -> list[Path]:
    """The files `agora logs` reads, best source first."""
    cluster = data_dir / "cluster"
    central = sorted(p for p in (cluster / "central").glob("*.log") if p.name[0].isdigit())
    if central:
        return central
    return sorted((cluster / "logs").glob("*.log")) + sorted((data_dir / "logs").glob("*.log"))


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
    where: list[str] = []
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
        params.append(_stamp(datetime.now(UTC) - query.since))
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
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY {_field('@timestamp')} DESC LIMIT {int(query.limit)}"
    )
    with duckdb.connect() as db:
        rows = db.execute(sql, [[str(f) for f in files], *params]).fetchall()
    return [json.loads(row[0]) for row in reversed(rows)]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def render_line(line: dict[str, Any]) -> str:
    """One line for a person: time, level, where, message, then the facts."""
    stamp = str(line.get("@timestamp", ""))[11:23]
    where = line.get("service.node.name") or line.get("service.name", "?")
    rest = " ".join(
        f"{key.removeprefix('agora.')}={value}"
        for key, value in line.items()
        if key not in _HEAD and key not in _QUIET and key != "error.stack_trace"
    )
    text = f"{stamp} {line.get('log.level', '')!s:<7} {where:<16} {line.get('message', '')}"
    if rest:
        text += f"  {rest}"
    if "error.stack_trace" in line:
        text += "\n" + str(line["error.stack_trace"])
    return text


def follow(files_of: Any, query: LogQuery, *, interval: float = 1.0) -> Iterator[dict[str, Any]]:
    """The matching lines so far, then new ones as they are written, until interrupted."""
    lines = search_logs(files_of(), query)
    yield from lines
    last = lines[-1]["@timestamp"] if lines else _stamp(datetime.now(UTC))
    while True:
        time.sleep(interval)
        for line in search_logs(
            files_of(), LogQuery(**{**_fields(query), "after": last, "since": None})
        ):
            last = max(last, line["@timestamp"])
            yield line


def _fields(query: LogQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in LogQuery.__slots__}


def trace_dirs(data_dir: Path) -> list[Path]:
    """Where the local trace stores are: the embedded platform's and the cluster processes'."""
    return [data_dir, data_dir / "cluster"]


def find_trace(data_dir: Path, trace_id: str) -> list[dict[str, Any]]:
    spans: list[dict[str, Any]] = []
    for directory in trace_dirs(data_dir):
        spans += read_trace(directory, trace_id.lower())
    return sorted(spans, key=lambda span: span["start_ns"])


def waterfall(spans: list[dict[str, Any]], *, width: int = 32) -> str:
    """Spans as an indented tree in start order, each with its offset, duration and a bar."""
    if not spans:
        return ""
    ids = {span["span_id"] for span in spans}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for span in spans:
        parent = span["parent_id"] if span["parent_id"] in ids else None
        children.setdefault(parent, []).append(span)
    start = min(span["start_ns"] for span in spans)
    end = max(span["end_ns"] for span in spans)
    total = max(end - start, 1)
    rows = [f"trace {spans[0]['trace_id']}  {len(spans)} spans  {(end - start) / 1e6:.1f} ms"]

    def walk(span: dict[str, Any], depth: int) -> None:
        offset = (span["start_ns"] - start) / 1e6
        duration = (span["end_ns"] - span["start_ns"]) / 1e6
        left = int((span["start_ns"] - start) / total * width)
        length = max(1, int((span["end_ns"] - span["start_ns"]) / total * width))
        bar = " " * left + "█" * min(length, width - left)
        mark = " !" if span.get("status") == "error" else ""
        where = span.get("instance") or span.get("service") or "?"
        rows.append(
            f"{offset:>9.1f} ms {duration:>9.1f} ms  {bar:<{width}}  "
            f"{'  ' * depth}{span['name']} [{where}]{mark}"
        )
        for child in children.get(span["span_id"], []):
            walk(child, depth + 1)

    for root in children.get(None, []):
        walk(root, 0)
    return "\n".join(rows)


def logs_command(
    data_dir: Path,
    query: LogQuery,
    *,
    follow_lines: bool,
    as_json: bool,
) -> None:
    def show(line: dict[str, Any]) -> None:
        typer.echo(json.dumps(line) if as_json else render_line(line))

    if follow_lines:
        try:
            for line in follow(lambda: log_files(data_dir), query):
                show(line)
        except KeyboardInterrupt:
            return
        return
    files = log_files(data_dir)
    if not files:
        typer.echo(f"no log files under {data_dir}", err=True)
        raise typer.Exit(1)
    for line in search_logs(files, query):
        show(line)


def trace_command(data_dir: Path, trace_id: str) -> None:
    spans = find_trace(data_dir, trace_id)
    if not spans:
        typer.echo(
            f"no spans of trace {trace_id} in the trace store under {data_dir} "
            "(not sampled, not flushed yet, or exported over OTLP instead)",
            err=True,
        )
        raise typer.Exit(1)
    typer.echo(waterfall(spans))
