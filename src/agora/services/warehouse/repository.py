"""Every query of the warehouse: extraction from the services' databases (SQLAlchemy Core by
table name, read-only sessions), the load into DuckDB (staging, then merge into the star schema),
and the analytical reads."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import BigInteger, Boolean, Float, String, column, or_, select, table
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.types import TypeEngine

from agora.platform.db import Database, UTCDateTime
from agora.platform.olap import OlapConnection, OlapStore, Row
from agora.services.warehouse.models import (
    FACT_DATES,
    HOUSEKEEPING_DDL,
    SOURCES,
    Field,
    Kind,
    SourceTable,
)

_SQL_TYPES: dict[Kind, TypeEngine[Any]] = {
    "int": BigInteger(),
    "str": String(),
    "ts": UTCDateTime(),
    "bool": Boolean(),
    "float": Float(),
}
_KEY_CHUNK = 500

# ---------------------------------------------------------------- extraction


def _col(f: Field) -> ColumnClause[Any]:
    return column(f.source, _SQL_TYPES[f.kind])


def _base(source: SourceTable, *fields: Field) -> Any:
    query = select(*(_col(f) for f in fields)).select_from(table(source.table))
    if source.live is not None:
        query = query.where(source.live())
    return query


async def read_source_keys(database: Database, source: SourceTable) -> set[int]:
    """The ids of the rows the source holds (live ones): a key-only scan."""
    async with database.session(read_only=True) as session:
        result = await session.execute(_base(source, source.key))
        return {int(k) for k in result.scalars()}


async def read_source_rows(
    database: Database,
    source: SourceTable,
    *,
    after_key: int | None,
    changed_since: datetime | None,
    keys: Iterable[int] = (),
) -> list[Row]:
    """Rows past the watermarks (every row when there is none), plus the rows named by `keys`."""
    key = _col(source.key)
    rows: list[Row] = []
    async with database.session(read_only=True) as session:
        query = _base(source, *source.fields)
        if after_key is not None and source.mode != "full":
            past = [key > after_key]
            if source.changed is not None and changed_since is not None:
                past.append(column(source.changed, UTCDateTime()) >= changed_since)
            query = query.where(or_(*past))
        rows += [tuple(r) for r in await session.execute(query.order_by(key))]
        wanted = sorted(set(keys) - {int(r[0]) for r in rows})
        for start in range(0, len(wanted), _KEY_CHUNK):
            chunk = wanted[start : start + _KEY_CHUNK]
            more = _base(source, *source.fields).where(key.in_(chunk))
            rows += [tuple(r) for r in await session.execute(more)]
    return rows


# ---------------------------------------------------------------- DuckDB: schema and state


def create_schema(conn: OlapConnection) -> None:
    for statement in HOUSEKEEPING_DDL:
        conn.execute(statement)
    for source in SOURCES:
        conn.execute(source.ddl("main"))
        conn.execute(source.ddl("staging"))


@dataclass(frozen=True, slots=True)
class Watermark:
    max_key: int | None
    max_changed: datetime | None


async def read_watermarks(store: OlapStore) -> dict[str, Watermark]:
    rows = await store.read("SELECT source, max_key, max_changed FROM etl_watermark")
    return {r[0]: Watermark(r[1], None if r[2] is None else r[2].replace(tzinfo=UTC)) for r in rows}


async def read_warehouse_keys(store: OlapStore, source: SourceTable) -> set[int]:
    rows = await store.read(f"SELECT {source.key.target} FROM {source.target}")
    return {int(r[0]) for r in rows}


# ---------------------------------------------------------------- DuckDB: load and merge


@dataclass
class Staged:
    """One source table's extract for this run: rows to upsert, ids gone at the source."""

    source: SourceTable
    rows: list[Row]
    gone: set[int]
    watermark: Watermark


@dataclass
class TableChange:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


@dataclass
class MergeResult:
    tables: dict[str, TableChange] = field(default_factory=dict)
    erased_users: int = 0


def _csv_value(value: Any) -> Any:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows([_csv_value(v) for v in row] for row in rows)


def _count(conn: OlapConnection, sql: str) -> int:
    return int(conn.execute(sql)[0][0])


def merge_staged(
    conn: OlapConnection, staged: Sequence[Staged], workdir: Path, now: datetime
) -> MergeResult:
    """Load each extract into its staging table and merge what differs into the star schema;
    remove what is gone; erase the rows of users gone from the users service. Runs inside the
    run's one transaction: a fact table is written only when one of its rows changed."""
    workdir.mkdir(parents=True, exist_ok=True)
    result = MergeResult()
    erased: set[int] = set()
    changed_facts: list[SourceTable] = []
    for item in staged:
        source, key = item.source, item.source.key.target
        change = TableChange(read=len(item.rows))
        result.tables[source.target] = change
        if item.rows:
            conn.execute(f"DELETE FROM staging.{source.target}")
            path = workdir / f"{source.target}.csv"
            _write_csv(path, source.columns, item.rows)
            conn.copy_csv(f"staging.{source.target}", path, source.columns)
            for user_column in source.user_columns:
                conn.execute(
                    f"DELETE FROM staging.{source.target} "
                    f"WHERE {user_column} IN (SELECT user_id FROM erased_user)"
                )
            conn.execute(
                f"CREATE OR REPLACE TEMP TABLE delta AS "
                f"SELECT * FROM staging.{source.target} EXCEPT "
                f"SELECT * FROM main.{source.target} "
                f"WHERE {key} IN (SELECT {key} FROM staging.{source.target})"
            )
            total = _count(conn, "SELECT count(*) FROM delta")
            if total:
                change.updated = _count(
                    conn,
                    f"SELECT count(*) FROM delta WHERE {key} IN "
                    f"(SELECT {key} FROM main.{source.target})",
                )
                change.inserted = total - change.updated
                conn.execute(
                    f"DELETE FROM main.{source.target} WHERE {key} IN (SELECT {key} FROM delta)"
                )
                conn.execute(f"INSERT INTO main.{source.target} SELECT * FROM delta")
        if item.gone:
            path = workdir / f"{source.target}.gone.csv"
            _write_csv(path, [key], ([k] for k in sorted(item.gone)))
            conn.execute(f"CREATE OR REPLACE TEMP TABLE gone ({key} BIGINT)")
            conn.copy_csv("gone", path, [key])
            change.deleted = _count(
                conn,
                f"SELECT count(*) FROM main.{source.target} "
                f"WHERE {key} IN (SELECT {key} FROM gone)",
            )
            if change.deleted:
                conn.execute(
                    f"DELETE FROM main.{source.target} WHERE {key} IN (SELECT {key} FROM gone)"
                )
            if source.target == "dim_user":
                erased = set(item.gone)
        if change.changed and source.target in FACT_DATES:
            changed_facts.append(source)
    if erased:
        result.erased_users = len(erased)
        _erase_users(conn, erased, workdir, now, result)
    _reinstate_new_users(conn)
    if changed_facts:
        _extend_calendar(conn, changed_facts)
    _save_watermarks(conn, staged)
    return result


def _erase_users(
    conn: OlapConnection, users: set[int], workdir: Path, now: datetime, result: MergeResult
) -> None:
    """A user gone from the users service takes every row naming them out of the warehouse,
    and keeps rows still waiting at a slower service from coming back."""
    path = workdir / "erased_user.csv"
    _write_csv(path, ["user_id", "erased_at"], ([u, now] for u in sorted(users)))
    conn.execute("CREATE OR REPLACE TEMP TABLE erased_now (user_id BIGINT, erased_at TIMESTAMP)")
    conn.copy_csv("erased_now", path, ["user_id", "erased_at"])
    conn.execute(
        "INSERT INTO erased_user SELECT * FROM erased_now "
        "WHERE user_id NOT IN (SELECT user_id FROM erased_user)"
    )
    for source in SOURCES:
        for user_column in source.user_columns:
            condition = f"{user_column} IN (SELECT user_id FROM erased_now)"
            gone = _count(conn, f"SELECT count(*) FROM main.{source.target} WHERE {condition}")
            if gone:
                conn.execute(f"DELETE FROM main.{source.target} WHERE {condition}")
                result.tables.setdefault(source.target, TableChange()).deleted += gone


def _reinstate_new_users(conn: OlapConnection) -> None:
    # An id the users service hands out again (SQLite may reuse the highest one) is a new user.
    if _count(
        conn, "SELECT count(*) FROM erased_user WHERE user_id IN (SELECT user_id FROM dim_user)"
    ):
        conn.execute("DELETE FROM erased_user WHERE user_id IN (SELECT user_id FROM dim_user)")


def _extend_calendar(conn: OlapConnection, facts: Sequence[SourceTable]) -> None:
    days = " UNION ".join(
        f"SELECT DISTINCT CAST({FACT_DATES[s.target]} AS DATE) AS d FROM main.{s.target}"
        for s in facts
    )
    conn.execute(
        "INSERT INTO dim_date SELECT d, year(d), month(d), day(d), weekofyear(d), isodow(d) "
        f"FROM ({days}) WHERE d IS NOT NULL AND d NOT IN (SELECT date_key FROM dim_date)"
    )


def _save_watermarks(conn: OlapConnection, staged: Sequence[Staged]) -> None:
    for item in staged:
        source = item.source
        max_key = item.watermark.max_key
        max_changed = item.watermark.max_changed
        if item.rows:
            top = max(int(r[0]) for r in item.rows)
            max_key = top if max_key is None else max(max_key, top)
            target = source.changed_target
            if target is not None:
                index = source.columns.index(target)
                latest = max(r[index] for r in item.rows)
                max_changed = latest if max_changed is None else max(max_changed, latest)
        if max_key is None and max_changed is None:
            continue
        naive = None if max_changed is None else max_changed.astimezone(UTC).replace(tzinfo=None)
        conn.execute(
            "INSERT OR REPLACE INTO etl_watermark VALUES (?, ?, ?)", [source.name, max_key, naive]
        )


def record_run(
    conn: OlapConnection,
    *,
    started_at: datetime,
    finished_at: datetime,
    ok: bool,
    rows_read: int,
    rows_changed: int,
    seconds: float,
    tables: str,
    watermarks: str,
    error: str | None,
) -> int:
    rows = conn.execute(
        "INSERT INTO etl_run (started_at, finished_at, ok, rows_read, rows_changed, seconds, "
        "tables, watermarks, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING run_id",
        [
            _naive(started_at),
            _naive(finished_at),
            ok,
            rows_read,
            rows_changed,
            seconds,
            tables,
            watermarks,
            error,
        ],
    )
    return int(rows[0][0])


def _naive(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


# ---------------------------------------------------------------- analytical reads


async def last_refresh(store: OlapStore) -> datetime | None:
    rows = await store.read("SELECT max(finished_at) FROM etl_run WHERE ok")
    value = rows[0][0] if rows else None
    return None if value is None else value.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class RunRow:
    run_id: int
    started_at: datetime
    finished_at: datetime
    ok: bool
    rows_read: int
    rows_changed: int
    seconds: float
    tables: str
    watermarks: str
    error: str | None


async def list_runs(store: OlapStore, limit: int) -> list[RunRow]:
    rows = await store.read(
        "SELECT run_id, started_at, finished_at, ok, rows_read, rows_changed, seconds, tables, "
        "watermarks, error FROM etl_run ORDER BY run_id DESC LIMIT ?",
        [limit],
    )
    return [
        RunRow(
            int(r[0]),
            r[1].replace(tzinfo=UTC),
            r[2].replace(tzinfo=UTC),
            bool(r[3]),
            int(r[4]),
            int(r[5]),
            float(r[6]),
            str(r[7]),
            str(r[8]),
            r[9],
        )
        for r in rows
    ]


async def find_category(store: OlapStore, name_key: str, number: int | None) -> Row | None:
    rows = await store.read(
        "SELECT category_id, name FROM dim_sport_category WHERE name_key = ? "
        "UNION ALL SELECT category_id, name FROM dim_sport_category WHERE category_id = ? "
        "LIMIT 1",
        [name_key, number if number is not None else -1],
    )
    return rows[0] if rows else None


async def list_categories(store: OlapStore) -> list[Row]:
    return await store.read("SELECT category_id, name FROM dim_sport_category ORDER BY category_id")


def _played(category_id: int | None, since: datetime | None) -> tuple[str, list[Any]]:
    conditions = ["g.status IN ('live', 'paused', 'finished')"]
    params: list[Any] = []
    if category_id is not None:
        conditions.append("g.category_id = ?")
        params.append(category_id)
    if since is not None:
        conditions.append("g.started_at >= ?")
        params.append(_naive(since))
    return " AND ".join(conditions), params


async def category_totals(
    store: OlapStore, *, category_id: int | None, since: datetime | None
) -> list[Row]:
    """Per category: games, finished, ongoing, points, draws, team 1 wins, events, scoring
    events, cards of the games played since `since`."""
    where, params = _played(category_id, since)
    return await store.read(
        f"""
        WITH games AS (SELECT * FROM fact_game_result g WHERE {where}),
        events AS (
            SELECT g.category_id, count(*) AS events,
                count(*) FILTER (WHERE e.event_type IN ('goal', 'point')) AS scoring,
                count(*) FILTER (WHERE e.event_type = 'card') AS cards
            FROM fact_game_event e JOIN games g USING (game_id) GROUP BY g.category_id)
        SELECT g.category_id, count(*),
            count(*) FILTER (WHERE status = 'finished'),
            count(*) FILTER (WHERE status <> 'finished'),
            coalesce(sum(score_team_1 + score_team_2), 0),
            count(*) FILTER (WHERE status = 'finished' AND score_team_1 = score_team_2),
            count(*) FILTER (WHERE status = 'finished' AND score_team_1 > score_team_2),
            coalesce(any_value(e.events), 0), coalesce(any_value(e.scoring), 0),
            coalesce(any_value(e.cards), 0)
        FROM games g LEFT JOIN events e USING (category_id)
        GROUP BY g.category_id
        """,
        params,
    )


async def top_teams(
    store: OlapStore, *, category_id: int | None, since: datetime | None, limit: int
) -> list[Row]:
    where, params = _played(category_id, since)
    return await store.read(
        f"""
        WITH appearances AS (
            SELECT team_1 AS team, score_team_1 AS score FROM fact_game_result g WHERE {where}
            UNION ALL
            SELECT team_2, score_team_2 FROM fact_game_result g WHERE {where})
        SELECT team, avg(score * 1.0) AS average, count(*) FROM appearances
        GROUP BY team ORDER BY average DESC, team LIMIT ?
        """,
        [*params, *params, limit],
    )


async def daily_series(store: OlapStore, first: date, last: date) -> list[Row]:
    """Per day from `first` to `last`: active users, new users, posts, reviews, votes, entries,
    likes, chat messages. One pass over each table's rows in the range, grouped once."""
    events = " UNION ALL ".join(
        f"SELECT CAST({when} AS DATE) AS day, '{kind}' AS kind, {who} AS user_id FROM {table} "
        f"WHERE {when} >= ? AND {when} < ? + INTERVAL 1 DAY"
        for kind, table, when, who in _EVENTS
    )
    counts = ", ".join(
        f"count(*) FILTER (WHERE kind = '{name}') AS {name}" for name in SERIES_NAMES[1:]
    )
    totals = ", ".join(f"coalesce(p.{name}, 0)" for name in SERIES_NAMES[1:])
    params: list[Any] = [first, last]
    for _ in _EVENTS:
        params += [first, last]
    return await store.read(
        f"""
        WITH days AS (SELECT CAST(day AS DATE) AS day FROM generate_series(
                CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), INTERVAL 1 DAY) t(day)),
        events AS ({events}),
        per_day AS (SELECT day, count(DISTINCT user_id) AS active, {counts}
            FROM events GROUP BY day)
        SELECT d.day, coalesce(p.active, 0), {totals}
        FROM days d LEFT JOIN per_day p USING (day) ORDER BY d.day
        """,
        params,
    )


# (kind, table, time column, user column): what happened on a day and who did it. Joining is not
# activity (its user column is NULL, which `count(DISTINCT)` skips); comments are activity only.
_EVENTS = (
    ("new_users", "dim_user", "joined_at", "NULL"),
    ("posts", "fact_post", "created_at", "user_id"),
    ("reviews", "fact_review", "created_at", "user_id"),
    ("votes", "fact_vote", "voted_at", "user_id"),
    ("entries", "fact_submission", "created_at", "user_id"),
    ("likes", "fact_like", "liked_at", "user_id"),
    ("comments", "fact_comment", "created_at", "user_id"),
    ("chat_messages", "fact_chat_message", "sent_at", "user_id"),
)
SERIES_NAMES = (
    "active_users",
    "new_users",
    "posts",
    "reviews",
    "votes",
    "entries",
    "likes",
    "chat_messages",
)


async def top_albums(store: OlapStore, *, genre: str | None, limit: int) -> list[Row]:
    """(album id, title, artist, genre, reviews, average rating in stars)."""
    where = "WHERE a.genre = ?" if genre is not None else ""
    return await store.read(
        f"""
        SELECT a.album_id, a.title, a.artist, a.genre, count(*) AS n,
            round(avg(r.rating_halves) / 2.0, 3) AS average
        FROM fact_review r JOIN dim_album a USING (album_id) {where}
        GROUP BY ALL ORDER BY average DESC, n DESC, a.album_id LIMIT ?
        """,
        [genre, limit] if genre is not None else [limit],
    )


async def genre_ratings(store: OlapStore, genre: str | None) -> list[Row]:
    """Per genre: albums, reviews, average rating in stars."""
    where = "WHERE a.genre = ?" if genre is not None else ""
    return await store.read(
        f"""
        SELECT a.genre, count(DISTINCT a.album_id), count(r.review_id),
            coalesce(round(avg(r.rating_halves) / 2.0, 3), 0)
        FROM dim_album a LEFT JOIN fact_review r USING (album_id) {where}
        GROUP BY a.genre ORDER BY a.genre
        """,
        [genre] if genre is not None else [],
    )


async def rating_histogram(store: OlapStore, genre: str | None) -> list[Row]:
    """(genre, rating in half stars, reviews)."""
    where = "WHERE a.genre = ?" if genre is not None else ""
    return await store.read(
        f"""
        SELECT a.genre, r.rating_halves, count(*) FROM fact_review r
        JOIN dim_album a USING (album_id) {where} GROUP BY ALL ORDER BY ALL
        """,
        [genre] if genre is not None else [],
    )


async def most_followed(store: OlapStore, limit: int) -> list[Row]:
    return await store.read(
        "SELECT followee_id, count(*) AS n FROM fact_follow GROUP BY followee_id "
        "ORDER BY n DESC, followee_id LIMIT ?",
        [limit],
    )


_PARTICIPATION = """
    SELECT c.competition_id, c.title, c.status, c.start_date, c.end_date,
        (SELECT count(*) FROM fact_submission s WHERE s.competition_id = c.competition_id),
        (SELECT count(DISTINCT user_id) FROM fact_submission s
            WHERE s.competition_id = c.competition_id),
        (SELECT count(*) FROM fact_like l JOIN fact_submission s USING (submission_id)
            WHERE s.competition_id = c.competition_id),
        (SELECT count(*) FROM fact_comment m JOIN fact_submission s USING (submission_id)
            WHERE s.competition_id = c.competition_id)
    FROM dim_competition c
"""


async def competition_participation(store: OlapStore, limit: int) -> list[Row]:
    """(id, title, status, start, end, entries, entrants, likes, comments), newest first."""
    return await store.read(f"{_PARTICIPATION} ORDER BY c.competition_id DESC LIMIT ?", [limit])


async def get_competition(store: OlapStore, competition_id: int) -> Row | None:
    rows = await store.read(f"{_PARTICIPATION} WHERE c.competition_id = ?", [competition_id])
    return rows[0] if rows else None


async def competition_likes_by_day(store: OlapStore, competition_id: int) -> list[Row]:
    return await store.read(
        "SELECT CAST(l.liked_at AS DATE) AS day, count(*) FROM fact_like l "
        "JOIN fact_submission s USING (submission_id) WHERE s.competition_id = ? "
        "GROUP BY day ORDER BY day",
        [competition_id],
    )


async def competition_top_entries(store: OlapStore, competition_id: int, limit: int) -> list[Row]:
    """(submission id, user id, likes, comments, place)."""
    return await store.read(
        """
        SELECT s.submission_id, s.user_id,
            (SELECT count(*) FROM fact_like l WHERE l.submission_id = s.submission_id) AS likes,
            (SELECT count(*) FROM fact_comment m WHERE m.submission_id = s.submission_id),
            s.place
        FROM fact_submission s WHERE s.competition_id = ?
        ORDER BY likes DESC, s.created_at, s.submission_id LIMIT ?
        """,
        [competition_id, limit],
    )


async def books_of_the_month(store: OlapStore, limit: int) -> list[Row]:
    """(month, poll id, book id, title, author, winner votes, total votes), newest first."""
    return await store.read(
        """
        SELECT p.month, p.poll_id, b.book_id, b.title, b.author, p.winner_votes, p.total_votes
        FROM dim_poll p JOIN dim_book b ON b.book_id = p.winner_book_id
        WHERE p.status = 'closed' ORDER BY p.month DESC LIMIT ?
        """,
        [limit],
    )


async def count_rows(store: OlapStore, target: str) -> int:
    """Rows of one warehouse table (reconciliation, the CLI)."""
    if target not in {s.target for s in SOURCES} | {"dim_date", "etl_run", "erased_user"}:
        raise ValueError(f"no warehouse table {target!r}")
    return int((await store.read(f"SELECT count(*) FROM {target}"))[0][0])
