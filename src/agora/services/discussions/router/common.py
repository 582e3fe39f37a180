"""Dependencies shared by the discussions endpoints."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query

from agora.platform.deps import PageLimit, provider
from agora.platform.reads import Row
from agora.services.discussions.models import Room
from agora.services.discussions.schemas import RoomRead
from agora.services.discussions.service import DiscussionsService

Discussions = Annotated[DiscussionsService, Depends(provider(DiscussionsService))]
Limit = PageLimit
Cursor = Annotated[
    str | None, Query(max_length=64, description="`next_cursor` of the previous page")
]


# The field each kind of room names its subject in; every room shows them all, null but its own.
_SUBJECT_FIELD = {
    "album": "albumId",
    "genre": "genreId",
    "book": "bookId",
    "sport": "categoryId",
    "game": "gameId",
}
_SUBJECT_FIELDS = ("albumId", "genreId", "bookId", "categoryId", "gameId")
# The columns `room_fields` reads, which a room list's rows carry.
_ROOM_COLUMNS = (
    "id",
    "kind",
    "ref",
    "category_id",
    "name",
    "description",
    "created_by",
    "created_at",
    "closed_at",
)


def room_fields(room: Row, active_users: int) -> dict[str, Any]:
    """A room (a row with its columns) in the music seed's shape, `RoomRead`'s fields in its
    order; the id of its subject goes in the field of its kind."""
    subject: dict[str, str | None] = dict.fromkeys(_SUBJECT_FIELDS)
    subject[_SUBJECT_FIELD[room["kind"]]] = room["ref"]
    if room["category_id"] is not None:
        subject["categoryId"] = str(room["category_id"])
    created_by, closed_at = room["created_by"], room["closed_at"]
    return {
        "roomId": str(room["id"]),
        "roomType": room["kind"],
        "name": room["name"],
        "description": room["description"],
        **subject,
        "createdBy": str(created_by) if created_by is not None else None,
        "created_at": room["created_at"],
        "closed_at": closed_at,
        "active": closed_at is None,
        "active_users": active_users,
    }


def room_read(room: Room, active_users: int) -> RoomRead:
    """A room entity as `RoomRead`."""
    columns = {name: getattr(room, name) for name in _ROOM_COLUMNS}
    return RoomRead.model_validate(room_fields(columns, active_users))
