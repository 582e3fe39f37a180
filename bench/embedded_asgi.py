"""CPU per request of the embedded platform's reads through its gateway, below HTTP: the gateway's
ASGI app called directly, one request at a time, in this process (no server, no sockets), with the
logging and tracing `agora up` sets up. The figure a busy machine disturbs least: the least CPU
time (`time.process_time`, every thread: aiosqlite's included) per request over `--batches`
batches of `--requests` requests, and the median.

`--compare-whole` also measures, in the same process and in alternate batches, the same gateway
calling each service's whole app (its own middleware stack: what the gateway did before decision
0029) instead of `InProcessService`, and prints the ratio.

    .venv/bin/python bench/embedded_asgi.py [--requests 300] [--batches 7]
        [--scenarios profile,books,status,discussions,rooms,competitions,album,user,home,
                     ongoing,game] [--compare-whole]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform as host
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import uvloop
from starlette.types import ASGIApp

from agora.entrypoints.embedded import Platform
from agora.entrypoints.observability import observe_process
from agora.gateway.app import GatewayDispatcher
from agora.platform.config import Settings
from embedded import READS

# The reads of bench/embedded.py, measured here below HTTP.
ALL_SCENARIOS = READS


async def seed(
    client: httpx.AsyncClient, data_dir: Path
) -> dict[str, tuple[str, list[tuple[bytes, bytes]]]]:
    """The requests of each scenario, after two demo members log in and the admin makes three
    games live with ten events each (as bench/embedded.py does)."""
    accounts = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (data_dir / "demo-accounts.txt").read_text().splitlines()
        if line and not line.startswith("#")
    }

    async def login(name: str) -> tuple[int, str]:
        body = {"username": name, "password": accounts[name]}
        answer = await client.post("/api/users/login", json=body)
        answer.raise_for_status()
        return int(answer.json()["user_id"]), str(answer.json()["access_token"])

    _, admin_token = await login("agora")
    member_id, _ = await login("tomas")
    reader_id, reader_token = await login("mira")
    admin = {"Authorization": f"Bearer {admin_token}"}
    categories = (await client.get("/api/sports/categories")).json()["data"]
    if categories:
        category_id = categories[0]["category_id"]
    else:
        made = await client.post(
            "/api/sports/categories", json={"category_name": "Football"}, headers=admin
        )
        category_id = made.raise_for_status().json()["data"]["category_id"]
    game_id = 0
    for number in range(3):
        game = {
            "category_id": category_id,
            "team_1": f"Bench Home {number}",
            "team_2": f"Bench Away {number}",
            "start_time": "2026-01-01T12:00:00Z",
        }
        made = await client.post("/api/sports/games", json=game, headers=admin)
        game_id = int(made.raise_for_status().json()["data"]["game_id"])
        events: list[dict[str, Any]] = [{"event_type": "period_start"}]
        events += [{"event_type": "goal", "team": f"team_{1 + i % 2}"} for i in range(9)]
        for event in events:
            answer = await client.post(
                f"/api/sports/games/{game_id}/events", json=event, headers=admin
            )
            answer.raise_for_status()
    # The demo's album with the most reviews.
    albums = (await client.get("/api/users-reviews/albums")).raise_for_status().json()["albums"]
    reviews = {
        album["albumId"]: len(
            (await client.get(f"/api/users-reviews/reviews/album/{album['albumId']}"))
            .raise_for_status()
            .json()["reviews"]
        )
        for album in albums
    }
    album_id = max(reviews, key=reviews.__getitem__)
    token = [(b"authorization", f"Bearer {reader_token}".encode())]
    no_cache = [(b"cache-control", b"no-cache")]
    return {
        "profile": (f"/api/users/profile/{member_id}", []),
        "books": ("/api/books", no_cache),
        "status": ("/api/vote/status", token),
        "discussions": ("/api/discussions", []),
        "rooms": ("/api/forums/rooms", []),
        "competitions": ("/api/competitions", no_cache),
        "album": (f"/api/users-reviews/reviews/album/{album_id}", []),
        "user": (f"/api/tweets/userTimeline/{member_id}?limit=20", []),
        "home": (f"/api/tweets/homeTimeline/{reader_id}?limit=20", token),
        "ongoing": ("/api/sports/ongoing-events", []),
        "game": (f"/api/sports/games/{game_id}", []),
    }


async def call(app: Any, target: str, headers: list[tuple[bytes, bytes]]) -> int:
    """One GET through the ASGI app, as uvicorn would hand it over; the answer's status."""
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def run(args: argparse.Namespace, names: list[str]) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-asgi-"))
    data_dir = workdir / "data"
    settings = Settings(
        data_dir=data_dir, demo_content=True, sports_feed=False, write_rate_per_minute=100_000
    )
    observe_process(settings, "platform", keep_log=True)
    platform = Platform(settings)
    await platform.start()
    try:
        transport = httpx.ASGITransport(app=platform.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            requests = await seed(client, data_dir)
        # As `agora up` is once started: the heap built so far out of the collections (from the
        # trees that have `platform.heap`).
        with contextlib.suppress(ImportError):
            from agora.platform.heap import freeze_startup_heap

            freeze_startup_heap()
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(
            f"# bench/embedded_asgi.py  {host.machine()}, Python {host.python_version()}, "
            f"{args.batches} batches of {args.requests}, load average {load}",
            file=sys.stderr,
        )
        dispatcher = _dispatcher(platform.app)
        in_process: Mapping[str, ASGIApp] = dict(dispatcher.upstreams)
        whole: Mapping[str, ASGIApp] = {n: r.app for n, r in platform.runtimes.items()}
        modes = {"in process": in_process}
        if args.compare_whole:
            modes["whole app"] = whole
        print(
            f"{'scenario':10} {'upstream':10} {'least us/req':>13} {'median us/req':>14}",
            file=sys.stderr,
        )
        for name in names:
            target, headers = requests[name]
            per_request: dict[str, list[float]] = {mode: [] for mode in modes}
            for _ in range(args.batches):
                for mode, upstreams in modes.items():
                    dispatcher.upstreams = upstreams
                    # A whole app gets the trace context in its headers, as before.
                    dispatcher._trace_in_scope = (
                        frozenset() if upstreams is in_process else frozenset(in_process)
                    )
                    for _ in range(20):  # warm up
                        assert await call(platform.app, target, headers) == 200
                    started = time.process_time()
                    for _ in range(args.requests):
                        status = await call(platform.app, target, headers)
                        if status != 200:
                            raise RuntimeError(f"{name}: {status}")
                    spent = time.process_time() - started
                    per_request[mode].append(spent / args.requests * 1e6)
            for mode, figures in per_request.items():
                print(
                    f"{name:10} {mode:10} {min(figures):13.1f} {statistics.median(figures):14.1f}",
                    file=sys.stderr,
                )
            if args.compare_whole:
                ratio = min(per_request["in process"]) / min(per_request["whole app"])
                print(f"{name:10} in process / whole app, least: {ratio:.2f}", file=sys.stderr)
        dispatcher.upstreams = in_process
        dispatcher._trace_in_scope = frozenset()
    finally:
        gc.unfreeze()
        await platform.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def _dispatcher(app: Any) -> GatewayDispatcher:
    """The gateway's dispatcher inside its middleware (each layer keeps the next in `.app`)."""
    while not isinstance(app, GatewayDispatcher):
        app = app.app
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--scenarios", default=",".join(ALL_SCENARIOS))
    parser.add_argument("--compare-whole", action="store_true")
    args = parser.parse_args()
    names = [name for name in args.scenarios.split(",") if name]
    unknown = set(names) - set(ALL_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    # The log lines go to the data directory's file and to stdout, as with `agora up` under a
    # service manager; stdout is discarded here and the report goes to stderr.
    with open(os.devnull, "w") as devnull:
        sys.stdout = devnull
        uvloop.run(run(args, names))


if __name__ == "__main__":
    main()
