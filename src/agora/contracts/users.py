"""The `UserDirectory`: what other services may ask the users service. In process in the embedded
topology, over gRPC in the cluster."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from agora.contracts.notifications import ALL_NOTIFICATION_TYPES


class UserSummary(BaseModel):
    """A user as other services see them."""

    model_config = ConfigDict(frozen=True)

    user_id: int
    username: str
    role: str = "member"


class NotificationPreferences(BaseModel):
    """Whether a user wants notifications at all, and of which types."""

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    types: list[str] = Field(default_factory=lambda: list(ALL_NOTIFICATION_TYPES))

    def allows(self, notification_type: str) -> bool:
        return self.enabled and notification_type in self.types


class UserDirectory(Protocol):
    """Read-only questions about users."""

    async def get_users(self, user_ids: Collection[int]) -> dict[int, UserSummary]:
        """The users that exist among `user_ids`, by id."""
        ...

    async def get_user_by_username(self, username: str) -> UserSummary | None:
        """One user by username, or None."""
        ...

    async def get_followers(self, user_id: int) -> list[int]:
        """Ids of the users who follow `user_id`."""
        ...

    async def get_followings(self, user_id: int) -> list[int]:
        """Ids of the users `user_id` follows."""
        ...

    async def get_notification_preferences(
        self, user_ids: Collection[int]
    ) -> dict[int, NotificationPreferences]:
        """Preferences by user id; users that do not exist are left out."""
        ...
