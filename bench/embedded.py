"""Requests per second and server CPU per request of the embedded platform's reads, through its
gateway, on SQLite: the public profile, the books list, a user's timeline, the home timeline, the
ongoing sports events and one game.

The server is `agora up` itself (every service, demo content, tracing at its default ratio, the
JSON log file), in a process of its own pinned to core 0; the load comes from this process,
pinned to core 1: `--connections` keep-alive HTTP/1.1 connections in a closed loop, each sending
its next request when the last answer is read. CPU per request is the server process's utime +
stime (every thread: aiosqlite's included, from /proc) over the answered requests of the
measured window, the figure other load on a shared machine disturbs least. Each scenario runs
`--repeats` times in turn and the best figure is kept.

    .venv/bin/python bench/embedded.py [--seconds 5] [--repeats 2] [--connections 16]
        [--scenarios profile,books,user,home,ongoing,game] [--port 48600] [--profile FILE]
        [--baseline OLD/src]

`--baseline OLD/src` serves a second `agora up` from another copy of the sources (for instance
`git archive <commit> src | tar -x -C /tmp/old`), and measures the two in turn, scenario by
scenario, in the same invocation: the before/after of a change, under the same load.

`--profile FILE` also samples the server's event loop thread during the measured runs and writes
the functions' shares of the samples to FILE (and the stacks, collapsed, beside it).
Loopback only; the data directory is temporary and removed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform as host
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx
import uvloop

SERVER_CORE, LOAD_CORE = 0, 1
TICKS = os.sysconf("SC_CLK_TCK")
ALL_SCENARIOS = ("profile", "books", "user", "home", "ongoing", "game")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, every thread (fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _free_port(start: int) -> int:
    for port in range(start, start + 200):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port from {start}")


# ---------------------------------------------------------------- the server


class Sampler:
    """A sampling profiler of the server (py-spy is not in the environment): each millisecond of
    the process's CPU time (`ITIMER_PROF`), the stack the main thread is running; `stop` writes each
    function's share of the samples in which it was on the stack (inclusive) and at its top
    (self). A sample taken while the CPU went to another thread (aiosqlite's) shows where the event
    loop was."""

    def __init__(self, interval: float = 0.001) -> None:
        self.interval = interval
        self.stacks: Counter[tuple[str, ...]] = Counter()

    def start(self) -> None:
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def _sample(self, _signum: int, frame: FrameType | None) -> None:
        stack = []
        while frame is not None:
            code = frame.f_code
            where = code.co_filename.rsplit("site-packages/", 1)[-1].rsplit("/src/", 1)[-1]
            stack.append(f"{code.co_name} ({where}:{code.co_firstlineno})")
            frame = frame.f_back
        self.stacks[tuple(reversed(stack))] += 1

    def stop(self, out: Path) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        total = sum(self.stacks.values()) or 1
        inclusive: Counter[str] = Counter()
        own: Counter[str] = Counter()
        for stack, count in self.stacks.items():
            for name in set(stack):
                inclusive[name] += count
            own[stack[-1]] += count
        lines = [
            f"{total} samples, one per {self.interval * 1000:g} ms of the process's CPU time",
            "",
        ]
        lines.append("inclusive:")
        lines += [f"{n / total:7.1%}  {name}" for name, n in inclusive.most_common(120)]
        lines += ["", "self:"]
        lines += [f"{n / total:7.1%}  {name}" for name, n in own.most_common(60)]
        out.write_text("\n".join(lines) + "\n")
        collapsed = out.with_suffix(".collapsed")
        collapsed.write_text(
            "".join(f"{';'.join(stack)} {n}\n" for stack, n in self.stacks.most_common())
        )


def _serve_child() -> None:
    """The server process: `agora up`, with the sampler on SIGUSR1 and its report on SIGUSR2."""
    from agora.entrypoints.cli import main as agora

    out = os.environ.get("BENCH_EMBEDDED_PROFILE")
    if out:
        sampler = Sampler()
        signal.signal(signal.SIGUSR1, lambda *_: sampler.start())
        signal.signal(signal.SIGUSR2, lambda *_: sampler.stop(Path(out)))
    sys.argv = ["agora", *sys.argv[1:]]
    agora()


@contextlib.contextmanager
def serve(
    data_dir: Path, port: int, profile: Path | None, source: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`agora up` on `port`; with `source`, Agora imported from that `src` folder instead."""
    env = {
        **os.environ,
        "AGORA_SPORTS_FEED": "false",
        "AGORA_DEMO_CONTENT": "true",
        "AGORA_WRITE_RATE_PER_MINUTE": "100000",
    }
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), env.get("PYTHONPATH", "")])
    if profile is not None:
        env["BENCH_EMBEDDED_PROFILE"] = str(profile)
    env["BENCH_EMBEDDED_SERVER"] = "1"
    command = [sys.executable, __file__, "up", "--port", str(port), "--data-dir", str(data_dir)]
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with (data_dir.parent / "server.err").open("wb") as err:
        server = subprocess.Popen(  # noqa: S603
            command,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
            preexec_fn=lambda: os.sched_setaffinity(0, {SERVER_CORE}),
        )
    try:
        yield server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base}/status", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError("the server did not become ready")


# ---------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class Seeded:
    member_id: int
    reader_id: int
    reader_token: str
    game_id: int


def seed(base: str, data_dir: Path) -> Seeded:
    """Log in two demo members; the admin schedules three games and makes them live with ten
    events each (the sports feed is off, so nothing else writes during the run)."""
    accounts = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (data_dir / "demo-accounts.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }
    client = httpx.Client(base_url=f"{base}/api", timeout=60)

    def login(name: str) -> tuple[int, str]:
        answer = client.post("/users/login", json={"username": name, "password": accounts[name]})
        answer.raise_for_status()
        body = answer.json()
        return int(body["user_id"]), str(body["access_token"])

    _, admin_token = login("agora")
    member_id, _ = login("tomas")
    reader_id, reader_token = login("mira")
    admin = {"Authorization": f"Bearer {admin_token}"}
    categories = client.get("/sports/categories").json()["data"]
    if categories:
        category_id = categories[0]["category_id"]
    else:
        created = client.post(
            "/sports/categories", json={"category_name": "Football"}, headers=admin
        )
        created.raise_for_status()
        category_id = created.json()["data"]["category_id"]
    game_id = 0
    for number in range(3):
        game = {
            "category_id": category_id,
            "team_1": f"Bench Home {number}",
            "team_2": f"Bench Away {number}",
            "start_time": "2026-01-01T12:00:00Z",
        }
        created = client.post("/sports/games", json=game, headers=admin)
        created.raise_for_status()
        game_id = int(created.json()["data"]["game_id"])
        events = [{"event_type": "period_start"}]
        events += [
            {"event_type": "goal", "team": "team_1" if i % 2 else "team_2"} for i in range(9)
        ]
        for event in events:
            client.post(
                f"/sports/games/{game_id}/events", json=event, headers=admin
            ).raise_for_status()
    client.close()
    return Seeded(member_id, reader_id, reader_token, game_id)


def requests_for(data: Seeded) -> dict[str, bytes]:
    """Each scenario's request as bytes on the wire."""

    def request(path: str, *headers: str) -> bytes:
        lines = [f"GET /api{path} HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]
        return "\r\n".join(lines).encode()

    token = f"Authorization: Bearer {data.reader_token}"
    return {
        "profile": request(f"/users/profile/{data.member_id}"),
        # The gateway would answer an anonymous list from its response cache: `no-cache` makes
        # every request reach the voting service.
        "books": request("/books", "Cache-Control: no-cache"),
        "user": request(f"/tweets/userTimeline/{data.member_id}?limit=20"),
        "home": request(f"/tweets/homeTimeline/{data.reader_id}?limit=20", token),
        "ongoing": request("/sports/ongoing-events"),
        "game": request(f"/sports/games/{data.game_id}"),
    }


# ---------------------------------------------------------------- the load


@dataclass
class Window:
    answered: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


async def _connection(port: int, request: bytes, until: float, window: Window) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (started := time.perf_counter()) < until:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            lowered = head.lower()
            at = lowered.find(b"\r\ncontent-length:")
            if at < 0:
                raise RuntimeError(f"an answer without Content-Length: {head[:200]!r}")
            length = int(lowered[at + 17 : lowered.index(b"\r\n", at + 2)])
            await reader.readexactly(length)
            window.latencies.append(time.perf_counter() - started)
            window.statuses[status] += 1
            window.answered += 1
    finally:
        writer.close()


async def closed_loop(port: int, request: bytes, connections: int, seconds: float) -> Window:
    window = Window()
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(port, request, until, window) for _ in range(connections)))
    return window


@dataclass(frozen=True, slots=True)
class Result:
    rate: float
    cpu_us: float
    p50_ms: float
    p99_ms: float
    errors: int


def measure(pid: int, port: int, request: bytes, args: argparse.Namespace) -> Result:
    uvloop.run(closed_loop(port, request, args.connections, 1.0))  # warm up
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    window = uvloop.run(closed_loop(port, request, args.connections, args.seconds))
    cpu, wall = cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
    cuts = statistics.quantiles(window.latencies, n=100)
    errors = sum(n for status, n in window.statuses.items() if status != 200)
    return Result(
        rate=window.answered / wall,
        cpu_us=cpu / max(window.answered, 1) * 1e6,
        p50_ms=cuts[49] * 1000,
        p99_ms=cuts[98] * 1000,
        errors=errors,
    )


def measure_idle(pid: int, seconds: float) -> float:
    """The server's CPU seconds per second with no request: its background work (outbox relays,
    jobs), which the figures per request include."""
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return (cpu_seconds(pid) - before) / seconds


@dataclass
class Server:
    label: str
    process: subprocess.Popen[bytes]
    port: int
    requests: dict[str, bytes]
    idle: float = 0.0
    best: dict[str, Result] = field(default_factory=dict)


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--scenarios", default=",".join(ALL_SCENARIOS))
    parser.add_argument("--port", type=int, default=48600, help="first port to try")
    parser.add_argument("--profile", type=Path, help="sample the server's stacks into this file")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="also serve Agora from this src folder (e.g. an exported older commit), measured "
        "in turn with this tree, scenario by scenario, and print the ratios",
    )
    args = parser.parse_args()
    names = [name for name in args.scenarios.split(",") if name]
    unknown = set(names) - set(ALL_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    os.sched_setaffinity(0, {LOAD_CORE})
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-embedded-"))
    profile = args.profile.resolve() if args.profile else None
    sources: list[tuple[str, Path | None]] = [("this tree", None)]
    if args.baseline is not None:
        sources.insert(0, ("baseline", args.baseline.resolve()))
    try:
        with contextlib.ExitStack() as stack:
            servers: list[Server] = []
            port = args.port
            for number, (label, source) in enumerate(sources):
                port = _free_port(port)
                data_dir = workdir / f"server{number}" / "data"
                process = stack.enter_context(serve(data_dir, port, profile, source))
                base = f"http://127.0.0.1:{port}"
                wait_ready(base, process)
                servers.append(Server(label, process, port, requests_for(seed(base, data_dir))))
                port += 1
            print(
                f"# bench/embedded.py  {host.machine()}, Python {host.python_version()}, "
                f"{args.connections} connections, {args.seconds:g} s x {args.repeats}, "
                f"load average {_load()}"
            )
            for server in servers:
                server.idle = measure_idle(server.process.pid, 5.0)
            if profile is not None:
                servers[-1].process.send_signal(signal.SIGUSR1)
            for _ in range(args.repeats):
                for name in names:
                    for server in servers:
                        result = measure(
                            server.process.pid, server.port, server.requests[name], args
                        )
                        kept = server.best.get(name)
                        if kept is None or result.cpu_us < kept.cpu_us:
                            server.best[name] = result
            if profile is not None:
                servers[-1].process.send_signal(signal.SIGUSR2)
                time.sleep(1)
            for server in servers:
                print(f"\n## {server.label}")
                print(f"server idle (jobs, relays): {server.idle * 1000:.1f} ms of CPU per second")
                print(
                    f"{'scenario':10} {'req/s':>7} {'cpu us/req':>11} {'p50 ms':>8} {'p99 ms':>8}"
                )
                for name in names:
                    r = server.best[name]
                    errors = f"   ({r.errors} non-200)" if r.errors else ""
                    print(
                        f"{name:10} {r.rate:7.0f} {r.cpu_us:11.1f} {r.p50_ms:8.2f} "
                        f"{r.p99_ms:8.2f}{errors}"
                    )
            if len(servers) == 2:
                before, after = servers
                print("\n## this tree / baseline (cpu us/req: below 1 is cheaper)")
                print(f"idle CPU: {after.idle / max(before.idle, 1e-9):.2f}")
                for name in names:
                    ratio = after.best[name].cpu_us / before.best[name].cpu_us
                    print(f"{name:10} cpu/req {ratio:5.2f}")
            print(f"\nload average at the end {_load()}")
            print("one core: requests/s = 1e6 / cpu us/req when the server has core 0 to itself")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if os.environ.get("BENCH_EMBEDDED_SERVER"):
        _serve_child()
    else:
        main()
