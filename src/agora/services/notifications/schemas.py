"""Request and response models of the notifications service, in seed 004's envelope
(`{"status": "success", ...}`) with string ids."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from agora.contracts.notifications import ALL_NOTIFICATION_TYPES
from agora.platform.schemas import RequestBody

MESSAGE_MAX = 1_000


class NotificationCreate(RequestBody):
    """Seed 004: an admin sends `message` of `type` to `user_id` (the recipient)."""

    model_config = ConfigDict(extra="forbid")

    user_id: Annotated[int, Field(ge=1, description="The recipient (a string of digits is fine)")]
    message: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MESSAGE_MAX)
    ]
    type: str

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in ALL_NOTIFICATION_TYPES:
            raise ValueError(f"unknown notification type; known: {list(ALL_NOTIFICATION_TYPES)}")
        return value


class NotificationSent(BaseModel):
    """Seed 004's answer; `delivered` is false when the user turned that type off."""

    status: Literal["success"] = "success"
    message: str
    delivered: bool
    notification_id: str | None


class NotificationRead(BaseModel):
    """One notification as its user sees it, in the list and on the socket."""

    notification_id: str
    user_id: str
    type: str
    message: str
    data: dict[str, Any]
    read: bool
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    """My notifications, newest first, with how many are unread."""

    status: Literal["success"] = "success"
    data: list[NotificationRead]
    unread_count: int
    next_cursor: str | None


class NotificationMarked(BaseModel):
    """One notification marked read, and how many are still unread."""

    status: Literal["success"] = "success"
    message: str = "Notification marked as read"
    data: NotificationRead
    unread_count: int


class AllMarked(BaseModel):
    """How many notifications were marked read."""

    status: Literal["success"] = "success"
    message: str = "All notifications marked as read"
    marked: int
    unread_count: int
