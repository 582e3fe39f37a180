"""Requests per second and server CPU per request of the embedded platform through its gateway,
on SQLite. Reads: the public profile, the books list, the vote status (with a token), the lobby's
threads, the forum rooms, the competitions, an album's reviews, a user's timeline, the home
timeline, the ongoing sports events and one game. Writes, each by 64 registered members in turn
(with a token, through the gateway's write rate limit): moving a vote between two books, posting a
tweet, a reply in a discussion, liking and unliking a competition entry in turn, a comment on an
entry, a review of an album (a new album each time: one review per member per album).

Writes are measured against a reference in the same invocation: a bare Starlette app on the same
uvicorn (uvloop, httptools), one process pinned to the same core, whose `POST` parses the JSON
body and inserts a row and its outbox row in one `sqlite3` transaction (WAL,
`synchronous=NORMAL`, as Agora's SQLite files); no token, no rate limit, no validation.

The server is `agora up` itself (every service, demo content, tracing at its default ratio, the
JSON log file), in a process of its own pinned to core 0; the load comes from this process,
pinned to core 1: `--connections` keep-alive HTTP/1.1 connections in a closed loop, each sending
its next request when the last answer is read. CPU per request is the server process's utime +
stime (every thread: aiosqlite's included, from /proc) over the answered requests of the
measured window, the figure other load on a shared machine disturbs least. Each scenario runs
`--repeats` times in turn and the best figure is kept.

    .venv/bin/python bench/embedded.py [--seconds 5] [--repeats 2] [--connections 16]
        [--scenarios profile,books,status,discussions,rooms,competitions,album,user,home,
                     ongoing,game,vote,tweet,reply,like,comment,review]
        [--port 48600] [--profile FILE] [--baseline OLD/src]

The write rate limit is raised (`AGORA_WRITE_RATE_PER_MINUTE=100000`) so that the bench's 64
members are not refused; each write still passes through the limiter.

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
import itertools
import json
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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

import httpx
import uvloop

SERVER_CORE, LOAD_CORE = 0, 1
TICKS = os.sysconf("SC_CLK_TCK")
READS = (
    "profile",
    "books",
    "status",
    "discussions",
    "rooms",
    "competitions",
    "album",
    "user",
    "home",
    "ongoing",
    "game",
)
WRITES = ("vote", "tweet", "reply", "like", "comment", "review")
ALL_SCENARIOS = READS + WRITES
WRITERS = 64
# One review per member per album: enough albums for the measured runs' reviews at up to two
# thousand a second (WRITERS x ALBUMS distinct reviews; more would be refused with 409: at 160
# albums a run at 857 reviews a second ran out).
ALBUMS = 400
REFERENCE = "reference"


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


def _serve_reference() -> None:
    """The writes' reference server: Starlette on uvicorn as `agora up` serves (uvloop, httptools,
    no access log); `POST /api/write` inserts a row and its outbox row in one transaction."""
    import sqlite3

    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    options = argparse.ArgumentParser()
    options.add_argument("command")
    options.add_argument("--port", type=int)
    options.add_argument("--data-dir", type=Path)
    args = options.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(args.data_dir / "reference.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, "
        "content TEXT NOT NULL, created_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE outbox (id INTEGER PRIMARY KEY, event_type TEXT NOT NULL, "
        "payload TEXT NOT NULL)"
    )

    async def write(request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        now = datetime.now(UTC).isoformat()
        db.execute("BEGIN IMMEDIATE")
        try:
            row = db.execute(
                "INSERT INTO posts (user_id, content, created_at) VALUES (?, ?, ?)",
                (body["user_id"], body["content"], now),
            ).lastrowid
            post = {"id": row, "user_id": body["user_id"], "content": body["content"], "at": now}
            db.execute(
                "INSERT INTO outbox (event_type, payload) VALUES (?, ?)",
                ("post_created", json.dumps(post)),
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return JSONResponse(post, status_code=201)

    async def status(_: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    app = Starlette(routes=[Route("/api/write", write, methods=["POST"]), Route("/status", status)])
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        loop="uvloop",
        http="httptools",
        log_config=None,
        access_log=False,
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
    data_dir: Path,
    port: int,
    profile: Path | None,
    source: Path | None = None,
    kind: str = "agora",
) -> Iterator[subprocess.Popen[bytes]]:
    """`agora up` on `port`; with `source`, Agora imported from that `src` folder instead; with
    `kind=REFERENCE`, the writes' reference instead."""
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
    env["BENCH_EMBEDDED_SERVER"] = kind
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
    album_id: str


def _demo_accounts(data_dir: Path) -> dict[str, str]:
    """The demo members' passwords, which `agora up` writes beside its databases."""
    return {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (data_dir / "demo-accounts.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }


def login(client: httpx.Client, name: str, password: str) -> tuple[int, str]:
    """A member's id and access token."""
    answer = client.post("/users/login", json={"username": name, "password": password})
    body = answer.raise_for_status().json()
    return int(body["user_id"]), str(body["access_token"])


def seed(base: str, data_dir: Path) -> Seeded:
    """Log in two demo members; the admin schedules three games and makes them live with ten
    events each (the sports feed is off, so nothing else writes during the run)."""
    accounts = _demo_accounts(data_dir)
    client = httpx.Client(base_url=f"{base}/api", timeout=60)

    _, admin_token = login(client, "agora", accounts["agora"])
    member_id, _ = login(client, "tomas", accounts["tomas"])
    reader_id, reader_token = login(client, "mira", accounts["mira"])
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
    # The demo's album with the most reviews.
    albums = client.get("/users-reviews/albums").raise_for_status().json()["albums"]
    album_id = max(
        (album["albumId"] for album in albums),
        key=lambda album: len(
            client.get(f"/users-reviews/reviews/album/{album}").raise_for_status().json()["reviews"]
        ),
    )
    client.close()
    return Seeded(member_id, reader_id, reader_token, game_id, str(album_id))


def wire(method: str, target: str, *headers: str, body: object = None) -> bytes:
    """A request as bytes on the wire; `body` as JSON."""
    content = b"" if body is None else json.dumps(body).encode()
    lines = [f"{method} {target} HTTP/1.1", "Host: 127.0.0.1", *headers]
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(content)}"]
    return "\r\n".join([*lines, "", ""]).encode() + content


def requests_for(data: Seeded) -> dict[str, list[bytes]]:
    """Each scenario's requests as bytes on the wire, sent in turn."""

    def request(path: str, *headers: str) -> list[bytes]:
        return [wire("GET", f"/api{path}", *headers)]

    token = f"Authorization: Bearer {data.reader_token}"
    return {
        "profile": request(f"/users/profile/{data.member_id}"),
        # The gateway would answer an anonymous list from its response cache: `no-cache` makes
        # every request reach the voting service.
        "books": request("/books", "Cache-Control: no-cache"),
        "status": request("/vote/status", token),
        "discussions": request("/discussions"),
        "rooms": request("/forums/rooms"),
        "competitions": request("/competitions", "Cache-Control: no-cache"),
        "album": request(f"/users-reviews/reviews/album/{data.album_id}"),
        "user": request(f"/tweets/userTimeline/{data.member_id}?limit=20"),
        "home": request(f"/tweets/homeTimeline/{data.reader_id}?limit=20", token),
        "ongoing": request("/sports/ongoing-events"),
        "game": request(f"/sports/games/{data.game_id}"),
    }


def seed_writes(base: str, data_dir: Path) -> dict[str, list[bytes]]:
    """Register `WRITERS` members; the admin opens a competition (eight of the members submit an
    entry), a discussion and `ALBUMS` albums. Each write scenario's requests go round the members,
    so that a member's next write comes `WRITERS` requests later."""
    client = httpx.Client(base_url=f"{base}/api", timeout=60)
    password = "bench writer password"

    def post(path: str, token: str, body: dict[str, object]) -> dict[str, object]:
        answer = client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
        return dict(answer.raise_for_status().json())

    _, admin = login(client, "agora", _demo_accounts(data_dir)["agora"])
    tokens = []
    for number in range(WRITERS):
        name = f"benchwriter{number}"
        client.post(
            "/users/register", json={"username": name, "password": password}
        ).raise_for_status()
        tokens.append(login(client, name, password)[1])
    books = client.get("/books", headers={"Cache-Control": "no-cache"}).raise_for_status().json()
    first, second = (book["id"] for book in books["books"][:2])
    thread = post("/discussion", admin, {"title": "Bench thread", "content": "Replies below."})
    now = datetime.now(UTC)
    competition = post(
        "/competitions",
        admin,
        {
            "title": "Bench competition",
            "start_date": (now - timedelta(hours=1)).isoformat(),
            "end_date": (now + timedelta(days=1)).isoformat(),
        },
    )
    contest = competition["competition_id"]
    entries = [
        post(f"/competitions/{contest}/submit", tokens[n], {"title": f"Entry {n}", "content": "x"})[
            "submission_id"
        ]
        for n in range(8)
    ]
    albums = [
        post(
            "/users-reviews/albums",
            admin,
            {"title": f"Bench album {n}", "artist": "Bench", "genre": "Bench"},
        )["albumId"]
        for n in range(ALBUMS)
    ]
    client.close()
    bearer = [f"Authorization: Bearer {token}" for token in tokens]
    # A writer likes and comments on another member's entry than their own.
    entry = [f"/api/competitions/{contest}/{{}}/{entries[(n + 1) % 8]}" for n in range(WRITERS)]
    return {
        "vote": [
            wire("POST", "/api/vote", bearer[n], body={"book_id": book})
            for book in (first, second)
            for n in range(WRITERS)
        ],
        "tweet": [
            wire("POST", "/api/tweets", bearer[n], body={"content": f"Bench tweet by {n}"})
            for n in range(WRITERS)
        ],
        "reply": [
            wire(
                "POST",
                f"/api/discussions/{thread['thread_id']}/reply",
                bearer[n],
                body={"content": f"Bench reply by {n}"},
            )
            for n in range(WRITERS)
        ],
        "like": [
            wire(method, entry[n].format("like"), bearer[n])
            for method in ("POST", "DELETE")
            for n in range(WRITERS)
        ],
        "comment": [
            wire("POST", entry[n].format("comment"), bearer[n], body={"content": f"Nice, {n}"})
            for n in range(WRITERS)
        ],
        "review": [
            wire(
                "POST",
                "/api/users-reviews/reviews",
                bearer[n],
                body={"albumId": album, "rating": 4.5, "reviewText": "Bench review"},
            )
            for album in albums
            for n in range(WRITERS)
        ],
    }


def reference_requests() -> list[bytes]:
    """The reference's write: as large as a tweet, by each of `WRITERS` members in turn."""
    return [
        wire("POST", "/api/write", body={"user_id": n, "content": f"Bench tweet by {n}"})
        for n in range(WRITERS)
    ]


# ---------------------------------------------------------------- the load


@dataclass
class Window:
    answered: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


async def _connection(port: int, requests: Iterator[bytes], until: float, window: Window) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while (started := time.perf_counter()) < until:
            writer.write(next(requests))
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


async def closed_loop(
    port: int, requests: Iterator[bytes], connections: int, seconds: float
) -> Window:
    """The connections take their requests in turn from `requests` (shared: one member's
    writes stay `WRITERS` requests apart)."""
    window = Window()
    until = time.perf_counter() + seconds
    await asyncio.gather(*(_connection(port, requests, until, window) for _ in range(connections)))
    return window


@dataclass(frozen=True, slots=True)
class Result:
    rate: float
    cpu_us: float
    p50_ms: float
    p99_ms: float
    errors: int


def measure(pid: int, port: int, requests: Iterator[bytes], args: argparse.Namespace) -> Result:
    uvloop.run(closed_loop(port, requests, args.connections, 1.0))  # warm up
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    window = uvloop.run(closed_loop(port, requests, args.connections, args.seconds))
    cpu, wall = cpu_seconds(pid) - cpu_before, time.perf_counter() - wall_before
    cuts = statistics.quantiles(window.latencies, n=100)
    errors = sum(n for status, n in window.statuses.items() if status not in (200, 201))
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
    requests: dict[str, Iterator[bytes]]
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
    writes = [name for name in names if name in WRITES]
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
                requests = requests_for(seed(base, data_dir))
                if writes:
                    requests |= seed_writes(base, data_dir)
                cycles: dict[str, Iterator[bytes]] = {
                    name: itertools.cycle(sent) for name, sent in requests.items()
                }
                servers.append(Server(label, process, port, cycles))
                port += 1
            reference = None
            if writes:
                port = _free_port(port)
                process = stack.enter_context(
                    serve(workdir / REFERENCE / "data", port, None, kind=REFERENCE)
                )
                wait_ready(f"http://127.0.0.1:{port}", process)
                cycle = itertools.cycle(reference_requests())
                reference = Server(REFERENCE, process, port, {REFERENCE: cycle})
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
                        _keep_best(server, name, args)
                if reference is not None:
                    _keep_best(reference, REFERENCE, args)
            if profile is not None:
                servers[-1].process.send_signal(signal.SIGUSR2)
                time.sleep(1)
            for server in servers:
                print(f"\n## {server.label}")
                print(f"server idle (jobs, relays): {server.idle * 1000:.1f} ms of CPU per second")
                _table(server, names)
            if reference is not None:
                print(f"\n## {REFERENCE} (Starlette + sqlite3: a row and its outbox row)")
                _table(reference, [REFERENCE])
                kept = reference.best[REFERENCE]
                print(f"\n## {servers[-1].label} / {REFERENCE} (cpu us/req: below 1 is cheaper)")
                for name in writes:
                    r = servers[-1].best[name]
                    print(
                        f"{name:10} cpu/req {r.cpu_us / kept.cpu_us:5.2f}   "
                        f"req/s {r.rate / kept.rate:5.2f}"
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


def _keep_best(server: Server, name: str, args: argparse.Namespace) -> None:
    """Measure one scenario on one server; keep the run with the least CPU per request."""
    result = measure(server.process.pid, server.port, server.requests[name], args)
    kept = server.best.get(name)
    if kept is None or result.cpu_us < kept.cpu_us:
        server.best[name] = result


def _table(server: Server, names: Sequence[str]) -> None:
    print(f"{'scenario':10} {'req/s':>7} {'cpu us/req':>11} {'p50 ms':>8} {'p99 ms':>8}")
    for name in names:
        r = server.best[name]
        errors = f"   ({r.errors} not 200/201)" if r.errors else ""
        print(f"{name:10} {r.rate:7.0f} {r.cpu_us:11.1f} {r.p50_ms:8.2f} {r.p99_ms:8.2f}{errors}")


if __name__ == "__main__":
    if os.environ.get("BENCH_EMBEDDED_SERVER") == REFERENCE:
        _serve_reference()
    elif os.environ.get("BENCH_EMBEDDED_SERVER"):
        _serve_child()
    else:
        main()
