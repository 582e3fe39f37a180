"""Tables of the discussions service: rooms and their members and messages, threads and replies,
the book of the month, and the local copy of the album catalog."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from agora.platform.bus.inbox import inbox_table
from agora.platform.bus.outbox import outbox_table
from agora.platform.db import UTCDateTime, new_metadata
from agora.platform.sagas.holding import held_rows_table, saga_ledger_table

BigId = BigInteger().with_variant(Integer, "sqlite")

ALBUM, GENRE, BOOK, SPORT, GAME = "album", "genre", "book", "sport", "game"
ROOM_KINDS = (ALBUM, GENRE, BOOK, SPORT, GAME)


class Base(DeclarativeBase):
    metadata = new_metadata()


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
# The account sagas' rows held out of sight, and the saga actions applied (decision 0018).
held_rows = held_rows_table(Base.metadata)
saga_ledger = saga_ledger_table(Base.metadata)


class Room(Base):
    """A chat room. `ref` names what it is about (album id, genre slug, book id, category id, game
    id); `active_key` is `<kind>:<ref>` while the room is open and NULL once closed, so its unique
    index allows one open room per subject and any number of closed ones."""

    __tablename__ = "rooms"
    __table_args__ = (
        Index("ix_rooms_kind_id", "kind", "id"),
        Index("ix_rooms_category_id_id", "category_id", "id"),
        # A deleted room's id (its channel's history, clients' `since`) never names a new room.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))
    ref: Mapped[str] = mapped_column(String(64))
    category_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    created_by: Mapped[int | None] = mapped_column(BigInteger)  # None: opened by an event
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active_key: Mapped[str | None] = mapped_column(String(100), unique=True)

    @property
    def active(self) -> bool:
        return self.closed_at is None


class RoomMember(Base):
    """A user who joined a room (the sports seed's join endpoint records it)."""

    __tablename__ = "room_members"
    __table_args__ = (UniqueConstraint("room_id", "user_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    username: Mapped[str] = mapped_column(String(64))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Message(Base):
    """One chat message. Deleting keeps the row (ids stay stable for clients) but hides it."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_room_id_id", "room_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(BigInteger)
    username: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(4000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted: Mapped[bool] = mapped_column(default=False)


class Album(Base):
    """The local copy of an album from `reviews.album_added`: album rooms need a known album."""

    __tablename__ = "albums"

    album_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    artist: Mapped[str] = mapped_column(String(300))
    genre: Mapped[str] = mapped_column(String(100))
    year: Mapped[int | None] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class BookOfMonth(Base):
    """A closed poll's winner and its lobby; the newest is the book of the month."""

    __tablename__ = "books_of_month"

    poll_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    book_id: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(300))
    author: Mapped[str] = mapped_column(String(300))
    month: Mapped[str] = mapped_column(String(16))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class Thread(Base):
    """A discussion thread in a book's lobby (`room_id`), or in the general lobby (NULL).
    `replies` changes in the same transaction as each reply row."""

    __tablename__ = "threads"
    __table_args__ = (Index("ix_threads_room_id_activity", "room_id", "last_activity_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(BigInteger)  # None: written by Agora itself
    author: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime)
    replies: Mapped[int] = mapped_column(Integer, default=0)


class Reply(Base):
    """A reply in a thread."""

    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_thread_id_id", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(BigInteger)
    author: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
