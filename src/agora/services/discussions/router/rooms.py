"""The music seed's discussion rooms: create, list, close, and read a room's history."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query, Response

from agora.platform.deps import CurrentUser, DbReads, DbSession, registered
from agora.platform.http import LeanArgs, LeanRead, ModelJSON
from agora.platform.reads import Reads
from agora.services.discussions.router.common import (
    Cursor,
    Discussions,
    Limit,
    room_fields,
    room_read,
)
from agora.services.discussions.schemas import (
    MessagePage,
    MessageRead,
    RoomClosed,
    RoomCreate,
    RoomPage,
    RoomRead,
)
from agora.services.discussions.service import MUSIC_KINDS, DiscussionsService

router = APIRouter(prefix="/forums/rooms", tags=["rooms"])

RoomType = Literal["album", "genre", "book", "sport", "game"]


@router.post(
    "",
    status_code=201,
    summary="Open a room about an album or a genre (an open one is returned as is, 200)",
)
async def create_room(
    body: RoomCreate,
    db: DbSession,
    discussions: Discussions,
    me: CurrentUser,
    response: Response,
) -> RoomRead:
    room, created = await discussions.do_create_room(db, me, body)
    if not created:
        response.status_code = 200
    active = await discussions.get_active_users([room.id])
    return room_read(room, active[room.id])


@router.get(
    "",
    summary="Open rooms, newest first, with how many users are in each now",
    response_model=RoomPage,
)
async def list_rooms(
    reads: DbReads,
    discussions: Discussions,
    limit: Limit = 50,
    cursor: Cursor = None,
    roomType: Annotated[RoomType | None, Query(description="Only rooms of this kind")] = None,
) -> ModelJSON:
    kinds = (roomType,) if roomType is not None else MUSIC_KINDS
    return await _rooms_body(reads, discussions, kinds=kinds, limit=limit, cursor=cursor)


async def _lean_rooms(app: FastAPI, reads: Reads, args: LeanArgs) -> ModelJSON:
    # What `list_rooms` answers without a cursor or a room type, below FastAPI (decisions 0037,
    # 0039).
    discussions = registered(app, DiscussionsService)
    return await _rooms_body(
        reads, discussions, kinds=MUSIC_KINDS, limit=args.number("limit"), cursor=None
    )


async def _rooms_body(
    reads: Reads,
    discussions: DiscussionsService,
    *,
    kinds: tuple[str, ...],
    limit: int,
    cursor: str | None,
) -> ModelJSON:
    # A hot read: rows rendered once, in `RoomPage`'s shape (decision 0041).
    rooms, next_cursor = await discussions.list_rooms(
        reads, kinds=kinds, limit=limit, cursor=cursor
    )
    active = await discussions.get_active_users(r["id"] for r in rooms)
    return ModelJSON(
        {"rooms": [room_fields(r, active[r["id"]]) for r in rooms], "next_cursor": next_cursor}
    )


# Answered below FastAPI for plain requests (decision 0037).
LEAN_READS = [LeanRead(list_rooms, _lean_rooms)]


@router.get("/{roomId}", summary="One room, open or closed")
async def get_room(roomId: str, db: DbSession, discussions: Discussions) -> RoomRead:
    room = await discussions.access_room(db, roomId)
    active = await discussions.get_active_users([room.id])
    return room_read(room, active[room.id])


@router.delete("/{roomId}", summary="Close a room (its creator or an admin); members are told")
async def close_room(
    roomId: str, db: DbSession, discussions: Discussions, me: CurrentUser
) -> RoomClosed:
    room = await discussions.do_close_room(db, me, roomId)
    return RoomClosed(roomId=str(room.id))


@router.get("/{roomId}/messages", summary="A room's messages, newest first")
async def room_messages(
    roomId: str,
    db: DbSession,
    discussions: Discussions,
    limit: Limit = 50,
    before: Cursor = None,
) -> MessagePage:
    room = await discussions.access_room(db, roomId)
    messages, next_cursor = await discussions.list_messages(db, room, limit=limit, cursor=before)
    return MessagePage(
        messages=[
            MessageRead(
                message_id=str(m.id),
                roomId=str(m.room_id),
                userId=str(m.user_id),
                username=m.username,
                message=m.body,
                created_at=m.created_at,
                edited_at=m.edited_at,
            )
            for m in messages
        ],
        next_cursor=next_cursor,
    )
