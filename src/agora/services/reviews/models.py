"""Tables of the reviews service: the album catalog and the reviews.

An album's average, count and per-half-star distribution are not stored: they are computed from the
review rows (an index covers the query), so concurrent posts, edits and deletes cannot make them
drift.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Album(Base):
    """An album in the catalog. One album per title and artist, whatever their letter case."""

    __tablename__ = "albums"
    __table_args__ = (UniqueConstraint("title_key", "artist_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(200))
    artist: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    genre: Mapped[str] = mapped_column(String(50))
    # Lower-cased title and artist: uniqueness and search ignore letter case on both backends.
    title_key: Mapped[str] = mapped_column(String(200))
    artist_key: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Review(Base):
    """One user's review of one album; the rating is kept in half stars (1..10), so sums are
    exact."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("album_id", "user_id"),
        CheckConstraint("rating_halves BETWEEN 1 AND 10", name="rating_halves_range"),
        Index("ix_reviews_album_id_id", "album_id", "id"),
        Index("ix_reviews_album_id_rating_halves", "album_id", "rating_halves"),
        # A deleted review's id (in URLs, cursors, events) is never handed to another review.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    album_id: Mapped[int] = mapped_column(ForeignKey("albums.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigId)
    # The author's name when they posted (names never change), so pages need no user lookups.
    username: Mapped[str] = mapped_column(String(32))
    rating_halves: Mapped[int] = mapped_column(SmallInteger)
    review_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
