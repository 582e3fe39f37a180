"""The sports seed's chatrooms: one general room per sport category and one per game, opened by
the sports service's events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from agora.platform.deps import CurrentUser, DbReads, DbSession
from agora.platform.ids import MAX_ID
from agora.services.discussions.router.common import Cursor, Discussions, Limit
from agora.services.discussions.schemas import (
    ChatroomDetails,
    ChatroomJoin,
    ChatroomJoined,
    ChatroomList,
    ChatroomRead,
)
from agora.services.discussions.service import SPORTS_KINDS

router = APIRouter(prefix="/sports/chatrooms", tags=["chatrooms"])


@router.get("", summary="Open sports chatrooms with how many users are in each now")
async def list_chatrooms(
    reads: DbReads,
    discussions: Discussions,
    limit: Limit = 50,
    cursor: Cursor = None,
    category_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this category")
    ] = None,
) -> ChatroomList:
    rooms, next_cursor = await discussions.list_rooms(
        reads, kinds=SPORTS_KINDS, limit=limit, cursor=cursor, category_id=category_id
    )
    active = await discussions.get_active_users(r["id"] for r in rooms)
    return ChatroomList(
        data=[
            ChatroomRead(
                lchatroom_id=str(r["id"]),
                chatroom_id=str(r["id"]),
                chatroom_name=r["name"],
                description=r["description"],
                active_users=active[r["id"]],
                category_id=str(r["category_id"]) if r["category_id"] is not None else None,
                kind=r["kind"],
            )
            for r in rooms
        ],
        next_cursor=next_cursor,
    )


@router.post(
    "/{category_id}",
    summary="Join a category's chatroom (or, with chatroom_id, one of its games' rooms)",
)
async def join_chatroom(
    category_id: str,
    db: DbSession,
    discussions: Discussions,
    me: CurrentUser,
    body: Annotated[ChatroomJoin | None, Body()] = None,
) -> ChatroomJoined:
    room, category, names = await discussions.do_join_chatroom(
        db, me, category_id, body or ChatroomJoin()
    )
    return ChatroomJoined(
        chatroom_details=ChatroomDetails(
            chatroom_id=str(room.id),
            category_id=str(category),
            chatroom_name=room.name,
            current_users=names,
        )
    )
