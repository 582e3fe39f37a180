"""Home timelines by fan-out on write (the timeline service: capped feeds in the FeedStore) against
fan-out on read (a naive reference: one SQL query over the follow graph per read), in one
invocation, on the embedded platform in process with SQLite.

Both runs serve the same mix (60% home-timeline reads, 30% user-timeline reads, 10% posts) over the
same users and power-law follow graph, through the same gateway, middleware and token checks; only
the timeline endpoints differ. Prints throughput and p50/p99 per operation, and the ratios.

    .venv/bin/python bench/timeline.py [--users 1000] [--ops 4000] [--concurrency 8]
        [--baseline OLD/src [--rounds 2]]

`--baseline OLD/src` (for instance `git archive <commit> src | tar -x -C /tmp/old`) runs the bench
over that copy of Agora and over this tree in turn, each in a process of its own, B A A B: a
change's before and after in one invocation.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform as host
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Query
from sqlalchemy import Select, insert, or_, select
from starlette.types import ASGIApp

from agora.entrypoints.embedded import Platform
from agora.gateway.app import create_gateway_app
from agora.gateway.ratelimit import WriteRateLimiter
from agora.platform.auth.principal import Principal
from agora.platform.clock import SystemClock
from agora.platform.config import Settings
from agora.platform.db import Database
from agora.platform.deps import SESSIONS, CurrentUser, DbSession, provide_as, registered
from agora.platform.errors import Forbidden
from agora.platform.http import InProcessService, create_service_app
from agora.platform.logging import configure_logging
from agora.platform.ratelimit import RateLimit
from agora.services.timeline.models import Follow, Tweet
from agora.services.timeline.schemas import TweetCreate, TweetRead, TweetsPage
from agora.services.timeline.service import TimelineService

PASSWORD = "benchmark password"
KINDS = ("home", "user", "post")
MIX = (0.6, 0.3, 0.1)
PAGE = 20


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass(frozen=True, slots=True)
class Op:
    kind: str
    actor: User
    target: User


@dataclass
class RunResult:
    name: str
    elapsed: float = 0.0
    cpu: float = 0.0  # process CPU time (user + system, all threads) during the measured runs
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})

    @property
    def ops(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def throughput(self) -> float:
        return self.ops / self.elapsed

    @property
    def cpu_per_op(self) -> float:
        """Process CPU time per operation, in microseconds: server and in-process client alike."""
        return self.cpu / self.ops * 1e6

    def percentile(self, kind: str, q: int) -> float:
        values = sorted(self.latencies[kind])
        if q == 50:
            return statistics.median(values) * 1000
        return statistics.quantiles(values, n=100)[q - 1] * 1000


# ---------------------------------------------------------------- the naive reference


def naive_home_query(user_id: int, limit: int) -> Select[Tweet]:
    """A home timeline on every read: the tweets of everyone followed, and one's own."""
    followed = select(Follow.followee_id).where(Follow.follower_id == user_id, Follow.active)
    return (
        select(Tweet)
        .where(or_(Tweet.user_id == user_id, Tweet.user_id.in_(followed)))
        .order_by(Tweet.id.desc())
        .limit(limit)
    )


def reference_router() -> APIRouter:
    """The timeline endpoints the way a first version would write them: home timelines computed
    on every read from the follow graph, posts stored with no fan-out."""
    router = APIRouter(prefix="/tweets")

    def read(tweet: Tweet) -> TweetRead:
        return TweetRead(
            tweetId=str(tweet.id),
            userId=str(tweet.user_id),
            username=tweet.username,
            content=tweet.content,
            timestamp=tweet.created_at,
        )

    def page(tweets: Sequence[Tweet], limit: int) -> TweetsPage:
        more = len(tweets) > limit
        kept = list(tweets[:limit])
        return TweetsPage(
            tweets=[read(t) for t in kept], next_cursor=str(kept[-1].id) if more else None
        )

    @router.post("", status_code=201)
    async def post(body: TweetCreate, db: DbSession, me: CurrentUser) -> TweetRead:
        tweet = Tweet(
            user_id=me.user_id,
            username=me.username,
            content=body.content,
            created_at=SystemClock().now(),
        )
        db.add(tweet)
        await db.flush()
        return read(tweet)

    @router.get("/homeTimeline/{userId}")
    async def home(
        userId: int, db: DbSession, me: CurrentUser, limit: Annotated[int, Query()] = 50
    ) -> TweetsPage:
        if userId != me.user_id:
            raise Forbidden("not yours")
        return page(list((await db.execute(naive_home_query(userId, limit + 1))).scalars()), limit)

    @router.get("/userTimeline/{userId}")
    async def user(userId: int, db: DbSession, limit: Annotated[int, Query()] = 50) -> TweetsPage:
        query = (
            select(Tweet).where(Tweet.user_id == userId).order_by(Tweet.id.desc()).limit(limit + 1)
        )
        return page(list((await db.execute(query)).scalars()), limit)

    return router


def reference_gateway(platform: Platform) -> ASGIApp:
    """The platform's gateway again, with the reference in place of the timeline service."""
    app = create_service_app(
        service="timeline_reference",
        title="reference",
        description="fan-out on read",
        routers=[reference_router()],
        provides=[platform.databases["timeline"], platform.verifier],
    )
    # Ended sessions are checked on every authenticated request, as the service's own app does.
    provide_as(app, SESSIONS, registered(platform.runtimes["timeline"].app, SESSIONS))

    async def probe() -> dict[str, bool]:
        return {}

    async def no_docs() -> dict[str, dict[str, Any]]:
        return {}

    return create_gateway_app(
        table=platform.table,
        # Called as the platform's gateway calls its services (decision 0029), so that only the
        # timeline endpoints differ between the runs.
        upstreams={
            "users": InProcessService(platform.runtimes["users"].app),
            "timeline": InProcessService(app),
        },
        service_probe=probe,
        openapi_source=no_docs,
        clock=platform.clock,
        topology="embedded",
        write_limiter=WriteRateLimiter(
            platform.rate_limiter,
            platform.verifier,
            RateLimit(platform.settings.write_rate_per_minute, 60),
        ),
    )


# ---------------------------------------------------------------- setup


async def gather_limited(jobs: Sequence[Callable[[], Awaitable[None]]], concurrency: int) -> None:
    queue = list(reversed(jobs))

    async def worker() -> None:
        while queue:
            await queue.pop()()

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def check(response: httpx.Response, status: int = 200) -> httpx.Response:
    if response.status_code != status:
        raise RuntimeError(f"{response.request.url}: {response.status_code} {response.text}")
    return response


async def register(client: httpx.AsyncClient, count: int) -> list[User]:
    users: list[User | None] = [None] * count

    def job(n: int) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            body = {"username": f"user{n:04d}", "password": PASSWORD}
            check(await client.post("/api/users/register", json=body), 201)
            login = check(await client.post("/api/users/login", json=body)).json()
            users[n] = User(int(login["user_id"]), login["username"], login["token"])

        return run

    await gather_limited([job(n) for n in range(count)], 8)
    return [u for u in users if u is not None]


def follow_graph(rng: random.Random, count: int, mean_followings: int) -> list[tuple[int, int]]:
    """(follower, followee) index pairs: popularity follows Zipf's law, so follower counts are
    power-law distributed (a few stars, a long tail); how many each user follows varies too."""
    weights = [1 / (rank + 1) for rank in range(count)]
    popularity = list(range(count))
    rng.shuffle(popularity)  # star status is not tied to registration order
    pairs: list[tuple[int, int]] = []
    for follower in range(count):
        wanted = min(count - 1, max(1, int(rng.expovariate(1 / mean_followings))))
        chosen: set[int] = set()
        while len(chosen) < wanted:
            for pick in rng.choices(popularity, weights=weights, k=wanted - len(chosen)):
                if pick != follower:
                    chosen.add(pick)
        pairs.extend((follower, followee) for followee in chosen)
    return pairs


async def load_history(
    database: Database, users: list[User], pairs: list[tuple[int, int]], per_user: int
) -> int:
    """Write the follow graph and a tweet history straight into the timeline's database.

    Setup only: through HTTP and events, 20,000 follows and 10,000 posts take many minutes here,
    and they would leave the same rows. Feeds start cold; `warm` builds them from these rows.
    """
    now = SystemClock().now()
    start = now - timedelta(days=7)
    async with database.session() as session:
        await session.execute(
            insert(Follow),
            [
                {
                    "follower_id": users[a].id,
                    "followee_id": users[b].id,
                    "active": True,
                    "changed_at": start,
                }
                for a, b in pairs
            ],
        )
        rows = [
            {
                "user_id": user.id,
                "username": user.name,
                "content": f"note #{n} from {user.name}",
                "created_at": start + timedelta(seconds=n * len(users) + i),
            }
            for n in range(per_user)
            for i, user in enumerate(users)
        ]
        for at in range(0, len(rows), 5000):
            await session.execute(insert(Tweet), rows[at : at + 5000])
    return len(rows)


def workload(
    rng: random.Random, users: list[User], pairs: list[tuple[int, int]], ops: int
) -> list[Op]:
    """Who does what: readers and posters uniformly; profiles visited in proportion to followers."""
    followers = [1] * len(users)
    for _, followee in pairs:
        followers[followee] += 1
    kinds = rng.choices(KINDS, weights=MIX, k=ops)
    actors = rng.choices(users, k=ops)
    targets = rng.choices(users, weights=followers, k=ops)
    return [Op(k, a, t) for k, a, t in zip(kinds, actors, targets, strict=True)]


# ---------------------------------------------------------------- the measured runs


async def execute(client: httpx.AsyncClient, op: Op) -> None:
    if op.kind == "home":
        path = f"/api/tweets/homeTimeline/{op.actor.id}"
        check(await client.get(path, params={"limit": PAGE}, headers=op.actor.headers))
    elif op.kind == "user":
        path = f"/api/tweets/userTimeline/{op.target.id}"
        check(await client.get(path, params={"limit": PAGE}))
    else:
        body = {"content": f"bench post by {op.actor.id}"}
        check(await client.post("/api/tweets", json=body, headers=op.actor.headers), 201)


async def warm(client: httpx.AsyncClient, users: list[User]) -> None:
    """Every user opens their home timeline once: active users' feeds are warm, as in life."""

    def job(user: User) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            await execute(client, Op("home", user, user))

        return run

    await gather_limited([job(u) for u in users], 8)


async def measure(
    result: RunResult,
    app: ASGIApp,
    ops: list[Op],
    concurrency: int,
    drain: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Run `ops` with `concurrency` clients; adds their latencies and wall time to `result`."""
    queue = list(reversed(ops))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench.local", timeout=60
    ) as client:

        async def worker() -> None:
            while queue:
                op = queue.pop()
                started = time.perf_counter()
                await execute(client, op)
                result.latencies[op.kind].append(time.perf_counter() - started)

        started = time.perf_counter()
        cpu_started = time.process_time()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        if drain is not None:
            await drain()  # fan-out still queued belongs to this run's cost
        result.elapsed += time.perf_counter() - started
        result.cpu += time.process_time() - cpu_started


async def same_home_timelines(
    platform: Platform, reference: ASGIApp, users: list[User], sample: int
) -> None:
    """Before measuring: the service and the reference agree on home timelines."""
    transport = httpx.ASGITransport(app=platform.app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://bench.local") as service,
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=reference), base_url="http://bench.local"
        ) as naive,
    ):
        for user in users[:sample]:
            path = f"/api/tweets/homeTimeline/{user.id}"
            mine = check(await service.get(path, headers=user.headers)).json()["tweets"]
            theirs = check(await naive.get(path, headers=user.headers)).json()["tweets"]
            if mine != theirs:
                raise RuntimeError(f"home timelines differ for user {user.id}")


async def home_logic(
    platform: Platform, users: list[User], rng: random.Random, reads: int
) -> tuple[list[float], list[float]]:
    """One home page computed in process, below HTTP: the service's feed read against the naive
    query, alternating, for the same users (seconds each)."""
    service = registered(platform.runtimes["timeline"].app, TimelineService)
    database = platform.databases["timeline"]
    feed: list[float] = []
    naive: list[float] = []
    for user in rng.choices(users, k=reads):
        started = time.perf_counter()
        async with database.reads() as plain:
            me = Principal(user.id, user.name)
            await service.list_home_timeline(plain, me, user.id, before=None, limit=PAGE)
        feed.append(time.perf_counter() - started)
        started = time.perf_counter()
        async with database.session(read_only=True) as session:
            await session.execute(naive_home_query(user.id, PAGE + 1))
        naive.append(time.perf_counter() - started)
    return feed, naive


def milliseconds(values: list[float], q: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * q // 100)] * 1000


def report(runs: list[RunResult]) -> None:
    header = f"{'':28}{'ops/s':>9}" + "".join(f"{k + ' p50/p99 ms':>22}" for k in KINDS)
    print(header + f"{'cpu us/op':>11}")
    for run in runs:
        cells = "".join(
            f"{run.percentile(k, 50):>12.2f} /{run.percentile(k, 99):>7.2f}" for k in KINDS
        )
        print(f"{run.name:28}{run.throughput:>9.0f}{cells}{run.cpu_per_op:>11.0f}")
    fan_out, naive = runs
    ratio = fan_out.throughput / naive.throughput
    print(f"\nthroughput ratio (fan-out on write / fan-out on read): {ratio:.2f}")
    for kind in KINDS:
        p50 = naive.percentile(kind, 50) / fan_out.percentile(kind, 50)
        p99 = naive.percentile(kind, 99) / fan_out.percentile(kind, 99)
        print(f"{kind:>5} latency, reference / fan-out: p50 {p50:.2f}x, p99 {p99:.2f}x")


async def main(
    users: int, ops: int, concurrency: int, followings: int, history: int, seed: int
) -> None:
    configure_logging("WARNING", json=True)
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-timeline-"))
    settings = Settings(
        data_dir=workdir,
        services=["users", "timeline"],
        demo_content=False,
        sports_feed=False,
        write_rate_per_minute=1_000_000,
        login_address_max_failures=1_000_000,  # every user logs in once from this one address
        access_token_ttl_seconds=3600,
        argon2_time_cost=1,
        argon2_memory_kib=1024,
        argon2_parallelism=1,
    )
    rng = random.Random(seed)
    platform = Platform(settings)
    await platform.start()
    try:
        started = time.perf_counter()
        transport = httpx.ASGITransport(app=platform.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench.local") as client:
            accounts = await register(client, users)
            pairs = follow_graph(rng, users, followings)
            tweets = await load_history(platform.databases["timeline"], accounts, pairs, history)
            await warm(client, accounts)
        counts = sorted(sum(1 for _, b in pairs if b == n) for n in range(users))
        print(
            f"setup {time.perf_counter() - started:.0f} s: {users} users, {len(pairs)} follows "
            f"(followers per user: median {statistics.median(counts):.0f}, "
            f"p99 {counts[int(users * 0.99)]}, max {counts[-1]}), {tweets} tweets"
        )
        reference = reference_gateway(platform)
        await same_home_timelines(platform, reference, accounts, sample=100)
        feed, naive_reads = await home_logic(platform, accounts, rng, reads=2000)
        print(
            "home page below HTTP (2000 reads each, ms): "
            f"feed p50 {milliseconds(feed, 50):.3f} p99 {milliseconds(feed, 99):.3f}, "
            f"naive SQL p50 {milliseconds(naive_reads, 50):.3f} "
            f"p99 {milliseconds(naive_reads, 99):.3f}, "
            f"naive / feed at p50 {milliseconds(naive_reads, 50) / milliseconds(feed, 50):.2f}x"
        )
        plan = workload(rng, accounts, pairs, ops)
        print(
            f"mix {ops} ops (home/user/post {'/'.join(str(int(m * 100)) for m in MIX)}), "
            f"page {PAGE}, concurrency {concurrency}, SQLite, feeds in memory; runs A B B A; "
            "user-timeline reads are the same code in both (a control)\n"
        )
        fan_out = RunResult("fan-out on write (service)")
        naive = RunResult("fan-out on read (reference)")

        async def service_run(ops: list[Op]) -> None:
            await measure(
                fan_out, platform.app, ops, concurrency, lambda: platform.settle(within=300)
            )

        async def reference_run(ops: list[Op]) -> None:
            await measure(naive, reference, ops, concurrency)

        # A B B A over the two halves of the mix, so a machine that speeds up or slows down during
        # the invocation (other work, a growing database) weighs on both alike.
        half = len(plan) // 2
        await service_run(plan[:half])
        await reference_run(plan[:half])
        await reference_run(plan[half:])
        await service_run(plan[half:])
        report([fan_out, naive])
        print(
            f"\nmachine: {host.processor() or host.machine()}, {host.python_implementation()} "
            f"{host.python_version()}, {host.system()} {host.release()}"
        )
    finally:
        await platform.stop()
        shutil.rmtree(workdir, ignore_errors=True)


SERVICE_ROW = "fan-out on write (service)"


def compare(baseline: Path, rounds: int, argv: list[str]) -> None:
    """Run this bench `rounds` times over Agora from `baseline` (an older `src` folder) and over
    this tree, alternately (B A A B ...), each in a fresh process; print each run and then the
    fan-out rows side by side."""
    this_tree = Path(__file__).resolve().parent.parent
    sources = {"baseline": baseline.resolve(), "this tree": this_tree / "src"}
    order = [("baseline", "this tree"), ("this tree", "baseline")]
    rows: list[tuple[str, str, str, str]] = []
    for number in range(rounds):
        for label in order[number % 2]:
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([str(sources[label]), str(this_tree)]),
            }
            before = _load()
            done = subprocess.run(  # noqa: S603
                [sys.executable, __file__, *argv],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            after = _load()
            print(f"## {label}, round {number + 1} (load average {before} -> {after})")
            # The platform's JSON log lines (warnings, errors) are counted, not printed.
            lines = done.stdout.splitlines()
            logged = sum(1 for line in lines if line.startswith("{"))
            print("\n".join(line for line in lines if not line.startswith("{")))
            if logged:
                print(f"({logged} log lines on stdout not shown)")
            row = next(line for line in done.stdout.splitlines() if line.startswith(SERVICE_ROW))
            rows.append((label, before, after, row[len(SERVICE_ROW) :]))
    header = f"{'':28}{'ops/s':>9}" + "".join(f"{k + ' p50/p99 ms':>22}" for k in KINDS)
    print(f"## the service's runs, in order\n{'':18}{'load':>10}{header[28:]}{'cpu us/op':>11}")
    for label, before, after, cells in rows:
        print(f"{label:18}{before.split()[0] + '->' + after.split()[0]:>10}{cells}")


def _load() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--ops", type=int, default=4000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--followings", type=int, default=20, help="mean followings per user")
    parser.add_argument("--history", type=int, default=100, help="tweets per user before the mix")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="an older copy of Agora's src folder: run the bench over it and over this tree in "
        "turn, each in a process of its own (B A A B ...)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="with --baseline: runs of each")
    args = parser.parse_args()
    if args.baseline is not None:
        argv = sys.argv[1:]
        at = argv.index("--baseline")
        del argv[at : at + 2]
        if "--rounds" in argv:
            at = argv.index("--rounds")
            del argv[at : at + 2]
        compare(args.baseline, args.rounds, argv)
    else:
        asyncio.run(
            main(args.users, args.ops, args.concurrency, args.followings, args.history, args.seed)
        )
