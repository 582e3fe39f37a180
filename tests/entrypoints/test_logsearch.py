"""`agora logs` over JSON lines as processes write them: each filter narrows, newest last, and a
line that is not JSON (a crash's traceback) does not stop the search."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agora.entrypoints.cli import app
from agora.entrypoints.search import follow
from agora.platform.logsearch import LogQuery, log_files, parse_since, search_logs, stamp


def _line(minutes_ago: float, level: str, node: str, message: str, **extra: object) -> str:
    # Relative to when the test runs, not when the module was imported (a worker may import it
    # long before it runs it, and `--since` counts from now).
    return json.dumps(
        {
            "@timestamp": stamp(datetime.now(UTC) - timedelta(minutes=minutes_ago)),
            "log.level": level,
            "message": message,
            "service.name": node.rsplit("-", 1)[0],
            "service.node.name": node,
            "ecs.version": "8.11.0",
            "event.dataset": "agora.log",
            **extra,
        }
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    logs = tmp_path / "cluster" / "logs"
    logs.mkdir(parents=True)
    (logs / "users-1.log").write_text(
        "\n".join(
            [
                _line(60, "info", "users-1", "old news"),
                _line(3, "info", "users-1", "user_registered", **{"trace.id": "a" * 32}),
                "Traceback (most recent call last):",
                _line(2, "error", "users-1", "database down", **{"http.request.id": "r-1"}),
            ]
        )
        + "\n"
    )
    (logs / "gateway-1.log").write_text(
        _line(2.5, "info", "gateway-1", "POST /api/users/register 201", **{"trace.id": "a" * 32})
        + "\n"
        + _line(1, "warning", "gateway-1", "breaker_opened")
        + "\n"
    )
    return tmp_path


def _messages(data_dir: Path, **query: Any) -> list[str]:
    return [line["message"] for line in search_logs(log_files(data_dir), LogQuery(**query))]


def test_each_filter_narrows_and_lines_come_oldest_first(data_dir: Path) -> None:
    assert _messages(data_dir) == [
        "old news",
        "user_registered",
        "POST /api/users/register 201",
        "database down",
        "breaker_opened",
    ]
    assert _messages(data_dir, trace_id="A" * 32) == [
        "user_registered",
        "POST /api/users/register 201",
    ]
    assert _messages(data_dir, service="gateway") == [
        "POST /api/users/register 201",
        "breaker_opened",
    ]
    assert _messages(data_dir, service="users-1", level="warning") == ["database down"]
    assert _messages(data_dir, request_id="r-1") == ["database down"]
    assert _messages(data_dir, since=timedelta(minutes=10), grep="BREAKER") == ["breaker_opened"]
    assert _messages(data_dir, limit=2) == ["database down", "breaker_opened"]


def test_the_central_files_win_once_rsyslog_has_written_them(data_dir: Path) -> None:
    central = data_dir / "cluster" / "central"
    central.mkdir()
    (central / "2026-12-02.log").write_text(_line(1, "info", "users-2", "from rsyslog") + "\n")
    (central / "unparsed-2026-12-02.log").write_text("Traceback\n")
    assert [p.name for p in log_files(data_dir)] == ["2026-12-02.log"]
    assert _messages(data_dir) == ["from rsyslog"]


def test_the_command_prints_readable_lines_and_refuses_bad_options(data_dir: Path) -> None:
    runner = CliRunner()
    shown = runner.invoke(app, ["logs", "--data-dir", str(data_dir), "--level", "error"])
    assert shown.exit_code == 0, shown.output
    (line,) = shown.output.splitlines()
    assert "error" in line
    assert "users-1" in line
    assert "database down" in line
    assert "request.id=r-1" in line
    assert (
        runner.invoke(app, ["logs", "--data-dir", str(data_dir), "--since", "soon"]).exit_code == 2
    )
    assert (
        runner.invoke(app, ["logs", "--data-dir", str(data_dir), "--level", "loud"]).exit_code == 2
    )
    missing = runner.invoke(app, ["trace", "f" * 32, "--data-dir", str(data_dir)])
    assert missing.exit_code == 1


def test_since_reads_like_a_person_writes_it() -> None:
    assert parse_since("10m") == timedelta(minutes=10)
    assert parse_since("2h") == timedelta(hours=2)
    assert parse_since("90s") == timedelta(seconds=90)
    with pytest.raises(ValueError, match="like 10m"):
        parse_since("yesterday")


def test_follow_prints_what_is_there_then_what_comes(data_dir: Path) -> None:
    log = data_dir / "cluster" / "logs" / "gateway-1.log"
    lines = follow(lambda: log_files(data_dir), LogQuery(service="gateway-1"), interval=0.05)
    assert [next(lines)["message"] for _ in range(2)] == [
        "POST /api/users/register 201",
        "breaker_opened",
    ]
    with log.open("a") as out:
        out.write(_line(-0.01, "info", "gateway-1", "breaker_closed") + "\n")
    assert next(lines)["message"] == "breaker_closed"
    lines.close()
