"""`agora up` on a terminal, as `make run` starts it: a readable screen that ends with the banner
(URLs and demo accounts), no JSON line on it, while the JSON lines and the spans of each request
still land in the data dir for `agora logs` and `agora trace`."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agora.entrypoints.cluster import free_port
from agora.entrypoints.search import waterfall
from agora.platform.logsearch import LogQuery, find_trace, log_files, search_logs

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TRACE_ID = "5e1f7a0b9c3d4e2fa6b7c8d9e0f1a2b3"
TRACEPARENT = f"00-{TRACE_ID}-a1b2c3d4e5f60718-01"


class Terminal:
    """A process whose stdout and stderr are a pseudo-terminal, and what it has shown."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen(  # noqa: S603 - our own CLI
            args, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd, close_fds=True
        )
        os.close(slave)
        self.screen = ""

    def read(self, seconds: float) -> str:
        """What the process prints within `seconds`."""
        until = time.monotonic() + seconds
        new = ""
        while (left := until - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:
                break
            new += chunk
        self.screen += new
        return new

    def wait_for(self, text: str, within: float) -> None:
        until = time.monotonic() + within
        while text not in self.screen:
            assert time.monotonic() < until, f"{text!r} never appeared:\n{self.screen[-3000:]}"
            assert self.proc.poll() is None, f"exited early:\n{self.screen[-3000:]}"
            self.read(0.5)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        with contextlib.suppress(OSError):
            os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[tuple[Terminal, str, Path]]:
    port = free_port()
    data = tmp_path / "data"
    env = {
        **os.environ,
        "AGORA_PORT": str(port),
        "AGORA_DATA_DIR": str(data),
        "AGORA_SPORTS_FEED": "false",
        "AGORA_ARGON2_TIME_COST": "1",
        "AGORA_ARGON2_MEMORY_KIB": "1024",
        "AGORA_ARGON2_PARALLELISM": "1",
        "TERM": "xterm",
        "COLUMNS": "120",
    }
    for key in ("AGORA_LOG_JSON", "AGORA_OTLP_ENDPOINT", "AGORA_TOPOLOGY"):
        env.pop(key, None)
    running = Terminal([sys.executable, "-m", "agora.entrypoints", "up"], env, tmp_path)
    try:
        yield running, f"http://127.0.0.1:{port}", data
    finally:
        running.stop()


def test_the_screen_is_readable_and_ends_with_the_banner(
    terminal: tuple[Terminal, str, Path],
) -> None:
    screen, base, data = terminal
    screen.wait_for("Press Ctrl-C to stop.", within=150)
    with httpx.Client(base_url=base, timeout=10) as http:
        books = http.get("/api/books", headers={"traceparent": TRACEPARENT})
        assert books.status_code == 200
        assert books.headers["traceparent"].split("-")[1] == TRACE_ID
        refused = http.post("/api/users/login", json={"username": "agora", "password": "nope!"})
        assert refused.status_code == 401
    after_banner = screen.read(2.0)
    text = _ANSI.sub("", screen.screen)
    lines = [line for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if line.lstrip().startswith("{")], text
    # Short: the milestones and the banner, not every migration step and demo request.
    assert "Running upgrade" not in text
    assert "HTTP Request" not in text
    assert len(lines) < 40, text
    banner_at = max(i for i, line in enumerate(lines) if "Agora is running" in line)
    banner = lines[banner_at:]
    assert any("web UI" in line and base in line for line in banner)
    assert any("(admin)" in line for line in banner)  # the demo accounts
    assert banner[-1].strip() == "Press Ctrl-C to stop."
    # Requests are DEBUG on a terminal: nothing is printed below the banner.
    assert _ANSI.sub("", after_banner).strip() == ""

    # The JSON lines and spans were kept in the data dir all the same.
    screen.stop()
    found = search_logs(log_files(data), LogQuery(trace_id=TRACE_ID))
    assert [line["url.path"] for line in found if line["event.dataset"] == "agora.access"] == [
        "/api/books"
    ]
    spans = find_trace(data, TRACE_ID)
    by_id = {span["span_id"]: span for span in spans}
    (gateway,) = [span for span in spans if span["name"] == "GET /api/books"]
    assert gateway["parent_id"] == "a1b2c3d4e5f60718"  # the caller's span
    (service,) = [span for span in spans if span["name"] == "GET /books"]
    assert service["parent_id"] == gateway["span_id"]
    queries = [span for span in spans if span["kind"] == "client"]
    assert queries
    assert all(by_id[span["parent_id"]] is service for span in queries)
    assert "GET /books" in waterfall(spans)
