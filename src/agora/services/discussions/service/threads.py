"""The bookclub's threads and replies, in the lobby of the book of the month (which a closed poll
opens)."""

from __future__ import annotations

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.discussions import ThreadReplied
from agora.contracts.events.voting import PollClosed
from agora.platform.auth.principal import Principal
from agora.platform.bus.outbox import emit
from agora.platform.db import Writes, after_commit
from agora.platform.errors import Forbidden, NotFound
from agora.platform.pagination import (
    Page,
    fetch_size,
    paginate,
    parse_id_cursor,
    parse_time_id_cursor,
    time_id_cursor,
)
from agora.platform.reads import Reads, Row
from agora.platform.schemas import iso
from agora.services.discussions import repository as repo
from agora.services.discussions.models import BOOK, Reply, Thread
from agora.services.discussions.schemas import ReplyCreate, ThreadCreate
from agora.services.discussions.service.rooms import RoomRules

log = structlog.get_logger("agora.discussions")

SYSTEM_AUTHOR = "agora"


def thread_channel(thread_id: int) -> str:
    """The hub channel of a thread's live replies."""
    return f"thread:{thread_id}"


# A reply's notification quotes its start, as a comment's does.
EXCERPT_LENGTH = 140


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[: EXCERPT_LENGTH - 1].rstrip() + "…"


def _activity_cursor(thread: Row) -> str:
    return time_id_cursor(thread["last_activity_at"], thread["id"])


class ThreadRules(RoomRules):
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

    async def get_lobby(self, reads: Reads, book_id: int | None) -> Row | None:
        """The book whose lobby holds the threads: the one asked for, else the book of the month
        (None: the general lobby, before any poll closed); a row of `repo.get_current_book`'s."""
        if book_id is None:
            return await repo.get_current_book(reads)
        book = await repo.get_book(reads, book_id)
        if book is None:
            raise NotFound(
                f"Book {book_id} has not been a book of the month", code="book_not_found"
            )
        return book

    async def list_threads(
        self, reads: Reads, *, book_id: int | None, limit: int, before: str | None
    ) -> tuple[Row | None, Page[Row]]:
        """A lobby's book and its threads, newest activity first (rows of `repo.list_threads`)."""
        position = parse_time_id_cursor(before, name="before")
        book = await self.get_lobby(reads, book_id)
        room_id = book["room_id"] if book is not None else None
        if book is not None and room_id is None:
            return book, Page([], None)
        threads = await repo.list_threads(
            reads, room_id=room_id, limit=fetch_size(limit), before=position
        )
        return book, paginate(threads, limit, cursor_of=_activity_cursor)

    async def do_create_thread(
        self, session: AsyncSession, me: Principal, data: ThreadCreate
    ) -> Thread:
        self.check_author(me, data.author)
        thread = await repo.add_thread(
            session,
            room_id=await repo.get_current_lobby(session),
            title=data.title,
            author_id=me.user_id,
            author=me.username,
            content=data.content,
            now=self.clock.now(),
        )
        log.info("thread_created", thread_id=thread.id, room_id=thread.room_id)
        return thread

    async def access_thread(self, session: AsyncSession, thread_id: int) -> Thread:
        thread = await repo.get_thread(session, thread_id)
        if thread is None:
            raise NotFound(f"No discussion thread {thread_id}", code="thread_not_found")
        return thread

    async def list_replies(
        self, session: AsyncSession, thread: Thread, *, limit: int, cursor: str | None
    ) -> Page[Reply]:
        """A thread's replies, oldest first."""
        replies = await repo.list_replies(
            session, thread.id, limit=fetch_size(limit), after=parse_id_cursor(cursor)
        )
        return paginate(replies, limit, cursor_of=lambda reply: reply.id)

    async def do_reply(
        self, writes: Writes, me: Principal, thread_id: int, data: ReplyCreate
    ) -> tuple[int, int]:
        """Reply to a thread; the reply's id and the thread's new reply count. The reply, the
        count and the event commit together, in the endpoint's plain write (decision 0046)."""
        self.check_author(me, data.author)
        now = self.clock.now()
        counted = await repo.count_reply(writes, thread_id, now)
        if counted is None:
            raise NotFound(f"No discussion thread {thread_id}", code="thread_not_found")
        count, title, thread_author_id = counted
        reply_id = await repo.add_reply(
            writes,
            thread_id=thread_id,
            author_id=me.user_id,
            author=me.username,
            content=data.content,
            now=now,
        )
        await emit(
            writes,
            ThreadReplied(
                thread_id=thread_id,
                thread_title=title,
                thread_author_id=thread_author_id,
                reply_id=reply_id,
                replier_id=me.user_id,
                replier_username=me.username,
                excerpt=_excerpt(data.content),
                created_at=now,
            ),
        )
        frame = {
            "type": "reply",
            "reply_id": reply_id,
            "author": me.username,
            "author_id": me.user_id,
            "content": data.content,
            "created_at": iso(now),
            "reply_count": count,
        }

        async def publish() -> None:
            await self.hub.publish(thread_channel(thread_id), frame)

        # Whoever has the thread open sees the reply and the count at once.
        after_commit(writes, publish)
        return reply_id, count

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
            poll_id=payload.poll_id,
            book_id=payload.winner_book_id,
            title=title[:300],
            author=author[:300],
            month=payload.month[:16],
            closed_at=payload.closed_at,
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
            await repo.add_thread(
                session,
                room_id=room.id,
                title=f"Welcome to {title} by {author}"[:200],
                author_id=None,
                author=SYSTEM_AUTHOR,
                content=(
                    f"{title} by {author} is the book of the month for {payload.month}. "
                    "Say hello, share your first impressions, and mind the spoilers."
                ),
                now=self.clock.now(),
            )
        log.info("book_lobby_opened", poll_id=payload.poll_id, room_id=room.id, new=opened)
