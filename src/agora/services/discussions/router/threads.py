"""The bookclub seed's discussion threads (integer ids)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from agora.platform.deps import CurrentUser, DbSession
from agora.platform.ids import MAX_ID, IdPath
from agora.services.discussions.models import BookOfMonth, Thread
from agora.services.discussions.router.common import Cursor, Discussions, Limit
from agora.services.discussions.schemas import (
    BookRead,
    ReplyCreate,
    ReplyCreated,
    ReplyRead,
    ThreadCreate,
    ThreadCreated,
    ThreadDetail,
    ThreadPage,
    ThreadSummary,
)

router = APIRouter(tags=["discussions"])


def _summary(thread: Thread) -> ThreadSummary:
    return ThreadSummary(
        thread_id=thread.id,
        title=thread.title,
        author=thread.author,
        author_id=thread.author_id,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        replies=thread.replies,
    )


def _book(book: BookOfMonth | None) -> BookRead | None:
    if book is None:
        return None
    return BookRead(
        book_id=book.book_id,
        title=book.title,
        author=book.author,
        month=book.month,
        roomId=str(book.room_id) if book.room_id is not None else None,
    )


@router.get(
    "/discussions",
    summary="Threads about the book of the month, newest activity first",
)
async def list_discussions(
    db: DbSession,
    discussions: Discussions,
    limit: Limit = 50,
    before: Cursor = None,
    book_id: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="Another month's book instead of the current one"),
    ] = None,
) -> ThreadPage:
    book, (threads, next_cursor) = await discussions.list_threads(
        db, book_id=book_id, limit=limit, before=before
    )
    return ThreadPage(
        discussions=[_summary(t) for t in threads], book=_book(book), next_cursor=next_cursor
    )


@router.post("/discussion", status_code=201, summary="Start a thread about the book of the month")
async def create_discussion(
    body: ThreadCreate, db: DbSession, discussions: Discussions, me: CurrentUser
) -> ThreadCreated:
    thread = await discussions.do_create_thread(db, me, body)
    return ThreadCreated(thread_id=thread.id)


@router.get("/discussions/{thread_id}", summary="A thread with its replies, oldest first")
async def get_discussion(
    thread_id: IdPath,
    db: DbSession,
    discussions: Discussions,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ThreadDetail:
    thread = await discussions.access_thread(db, thread_id)
    replies, next_cursor = await discussions.list_replies(db, thread, limit=limit, cursor=cursor)
    return ThreadDetail(
        thread_id=thread.id,
        title=thread.title,
        author=thread.author,
        author_id=thread.author_id,
        content=thread.content,
        created_at=thread.created_at,
        last_activity_at=thread.last_activity_at,
        reply_count=thread.replies,
        replies=[
            ReplyRead(
                reply_id=r.id,
                author=r.author,
                author_id=r.author_id,
                content=r.content,
                created_at=r.created_at,
            )
            for r in replies
        ],
        next_cursor=next_cursor,
    )


@router.post("/discussions/{thread_id}/reply", status_code=201, summary="Reply to a thread")
async def reply(
    thread_id: IdPath,
    body: ReplyCreate,
    db: DbSession,
    discussions: Discussions,
    me: CurrentUser,
) -> ReplyCreated:
    created, count = await discussions.do_reply(db, me, thread_id, body)
    return ReplyCreated(reply_id=created.id, replies=count)
