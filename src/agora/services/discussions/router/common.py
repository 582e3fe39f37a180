"""Dependencies shared by the discussions endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from agora.platform.deps import PageLimit, provider
from agora.services.discussions.models import Room
from agora.services.discussions.schemas import RoomRead
from agora.services.discussions.service import DiscussionsService

Discussions = Annotated[DiscussionsService, Depends(provider(DiscussionsService))]
Limit = PageLimit
Cursor = Annotated[
    str | None, Query(max_length=64, description="`next_cursor` of the previous page")
]


def room_read(room: Room, active_users: int) -> RoomRead:
    """A room in the music seed's shape; the id of its subject goes in the field of its kind."""
    subject: dict[str, str | None] = {}
    field = {
        "album": "albumId",
        "genre": "genreId",
        "book": "bookId",
        "sport": "categoryId",
        "game": "gameId",
    }[room.kind]
    subject[field] = room.ref
    if room.category_id is not None:
        subject["categoryId"] = str(room.category_id)
    return RoomRead(
        roomId=str(room.id),
        roomType=room.kind,
        name=room.name,
        description=room.description,
        createdBy=str(room.created_by) if room.created_by is not None else None,
        created_at=room.created_at,
        closed_at=room.closed_at,
        active=room.active,
        active_users=active_users,
        **subject,
    )
