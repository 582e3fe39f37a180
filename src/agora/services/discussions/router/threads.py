"""The bookclub seed's discussion threads (integer ids)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, Query, WebSocket

from agora.platform.deps import (
    HUB,
    CurrentUser,
    Db,
    DbReads,
    DbSession,
    provided,
    registered,
    websocket_target_found,
)
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.ids import MAX_ID, IdPath
from agora.platform.reads import Reads, Row
from agora.platform.realtime import Channel, Hub, position_from_query, serve_channel
from agora.platform.realtime.base import Publication
from agora.platform.realtime.frames import FrameKinds, Position, ServerFrame
from agora.services.discussions.router.common import Cursor, Discussions, Limit
from agora.services.discussions.schemas import (
    ReplyCreate,
    ReplyCreated,
    ReplyRead,
    ThreadCreate,
    ThreadCreated,
    ThreadDetail,
    ThreadPage,
)
from agora.services.discussions.service import DiscussionsService
from agora.services.discussions.service.threads import thread_channel

router = APIRouter(tags=["discussions"])


def _summary(thread: Row) -> dict[str, Any]:
    # `ThreadSummary`'s fields, in its order.
    return {
        "thread_id": thread["id"],
        "title": thread["title"],
        "author": thread["author"],
        "author_id": thread["author_id"],
        "created_at": thread["created_at"],
        "last_activity_at": thread["last_activity_at"],
        "replies": thread["replies"],
    }


def _book(book: Row | None) -> dict[str, Any] | None:
    # `BookRead`'s fields, in its order.
    if book is None:
        return None
    room_id = book["room_id"]
    return {
        "book_id": book["book_id"],
        "title": book["title"],
        "author": book["author"],
        "month": book["month"],
        "roomId": str(room_id) if room_id is not None else None,
    }


@router.get(
    "/discussions",
    summary="Threads about the book of the month, newest activity first",
    response_model=ThreadPage,
)
async def list_discussions(
    reads: DbReads,
    discussions: Discussions,
    limit: Limit = 50,
    before: Cursor = None,
    book_id: Annotated[
        int | None,
        Query(ge=1, le=MAX_ID, description="Another month's book instead of the current one"),
    ] = None,
) -> ModelJSON:
    return await _threads_body(reads, discussions, book_id=book_id, limit=limit, before=before)


async def _lean_discussions(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `list_discussions` answers without a cursor, below FastAPI (decisions 0037, 0039).
    discussions = registered(app, DiscussionsService)
    return await _threads_body(
        reads,
        discussions,
        book_id=args.query["book_id"],
        limit=args.number("limit"),
        before=None,
    )


async def _threads_body(
    reads: Reads,
    discussions: DiscussionsService,
    *,
    book_id: int | None,
    limit: int,
    before: str | None,
) -> ModelJSON:
    # A hot read: rows rendered once, in `ThreadPage`'s shape (decision 0041).
    book, (threads, next_cursor) = await discussions.list_threads(
        reads, book_id=book_id, limit=limit, before=before
    )
    return ModelJSON(
        {
            "discussions": [_summary(t) for t in threads],
            "book": _book(book),
            "next_cursor": next_cursor,
        }
    )


# Answered below FastAPI for plain requests (decision 0037).
LEAN_READS = [LeanRead(list_discussions, _lean_discussions)]


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
    db: Db,
    discussions: Discussions,
    me: CurrentUser,
) -> ReplyCreated:
    # The unit of work is a plain write opened here, not a `DbSession` dependency: a generator
    # dependency and a Session cost more than the reply's three statements (decision 0046).
    async with db.writes() as writes:
        reply_id, count = await discussions.do_reply(writes, me, thread_id, body)
    return ReplyCreated(reply_id=reply_id, replies=count)


class ReplyFrame(Position, scope="discussions"):
    """A new reply in the thread, with the thread's reply count after it."""

    type: Literal["reply"] = "reply"
    reply_id: int
    author: str
    author_id: int | None
    content: str
    created_at: str
    reply_count: int


class _ThreadReplies(Channel):
    kinds = FrameKinds(ReplyFrame)

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame:
        return self.kinds.parse(publication)


@router.websocket("/discussions/{thread_id}/live")
async def thread_live(websocket: WebSocket, thread_id: IdPath) -> None:
    """A thread's replies as they are posted (public, like the thread), through
    `serve_channel`: `reply` frames with `offset` and `epoch`; reconnect with `since` and `epoch`
    to get the missed ones first (or a `reload` frame). An unknown thread closes with 4404, a
    malformed id with 4400."""
    discussions = provided(websocket, DiscussionsService)
    if not await websocket_target_found(
        websocket, lambda session: discussions.access_thread(session, thread_id)
    ):
        return
    await websocket.accept()
    since, bad_since = position_from_query(websocket)
    hub: Hub = provided(websocket, HUB)
    channel = _ThreadReplies(thread_channel(thread_id))
    await serve_channel(websocket, channel, hub=hub, since=since, bad_since=bad_since)
