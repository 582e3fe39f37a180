"""`agora logs` and `agora trace`: print what `platform.logsearch` finds for a person, and one
trace's spans as an indented waterfall."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from agora.platform.config import Settings
from agora.platform.logsearch import (
    LEVELS,
    LogQuery,
    find_trace,
    log_files,
    parse_since,
    search_logs,
    stamp,
)

__all__ = ["follow", "logs", "trace", "waterfall"]

# The fields a line is printed with first; the rest follow as key=value.
_HEAD = ("@timestamp", "log.level", "service.name", "service.node.name", "message")
_QUIET = {"ecs.version", "process.pid", "event.dataset", "log.logger", "span.id"}


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


def follow(
    files_of: Callable[[], list[Path]], query: LogQuery, *, interval: float = 1.0
) -> Generator[dict[str, Any], None, None]:
    """The matching lines so far, then new ones as they are written, until interrupted."""
    lines = search_logs(files_of(), query)
    yield from lines
    last = lines[-1]["@timestamp"] if lines else stamp(datetime.now(UTC))
    while True:
        time.sleep(interval)
        for line in search_logs(
            files_of(), LogQuery(**{**_fields(query), "after": last, "since": None})
        ):
            last = max(last, line["@timestamp"])
            yield line


def _fields(query: LogQuery) -> dict[str, Any]:
    return {name: getattr(query, name) for name in LogQuery.__slots__}


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


DataDir = Annotated[
    Path | None,
    typer.Option(help="The data directory of the platform or cluster (AGORA_DATA_DIR)."),
]


def _data_dir(data_dir: Path | None) -> Path:
    try:
        settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    except ValueError as exc:
        typer.echo(f"Invalid settings: {exc}", err=True)
        raise typer.Exit(2) from exc
    return settings.data_dir.resolve()


def logs(
    service: Annotated[
        str | None, typer.Option(help="A service (users) or an instance (users-2).")
    ] = None,
    level: Annotated[
        str | None, typer.Option(help="This level and above: debug, info, warning, error.")
    ] = None,
    trace: Annotated[str | None, typer.Option(help="The lines of one trace id.")] = None,
    request_id: Annotated[str | None, typer.Option(help="The lines of one X-Request-ID.")] = None,
    since: Annotated[str | None, typer.Option(help="Only the last 10m, 2h, 1d...")] = None,
    grep: Annotated[str | None, typer.Option(help="Lines containing this text.")] = None,
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Keep printing new lines.")
    ] = False,
    json_lines: Annotated[
        bool, typer.Option("--json", help="Print the JSON lines as stored.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (the newest).")] = 500,
    data_dir: DataDir = None,
) -> None:
    """Search the log lines of every process (the cluster's central files, or the embedded
    platform's)."""
    if level is not None and level.lower() not in LEVELS:
        typer.echo(f"error: --level is one of {', '.join(LEVELS)}", err=True)
        raise typer.Exit(2)
    try:
        window = parse_since(since) if since else None
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    query = LogQuery(service, level, trace, request_id, window, grep, limit=limit)
    logs_command(_data_dir(data_dir), query, follow_lines=follow, as_json=json_lines)


def trace(
    trace_id: Annotated[str, typer.Argument(help="The trace id (32 hex digits).")],
    data_dir: DataDir = None,
) -> None:
    """Show one request's spans, from every process, as an indented waterfall."""
    trace_command(_data_dir(data_dir), trace_id)
