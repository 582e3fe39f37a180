"""Events of the users service."""

from __future__ import annotations

from datetime import datetime

from agora.contracts.base import EventPayload, register


@register
class UserRegistered(EventPayload):
    """A new account exists."""

    event_type = "user.registered"

    user_id: int
    username: str
    role: str
    registered_at: datetime


@register
class UserFollowed(EventPayload):
    """`follower_id` started following `followee_id` (sent only when the follow is new)."""

    event_type = "user.followed"

    follower_id: int
    followee_id: int
    followed_at: datetime


@register
class UserUnfollowed(EventPayload):
    """`follower_id` stopped following `followee_id` (sent only when a follow was removed)."""

    event_type = "user.unfollowed"

    follower_id: int
    followee_id: int
    unfollowed_at: datetime


@register
class UserPreferencesChanged(EventPayload):
    """A user's notification preferences changed."""

    event_type = "user.preferences_changed"

    user_id: int
    enabled: bool
    types: list[str]


@register
class UserRoleChanged(EventPayload):
    """An admin (or the operator) changed a user's role."""

    event_type = "user.role_changed"

    user_id: int
    role: str
    changed_by: int | None
