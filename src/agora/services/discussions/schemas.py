"""Request and response models of the discussions service, with the seeds' field names: the
bookclub seed's threads (integer ids), the music seed's rooms (camelCase, string ids) and the sports
seed's chatrooms (the `{"status": "success", "data": ...}` envelope, and its `lchatroom_id`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from agora.platform.schemas import RequestBody, Strict, iso

GENRE_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
MAX_MESSAGE_CHARS = 4000

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
Content = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
# A field naming the acting user: a username or a user id, checked against the token.
ActingUser = Annotated[str | int | None, Field(default=None, description="Must be the caller")]
IdIn = str | int | None


# ---------------------------------------------------------------- threads (bookclub seed)


class ThreadCreate(Strict):
    """`POST /discussion`: `{title, author?, content}`; the author is the token's user."""

    title: Title
    author: ActingUser = None
    content: Content


class ReplyCreate(Strict):
    """`POST /discussions/{thread_id}/reply`: `{author?, content}`."""

    author: ActingUser = None
    content: Content


class BookRead(BaseModel):
    """The book whose lobby a thread list shows."""

    book_id: int
    title: str
    author: str
    month: str
    roomId: str | None


class ThreadSummary(BaseModel):
    thread_id: int
    title: str
    author: str
    author_id: int | None
    created_at: datetime
    last_activity_at: datetime
    replies: int


class ThreadPage(BaseModel):
    """Seed 000's `{"discussions": [...]}`, newest activity first, with the book and a cursor."""

    discussions: list[ThreadSummary]
    book: BookRead | None
    next_cursor: str | None


class ThreadCreated(BaseModel):
    message: str = "Discussion thread created successfully"
    thread_id: int


class ReplyRead(BaseModel):
    reply_id: int
    author: str
    author_id: int
    content: str
    created_at: datetime


class ThreadDetail(BaseModel):
    """A thread with its content and one page of replies, oldest first."""

    thread_id: int
    title: str
    author: str
    author_id: int | None
    content: str
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    replies: list[ReplyRead]
    next_cursor: str | None


class ReplyCreated(BaseModel):
    message: str = "Reply submitted successfully"
    reply_id: int
    replies: int


# ---------------------------------------------------------------- rooms (music seed)


class RoomCreate(RequestBody):
    """Seed 002's `{"roomType": "album"|"genre", "albumId", "genreId"}`; the id the type does not
    use is ignored."""

    roomType: Literal["album", "genre"]
    albumId: IdIn = None
    genreId: IdIn = None

    @model_validator(mode="after")
    def _subject(self) -> RoomCreate:
        if self.roomType == "album":
            if self.albumId is None or str(self.albumId).strip() == "":
                raise ValueError("albumId is required for an album room")
        else:
            slug = str(self.genreId if self.genreId is not None else "").strip().lower()
            if not GENRE_PATTERN.fullmatch(slug):
                raise ValueError(
                    "genreId must be 1 to 40 characters of lowercase letters, digits and dashes"
                )
            self.genreId = slug
        return self


class RoomRead(BaseModel):
    """A room as the music seed's clients see it; the other kinds fill their own ids."""

    roomId: str
    roomType: str
    name: str
    description: str
    albumId: str | None = None
    genreId: str | None = None
    bookId: str | None = None
    categoryId: str | None = None
    gameId: str | None = None
    createdBy: str | None
    created_at: datetime
    closed_at: datetime | None
    active: bool
    active_users: int


class RoomPage(BaseModel):
    rooms: list[RoomRead]
    next_cursor: str | None


class RoomClosed(BaseModel):
    status: Literal["success"] = "success"
    message: str = "Room closed"
    roomId: str


class MessageRead(BaseModel):
    message_id: str
    roomId: str
    userId: str
    username: str
    message: str
    created_at: datetime
    edited_at: datetime | None


class MessagePage(BaseModel):
    """A room's history, newest first."""

    messages: list[MessageRead]
    next_cursor: str | None


# ---------------------------------------------------------------- chatrooms (sports seed)


class ChatroomJoin(RequestBody):
    """Seed 004's `{user_id, chatroom_id, category_id}`, every field optional."""

    user_id: IdIn = None
    chatroom_id: IdIn = None
    category_id: IdIn = None


class ChatroomRead(BaseModel):
    """One chatroom; `lchatroom_id` is the seed's spelling, `chatroom_id` the corrected one."""

    lchatroom_id: str
    chatroom_id: str
    chatroom_name: str
    description: str
    active_users: int
    category_id: str | None
    kind: str


class ChatroomList(BaseModel):
    status: Literal["success"] = "success"
    data: list[ChatroomRead]
    next_cursor: str | None


class ChatroomDetails(BaseModel):
    chatroom_id: str
    category_id: str
    chatroom_name: str
    current_users: list[str]


class ChatroomJoined(BaseModel):
    status: Literal["success"] = "success"
    message: str = "Joined the chatroom successfully"
    chatroom_details: ChatroomDetails


# ---------------------------------------------------------------- chat frames


def message_frame(
    *,
    message_id: int,
    room_id: int,
    user_id: int,
    username: str,
    body: str,
    created_at: datetime,
    edited_at: datetime | None = None,
) -> dict[str, Any]:
    """The `message` frame every member of a room receives (offset and epoch are added per
    publication)."""
    return {
        "type": "message",
        "message_id": str(message_id),
        "roomId": str(room_id),
        "userId": str(user_id),
        "username": username,
        "message": body,
        "created_at": iso(created_at),
        "edited_at": iso(edited_at),
    }
