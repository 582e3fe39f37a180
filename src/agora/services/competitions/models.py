"""Tables of the competitions service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")

# `Competition.status`: open until the end date passes, then closed once, with results.
OPEN = "open"
CLOSED = "closed"


class Base(DeclarativeBase):
    """The competitions service's tables."""

    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Competition(Base):
    """A writing competition: entries are accepted from `start_date` until `end_date`."""

    __tablename__ = "competitions"
    __table_args__ = (
        Index("ix_competitions_status_end_date", "status", "end_date"),
        Index("ix_competitions_start_date_end_date", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    admin_id: Mapped[int] = mapped_column(BigId)
    start_date: Mapped[datetime] = mapped_column(UTCDateTime)
    end_date: Mapped[datetime] = mapped_column(UTCDateTime)
    allow_multiple_entries: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Submission(Base):
    """An entry. `single_entry_user_id` is the author in competitions that allow one entry per
    user (NULL otherwise), so a unique constraint refuses a second entry even under a race."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("competition_id", "single_entry_user_id"),
        Index("ix_submissions_competition_id_id", "competition_id", "id"),
        Index("ix_submissions_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigId)
    single_entry_user_id: Mapped[int | None] = mapped_column(BigId)
    # Usernames never change, so the author's name is kept with the entry it signs.
    username: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set once, when the competition closes.
    place: Mapped[int | None] = mapped_column(Integer)


class Like(Base):
    """One user's like of one entry; the unique pair is what keeps counts exact."""

    __tablename__ = "likes"
    __table_args__ = (UniqueConstraint("submission_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Comment(Base):
    """A comment on an entry, or a reply (`parent_id`). A reply's `root_id` is the top-level
    comment of its thread (NULL for a top-level one), so a page of threads loads in two queries."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_submission_id_parent_id_id", "submission_id", "parent_id", "id"),
        Index("ix_comments_root_id", "root_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    root_id: Mapped[int | None] = mapped_column(BigId)
    user_id: Mapped[int] = mapped_column(BigId)
    username: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A deleted comment keeps its place in the thread (its replies stay readable), not its text.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Subscription(Base):
    """A user wants to hear about new entries in a competition."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("competition_id", "user_id"),
        Index("ix_subscriptions_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
