"""Tables of the voting service."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")

OPEN = "open"
CLOSED = "closed"

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"

_ONLY_OPEN = text("status = 'open'")
_ONLY_PENDING = text("status = 'pending'")


class Base(DeclarativeBase):
    """Declarative base of the voting tables."""

    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Book(Base):
    """A book the club has considered. The keys (case and spacing folded) make one row per
    title and author, however they were typed."""

    __tablename__ = "books"
    __table_args__ = (UniqueConstraint("title_key", "author_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    title_key: Mapped[str] = mapped_column(String(300))
    author_key: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[int | None] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Poll(Base):
    """One month's poll. `vote_seq` counts the votes applied to it: each vote takes the next
    number while holding the poll's row, so the numbers order votes exactly as they happened."""

    __tablename__ = "polls"
    __table_args__ = (
        # At most one poll is open at any time, whatever races between replicas.
        Index(
            "uq_polls_one_open",
            "status",
            unique=True,
            postgresql_where=_ONLY_OPEN,
            sqlite_where=_ONLY_OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    month: Mapped[str] = mapped_column(String(7), unique=True)
    status: Mapped[str] = mapped_column(String(8))
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(String(16))
    closed_by: Mapped[int | None] = mapped_column(BigId)
    winner_book_id: Mapped[int | None] = mapped_column(ForeignKey("books.id"))
    winner_votes: Mapped[int] = mapped_column(Integer, default=0)
    total_votes: Mapped[int] = mapped_column(Integer, default=0)
    vote_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Candidate(Base):
    """A book on a poll's ballot."""

    __tablename__ = "candidates"

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
    added_by: Mapped[int | None] = mapped_column(BigId)


class Vote(Base):
    """A user's one vote in a poll; moving it rewrites this row. The composite foreign key
    keeps every vote on a candidate of its own poll."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("poll_id", "user_id"),
        ForeignKeyConstraint(["poll_id", "book_id"], ["candidates.poll_id", "candidates.book_id"]),
        Index("ix_votes_poll_id_book_id", "poll_id", "book_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    poll_id: Mapped[int] = mapped_column(BigId)
    user_id: Mapped[int] = mapped_column(BigId)
    book_id: Mapped[int] = mapped_column(BigId)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seq: Mapped[int] = mapped_column(BigInteger)


class Nomination(Base):
    """A member's suggestion for the ballot, waiting for an admin's decision."""

    __tablename__ = "nominations"
    __table_args__ = (
        # The same member cannot have the same book pending twice, even in a race.
        Index(
            "uq_nominations_pending_book",
            "user_id",
            "title_key",
            "author_key",
            unique=True,
            postgresql_where=_ONLY_PENDING,
            sqlite_where=_ONLY_PENDING,
        ),
        Index("ix_nominations_user_id_id", "user_id", "id"),
        Index("ix_nominations_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigId)
    username: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    title_key: Mapped[str] = mapped_column(String(300))
    author_key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(BigId)
    reason: Mapped[str | None] = mapped_column(String(500))
    book_id: Mapped[int | None] = mapped_column(ForeignKey("books.id"))
    poll_id: Mapped[int | None] = mapped_column(ForeignKey("polls.id"))


class Nominator(Base):
    """How many nominations a member has pending; changed in the same transaction as the
    nominations, so the limit holds under concurrent requests."""

    __tablename__ = "nominators"

    user_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    pending: Mapped[int] = mapped_column(Integer, default=0)
