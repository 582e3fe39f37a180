"""Reads on the replicas or on the primary only? The measurement behind docs/decisions/0017, in one
run on one HA cluster (3 Patroni members behind HAProxy, as `agora cluster up --ha` starts them):

1. read throughput: `--clients` concurrent read sessions, each a timeline-shaped query (a user's 50
   newest rows by index), for `--seconds`, through `Database` read sessions pointed (a) at the
   primary only, (b) at HAProxy's synchronous-standby port;
2. write latency: single-row commits with `synchronous_commit = on` (the standby has flushed) and
   `remote_apply` (the standbys have applied, which read-your-writes on a replica needs).

    .venv/bin/python bench/replica_reads.py [--seconds 10] [--clients 16] [--port-base 57800]

Starts the engines in a work dir of its own under /tmp and removes it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from agora.entrypoints.ha.engines import HAEngines
from agora.platform.db import Database, ensure_database

ROWS = 20_000
USERS = 200


async def prepare(url: str) -> None:
    await ensure_database(url)
    database = Database(url, service="bench")
    try:
        async with database.session() as session:
            await session.execute(text("DROP TABLE IF EXISTS posts"))
            await session.execute(
                text(
                    "CREATE TABLE posts (id bigserial PRIMARY KEY, user_id int NOT NULL, "
                    "body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
                )
            )
            await session.execute(text("CREATE INDEX ix_posts_user ON posts (user_id, id DESC)"))
            await session.execute(
                text(
                    "INSERT INTO posts (user_id, body) SELECT g % :users, repeat('x', 120) "
                    "FROM generate_series(1, :rows) g"
                ),
                {"users": USERS, "rows": ROWS},
            )
    finally:
        await database.dispose()


async def read_throughput(database: Database, clients: int, seconds: float) -> float:
    done = 0
    until = time.monotonic() + seconds
    query = text("SELECT id, body FROM posts WHERE user_id = :user ORDER BY id DESC LIMIT 50")

    async def client() -> None:
        nonlocal done
        while time.monotonic() < until:
            async with database.session(read_only=True) as session:
                rows = (await session.execute(query, {"user": random.randrange(USERS)})).all()
                assert rows
            done += 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return done / seconds


async def commit_latency(url: str, level: str, count: int = 200) -> tuple[float, float]:
    database = Database(url, service="bench")
    timings = []
    try:
        for n in range(count):
            started = time.perf_counter()
            async with database.session() as session:
                await session.execute(text(f"SET LOCAL synchronous_commit = {level}"))
                await session.execute(
                    text("INSERT INTO posts (user_id, body) VALUES (:u, 'w')"), {"u": n % USERS}
                )
            timings.append(time.perf_counter() - started)
    finally:
        await database.dispose()
    timings.sort()
    return statistics.median(timings) * 1000, timings[int(len(timings) * 0.99) - 1] * 1000


async def run(engines: HAEngines, seconds: float, clients: int) -> None:
    url = engines.database_url_template().replace("{service}", "bench")
    read_url = engines.read_url_template().replace("{service}", "bench")
    await prepare(url)
    await asyncio.sleep(2)  # the standbys replay the load
    primary_only = Database(url, service="bench")
    on_replicas = Database(url, service="bench", read_url=read_url)
    try:
        for database in (primary_only, on_replicas):  # warm both pools
            await read_throughput(database, clients, 1)
        primary = await read_throughput(primary_only, clients, seconds)
        replicas = await read_throughput(on_replicas, clients, seconds)
    finally:
        await primary_only.dispose()
        await on_replicas.dispose()
    on_p50, on_p99 = await commit_latency(url, "on")
    apply_p50, apply_p99 = await commit_latency(url, "remote_apply")
    print(
        f"reads, {clients} clients, {seconds:.0f} s each: primary only {primary:,.0f}/s; "
        f"on the synchronous standbys {replicas:,.0f}/s ({replicas / primary:.2f}x)\n"
        f"commit latency (200 single-row commits): synchronous_commit=on p50 {on_p50:.2f} ms "
        f"p99 {on_p99:.2f} ms; remote_apply p50 {apply_p50:.2f} ms p99 {apply_p99:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port-base", type=int, default=57800)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="agora-ha-bench-"))
    root.chmod(0o755)
    engines = HAEngines(root / "ha", base_port=args.port_base)
    try:
        engines.build()
        engines.start()
        asyncio.run(run(engines, args.seconds, args.clients))
    finally:
        engines.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
