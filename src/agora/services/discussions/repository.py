"""Queries of the discussions service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Select, Table, and_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import Writes, add_row, insert_ignore
from agora.platform.reads import Reads, Row, in_slots, slot_values
from agora.services.discussions.models import (
    ROOM_KINDS,
    Album,
    BookOfMonth,
    Message,
    Reply,
    Room,
    RoomMember,
    Thread,
)

# The hot reads select the tables' columns, not the mapped entities, with statements built once
# (decision 0041), and run as plain reads (`Reads`, decision 0044): rows are dicts by column name.
_ROOMS = Room.__table__.c
_BOOKS = BookOfMonth.__table__.c
_THREADS = Thread.__table__.c
_REPLIES = Reply.__table__.c

# ---------------------------------------------------------------- rooms


async def get_room(session: AsyncSession, room_id: int) -> Room | None:
    return await session.get(Room, room_id)


# A room's columns, as a room's read and the room lists give them.
_ROOM_COLUMNS = (
    _ROOMS.id,
    _ROOMS.kind,
    _ROOMS.ref,
    _ROOMS.category_id,
    _ROOMS.name,
    _ROOMS.description,
    _ROOMS.created_by,
    _ROOMS.created_at,
    _ROOMS.closed_at,
)
# A room by id: what every chat socket reads twice as it connects (decision 0045).
_ROOM_BY_ID = select(*_ROOM_COLUMNS).where(_ROOMS.id == bindparam("room_id"))


async def get_room_row(reads: Reads, room_id: int) -> Row | None:
    """A room as a row of its columns (those `list_rooms` gives), or None."""
    return await reads.one(_ROOM_BY_ID, {"room_id": room_id})


async def get_active_room_by_key(session: AsyncSession, key: str) -> Room | None:
    return (await session.execute(select(Room).where(Room.active_key == key))).scalar_one_or_none()


async def insert_room_if_absent(
    session: AsyncSession,
    *,
    kind: str,
    ref: str,
    name: str,
    description: str,
    created_by: int | None,
    category_id: int | None,
    now: datetime,
) -> int | None:
    """Open a room about `<kind>:<ref>` unless an open one exists; the new id, or None."""
    result = await session.execute(
        insert_ignore(
            session,
            Room,
            kind=kind,
            ref=ref,
            category_id=category_id,
            name=name,
            description=description,
            created_by=created_by,
            created_at=now,
            closed_at=None,
            active_key=f"{kind}:{ref}",
        ).returning(Room.id)
    )
    row = result.first()
    return int(row[0]) if row is not None else None


async def close_room(session: AsyncSession, room_id: int, now: datetime) -> Room | None:
    """Close an open room; the closed room, or None when it was already closed (or never
    existed)."""
    result = await session.execute(
        update(Room)
        .where(Room.id == room_id, Room.closed_at.is_(None))
        .values(closed_at=now, active_key=None)
        .returning(Room)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return result.scalar_one_or_none()


# The kinds a room list asks for fill one slot each (`in_slots`): one statement then serves every
# choice of kinds.
_KIND_SLOTS = len(ROOM_KINDS)


def _open_rooms(*, before: bool, category: bool) -> Select[Any]:
    query = select(*_ROOM_COLUMNS).where(
        in_slots(_ROOMS.kind, "kind", _KIND_SLOTS),
        _ROOMS.closed_at.is_(None),
    )
    if before:
        query = query.where(_ROOMS.id < bindparam("before"))
    if category:
        query = query.where(_ROOMS.category_id == bindparam("category_id"))
    return query.order_by(_ROOMS.id.desc()).limit(bindparam("limit"))


# Open rooms of some kinds, newest first: by (after a cursor, in one category).
_OPEN_ROOMS = {
    (before, category): _open_rooms(before=before, category=category)
    for before in (False, True)
    for category in (False, True)
}


async def list_rooms(
    reads: Reads,
    *,
    kinds: Sequence[str],
    limit: int,
    before: int | None,
    category_id: int | None = None,
) -> list[Row]:
    """Open rooms of the given kinds, newest first: rows with `Room`'s columns."""
    params = {"limit": limit, **slot_values("kind", kinds, _KIND_SLOTS)}
    if before is not None:
        params["before"] = before
    if category_id is not None:
        params["category_id"] = category_id
    query = _OPEN_ROOMS[before is not None, category_id is not None]
    return await reads.all(query, params)


async def add_member(
    session: AsyncSession, room_id: int, user_id: int, username: str, now: datetime
) -> bool:
    """Record that a user joined a room; False when they already had."""
    result = await session.execute(
        insert_ignore(
            session, RoomMember, room_id=room_id, user_id=user_id, username=username, joined_at=now
        ).returning(RoomMember.id)
    )
    return result.first() is not None


async def list_member_names(session: AsyncSession, room_id: int, limit: int) -> list[str]:
    """The usernames of a room's members, earliest first."""
    query = (
        select(RoomMember.username)
        .where(RoomMember.room_id == room_id)
        .order_by(RoomMember.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


# ---------------------------------------------------------------- albums and books


async def get_album(session: AsyncSession, album_id: int) -> Album | None:
    return await session.get(Album, album_id)


async def add_album(
    session: AsyncSession,
    *,
    album_id: int,
    title: str,
    artist: str,
    genre: str,
    year: int | None,
    now: datetime,
) -> None:
    """Record an album of the catalog (once: a redelivered album changes nothing)."""
    await session.execute(
        insert_ignore(
            session,
            Album,
            album_id=album_id,
            title=title,
            artist=artist,
            genre=genre,
            year=year,
            added_at=now,
        )
    )


async def add_book_of_month(
    session: AsyncSession,
    *,
    poll_id: int,
    book_id: int,
    title: str,
    author: str,
    month: str,
    closed_at: datetime,
) -> bool:
    """Record a poll's winner (its lobby comes later); False when this poll was recorded
    already."""
    result = await session.execute(
        insert_ignore(
            session,
            BookOfMonth,
            poll_id=poll_id,
            book_id=book_id,
            title=title,
            author=author,
            month=month,
            room_id=None,
            closed_at=closed_at,
        ).returning(BookOfMonth.poll_id)
    )
    return result.first() is not None


async def set_book_room(session: AsyncSession, poll_id: int, room_id: int) -> None:
    await session.execute(
        update(BookOfMonth).where(BookOfMonth.poll_id == poll_id).values(room_id=room_id)
    )


_BOOK_COLUMNS = (_BOOKS.book_id, _BOOKS.title, _BOOKS.author, _BOOKS.month, _BOOKS.room_id)
_NEWEST_FIRST = (_BOOKS.closed_at.desc(), _BOOKS.poll_id.desc())
_CURRENT_BOOK = select(*_BOOK_COLUMNS).order_by(*_NEWEST_FIRST).limit(1)
_CURRENT_LOBBY = select(_BOOKS.room_id).order_by(*_NEWEST_FIRST).limit(1)
_BOOK = (
    select(*_BOOK_COLUMNS)
    .where(_BOOKS.book_id == bindparam("book_id"))
    .order_by(*_NEWEST_FIRST)
    .limit(1)
)


async def get_current_book(reads: Reads) -> Row | None:
    """The newest closed poll's winner: a row with `BookOfMonth`'s `book_id`, `title`,
    `author`, `month` and `room_id`."""
    return await reads.one(_CURRENT_BOOK)


async def get_current_lobby(session: AsyncSession) -> int | None:
    """The room of the book of the month (None before any poll closed, or before its lobby
    opened), read in the unit of work that writes there."""
    room_id = (await session.execute(_CURRENT_LOBBY)).scalar()
    return None if room_id is None else int(room_id)


async def get_book(reads: Reads, book_id: int) -> Row | None:
    """The latest month this book won (a row as `get_current_book`'s)."""
    return await reads.one(_BOOK, {"book_id": book_id})


# ---------------------------------------------------------------- threads


async def get_thread(session: AsyncSession, thread_id: int) -> Thread | None:
    return await session.get(Thread, thread_id)


def _lobby_threads(*, room: bool, before: bool) -> Select[Any]:
    query = select(
        _THREADS.id,
        _THREADS.title,
        _THREADS.author,
        _THREADS.author_id,
        _THREADS.created_at,
        _THREADS.last_activity_at,
        _THREADS.replies,
    ).where(_THREADS.room_id == bindparam("room_id") if room else _THREADS.room_id.is_(None))
    if before:
        query = query.where(
            or_(
                _THREADS.last_activity_at < bindparam("before_at"),
                and_(
                    _THREADS.last_activity_at == bindparam("before_at"),
                    _THREADS.id < bindparam("before_id"),
                ),
            )
        )
    return query.order_by(_THREADS.last_activity_at.desc(), _THREADS.id.desc()).limit(
        bindparam("limit")
    )


# A lobby's threads, newest activity first (ties by id): by (a room's lobby rather than the
# general one, after a cursor).
_LOBBY_THREADS = {
    (room, before): _lobby_threads(room=room, before=before)
    for room in (False, True)
    for before in (False, True)
}


async def list_threads(
    reads: Reads,
    *,
    room_id: int | None,
    limit: int,
    before: tuple[datetime, int] | None,
) -> list[Row]:
    """One lobby's threads, newest activity first (ties by id): rows with `Thread`'s columns
    but its content."""
    params: dict[str, Any] = {"limit": limit}
    if room_id is not None:
        params["room_id"] = room_id
    if before is not None:
        params["before_at"], params["before_id"] = before
    query = _LOBBY_THREADS[room_id is not None, before is not None]
    return await reads.all(query, params)


async def add_thread(
    session: AsyncSession,
    *,
    room_id: int | None,
    title: str,
    author_id: int | None,
    author: str,
    content: str,
    now: datetime,
) -> Thread:
    """A new thread without replies, active now."""
    thread = Thread(
        room_id=room_id,
        title=title,
        author_id=author_id,
        author=author,
        content=content,
        created_at=now,
        last_activity_at=now,
        replies=0,
    )
    return await add_row(session, thread)


# A reply's statements on the tables, built once (decision 0041), run below the Session on the
# writer's connection (`Writes`, decision 0046).
# One more reply and the activity, atomically; the new count with the thread's title and author.
_COUNT_REPLY = (
    update(cast(Table, Thread.__table__))
    .where(_THREADS.id == bindparam("thread_id"))
    .values(replies=_THREADS.replies + 1, last_activity_at=bindparam("now"))
    .returning(_THREADS.replies, _THREADS.title, _THREADS.author_id)
)
_ADD_REPLY = (
    insert(cast(Table, Reply.__table__))
    .values(
        thread_id=bindparam("thread_id"),
        author_id=bindparam("author_id"),
        author=bindparam("author"),
        content=bindparam("content"),
        created_at=bindparam("now"),
    )
    .returning(_REPLIES.id)
)


async def count_reply(
    writes: Writes, thread_id: int, now: datetime
) -> tuple[int, str, int | None] | None:
    """Count one more reply and mark the activity, atomically; the new count with the thread's
    title and author, or None when the thread does not exist. The row lock it takes serialises
    concurrent replies to one thread."""
    rows = await writes.tuples(_COUNT_REPLY, {"thread_id": thread_id, "now": now})
    if not rows:
        return None
    count, title, author_id = rows[0]
    return int(count), str(title), None if author_id is None else int(author_id)


async def add_reply(
    writes: Writes,
    *,
    thread_id: int,
    author_id: int,
    author: str,
    content: str,
    now: datetime,
) -> int:
    """A new reply in a thread; its id."""
    values = {
        "thread_id": thread_id,
        "author_id": author_id,
        "author": author,
        "content": content,
        "now": now,
    }
    rows = await writes.tuples(_ADD_REPLY, values)
    return int(rows[0][0])


async def list_replies(
    session: AsyncSession, thread_id: int, *, limit: int, after: int | None
) -> list[Reply]:
    """A thread's replies, oldest first."""
    query = select(Reply).where(Reply.thread_id == thread_id).order_by(Reply.id).limit(limit)
    if after is not None:
        query = query.where(Reply.id > after)
    return list((await session.execute(query)).scalars())


# ---------------------------------------------------------------- messages


async def get_message(session: AsyncSession, message_id: int) -> Message | None:
    return await session.get(Message, message_id)


async def add_message(
    session: AsyncSession, *, room_id: int, user_id: int, username: str, body: str, now: datetime
) -> Message:
    message = Message(
        room_id=room_id,
        user_id=user_id,
        username=username,
        body=body,
        created_at=now,
        edited_at=None,
        deleted=False,
    )
    return await add_row(session, message)


async def list_messages(
    session: AsyncSession, room_id: int, *, limit: int, before: int | None
) -> list[Message]:
    """A room's visible messages, newest first."""
    query = (
        select(Message)
        .where(Message.room_id == room_id, Message.deleted.is_(False))
        .order_by(Message.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Message.id < before)
    return list((await session.execute(query)).scalars())


async def list_messages_after(
    session: AsyncSession, room_id: int, *, after: int, limit: int
) -> list[Message]:
    """A room's visible messages after `after`, oldest first (recovery by message id)."""
    query = (
        select(Message)
        .where(Message.room_id == room_id, Message.deleted.is_(False), Message.id > after)
        .order_by(Message.id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())


async def edit_message(
    session: AsyncSession, message_id: int, room_id: int, user_id: int, body: str, now: datetime
) -> Message | None:
    """Change the text of one's own visible message; None when it is not that."""
    result = await session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.room_id == room_id,
            Message.user_id == user_id,
            Message.deleted.is_(False),
        )
        .values(body=body, edited_at=now)
        .returning(Message)
    )
    return result.scalar_one_or_none()


async def delete_message(
    session: AsyncSession, message_id: int, room_id: int, user_id: int
) -> bool:
    """Hide one's own visible message; False when it is not that."""
    result = await session.execute(
        update(Message)
        .where(
            Message.id == message_id,
            Message.room_id == room_id,
            Message.user_id == user_id,
            Message.deleted.is_(False),
        )
        .values(deleted=True)
        .returning(Message.id)
    )
    return result.first() is not None
