"""The warehouse against the operational databases, in one invocation: the admin overview and the
sports analytics answered from DuckDB (the warehouse service's own code) and the same questions
asked of the services' databases (what a report would have to do without a warehouse: one query
per database, the cross-service parts merged in Python), at several multiples of the demo
content; and the cost of one incremental ETL run as the data grows.

    .venv/bin/python bench/warehouse.py [--scales 10 100 1000] [--repeat 7]
        [--database-url 'postgresql+asyncpg://postgres@127.0.0.1:5432/agora_bench_{service}']

The data is generated straight into migrated databases (SQLite files in a temporary directory by
default; PostgreSQL databases made and dropped by the bench with `--database-url`). One unit is
the demo's shape: 6 members, 7 follows, 5 books, a closed monthly poll, 5 votes, 6 albums, 7
reviews, 6 posts, 20 chat messages, a competition with 2 entries, 4 likes and 2 comments, 4 games
with 40 game events; its timestamps spread over the last 30 days.
"""

from __future__ import annotations

import argparse
import asyncio
import platform as host
import random
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, MetaData, String, Table, Text, insert, text

from agora.entrypoints.registry import load_spec
from agora.platform import migrations
from agora.platform.clock import SystemClock
from agora.platform.db import Database, drop_database, ensure_database
from agora.platform.logging import configure_logging
from agora.platform.olap import OlapStore
from agora.services.warehouse.models import SOURCE_SERVICES
from agora.services.warehouse.service import WarehouseService

NOW = datetime.now(UTC).replace(microsecond=0)
DAYS = 30
CATEGORIES = ("Football", "Basketball", "Tennis")
TEAMS = tuple(f"Team {n}" for n in range(8))
GENRES = ("jazz", "folk", "rock", "electronic", "hip-hop")


# ---------------------------------------------------------------- data


def _when(rng: random.Random) -> datetime:
    return NOW - timedelta(seconds=rng.randrange(DAYS * 86_400))


def _default(column: Any) -> Any:
    kind = column.type
    if isinstance(kind, JSON):
        return []
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, DateTime) or type(kind).__name__ == "UTCDateTime":
        return NOW
    if isinstance(kind, Integer):
        return 0
    if isinstance(kind, String | Text):
        return "bench"
    return None


def _rows(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every NOT NULL column without a server default filled in."""
    needed = [
        c
        for c in table.columns
        if not c.nullable and not c.primary_key and c.server_default is None
    ]
    return [{**{c.name: _default(c) for c in needed if c.name not in row}, **row} for row in rows]


class Generator:
    """Inserts `scale` demo units, and later small increments, into the source databases."""

    def __init__(self, databases: dict[str, Database], metadata: dict[str, MetaData]) -> None:
        self.databases = databases
        self.metadata = metadata
        self.rng = random.Random(15)
        self.users = 0
        self.submissions = 0
        self.games = 0
        self.polls = 0

    async def put(self, service: str, name: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = self.metadata[service].tables[name]
        async with self.databases[service].session() as session:
            for start in range(0, len(rows), 5000):
                await session.execute(insert(table), _rows(table, rows[start : start + 5000]))

    async def fill(self, scale: int) -> None:
        rng = self.rng
        users = 6 * scale
        self.users = users
        await self.put(
            "users",
            "users",
            [
                {
                    "id": i,
                    "username": f"user{i}",
                    "email": f"user{i}@bench.invalid",
                    "role": "admin" if i == 1 else "member",
                    "notification_types": [],
                    "created_at": (at := _when(rng)),
                    "updated_at": at,
                }
                for i in range(1, users + 1)
            ],
        )
        await self.put(
            "users",
            "follows",
            [
                {"follower_id": i, "followee_id": (i + d - 1) % users + 1, "created_at": _when(rng)}
                for i in range(1, users + 1)
                for d in (1, 2)
                if (i * 7 + d) % 12 < 7
            ],
        )
        books = 5 * scale
        await self.put(
            "voting",
            "books",
            [
                {
                    "id": b,
                    "title": f"Book {b}",
                    "author": f"Author {b % 97}",
                    "title_key": f"book {b}",
                    "author_key": f"author {b % 97}",
                    "created_at": NOW,
                }
                for b in range(1, books + 1)
            ],
        )
        self.polls = scale
        await self.put(
            "voting",
            "polls",
            [
                {
                    "id": p,
                    "month": f"{2000 + p // 12:04d}-{p % 12 + 1:02d}",
                    "status": "closed",
                    "opens_at": NOW,
                    "closes_at": NOW,
                    "closed_at": NOW,
                    "winner_book_id": (p - 1) * 5 + 1,
                    "winner_votes": 3,
                    "total_votes": 5,
                }
                for p in range(1, scale + 1)
            ],
        )
        # Each poll's ballot: its five books.
        await self.put(
            "voting",
            "candidates",
            [
                {"poll_id": p, "book_id": (p - 1) * 5 + k, "added_at": NOW}
                for p in range(1, scale + 1)
                for k in range(1, 6)
            ],
        )
        await self.put(
            "voting",
            "votes",
            [
                {
                    "poll_id": (v % scale) + 1,
                    "user_id": v // scale + 1,
                    "book_id": (v % scale) * 5 + rng.randrange(1, 6),
                    "voted_at": _when(rng),
                    "seq": v,
                }
                for v in range(5 * scale)
            ],
        )
        albums = 6 * scale
        await self.put(
            "reviews",
            "albums",
            [
                {
                    "id": a,
                    "title": f"Album {a}",
                    "artist": f"Artist {a}",
                    "genre": GENRES[a % len(GENRES)],
                    "title_key": f"album {a}",
                    "artist_key": f"artist {a}",
                    "created_by": 1,
                    "created_at": NOW,
                }
                for a in range(1, albums + 1)
            ],
        )
        await self.put(
            "reviews",
            "reviews",
            [
                {
                    "album_id": r % albums + 1,
                    "user_id": r // albums + 1,
                    "username": "u",
                    "rating_halves": rng.randrange(1, 11),
                    "review_text": "",
                    "created_at": (at := _when(rng)),
                    "updated_at": at,
                }
                for r in range(7 * scale)
            ],
        )
        await self.posts(6 * scale)
        await self.put(
            "discussions",
            "rooms",
            [
                {
                    "id": 1,
                    "kind": "genre",
                    "ref": "jazz",
                    "name": "Jazz",
                    "description": "",
                    "created_at": NOW,
                }
            ],
        )
        await self.messages(20 * scale)
        await self.put(
            "competitions",
            "competitions",
            [
                {
                    "id": c,
                    "title": f"Competition {c}",
                    "description": "",
                    "admin_id": 1,
                    "start_date": NOW - timedelta(days=DAYS),
                    "end_date": NOW + timedelta(days=1),
                    "status": "open",
                    "created_at": NOW,
                }
                for c in range(1, scale + 1)
            ],
        )
        self.submissions = 2 * scale
        await self.put(
            "competitions",
            "submissions",
            [
                {
                    "id": s,
                    "competition_id": (s - 1) // 2 + 1,
                    "user_id": s % users + 1,
                    "username": "u",
                    "title": "t",
                    "content": "",
                    "created_at": (at := _when(rng)),
                    "updated_at": at,
                }
                for s in range(1, self.submissions + 1)
            ],
        )
        await self.likes(4 * scale, 0)
        await self.put(
            "competitions",
            "comments",
            [
                {
                    "submission_id": c % self.submissions + 1,
                    "user_id": c % users + 1,
                    "username": "u",
                    "content": "",
                    "created_at": (at := _when(rng)),
                    "updated_at": at,
                }
                for c in range(2 * scale)
            ],
        )
        await self.put(
            "sports",
            "categories",
            [
                {"id": i + 1, "name": n, "name_key": n.lower(), "created_at": NOW}
                for i, n in enumerate(CATEGORIES)
            ],
        )
        await self.put(
            "sports",
            "teams",
            [
                {"id": i + 1, "name": n, "name_key": n.lower(), "created_at": NOW}
                for i, n in enumerate(TEAMS)
            ],
        )
        await self.play(4 * scale)

    async def posts(self, n: int) -> None:
        await self.put(
            "timeline",
            "tweets",
            [
                {
                    "user_id": self.rng.randrange(1, self.users + 1),
                    "username": "u",
                    "content": "x",
                    "created_at": _when(self.rng),
                }
                for _ in range(n)
            ],
        )

    async def messages(self, n: int) -> None:
        await self.put(
            "discussions",
            "messages",
            [
                {
                    "room_id": 1,
                    "user_id": self.rng.randrange(1, self.users + 1),
                    "username": "u",
                    "body": "hi",
                    "created_at": _when(self.rng),
                    "deleted": False,
                }
                for _ in range(n)
            ],
        )

    async def likes(self, n: int, offset: int) -> None:
        # (submission, user) is unique: walk the pairs in order.
        pairs = [
            (k % self.submissions + 1, (k // self.submissions) % self.users + 1)
            for k in range(offset, offset + n)
        ]
        await self.put(
            "competitions",
            "likes",
            [{"submission_id": s, "user_id": u, "created_at": _when(self.rng)} for s, u in pairs],
        )

    async def play(self, games: int) -> None:
        rng = self.rng
        rows: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for g in range(self.games + 1, self.games + games + 1):
            started = _when(rng)
            a, b = rng.randrange(6), rng.randrange(6)
            rows.append(
                {
                    "id": g,
                    "category_id": g % len(CATEGORIES) + 1,
                    "team_1": TEAMS[g % len(TEAMS)],
                    "team_2": TEAMS[(g + 3) % len(TEAMS)],
                    "start_time": started,
                    "started_at": started,
                    "finished_at": started + timedelta(hours=2),
                    "status": "finished",
                    "score_team_1": a,
                    "score_team_2": b,
                    "created_by": 1,
                    "created_at": started,
                    "updated_at": started,
                }
            )
            events.extend(
                {
                    "game_id": g,
                    "event_type": "goal" if e < a + b else "card",
                    "side": 1,
                    "points": 1 if e < a + b else 0,
                    "description": "",
                    "event_time": "",
                    "period": "",
                    "score_team_1": 0,
                    "score_team_2": 0,
                    "game_version": e,
                    "recorded_by": 1,
                    "recorded_at": started,
                }
                for e in range(10)
            )
        self.games += games
        await self.put("sports", "games", rows)
        await self.put("sports", "game_events", events)

    async def increment(self, scale: int) -> int:
        """About 1% more activity: posts, chat, likes, a game; reviews edited. Rows touched."""
        n = max(scale // 10, 1)
        await self.posts(6 * n)
        await self.messages(20 * n)
        await self.likes(4 * n, 4 * scale + 4 * n * self.rng.randrange(1, 1000))
        await self.play(n)
        async with self.databases["reviews"].session() as session:
            edited = await session.execute(
                text("UPDATE reviews SET rating_halves = 10, updated_at = :now WHERE id <= :n"),
                {"now": datetime.now(UTC), "n": 7 * n},
            )
        return 6 * n + 20 * n + 4 * n + 11 * n + int(edited.rowcount)  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the same questions, operationally


async def _all(database: Database, sql: str, **params: Any) -> list[Any]:
    async with database.session(read_only=True) as session:
        return list((await session.execute(text(sql), params)).all())


_DAILY = {
    "posts": ("timeline", "tweets", "created_at", "user_id"),
    "reviews": ("reviews", "reviews", "created_at", "user_id"),
    "votes": ("voting", "votes", "voted_at", "user_id"),
    "entries": ("competitions", "submissions", "created_at", "user_id"),
    "likes": ("competitions", "likes", "created_at", "user_id"),
    "comments": ("competitions", "comments", "created_at", "user_id"),
    "chat_messages": ("discussions", "messages", "created_at", "user_id"),
}


async def operational_overview(dbs: dict[str, Database], first: date, last: date) -> dict[str, Any]:
    """The overview's questions, asked of each service's own database and merged here."""
    start = datetime.combine(first, datetime.min.time(), UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), UTC)
    active: dict[str, set[int]] = defaultdict(set)
    counts: dict[str, dict[str, int]] = {}
    for name, (service, table, when, who) in _DAILY.items():
        live = " AND deleted = false" if table == "messages" else ""
        live = " AND deleted_at IS NULL" if table == "comments" else live
        rows = await _all(
            dbs[service],
            f"SELECT date({when}) AS day, {who} FROM {table} "  # noqa: S608
            f"WHERE {when} >= :start AND {when} < :end{live}",
            start=start,
            end=end,
        )
        per_day: dict[str, int] = defaultdict(int)
        for day, user in rows:
            per_day[str(day)] += 1
            active[str(day)].add(int(user))
        counts[name] = per_day
    new_users = await _all(
        dbs["users"],
        "SELECT date(created_at), count(*) FROM users WHERE created_at >= :start "
        "AND created_at < :end GROUP BY date(created_at)",
        start=start,
        end=end,
    )
    top_albums = await _all(
        dbs["reviews"],
        "SELECT a.id, a.title, a.genre, count(*), avg(r.rating_halves) / 2.0 AS average "
        "FROM reviews r JOIN albums a ON a.id = r.album_id GROUP BY a.id, a.title, a.genre "
        "ORDER BY average DESC, count(*) DESC, a.id LIMIT 10",
    )
    genres = await _all(
        dbs["reviews"],
        "SELECT a.genre, r.rating_halves, count(*) FROM reviews r JOIN albums a "
        "ON a.id = r.album_id GROUP BY a.genre, r.rating_halves",
    )
    followed = await _all(
        dbs["users"],
        "SELECT followee_id, count(*) AS n FROM follows GROUP BY followee_id "
        "ORDER BY n DESC, followee_id LIMIT 10",
    )
    competitions = await _all(
        dbs["competitions"],
        "SELECT c.id, (SELECT count(*) FROM submissions s WHERE s.competition_id = c.id), "
        "(SELECT count(DISTINCT user_id) FROM submissions s WHERE s.competition_id = c.id), "
        "(SELECT count(*) FROM likes l JOIN submissions s ON s.id = l.submission_id "
        "WHERE s.competition_id = c.id), "
        "(SELECT count(*) FROM comments m JOIN submissions s ON s.id = m.submission_id "
        "WHERE s.competition_id = c.id) FROM competitions c ORDER BY c.id DESC LIMIT 10",
    )
    books = await _all(
        dbs["voting"],
        "SELECT p.month, b.title, p.winner_votes FROM polls p JOIN books b "
        "ON b.id = p.winner_book_id WHERE p.status = 'closed' ORDER BY p.month DESC LIMIT 24",
    )
    return {
        "active": {d: len(u) for d, u in active.items()},
        "counts": counts,
        "new_users": new_users,
        "rest": (top_albums, genres, followed, competitions, books),
    }


async def operational_sports(dbs: dict[str, Database]) -> list[Any]:
    """The sports analytics as the sports service computed them before the warehouse."""
    played = "g.status IN ('live', 'paused', 'finished')"
    totals = await _all(
        dbs["sports"],
        f"SELECT g.category_id, count(*), sum(g.score_team_1 + g.score_team_2), "  # noqa: S608
        f"sum(CASE WHEN g.score_team_1 = g.score_team_2 THEN 1 ELSE 0 END) "
        f"FROM games g WHERE {played} GROUP BY g.category_id",
    )
    events = await _all(
        dbs["sports"],
        f"SELECT g.category_id, count(*), "  # noqa: S608
        f"sum(CASE WHEN e.event_type IN ('goal', 'point') THEN 1 ELSE 0 END) "
        f"FROM game_events e JOIN games g ON g.id = e.game_id WHERE {played} "
        f"GROUP BY g.category_id",
    )
    teams = await _all(
        dbs["sports"],
        f"SELECT team, avg(score * 1.0) AS average, count(*) FROM ("  # noqa: S608
        f"SELECT team_1 AS team, score_team_1 AS score FROM games g WHERE {played} UNION ALL "
        f"SELECT team_2, score_team_2 FROM games g WHERE {played}) t "
        f"GROUP BY team ORDER BY average DESC, team LIMIT 5",
    )
    return [totals, events, teams]


# ---------------------------------------------------------------- measuring


async def median_ms(call: Callable[[], Awaitable[Any]], repeat: int) -> float:
    await call()  # warm: engines, caches, DuckDB's catalog
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await call()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


async def run_scale(scale: int, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    template = args.database_url or f"sqlite+aiosqlite:///{workdir}/{scale}-{{service}}.db"
    specs = {name: load_spec(name) for name in SOURCE_SERVICES}
    dbs: dict[str, Database] = {}
    for name, spec in specs.items():
        url = template.replace("{service}", f"{name}_{scale}")
        await ensure_database(url)
        dbs[name] = Database(url, service=name)
        await migrations.upgrade(dbs[name], spec.migrations)
    store = OlapStore(workdir / f"warehouse-{scale}.duckdb")
    warehouse = WarehouseService(
        store=store, sources=dbs, clock=SystemClock(), workdir=workdir / f"staging-{scale}"
    )
    try:
        generator = Generator(dbs, {n: s.metadata for n, s in specs.items()})
        began = time.perf_counter()
        await generator.fill(scale)
        generated = time.perf_counter() - began
        first_run = await warehouse.do_refresh()
        last = NOW.date()
        first = last - timedelta(days=DAYS - 1)
        result: dict[str, Any] = {
            "scale": scale,
            "source_rows": first_run.rows_read,
            "generate_s": generated,
            "full_load_s": first_run.seconds,
        }
        result["overview_wh_ms"] = await median_ms(
            lambda: warehouse.get_overview(first=first, last=last), args.repeat
        )
        result["overview_op_ms"] = await median_ms(
            lambda: operational_overview(dbs, first, last), args.repeat
        )
        result["sports_wh_ms"] = await median_ms(
            lambda: warehouse.get_sports_analytics(sport_category=None, time_range="all"),
            args.repeat,
        )
        result["sports_op_ms"] = await median_ms(lambda: operational_sports(dbs), args.repeat)
        idle = await warehouse.do_refresh()
        result["idle_run_s"] = idle.seconds
        result["idle_changed"] = idle.rows_changed
        touched = await generator.increment(scale)
        incremental = await warehouse.do_refresh()
        result["incr_source_rows_touched"] = touched
        result["incr_rows_read"] = incremental.rows_read
        result["incr_rows_changed"] = incremental.rows_changed
        result["incr_run_s"] = incremental.seconds
        return result
    finally:
        await store.close()
        for database in dbs.values():
            await database.dispose()
            if args.database_url:
                await drop_database(database.url)


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> None:
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"# bench/warehouse.py  sources: {backend}  repeat: {args.repeat}  "
        f"{host.machine()}, {host.python_version()}"
    )
    print(
        f"{'scale':>6} {'rows':>8} {'load s':>7} | {'overview wh':>11} {'op':>8} {'ratio':>6} | "
        f"{'sports wh':>9} {'op':>8} {'ratio':>6} | {'idle s':>6} | "
        f"{'incr touched':>12} {'read':>6} {'moved':>6} {'s':>6}"
    )
    for r in results:
        print(
            f"{r['scale']:>5}x {r['source_rows']:>8} {r['full_load_s']:>7.2f} | "
            f"{r['overview_wh_ms']:>9.1f}ms {r['overview_op_ms']:>6.1f}ms "
            f"{r['overview_op_ms'] / r['overview_wh_ms']:>5.2f}x | "
            f"{r['sports_wh_ms']:>7.1f}ms {r['sports_op_ms']:>6.1f}ms "
            f"{r['sports_op_ms'] / r['sports_wh_ms']:>5.2f}x | "
            f"{r['idle_run_s']:>6.3f} | "
            f"{r['incr_source_rows_touched']:>12} {r['incr_rows_read']:>6} "
            f"{r['incr_rows_changed']:>6} {r['incr_run_s']:>6.3f}"
        )
    print("ratio: operational time / warehouse time (above 1: the warehouse answers faster)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", help="a template with {service} (PostgreSQL)")
    args = parser.parse_args()
    configure_logging("WARNING", json=True)
    workdir = Path(tempfile.mkdtemp(prefix="agora-bench-warehouse-"))
    try:
        results = [await run_scale(scale, args, workdir) for scale in args.scales]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(results, args)


if __name__ == "__main__":
    asyncio.run(main())
