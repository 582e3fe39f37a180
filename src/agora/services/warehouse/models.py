"""The warehouse's tables: what it extracts from each service's database (`SOURCES`, by table
name: the warehouse imports no other service), and the DuckDB star schema it loads them into.

Each source table feeds one warehouse table, keyed by the source's id. `mode` says how changes
are found (decision 0020):

- `append`: rows never change once written; new rows are those past the id watermark.
- `updated`: rows change and say when (`changed`); new or changed rows are past the id watermark
  or at/after the `changed` watermark.
- `full`: a small, mutable table without a change time (polls, competitions): read whole each
  run. (Books, albums, categories and teams are never edited: they are `append`.)

Deletions are found by a key-only scan: the ids the source still has (`live` rows only: a
soft-deleted chat message or comment counts as gone) against the ids the warehouse holds.

The SQL metadata below is the service's own operational database, which only holds the outbox
every service has; the warehouse's data lives in DuckDB.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Boolean, ColumnElement, String, column
from sqlalchemy.orm import DeclarativeBase

from agora.platform.bus.outbox import outbox_table
from agora.platform.db import new_metadata


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)

Kind = Literal["int", "str", "ts", "bool", "float"]
Mode = Literal["append", "updated", "full"]

_DUCK_TYPES: dict[Kind, str] = {
    "int": "BIGINT",
    "str": "VARCHAR",
    "ts": "TIMESTAMP",
    "bool": "BOOLEAN",
    "float": "DOUBLE",
}


@dataclass(frozen=True, slots=True)
class Field:
    """A source column and the warehouse column it becomes."""

    source: str
    target: str
    kind: Kind
    nullable: bool = False


@dataclass(frozen=True, slots=True)
class SourceTable:
    """One source table and the warehouse table it feeds (`fields[0]` is the key)."""

    service: str
    table: str
    target: str
    mode: Mode
    fields: tuple[Field, ...]
    changed: str | None = None  # the source column that says when a row last changed
    live: Callable[[], ColumnElement[Any]] | None = None  # rows that count as present
    user_columns: tuple[str, ...] = ()  # warehouse columns naming a user (for erasure)

    @property
    def name(self) -> str:
        return f"{self.service}.{self.table}"

    @property
    def key(self) -> Field:
        return self.fields[0]

    @property
    def columns(self) -> list[str]:
        return [f.target for f in self.fields]

    @property
    def changed_target(self) -> str | None:
        return next((f.target for f in self.fields if f.source == self.changed), None)

    def ddl(self, schema: str) -> str:
        columns = ", ".join(
            f"{f.target} {_DUCK_TYPES[f.kind]}{'' if f.nullable else ' NOT NULL'}"
            for f in self.fields
        )
        key = f", PRIMARY KEY ({self.key.target})" if schema == "main" else ""
        return f"CREATE TABLE IF NOT EXISTS {schema}.{self.target} ({columns}{key})"


def _not_deleted() -> ColumnElement[Any]:
    return column("deleted", Boolean).is_(False)


def _no_deleted_at() -> ColumnElement[Any]:
    return column("deleted_at").is_(None)


def _not_erased() -> ColumnElement[Any]:
    # An erased account stays in the users table as a tombstone (its id is never reused) named
    # `~deleted-<id>`; `~` is never valid in a chosen username. For the warehouse it is gone, so
    # its rows leave every fact table (decision 0018).
    return column("username", String()).not_like("~%")


F = Field

SOURCES: tuple[SourceTable, ...] = (
    # users: who joined when, in which role; and the follow graph.
    SourceTable(
        "users",
        "users",
        "dim_user",
        "updated",
        (
            F("id", "user_id", "int"),
            F("created_at", "joined_at", "ts"),
            F("role", "role", "str"),
            F("updated_at", "updated_at", "ts"),
        ),
        changed="updated_at",
        live=_not_erased,
    ),
    SourceTable(
        "users",
        "follows",
        "fact_follow",
        "append",
        (
            F("id", "follow_id", "int"),
            F("follower_id", "follower_id", "int"),
            F("followee_id", "followee_id", "int"),
            F("created_at", "followed_at", "ts"),
        ),
        user_columns=("follower_id", "followee_id"),
    ),
    # voting: books, the monthly polls (book-of-the-month history), votes.
    SourceTable(
        "voting",
        "books",
        "dim_book",
        "append",
        (
            F("id", "book_id", "int"),
            F("title", "title", "str"),
            F("author", "author", "str"),
            F("created_at", "added_at", "ts"),
        ),
    ),
    SourceTable(
        "voting",
        "polls",
        "dim_poll",
        "full",
        (
            F("id", "poll_id", "int"),
            F("month", "month", "str"),
            F("status", "status", "str"),
            F("winner_book_id", "winner_book_id", "int", True),
            F("winner_votes", "winner_votes", "int"),
            F("total_votes", "total_votes", "int"),
            F("closes_at", "closes_at", "ts"),
            F("closed_at", "closed_at", "ts", True),
        ),
    ),
    SourceTable(
        "voting",
        "votes",
        "fact_vote",
        "updated",
        (
            F("id", "vote_id", "int"),
            F("poll_id", "poll_id", "int"),
            F("user_id", "user_id", "int"),
            F("book_id", "book_id", "int"),
            F("voted_at", "voted_at", "ts"),
        ),
        changed="voted_at",
        user_columns=("user_id",),
    ),
    # reviews: the album catalog (with genre) and the reviews.
    SourceTable(
        "reviews",
        "albums",
        "dim_album",
        "append",
        (
            F("id", "album_id", "int"),
            F("title", "title", "str"),
            F("artist", "artist", "str"),
            F("year", "year", "int", True),
            F("genre", "genre", "str"),
            F("created_at", "added_at", "ts"),
        ),
    ),
    SourceTable(
        "reviews",
        "reviews",
        "fact_review",
        "updated",
        (
            F("id", "review_id", "int"),
            F("album_id", "album_id", "int"),
            F("user_id", "user_id", "int"),
            F("rating_halves", "rating_halves", "int"),
            F("created_at", "created_at", "ts"),
            F("updated_at", "updated_at", "ts"),
        ),
        changed="updated_at",
        user_columns=("user_id",),
    ),
    # timeline: posts.
    SourceTable(
        "timeline",
        "tweets",
        "fact_post",
        "append",
        (
            F("id", "post_id", "int"),
            F("user_id", "user_id", "int"),
            F("created_at", "created_at", "ts"),
        ),
        user_columns=("user_id",),
    ),
    # discussions: chat messages (a deleted message is gone).
    SourceTable(
        "discussions",
        "messages",
        "fact_chat_message",
        "append",
        (
            F("id", "message_id", "int"),
            F("room_id", "room_id", "int"),
            F("user_id", "user_id", "int"),
            F("created_at", "sent_at", "ts"),
        ),
        live=_not_deleted,
        user_columns=("user_id",),
    ),
    # competitions: competitions, entries, likes, comments (a deleted comment is gone).
    SourceTable(
        "competitions",
        "competitions",
        "dim_competition",
        "full",
        (
            F("id", "competition_id", "int"),
            F("title", "title", "str"),
            F("status", "status", "str"),
            F("start_date", "start_date", "ts"),
            F("end_date", "end_date", "ts"),
            F("created_at", "created_at", "ts"),
            F("closed_at", "closed_at", "ts", True),
        ),
    ),
    SourceTable(
        "competitions",
        "submissions",
        "fact_submission",
        "updated",
        (
            F("id", "submission_id", "int"),
            F("competition_id", "competition_id", "int"),
            F("user_id", "user_id", "int"),
            F("place", "place", "int", True),
            F("created_at", "created_at", "ts"),
            F("updated_at", "updated_at", "ts"),
        ),
        changed="updated_at",
        user_columns=("user_id",),
    ),
    SourceTable(
        "competitions",
        "likes",
        "fact_like",
        "append",
        (
            F("id", "like_id", "int"),
            F("submission_id", "submission_id", "int"),
            F("user_id", "user_id", "int"),
            F("created_at", "liked_at", "ts"),
        ),
        user_columns=("user_id",),
    ),
    SourceTable(
        "competitions",
        "comments",
        "fact_comment",
        "updated",
        (
            F("id", "comment_id", "int"),
            F("submission_id", "submission_id", "int"),
            F("user_id", "user_id", "int"),
            F("created_at", "created_at", "ts"),
            F("updated_at", "updated_at", "ts"),
        ),
        changed="updated_at",
        live=_no_deleted_at,
        user_columns=("user_id",),
    ),
    # sports: categories, teams, games (results) and their events.
    SourceTable(
        "sports",
        "categories",
        "dim_sport_category",
        "append",
        (F("id", "category_id", "int"), F("name", "name", "str"), F("name_key", "name_key", "str")),
    ),
    SourceTable(
        "sports",
        "teams",
        "dim_team",
        "append",
        (F("id", "team_id", "int"), F("name", "name", "str"), F("name_key", "name_key", "str")),
    ),
    SourceTable(
        "sports",
        "games",
        "fact_game_result",
        "updated",
        (
            F("id", "game_id", "int"),
            F("category_id", "category_id", "int"),
            F("team_1", "team_1", "str"),
            F("team_2", "team_2", "str"),
            F("status", "status", "str"),
            F("score_team_1", "score_team_1", "int"),
            F("score_team_2", "score_team_2", "int"),
            F("start_time", "start_time", "ts"),
            F("started_at", "started_at", "ts", True),
            F("finished_at", "finished_at", "ts", True),
            F("updated_at", "updated_at", "ts"),
        ),
        changed="updated_at",
    ),
    SourceTable(
        "sports",
        "game_events",
        "fact_game_event",
        "append",
        (
            F("id", "event_id", "int"),
            F("game_id", "game_id", "int"),
            F("event_type", "event_type", "str"),
            F("side", "side", "int", True),
            F("team", "team", "str", True),
            F("points", "points", "int"),
            F("recorded_at", "recorded_at", "ts"),
        ),
    ),
)

SOURCE_SERVICES: tuple[str, ...] = tuple(dict.fromkeys(s.service for s in SOURCES))

# Tables of the warehouse that are not a source's copy.
HOUSEKEEPING_DDL: tuple[str, ...] = (
    "CREATE SCHEMA IF NOT EXISTS staging",
    """CREATE TABLE IF NOT EXISTS dim_date (
        date_key DATE PRIMARY KEY, year INTEGER NOT NULL, month INTEGER NOT NULL,
        day INTEGER NOT NULL, iso_week INTEGER NOT NULL, weekday INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS etl_watermark (
        source VARCHAR PRIMARY KEY, max_key BIGINT, max_changed TIMESTAMP)""",
    """CREATE TABLE IF NOT EXISTS erased_user (
        user_id BIGINT PRIMARY KEY, erased_at TIMESTAMP NOT NULL)""",
    "CREATE SEQUENCE IF NOT EXISTS etl_run_id",
    """CREATE TABLE IF NOT EXISTS etl_run (
        run_id BIGINT PRIMARY KEY DEFAULT nextval('etl_run_id'),
        started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP NOT NULL, ok BOOLEAN NOT NULL,
        rows_read BIGINT NOT NULL, rows_changed BIGINT NOT NULL, seconds DOUBLE NOT NULL,
        tables VARCHAR NOT NULL, watermarks VARCHAR NOT NULL, error VARCHAR)""",
)

# Fact tables with their date column, for the calendar dimension.
FACT_DATES: dict[str, str] = {
    s.target: next(f.target for f in s.fields if f.kind == "ts")
    for s in SOURCES
    if s.target.startswith("fact_")
}
