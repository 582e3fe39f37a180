"""Business rules of the discussions service: threads of the book of the month, rooms of every
kind, chat messages, and the rooms other services' events open.

`do_*` change state; `access_*` fetch and authorize; `get_*`/`list_*` read; `check_*` validate.
Hub publications happen only after the change commits (`after_commit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.reviews import AlbumAdded
from agora.contracts.events.sports import CategoryCreated, GameScheduled
from agora.contracts.events.voting import PollClosed
from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock
from agora.platform.db import after_commit
from agora.platform.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    ValidationFailed,
)
from agora.platform.ratelimit import RateLimit, RateLimiter, RateLimiterUnavailable
from agora.platform.realtime.base import Hub, Publication
from agora.platform.schemas import iso
from agora.services.discussions import repository as repo
from agora.services.discussions.models import (
    ALBUM,
    BOOK,
    GAME,
    GENRE,
    SPORT,
    BookOfMonth,
    Message,
    Reply,
    Room,
    Thread,
)
from agora.services.discussions.schemas import (
    MAX_MESSAGE_CHARS,
    ChatroomJoin,
    ReplyCreate,
    RoomCreate,
    ThreadCreate,
    message_frame,
)

log = structlog.get_logger("agora.discussions")

SYSTEM_AUTHOR = "agora"
MUSIC_KINDS = (ALBUM, GENRE, BOOK, SPORT, GAME)
SPORTS_KINDS = (SPORT, GAME)
PRESENT_LIMIT = 100  # users listed in a presence frame; `present_count` has the total
# Above this many present users, arrivals and departures are no longer broadcast one by one: each
# would reach every member (N² frames as a big room fills). Counts stay in the room lists.
LARGE_ROOM = 100
MEMBER_LIST_LIMIT = 200


def channel_of(room_id: int) -> str:
    return f"room:{room_id}"


def parse_id(value: str | int | None) -> int | None:
    """A positive integer id from a path or body value (a string of digits is accepted)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 18:
        return None
    number = int(text)
    return number if number > 0 else None


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None or cursor == "":
        return None
    number = parse_id(cursor)
    if number is None:
        raise BadRequest("cursor must be a value returned as next_cursor", code="bad_cursor")
    return number


def _activity_cursor(thread: Thread) -> str:
    micros = int(thread.last_activity_at.timestamp() * 1_000_000)
    return f"{micros}_{thread.id}"


def _parse_activity_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if cursor is None or cursor == "":
        return None
    micros, _, thread_id = cursor.partition("_")
    if not (micros.isdigit() and thread_id.isdigit()) or len(micros) > 20:
        raise BadRequest("before must be a value returned as next_cursor", code="bad_cursor")
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(thread_id)


@dataclass
class Presence:
    """Who is in a room: the first `PRESENT_LIMIT` distinct users, how many there are, and how
    many connections one given user holds."""

    present: list[dict[str, Any]]
    count: int
    connections_of_user: int


def summarize_presence(presence: dict[str, dict[str, Any]], user_id: str = "") -> Presence:
    """One pass over a channel's connections (one user may hold several sockets)."""
    seen: set[str] = set()
    listed: list[dict[str, Any]] = []
    mine = 0
    for info in presence.values():
        uid = str(info.get("userId", ""))
        if not uid:
            continue
        if uid == user_id:
            mine += 1
        if uid not in seen:
            seen.add(uid)
            if len(listed) < PRESENT_LIMIT:
                listed.append({"userId": uid, "username": info.get("username", "")})
    return Presence(listed, len(seen), mine)


@dataclass
class Posted:
    """A chat change and, once committed and published, its publication on the room's
    channel."""

    message: Message
    publication: Publication | None = None


class DiscussionsService:
    """The discussions service's rules, with its collaborators injected."""

    def __init__(
        self,
        *,
        clock: Clock,
        hub: Hub,
        rate_limiter: RateLimiter,
        message_limit: RateLimit | None = None,
    ) -> None:
        self.clock = clock
        self.hub = hub
        self.rate_limiter = rate_limiter
        # Per user, over every room: enough for a lively conversation, not for a flood.
        self.message_limit = message_limit or RateLimit(10, 10)

    # ------------------------------------------------------------ threads

    @staticmethod
    def check_author(me: Principal, claimed: str | int | None) -> None:
        """The bookclub seed's `author` names the acting user: by username or by id."""
        if claimed is None or str(claimed).strip() == "":
            return
        text = str(claimed).strip()
        if text.lower() != me.username.lower() and text != str(me.user_id):
            raise Forbidden(
                f"author is {text!r}, but the token belongs to {me.username!r}",
                code="acting_user_mismatch",
            )

    async def get_lobby(self, session: AsyncSession, book_id: int | None) -> BookOfMonth | None:
        """The book whose lobby holds the threads: the one asked for, else the book of the month
        (None: the general lobby, before any poll closed)."""
        if book_id is None:
            return await repo.get_current_book(session)
        book = await repo.get_book(session, book_id)
        if book is None:
            raise NotFound(
                f"Book {book_id} has not been a book of the month", code="book_not_found"
            )
        return book

    async def list_threads(
        self, session: AsyncSession, *, book_id: int | None, limit: int, before: str | None
    ) -> tuple[BookOfMonth | None, list[Thread], str | None]:
        position = _parse_activity_cursor(before)
        book = await self.get_lobby(session, book_id)
        room_id = book.room_id if book is not None else None
        if book is not None and room_id is None:
            return book, [], None
        threads = await repo.list_threads(
            session, room_id=room_id, limit=limit + 1, before=position
        )
        more = len(threads) > limit
        threads = threads[:limit]
        next_cursor = _activity_cursor(threads[-1]) if more and threads else None
        return book, threads, next_cursor

    async def do_create_thread(
        self, session: AsyncSession, me: Principal, data: ThreadCreate
    ) -> Thread:
        self.check_author(me, data.author)
        book = await repo.get_current_book(session)
        now = self.clock.now()
        thread = Thread(
            room_id=book.room_id if book is not None else None,
            title=data.title,
            author_id=me.user_id,
            author=me.username,
            content=data.content,
            created_at=now,
            last_activity_at=now,
            replies=0,
        )
        session.add(thread)
        await session.flush()
        log.info("thread_created", thread_id=thread.id, room_id=thread.room_id)
        return thread

    async def access_thread(self, session: AsyncSession, thread_id: int) -> Thread:
        thread = await repo.get_thread(session, thread_id)
        if thread is None:
            raise NotFound(f"No discussion thread {thread_id}", code="thread_not_found")
        return thread

    async def list_replies(
        self, session: AsyncSession, thread: Thread, *, limit: int, cursor: str | None
    ) -> tuple[list[Reply], str | None]:
        after = parse_cursor(cursor)
        replies = await repo.list_replies(session, thread.id, limit=limit + 1, after=after)
        more = len(replies) > limit
        replies = replies[:limit]
        return replies, str(replies[-1].id) if more and replies else None

    async def do_reply(
        self, session: AsyncSession, me: Principal, thread_id: int, data: ReplyCreate
    ) -> tuple[Reply, int]:
        self.check_author(me, data.author)
        now = self.clock.now()
        count = await repo.count_reply(session, thread_id, now)
        if count is None:
            raise NotFound(f"No discussion thread {thread_id}", code="thread_not_found")
        reply = Reply(
            thread_id=thread_id,
            author_id=me.user_id,
            author=me.username,
            content=data.content,
            created_at=now,
        )
        session.add(reply)
        await session.flush()
        return reply, count

    # ------------------------------------------------------------ rooms

    async def _open_room(
        self,
        session: AsyncSession,
        *,
        kind: str,
        ref: str,
        name: str,
        description: str,
        created_by: int | None,
        category_id: int | None = None,
    ) -> tuple[Room, bool]:
        """The open room about this subject: a new one, or the one already open."""
        key = f"{kind}:{ref}"
        new_id = await repo.insert_room_if_absent(
            session,
            {
                "kind": kind,
                "ref": ref,
                "category_id": category_id,
                "name": name[:200],
                "description": description[:500],
                "created_by": created_by,
                "created_at": self.clock.now(),
                "closed_at": None,
                "active_key": key,
            },
        )
        room = await (
            repo.get_room(session, new_id)
            if new_id is not None
            else repo.get_active_room_by_key(session, key)
        )
        if room is None:
            # The open room was closed between our insert and our read: rare; the client retries.
            raise Conflict("The room changed while opening it; try again", code="room_busy")
        return room, new_id is not None

    async def do_create_room(
        self, session: AsyncSession, me: Principal, data: RoomCreate
    ) -> tuple[Room, bool]:
        if data.roomType == ALBUM:
            album_id = parse_id(data.albumId)
            album = await repo.get_album(session, album_id) if album_id is not None else None
            if album is None:
                raise NotFound(
                    f"No album {data.albumId} in the catalog",
                    code="album_not_found",
                    details=[{"field": "body.albumId", "message": "unknown album"}],
                )
            year = f" ({album.year})" if album.year else ""
            return await self._open_room(
                session,
                kind=ALBUM,
                ref=str(album.album_id),
                name=f"{album.title} by {album.artist}",
                description=f"Talk about {album.title}{year} by {album.artist}",
                created_by=me.user_id,
            )
        slug = str(data.genreId)
        return await self._open_room(
            session,
            kind=GENRE,
            ref=slug,
            name=f"#{slug}",
            description=f"Talk about {slug} music",
            created_by=me.user_id,
        )

    async def access_room(self, session: AsyncSession, room_id: str | int) -> Room:
        number = parse_id(room_id)
        room = await repo.get_room(session, number) if number is not None else None
        if room is None:
            raise NotFound(f"No room {room_id}", code="room_not_found")
        return room

    async def access_open_room(self, session: AsyncSession, room_id: str | int) -> Room:
        room = await self.access_room(session, room_id)
        if not room.active:
            raise NotFound(f"Room {room_id} is closed", code="room_closed")
        return room

    async def do_close_room(self, session: AsyncSession, me: Principal, room_id: str) -> Room:
        room = await self.access_room(session, room_id)
        if room.created_by != me.user_id and not me.is_admin:
            raise Forbidden("Only the room's creator or an admin can close it", code="not_yours")
        if not await repo.close_room(session, room.id, self.clock.now()):
            raise Conflict(f"Room {room_id} is already closed", code="room_closed")
        await session.refresh(room)
        closed_id = room.id

        async def announce() -> None:
            await self.hub.publish(
                channel_of(closed_id), {"type": "room_closed", "roomId": str(closed_id)}
            )

        after_commit(session, announce)
        log.info("room_closed", room_id=room.id, by=me.user_id)
        return room

    async def list_rooms(
        self,
        session: AsyncSession,
        *,
        kinds: tuple[str, ...],
        limit: int,
        cursor: str | None,
        category_id: int | None = None,
    ) -> tuple[list[Room], str | None]:
        before = parse_cursor(cursor)
        rooms = await repo.list_rooms(
            session, kinds=kinds, limit=limit + 1, before=before, category_id=category_id
        )
        more = len(rooms) > limit
        rooms = rooms[:limit]
        return rooms, str(rooms[-1].id) if more and rooms else None

    async def get_presence(self, room_id: int, user_id: str = "") -> Presence:
        return summarize_presence(await self.hub.presence(channel_of(room_id)), user_id)

    async def do_announce_presence(
        self, room_id: int, user: dict[str, str], event: str
    ) -> Presence:
        """Tell the room when a user's first connection arrives or their last one leaves (not in
        large rooms); returns who is present."""
        presence = await self.get_presence(room_id, user["userId"])
        mine = presence.connections_of_user
        changed = (event == "join" and mine == 1) or (event == "leave" and mine == 0)
        if changed and presence.count <= LARGE_ROOM:
            await self.hub.publish(
                channel_of(room_id),
                {
                    "type": "presence",
                    "event": event,
                    **user,
                    "present": presence.present,
                    "present_count": presence.count,
                },
            )
        return presence

    async def get_active_users(self, rooms: list[Room]) -> dict[int, int]:
        """How many distinct users are connected to each room now (0 while the hub is down: a
        room list without live counts beats no room list)."""
        counts: dict[int, int] = {}
        for room in rooms:
            try:
                counts[room.id] = (await self.get_presence(room.id)).count
            except ServiceUnavailable:
                log.warning("presence_unavailable", room_id=room.id)
                counts[room.id] = 0
        return counts

    async def list_messages(
        self, session: AsyncSession, room: Room, *, limit: int, cursor: str | None
    ) -> tuple[list[Message], str | None]:
        before = parse_cursor(cursor)
        messages = await repo.list_messages(session, room.id, limit=limit + 1, before=before)
        more = len(messages) > limit
        messages = messages[:limit]
        return messages, str(messages[-1].id) if more and messages else None

    # ------------------------------------------------------------ sports chatrooms

    async def do_join_chatroom(
        self, session: AsyncSession, me: Principal, category: str, data: ChatroomJoin
    ) -> tuple[Room, int, list[str]]:
        """Join a category's general room, or the room of one of its games (`chatroom_id`)."""
        if data.user_id is not None and str(data.user_id).strip() not in ("", str(me.user_id)):
            raise Forbidden(
                f"user_id names user {data.user_id}, but the token belongs to user {me.user_id}",
                code="acting_user_mismatch",
            )
        category_id = parse_id(category)
        if category_id is None:
            raise NotFound(f"No sport category {category}", code="category_not_found")
        if data.category_id is not None and parse_id(data.category_id) != category_id:
            raise BadRequest(
                "category_id in the body differs from the one in the path",
                code="category_mismatch",
            )
        room: Room | None
        if data.chatroom_id is not None and str(data.chatroom_id).strip() != "":
            number = parse_id(data.chatroom_id)
            room = await repo.get_room(session, number) if number is not None else None
            if room is None or room.kind not in SPORTS_KINDS or room.category_id != category_id:
                raise NotFound(
                    f"No chatroom {data.chatroom_id} in category {category_id}",
                    code="chatroom_not_found",
                )
        else:
            room = await repo.get_active_room_by_key(session, f"{SPORT}:{category_id}")
            if room is None:
                raise NotFound(
                    f"Sport category {category_id} has no chatroom", code="category_not_found"
                )
        if not room.active:
            raise Conflict(f"Chatroom {room.id} is closed", code="room_closed")
        await repo.add_member(session, room.id, me.user_id, me.username, self.clock.now())
        names = await repo.list_member_names(session, room.id, MEMBER_LIST_LIMIT)
        return room, category_id, names

    # ------------------------------------------------------------ events from other services

    async def do_open_book_lobby(self, session: AsyncSession, payload: PollClosed) -> None:
        """The poll's winner becomes the book of the month; its lobby and first thread open once,
        however often the news arrives (the unique poll row and the unique open-lobby key)."""
        if payload.winner_book_id is None:
            log.info("poll_closed_without_winner", poll_id=payload.poll_id)
            return
        title = payload.winner_title or f"Book {payload.winner_book_id}"
        author = payload.winner_author or "an unknown author"
        recorded = await repo.add_book_of_month(
            session,
            {
                "poll_id": payload.poll_id,
                "book_id": payload.winner_book_id,
                "title": title[:300],
                "author": author[:300],
                "month": payload.month[:16],
                "room_id": None,
                "closed_at": payload.closed_at,
            },
        )
        if not recorded:
            return
        room, opened = await self._open_room(
            session,
            kind=BOOK,
            ref=str(payload.winner_book_id),
            name=f"{title} by {author}",
            description=f"The book of the month for {payload.month}: {title} by {author}",
            created_by=None,
        )
        await repo.set_book_room(session, payload.poll_id, room.id)
        if opened:
            now = self.clock.now()
            session.add(
                Thread(
                    room_id=room.id,
                    title=f"Welcome to {title} by {author}"[:200],
                    author_id=None,
                    author=SYSTEM_AUTHOR,
                    content=(
                        f"{title} by {author} is the book of the month for {payload.month}. "
                        "Say hello, share your first impressions, and mind the spoilers."
                    ),
                    created_at=now,
                    last_activity_at=now,
                    replies=0,
                )
            )
            await session.flush()
        log.info("book_lobby_opened", poll_id=payload.poll_id, room_id=room.id, new=opened)

    async def do_record_album(self, session: AsyncSession, payload: AlbumAdded) -> None:
        await repo.add_album(
            session,
            {
                "album_id": payload.album_id,
                "title": payload.title[:300],
                "artist": payload.artist[:300],
                "genre": payload.genre[:100],
                "year": payload.year,
                "added_at": self.clock.now(),
            },
        )

    async def do_open_category_room(self, session: AsyncSession, payload: CategoryCreated) -> None:
        await self._open_room(
            session,
            kind=SPORT,
            ref=str(payload.category_id),
            name=f"{payload.name} chat",
            description=f"General chat about {payload.name}",
            created_by=None,
            category_id=payload.category_id,
        )

    async def do_open_game_room(self, session: AsyncSession, payload: GameScheduled) -> None:
        await self._open_room(
            session,
            kind=GAME,
            ref=str(payload.game_id),
            name=f"{payload.team_1} vs {payload.team_2}",
            description=(
                f"{payload.sport_category}: {payload.team_1} vs {payload.team_2}, "
                f"starting {iso(payload.start_time)}"
            ),
            created_by=None,
            category_id=payload.category_id,
        )

    # ------------------------------------------------------------ chat

    async def check_message_rate(self, me: Principal) -> None:
        """Count one chat write against the user's limit; RateLimited when over it."""
        try:
            state = await self.rate_limiter.hit(f"chat:{me.user_id}", self.message_limit)
        except RateLimiterUnavailable:
            # Chat keeps working when the limiter's store is down; the gateway still limits.
            log.warning("chat_rate_limiter_unavailable_failing_open")
            return
        if not state.allowed:
            raise RateLimited(
                f"At most {self.message_limit.amount} messages per "
                f"{self.message_limit.seconds} seconds",
                retry_after=state.reset_after,
            )

    @staticmethod
    def check_message_text(value: object) -> str:
        if not isinstance(value, str):
            raise ValidationFailed.field("message", "must be a string")
        if len(value) > MAX_MESSAGE_CHARS:
            raise ValidationFailed(
                f"message: at most {MAX_MESSAGE_CHARS} characters",
                code="message_too_long",
                details=[{"field": "message", "message": f"at most {MAX_MESSAGE_CHARS} chars"}],
            )
        if not value.strip():
            raise ValidationFailed(
                "message: must not be empty",
                code="empty_message",
                details=[{"field": "message", "message": "must not be empty"}],
            )
        return value

    async def _writable_room(self, session: AsyncSession, room_id: int) -> Room:
        room = await repo.get_room(session, room_id)
        if room is None or not room.active:
            raise Conflict("This room is closed", code="room_closed")
        return room

    def _publish_after_commit(
        self, session: AsyncSession, posted: Posted, frame: dict[str, Any]
    ) -> None:
        channel = channel_of(posted.message.room_id)

        async def publish() -> None:
            posted.publication = await self.hub.publish(channel, frame)

        after_commit(session, publish)

    async def do_post_message(
        self, session: AsyncSession, me: Principal, room_id: int, body: str
    ) -> Posted:
        await self._writable_room(session, room_id)
        message = Message(
            room_id=room_id,
            user_id=me.user_id,
            username=me.username,
            body=body,
            created_at=self.clock.now(),
            edited_at=None,
            deleted=False,
        )
        session.add(message)
        await session.flush()
        posted = Posted(message)
        self._publish_after_commit(
            session,
            posted,
            message_frame(
                message_id=message.id,
                room_id=room_id,
                user_id=me.user_id,
                username=me.username,
                body=body,
                created_at=message.created_at,
            ),
        )
        return posted

    async def _refuse_change(
        self, session: AsyncSession, room_id: int, message_id: int
    ) -> NoReturn:
        existing = await repo.get_message(session, message_id)
        if existing is None or existing.room_id != room_id or existing.deleted:
            raise NotFound(f"No message {message_id} in this room", code="message_not_found")
        raise Forbidden("You can only change your own messages", code="not_your_message")

    async def do_edit_message(
        self, session: AsyncSession, me: Principal, room_id: int, message_id: int, body: str
    ) -> Posted:
        await self._writable_room(session, room_id)
        message = await repo.edit_message(
            session, message_id, room_id, me.user_id, body, self.clock.now()
        )
        if message is None:
            await self._refuse_change(session, room_id, message_id)
        posted = Posted(message)
        frame = message_frame(
            message_id=message.id,
            room_id=room_id,
            user_id=message.user_id,
            username=message.username,
            body=message.body,
            created_at=message.created_at,
            edited_at=message.edited_at,
        )
        frame["type"] = "edited"
        self._publish_after_commit(session, posted, frame)
        return posted

    async def do_delete_message(
        self, session: AsyncSession, me: Principal, room_id: int, message_id: int
    ) -> Posted:
        await self._writable_room(session, room_id)
        if not await repo.delete_message(session, message_id, room_id, me.user_id):
            await self._refuse_change(session, room_id, message_id)
        message = await repo.get_message(session, message_id)
        if message is None:
            raise NotFound(f"No message {message_id} in this room", code="message_not_found")
        posted = Posted(message)
        frame = {
            "type": "deleted",
            "message_id": str(message_id),
            "roomId": str(room_id),
            "userId": str(me.user_id),
            "username": me.username,
        }
        self._publish_after_commit(session, posted, frame)
        return posted

    async def list_missed_messages(
        self, session: AsyncSession, room_id: int, *, after: int, limit: int
    ) -> list[Message]:
        return await repo.list_messages_after(session, room_id, after=after, limit=limit)
