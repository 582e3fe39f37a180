"""Tables of the sports service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")

# Game statuses.
SCHEDULED = "scheduled"
LIVE = "live"
PAUSED = "paused"
FINISHED = "finished"
POSTPONED = "postponed"
CANCELLED = "cancelled"
STATUSES = (SCHEDULED, LIVE, PAUSED, FINISHED, POSTPONED, CANCELLED)
ONGOING = (LIVE, PAUSED)
# A game counts in analytics once it has been played (or is being played).
PLAYED = (LIVE, PAUSED, FINISHED)


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Category(Base):
    """A sport (football, basketball, ...). `name_key` is the name folded for uniqueness."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(50))
    name_key: Mapped[str] = mapped_column(String(50), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Team(Base):
    """A team (or a player, in tennis) that has appeared in a game; the first spelling wins."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Game(Base):
    """A game between two teams, its live state and score.

    `version` grows by one with every recorded event, so real-time clients can drop a state that
    arrives after a newer one. `created_by` 0 marks the demo feed's games.
    """

    __tablename__ = "games"
    __table_args__ = (
        Index("ix_games_status_start_time", "status", "start_time"),
        Index("ix_games_category_id_started_at", "category_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    team_1: Mapped[str] = mapped_column(String(64))
    team_2: Mapped[str] = mapped_column(String(64))
    start_time: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    score_team_1: Mapped[int] = mapped_column(Integer, default=0)
    score_team_2: Mapped[int] = mapped_column(Integer, default=0)
    current_period: Mapped[str] = mapped_column(String(32), default="")
    period_number: Mapped[int] = mapped_column(Integer, default=0)
    period_running: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class GameEvent(Base):
    """Something that happened in a game, with the score right after it."""

    __tablename__ = "game_events"
    __table_args__ = (Index("ix_game_events_game_id_id", "game_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    event_type: Mapped[str] = mapped_column(String(16))
    side: Mapped[int | None] = mapped_column(Integer)  # 1 or 2: which team; None: neither
    team: Mapped[str | None] = mapped_column(String(64))
    points: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(String(500))
    event_time: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(32))
    score_team_1: Mapped[int] = mapped_column(Integer)
    score_team_2: Mapped[int] = mapped_column(Integer)
    game_version: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TeamFollow(Base):
    """`user_id` follows a team. The surrogate id orders pages (newest first)."""

    __tablename__ = "team_follows"
    __table_args__ = (
        UniqueConstraint("user_id", "team_id"),
        Index("ix_team_follows_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedState(Base):
    """The demo feed's single row; locking it serializes feed replicas (cluster topology)."""

    __tablename__ = "feed_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FeedPlanEntry(Base):
    """One event the demo feed will post to a game when `due_at` comes. Stored, not kept in
    memory, so a restarted feed carries on and a deleted entry is never posted twice."""

    __tablename__ = "feed_plan"
    __table_args__ = (Index("ix_feed_plan_due_at_id", "due_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
