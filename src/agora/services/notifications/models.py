"""Tables of the notifications service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    """The notifications service's tables."""

    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Notification(Base):
    """One notification for one user. `event_id` names the event that caused it (NULL when an
    admin sent it)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        # At most one unread notification per collapse key and user (e.g. one per live game).
        Index(
            "uq_notifications_unread_collapse",
            "user_id",
            "collapse_key",
            unique=True,
            postgresql_where=text("read_at IS NULL AND collapse_key IS NOT NULL"),
            sqlite_where=text("read_at IS NULL AND collapse_key IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigId)
    type: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    event_id: Mapped[str | None] = mapped_column(String(32))
    # Notifications with the same key replace each other while unread (a game's score updates).
    collapse_key: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TeamFollow(Base):
    """The local copy of who follows which team (from the sports service's events).

    A row stays when a user unfollows (`following` false): `changed_at` is the time of the last
    event applied, so an older event that arrives late (events of different types are not ordered)
    cannot undo a newer one.
    """

    __tablename__ = "team_follows"
    __table_args__ = (UniqueConstraint("team", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    team: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int] = mapped_column(BigId)
    following: Mapped[bool] = mapped_column()
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
