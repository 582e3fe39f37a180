"""Tables of the timeline service: tweets, and its own copy of the follow graph."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Index, Integer, String
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


class Tweet(Base):
    """A post of at most 280 characters. Ids grow with time, so they order timelines."""

    __tablename__ = "tweets"
    __table_args__ = (
        Index("ix_tweets_user_id_id", "user_id", "id"),
        # SQLite would otherwise hand a deleted newest id to the next tweet; feeds, cursors and
        # live frames rely on ids never coming back.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(BigId)
    # The author's name when they posted (names never change), so pages need no user lookups.
    username: Mapped[str] = mapped_column(String(32))
    content: Mapped[str] = mapped_column(String(280))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Follow(Base):
    """The local copy of one edge of the users service's follow graph, from its events.

    Unfollowing keeps the row (inactive) with the time of the change: events of different types may
    arrive out of order, and an older event never overrides a newer one.
    """

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_followee_id_follower_id", "followee_id", "follower_id"),)

    follower_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    followee_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    active: Mapped[bool] = mapped_column(Boolean)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
