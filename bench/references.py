"""How much CPU does Agora spend per request, next to the seeds' own stacks? The same endpoints
served by Agora's cluster replicas, by Flask + gunicorn with psycopg, and by Express +
node-postgres, from the same PostgreSQL rows, in one invocation; plus the gateway hop (Agora's
gateway against an Express http-proxy in front of the same users replica), twice: `gateway`, the
proxies' CPU per request with every server on core 0; `hop`, issue 17's bar for the gateway (added
p50, throughput as a share of the direct one) with each proxy on a core of its own, and, when
Debian's `haproxy` is installed, the cluster's edge (`agora edge`, decision 0050: HAProxy from the
route table, one thread) and a bare HAProxy beside them: what a compiled proxy's hop costs here.

Every server process is pinned to core 0, the load generators to core 1. For each scenario and
server it reports the throughput of a closed loop (wrk), p50/p99 of an open loop at a fixed rate,
and the server's CPU time (utime + stime from /proc) per answered request, which a shared machine
disturbs least; each run is repeated and the best figure kept. The references are installed from
PyPI and npm into a throwaway directory (`--refs-dir`), never into Agora's environment.

    .venv/bin/python bench/references.py [--seconds 5] [--repeats 2] [--rate 200]
        [--scenarios profile,books,vote,home,gateway,hop] [--base-port 56000]
        [--profile DIR]   (py-spy's raw stacks of Agora's server during its first closed loop of
                           each scenario, DIR/<scenario>.txt; py-spy needs root or ptrace rights)

Needs PostgreSQL and Redis on this machine, wrk, Node 20 with npm, and access to PyPI and npm on
the first run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import httpx

from agora.entrypoints.cluster import ClusterPlan
from agora.platform.auth.keys import ensure_keypair
from benchcluster import (
    POSTGRES,
    bench_cluster,
    cpu_seconds,
    port_range,
    private_postgres,
    process_tree,
)

HERE = Path(__file__).resolve().parent / "refs"
SERVICES = ["users", "voting", "timeline"]
PYPI_PACKAGES = [
    "flask==3.1.3",
    "gunicorn==27.0.1",
    "psycopg[binary,pool]==3.3.9",
    "pyjwt[crypto]==2.15.1",
]
NPM_PACKAGES = ["express@5.3.0", "pg@8.23.1", "http-proxy@1.18.1"]
SERVER_CORE, LOAD_CORE = "0", "1"


# ---------------------------------------------------------------- processes and CPU


def pin(pid: int, core: str) -> None:
    for member in process_tree(pid):
        subprocess.run(["taskset", "-pc", core, str(member)], check=True, capture_output=True)  # noqa: S603, S607


# ---------------------------------------------------------------- the references


def install_references(refs_dir: Path) -> tuple[Path, Path]:
    """A virtualenv with Flask, gunicorn and psycopg, and a node_modules with Express, pg and
    http-proxy, made once under `refs_dir`."""
    venv, node = refs_dir / "venv", refs_dir / "node"
    stamp = refs_dir / ("installed-" + "-".join(PYPI_PACKAGES + NPM_PACKAGES).replace("/", "_"))
    if not stamp.exists():
        print(f"installing the references into {refs_dir} (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)  # noqa: S603
        pip = [str(venv / "bin" / "pip"), "install", "--quiet", *PYPI_PACKAGES]
        subprocess.run(pip, check=True)  # noqa: S603
        node.mkdir(parents=True, exist_ok=True)
        (node / "package.json").write_text('{"private": true}\n')
        npm = ["npm", "install", "--silent", "--no-audit", "--no-fund", *NPM_PACKAGES]
        subprocess.run(npm, cwd=node, check=True)  # noqa: S603
        stamp.touch()
    return venv, node


@dataclass
class Server:
    """One process tree under test, its base URL, and how to stop it."""

    name: str
    url: str
    proc: subprocess.Popen[bytes] | None = None
    pid: int = 0

    def pids(self) -> list[int]:
        return process_tree(self.pid)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


HAPROXY_CONFIG = """\
global
    nbthread 1
    maxconn 4096
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    http-reuse always
frontend gateway
    bind 127.0.0.1:{port}
    http-request set-path %[path,regsub(^/api,)]
    default_backend users
backend users
    server users-1 127.0.0.1:{upstream}
"""


def start_haproxy(port: int, upstream: int, workdir: Path, log: Path) -> Server:
    """HAProxy in front of the users replica, mapping `/api/...` to it as the gateways do: what a
    compiled proxy's hop costs on this machine, beside the two gateways (hop scenario only)."""
    config = workdir / "haproxy.cfg"
    config.write_text(HAPROXY_CONFIG.format(port=port, upstream=upstream))
    return start_reference(
        "haproxy (C)", ["haproxy", "-db", "-f", str(config)], {}, port, log, "/api/users/profile/1"
    )


def _wait_ready(url: str, timeout: float = 30) -> None:
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def start_reference(
    name: str, command: list[str], env: dict[str, str], port: int, log: Path, ready: str
) -> Server:
    with log.open("ab") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own reference servers
            ["taskset", "-c", SERVER_CORE, *command],  # noqa: S607
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(name, f"http://127.0.0.1:{port}", proc, proc.pid)
    try:
        _wait_ready(server.url + ready)
    except RuntimeError:
        server.stop()
        print(log.read_text()[-3000:], file=sys.stderr)
        raise
    return server


# ---------------------------------------------------------------- load


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    bodies: list[str] = field(default_factory=list)  # taken in turn (a vote that keeps moving)


@dataclass
class Result:
    rps: float = 0.0
    cpu_us: float = float("inf")
    p50: float = float("inf")
    p99: float = float("inf")
    errors: int = 0

    def keep_best(self, other: Result) -> None:
        self.rps = max(self.rps, other.rps)
        self.cpu_us = min(self.cpu_us, other.cpu_us)
        if other.p50 < self.p50:
            self.p50, self.p99 = other.p50, other.p99
        self.errors += other.errors


def _wrk_script(request: Request, directory: Path) -> Path:
    bodies = ", ".join(json.dumps(body) for body in request.bodies) or '""'
    headers = "".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}\n" for k, v in request.headers.items()
    )
    script = directory / f"wrk-{uuid.uuid4().hex[:8]}.lua"
    script.write_text(
        f'wrk.method = "{request.method}"\n{headers}'
        f"local bodies = {{{bodies}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format(nil, nil, nil, bodies[(i % #bodies) + 1])\nend\n"
        "errors = 0\nresponse = function(status)\n"
        "  if status >= 400 then errors = errors + 1 end\nend\n"
    )
    return script


def closed_loop(
    url: str, request: Request, seconds: float, connections: int, pids: list[int], workdir: Path
) -> tuple[float, float, int]:
    """wrk on the load core: (requests/s, server CPU µs per request, non-2xx answers)."""
    script = _wrk_script(request, workdir)
    before = cpu_seconds(pids)
    out = subprocess.run(  # noqa: S603 - wrk with arguments we built
        [
            *("taskset", "-c", LOAD_CORE, "wrk", "-t1", f"-c{connections}"),
            *(f"-d{max(1, round(seconds))}s", "-s", str(script), url + request.path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    used = cpu_seconds(pids) - before
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, used / max(total, 1) * 1e6, int(bad.group(1)) if bad else 0


async def open_loop(
    url: str, request: Request, rate: float, seconds: float
) -> tuple[float, float, int]:
    """One request every 1/rate seconds whatever the answers do: (p50 ms, p99 ms, errors)."""
    latencies: list[float] = []
    errors = 0
    bodies = itertools.cycle(request.bodies or [""])
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:

        async def one(body: str) -> None:
            nonlocal errors
            started = time.perf_counter()
            async with session.request(
                request.method, url + request.path, headers=request.headers, data=body or None
            ) as response:
                await response.read()
                if response.status >= 400:
                    errors += 1
            latencies.append(time.perf_counter() - started)

        tasks = []
        begin = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = begin + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(next(bodies))))
        await asyncio.gather(*tasks)
    cuts = statistics.quantiles(latencies, n=100)
    return cuts[49] * 1000, cuts[98] * 1000, errors


# ---------------------------------------------------------------- the data


@dataclass
class Seeded:
    user_ids: list[int]
    tokens: list[str]
    book_ids: list[int]


def seed(gateway: str, users: int, tweets: int) -> Seeded:
    """Members (the first is the admin), a follow graph, books on the open poll, tweets, votes; all
    through Agora's API, so every row is one Agora made."""
    client = httpx.Client(base_url=f"{gateway}/api", timeout=60)
    password = "correct horse battery staple"
    user_ids, tokens = [], []
    for index in range(users):
        name = f"bench{index}"
        registered = client.post("/users/register", json={"username": name, "password": password})
        registered.raise_for_status()
        user_ids.append(int(registered.json()["user_id"]))
        login = client.post("/users/login", json={"username": name, "password": password})
        login.raise_for_status()
        tokens.append(login.json()["access_token"])

    def auth(index: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[index]}"}

    for index, user_id in enumerate(user_ids):
        for step in range(1, min(10, users - 1) + 1):
            followee = user_ids[(index + step) % users]
            client.post(
                f"/users/{user_id}/follow",
                json={"followUserId": str(followee)},
                headers=auth(index),
            ).raise_for_status()
    book_ids = []
    for number in range(8):
        book = {"title": f"Benchmark book {number}", "author": f"Author {number}"}
        created = client.post("/books", json=book, headers=auth(0))
        created.raise_for_status()
        book_ids.append(int(created.json()["id"]))
    for index, user_id in enumerate(user_ids):
        vote = {"book_id": book_ids[index % len(book_ids)]}
        client.post("/vote", json=vote, headers=auth(index)).raise_for_status()
        for number in range(tweets):
            tweet = {"userId": str(user_id), "content": f"tweet {number} of {user_id}"}
            client.post("/tweets", json=tweet, headers=auth(index)).raise_for_status()
    # The timeline learns the follow graph from the users service's events: wait until the first
    # member's home timeline is full.
    until = time.monotonic() + 60
    while time.monotonic() < until:
        page = client.get(f"/tweets/homeTimeline/{user_ids[0]}?limit=50", headers=auth(0)).json()
        if len(page.get("tweets", [])) >= 50:
            break
        time.sleep(0.5)
    else:
        raise RuntimeError("the timeline service did not receive the follow graph in time")
    client.close()
    return Seeded(user_ids, tokens, book_ids)


# ---------------------------------------------------------------- the run


def scenarios(data: Seeded) -> dict[str, Request]:
    voter = {"Authorization": f"Bearer {data.tokens[1]}", "Content-Type": "application/json"}
    return {
        "profile": Request("GET", f"/users/profile/{data.user_ids[2]}"),
        "books": Request("GET", "/books"),
        # Each request moves the voter's vote to the other book: a real write every time.
        "vote": Request(
            "POST",
            "/vote",
            voter,
            [json.dumps({"book_id": data.book_ids[0]}), json.dumps({"book_id": data.book_ids[1]})],
        ),
        "home": Request(
            "GET",
            f"/tweets/homeTimeline/{data.user_ids[1]}?limit=20",
            {"Authorization": f"Bearer {data.tokens[1]}"},
        ),
    }


def profiled(pid: int, path: Path, seconds: float) -> subprocess.Popen[bytes]:
    """py-spy sampling `pid` for `seconds` into `path` (raw: one collapsed stack per line with its
    count), from the load core."""
    command = [
        *("taskset", "-c", LOAD_CORE, str(Path(sys.executable).with_name("py-spy")), "record"),
        *("--rate", "250", "--format", "raw", "--output", str(path)),
        *("--duration", str(max(1, round(seconds))), "--pid", str(pid)),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603


def measure(
    label: str,
    servers: dict[str, tuple[Server, str, list[int]]],
    request: Request,
    args: argparse.Namespace,
    workdir: Path,
) -> dict[str, Result]:
    """Every server, `repeats` times in turn; the best of each figure. With `--profile`, the first
    server's first closed loop is sampled (its CPU figure then includes py-spy's pauses)."""
    results = {name: Result() for name in servers}
    for _server, url, pids in servers.values():  # warm pools, caches, JITs
        closed_loop(url, request, 1, args.connections, pids, workdir)
    for repeat in range(args.repeats):
        for index, (name, (_server, url, pids)) in enumerate(servers.items()):
            profiler = None
            if args.profile is not None and repeat == 0 and index == 0:
                args.profile.mkdir(parents=True, exist_ok=True)
                out = args.profile / f"{label.split()[0]}.txt"
                profiler = profiled(pids[0], out, args.seconds)
            rps, cpu_us, bad = closed_loop(
                url, request, args.seconds, args.connections, pids, workdir
            )
            if profiler is not None:
                profiler.wait()
            p50, p99, errors = asyncio.run(open_loop(url, request, args.rate, args.seconds))
            results[name].keep_best(Result(rps, cpu_us, p50, p99, bad + errors))
    print(f"\n{label}: {request.method} {request.path}", flush=True)
    print(f"  {'server':18} {'req/s':>8} {'cpu us/req':>11} {'p50 ms':>8} {'p99 ms':>8} errors")
    for name, result in results.items():
        print(
            f"  {name:18} {result.rps:8.0f} {result.cpu_us:11.1f} {result.p50:8.2f}"
            f" {result.p99:8.2f} {result.errors:6d}"
        )
    first = next(iter(results))
    for name, result in list(results.items())[1:]:
        print(
            f"  {first} / {name}: cpu per request {results[first].cpu_us / result.cpu_us:.2f}x,"
            f" throughput {results[first].rps / result.rps:.2f}x"
        )
    return results


def edge_pid(plan: ClusterPlan) -> int:
    """The edge's process (its HAProxy is a child: `hop_bar` counts the tree)."""
    child = plan.by_name("edge")
    assert child.proc is not None
    return child.proc.pid


def hop_bar(
    path: str,
    replica: str,
    proxies: dict[str, tuple[str, int]],
    args: argparse.Namespace,
    workdir: Path,
) -> None:
    """Issue 17's bar for the gateway, as a deployment has it: the proxy on a core of its own (the
    load core, beside wrk, which takes a few percent of it), the replica alone on the server core.
    The same profile read straight to the replica and through each proxy, in turn, `repeats`
    times: the best closed-loop throughput of each, and the best open-loop p50 at `--rate`; each
    proxy's added p50 and its throughput as a share of the direct one. The seeds' own gateway
    stack (Express + http-proxy) is measured the same way beside Agora's."""
    targets: dict[str, tuple[str, list[int]]] = {"direct": (replica + path, [])} | {
        name: (url + "/api" + path, process_tree(pid)) for name, (url, pid) in proxies.items()
    }
    for _url, pids in targets.values():
        for pid in pids:
            pin(pid, LOAD_CORE)
    request = Request("GET", "")
    results = {name: Result() for name in targets}
    try:
        for url, pids in targets.values():  # warm pools and caches
            closed_loop(url, request, 1, args.connections, pids, workdir)
        for _ in range(args.repeats):
            for name, (url, pids) in targets.items():
                rps, cpu_us, bad = closed_loop(
                    url, request, args.seconds, args.connections, pids, workdir
                )
                p50, p99, errors = asyncio.run(open_loop(url, request, args.rate, args.seconds))
                results[name].keep_best(
                    Result(rps, cpu_us if pids else 0.0, p50, p99, bad + errors)
                )
    finally:
        for _url, pids in targets.values():
            for pid in pids:
                pin(pid, SERVER_CORE)
    print(f"\ngateway bar: GET {path}, each proxy alone on core {LOAD_CORE} (with wrk)", flush=True)
    print(f"  {'path':18} {'req/s':>8} {'proxy cpu us':>12} {'p50 ms':>8} {'p99 ms':>8} errors")
    for name, result in results.items():
        cpu = f"{result.cpu_us:12.1f}" if name != "direct" else f"{'':>12}"
        print(
            f"  {name:18} {result.rps:8.0f} {cpu} {result.p50:8.2f} {result.p99:8.2f}"
            f" {result.errors:6d}"
        )
    direct = results["direct"]
    for name in proxies:
        result = results[name]
        print(
            f"  {name}: adds p50 {result.p50 - direct.p50:+.2f} ms,"
            f" throughput {result.rps / direct.rps:.2f}x direct"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--rate", type=float, default=200, help="open-loop requests/s")
    parser.add_argument("--connections", type=int, default=16, help="wrk's connections")
    parser.add_argument("--scenarios", default="profile,books,vote,home,gateway,hop")
    parser.add_argument("--base-port", type=int, default=56000)
    parser.add_argument("--refs-dir", type=Path, default=Path(tempfile.gettempdir()) / "agora-refs")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument(
        "--postgres-core",
        choices=(SERVER_CORE, LOAD_CORE),
        default=None,
        help="read and write in a private PostgreSQL pinned to this core (default: the machine's"
        " own, on either core); with the server core, a proxy in `hop` shares its core with wrk"
        " alone, as a gateway on a node of its own would",
    )
    parser.add_argument("--tweets", type=int, default=10, help="tweets per member")
    parser.add_argument(
        "--profile", type=Path, default=None, help="py-spy's raw stacks of Agora go here"
    )
    args = parser.parse_args()
    wanted = args.scenarios.split(",")
    for tool in ("wrk", "node", "npm", "taskset"):
        if shutil.which(tool) is None:
            sys.exit(f"bench/references.py needs {tool} on PATH")
    venv, node = install_references(args.refs_dir)
    os.sched_setaffinity(0, {int(LOAD_CORE)})
    next_port = port_range(args.base_port)
    edge = "hop" in wanted and shutil.which("haproxy") is not None
    references: list[Server] = []
    with contextlib.ExitStack() as stack:
        postgres = POSTGRES
        if args.postgres_core is not None:
            postgres = stack.enter_context(private_postgres(next_port(), args.postgres_core))
            print(f"PostgreSQL: a private server pinned to core {args.postgres_core}", flush=True)
        cluster = stack.enter_context(
            bench_cluster(
                SERVICES,
                env={"AGORA_WRITE_RATE_PER_MINUTE": "100000000", "AGORA_EDGE_THREADS": "1"},
                next_port=next_port,
                timeout=180,
                postgres=postgres,
                # The cluster's edge (decision 0050) beside the gateway in the hop, one thread.
                edge=edge,
            )
        )
        plan, template, workdir = cluster.plan, cluster.template, cluster.plan.workdir
        try:
            for child in plan.children:
                assert child.proc is not None
                pin(child.proc.pid, SERVER_CORE)
            gateway = f"http://127.0.0.1:{plan.by_name('gateway-1').port}"
            print(f"seeding {args.users} members through {gateway}", flush=True)
            data = seed(gateway, args.users, args.tweets)
            _, public_key = ensure_keypair(workdir / "keys")
            libpq = template.replace("+asyncpg", "")
            env = {
                f"AGORA_REF_DSN_{service.upper()}": libpq.replace("{service}", service)
                for service in SERVICES
            }
            env["AGORA_REF_PUBLIC_KEY"] = str(public_key)
            flask_port, express_port, proxy_port = next_port(), next_port(), next_port()
            haproxy_port = next_port()
            log = workdir / "logs" / "references.log"
            references.append(
                start_reference(
                    "flask+gunicorn",
                    [
                        *(str(venv / "bin" / "gunicorn"), "--workers", "1", "--threads", "4"),
                        *("--bind", f"127.0.0.1:{flask_port}", "--chdir", str(HERE)),
                        "flask_app:app",
                    ],
                    env,
                    flask_port,
                    log,
                    "/status",
                )
            )
            references.append(
                start_reference(
                    "express+pg",
                    ["node", str(HERE / "express_app.js")],
                    {
                        **env,
                        "NODE_PATH": str(node / "node_modules"),
                        "AGORA_REF_PORT": str(express_port),
                    },
                    express_port,
                    log,
                    "/status",
                )
            )
            users = plan.by_name("users-1")
            references.append(
                start_reference(
                    "express http-proxy",
                    ["node", str(HERE / "express_app.js")],
                    {
                        "NODE_PATH": str(node / "node_modules"),
                        "AGORA_REF_PORT": str(proxy_port),
                        "AGORA_REF_PROXY": f"http://127.0.0.1:{users.port}",
                    },
                    proxy_port,
                    log,
                    "/api/users/profile/1",
                )
            )
            flask, express, proxy = references[:3]
            haproxy = (
                start_haproxy(haproxy_port, users.port, workdir, log)
                if "hop" in wanted and shutil.which("haproxy")
                else None
            )
            if haproxy is not None:
                references.append(haproxy)
            requests = scenarios(data)
            owner = {
                "profile": "users-1",
                "books": "voting-1",
                "vote": "voting-1",
                "home": "timeline-1",
            }
            print(
                f"\nserver processes on core {SERVER_CORE}, load on core {LOAD_CORE};"
                f" wrk {args.connections} connections, open loop {args.rate:.0f} req/s,"
                f" {args.seconds:.0f} s per run, best of {args.repeats}",
                flush=True,
            )
            for name in wanted:
                if name in {"gateway", "hop"}:
                    continue
                child = plan.by_name(owner[name])
                assert child.proc is not None
                agora = Server("agora", f"http://127.0.0.1:{child.port}", pid=child.proc.pid)
                servers = {s.name: (s, s.url, s.pids()) for s in (agora, flask, express)}
                measure(name, servers, requests[name], args, workdir)
            if "gateway" in wanted:
                # The hop alone: the proxy's CPU per request; the same users replica behind both.
                gateway_child = plan.by_name("gateway-1")
                assert gateway_child.proc is not None
                hop = Request("GET", f"/api/users/profile/{data.user_ids[2]}")
                servers = {
                    "agora gateway": (proxy, gateway, process_tree(gateway_child.proc.pid)),
                    "express http-proxy": (proxy, proxy.url, proxy.pids()),
                }
                measure("gateway hop (proxy CPU only)", servers, hop, args, workdir)
            if "hop" in wanted:
                gateway_child = plan.by_name("gateway-1")
                assert gateway_child.proc is not None
                hop_bar(
                    f"/users/profile/{data.user_ids[2]}",
                    f"http://127.0.0.1:{users.port}",
                    {
                        "agora gateway": (gateway, gateway_child.proc.pid),
                        "express http-proxy": (proxy.url, proxy.pids()[0]),
                    }
                    | (
                        {"agora edge (HAProxy)": (f"http://127.0.0.1:{plan.port}", edge_pid(plan))}
                        if edge
                        else {}
                    )
                    | ({"haproxy (C)": (haproxy.url, haproxy.pid)} if haproxy else {}),
                    args,
                    workdir,
                )
        finally:
            for server in references:
                server.stop()


if __name__ == "__main__":
    main()
