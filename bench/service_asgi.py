"""CPU per request of the cluster's hot reads and the vote, below HTTP: the users, voting and
timeline services built as a cluster replica builds them (PostgreSQL, the Redis bus, cache and
sessions, the replica's logging and tracing at its default sample ratio), and each service's whole
ASGI app called directly, one request at a time, in this process (no server, no sockets). The
figure a busy machine disturbs least: the least CPU time (`time.process_time`) per request over
`--batches` batches of `--requests`, and the median. The process's idle CPU (its background
loops) is measured first (the least of four 3 s samples, once the seeding's events are handled),
and that rate times each batch's wall time is taken off.

It measures the code on `PYTHONPATH`: for an A/B, run it twice in one command, once with the
"before" tree's `src` first on the path:

    for tree in /tmp/before /work/wt/hotread; do
        PYTHONPATH=$tree/src .venv/bin/python bench/service_asgi.py; done

    .venv/bin/python bench/service_asgi.py [--requests 300] [--batches 7]
        [--scenarios profile,books,vote,home]

Needs PostgreSQL and Redis (`AGORA_BENCH_POSTGRES_URL`, `AGORA_BENCH_REDIS_URL`); its databases
and keys are its own and dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as host
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis
import uvloop

from agora.entrypoints.composition import compose
from agora.entrypoints.observability import observe_process
from agora.entrypoints.registry import load_spec
from agora.platform.auth.keys import ensure_keypair
from agora.platform.config import Settings, Topology
from agora.platform.db import drop_database

POSTGRES = os.environ.get(
    "AGORA_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"
)
REDIS = os.environ.get("AGORA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SERVICES = ["users", "voting", "timeline"]
ALL_SCENARIOS = ("profile", "books", "vote", "home")

Target = tuple[str, str, str, list[tuple[bytes, bytes]], list[bytes]]


async def seed(apps: dict[str, Any], members: int) -> dict[str, Target]:
    """Members following each other, 8 books with a vote each, 10 tweets each, through the
    services' own apps (as bench/references.py seeds through the gateway)."""
    clients = {
        name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
        for name, app in apps.items()
    }
    users, voting, timeline = clients["users"], clients["voting"], clients["timeline"]
    password = "correct horse battery staple"
    ids: list[int] = []
    tokens: list[str] = []
    for index in range(members):
        body = {"username": f"bench{index}", "password": password}
        (await users.post("/users/register", json=body)).raise_for_status()
        login = (await users.post("/users/login", json=body)).raise_for_status().json()
        ids.append(int(login["user_id"]))
        tokens.append(login["access_token"])

    def auth(index: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[index]}"}

    for index, user_id in enumerate(ids):
        for step in range(1, min(10, members - 1) + 1):
            body = {"followUserId": str(ids[(index + step) % members])}
            answer = await users.post(f"/users/{user_id}/follow", json=body, headers=auth(index))
            answer.raise_for_status()
    books = []
    for number in range(8):
        book = {"title": f"Benchmark book {number}", "author": f"Author {number}"}
        books.append(
            int(
                (await voting.post("/books", json=book, headers=auth(0)))
                .raise_for_status()
                .json()["id"]
            )
        )
    for index, user_id in enumerate(ids):
        vote = {"book_id": books[index % len(books)]}
        (await voting.post("/vote", json=vote, headers=auth(index))).raise_for_status()
        for number in range(10):
            tweet = {"userId": str(user_id), "content": f"tweet {number} of {user_id}"}
            (await timeline.post("/tweets", json=tweet, headers=auth(index))).raise_for_status()
    until = time.monotonic() + 60
    while True:  # the timeline learns the follow graph from the users service's events
        page = await timeline.get(f"/tweets/homeTimeline/{ids[0]}?limit=50", headers=auth(0))
        if len(page.json().get("tweets", [])) >= 50:
            break
        if time.monotonic() > until:
            raise RuntimeError("the timeline did not receive the follow graph in time")
        await asyncio.sleep(0.3)
    for client in clients.values():
        await client.aclose()
    bearer = [(b"authorization", f"Bearer {tokens[1]}".encode())]
    json_body = [(b"content-type", b"application/json")]
    return {
        "profile": ("users", "GET", f"/users/profile/{ids[2]}", [], [b""]),
        "books": ("voting", "GET", "/books", [], [b""]),
        # Each request moves the voter's vote to the other book: a real write every time.
        "vote": (
            "voting",
            "POST",
            "/vote",
            bearer + json_body,
            [json.dumps({"book_id": book}).encode() for book in books[:2]],
        ),
        "home": ("timeline", "GET", f"/tweets/homeTimeline/{ids[1]}?limit=20", bearer, [b""]),
    }


async def call(
    app: Any, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes
) -> int:
    """One request through the ASGI app, as uvicorn would hand it over; the answer's status."""
    path, _, query = target.partition("?")
    all_headers = [(b"host", b"127.0.0.1"), *headers]
    if body:
        all_headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": all_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(
    app: Any, target: Target, requests: int, batches: int, idle: float
) -> list[float]:
    _, method, path, headers, bodies = target
    count = 0

    async def one() -> None:
        nonlocal count
        status = await call(app, method, path, headers, bodies[count % len(bodies)])
        count += 1
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status}")

    for _ in range(30):  # warm up: pools, caches, compiled statements
        await one()
    figures = []
    for _ in range(batches):
        started, began = time.process_time(), time.perf_counter()
        for _ in range(requests):
            await one()
        spent, took = time.process_time() - started, time.perf_counter() - began
        # The services' background loops (outbox relays, consumers, session listeners) spend
        # CPU by the second, not by the request: what they would have spent meanwhile is not the
        # requests'. A process that gets less of a busy machine would otherwise look dearer.
        figures.append(max(0.0, spent - idle * took) / requests * 1e6)
    return figures


async def idle_cpu_share(seconds: float = 3.0) -> float:
    """The share of a core this process spends with no request in flight."""
    started, began = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    return (time.process_time() - started) / (time.perf_counter() - began)


async def run(args: argparse.Namespace, names: list[str]) -> None:
    run_id = uuid.uuid4().hex[:8]
    prefix = f"agora-bench-{run_id}:"
    template = f"{POSTGRES}/agora_bench_{run_id}_{{service}}"
    with tempfile.TemporaryDirectory() as tmp:
        private_key, public_key = ensure_keypair(Path(tmp) / "keys")
        settings = Settings(
            topology=Topology.CLUSTER,
            data_dir=Path(tmp) / "data",
            services=SERVICES,
            database_url=template,
            redis_url=REDIS,
            redis_prefix=prefix,
            jwt_private_key_file=private_key,
            jwt_public_key_file=public_key,
            log_level="WARNING",  # as bench/references.py runs the replicas
            write_rate_per_minute=100_000_000,
        )
        observe_process(settings, "users")
        composition = compose(settings, [load_spec(name) for name in SERVICES])
        apps = {name: runtime.app for name, runtime in composition.runtimes.items()}
        await composition.start(create_databases=True)
        try:
            targets = await seed(apps, args.members)
            # After the seeding's events have been handled: the least of a few samples.
            idle = min([await idle_cpu_share() for _ in range(4)])
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(
                f"# bench/service_asgi.py  {host.machine()}, Python {host.python_version()}, "
                f"{args.batches} batches of {args.requests}, load average {load}, "
                f"idle CPU {idle:.1%} of a core",
                file=sys.stderr,
            )
            print(f"{'scenario':10} {'least us/req':>13} {'median us/req':>14}", file=sys.stderr)
            for name in names:
                target = targets[name]
                figures = await measure(apps[target[0]], target, args.requests, args.batches, idle)
                print(
                    f"{name:10} {min(figures):13.1f} {statistics.median(figures):14.1f}",
                    file=sys.stderr,
                )
        finally:
            await composition.stop()
            for service in SERVICES:
                await drop_database(template.replace("{service}", service))
            await drop_database(settings.saga_database())  # the users service's DBOS
            client = aioredis.from_url(REDIS)
            keys = [key async for key in client.scan_iter(match=f"{prefix}*")]
            if keys:
                await client.delete(*keys)
            await client.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--batches", type=int, default=7)
    parser.add_argument("--members", type=int, default=12)
    parser.add_argument("--scenarios", default=",".join(ALL_SCENARIOS))
    args = parser.parse_args()
    names = [name for name in args.scenarios.split(",") if name]
    unknown = set(names) - set(ALL_SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    with open(os.devnull, "w") as devnull:
        sys.stdout = devnull
        uvloop.run(run(args, names))


if __name__ == "__main__":
    main()
