"""Request and response models of the users service, with the seeds' field names.

Several seeds define the same endpoint with different shapes (register, login); the responses carry
the union of their fields so a client written from any of them finds what it expects.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import (
    AfterValidator,
    BaseModel,
    EmailStr,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from agora.contracts.notifications import ALL_NOTIFICATION_TYPES
from agora.platform.ids import Id
from agora.platform.schemas import Strict

USERNAME_PATTERN = re.compile(r"[a-z0-9_]{3,32}")


def _check_username(value: str) -> str:
    if not USERNAME_PATTERN.fullmatch(value):
        raise ValueError("must be 3 to 32 characters of lowercase letters, digits and underscores")
    return value


def _check_picture(value: str) -> str:
    if value == "":
        return value
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError("must be an http(s) URL, or empty to remove the picture")
    return value


Username = Annotated[str, AfterValidator(_check_username)]
Password = Annotated[str, StringConstraints(min_length=12, max_length=128)]
UserIdIn = Id


# ---------------------------------------------------------------- accounts and tokens


class UserCreate(Strict):
    """Register: a username, a password, and (recommended) an email to log in with."""

    username: Username
    password: Password
    email: EmailStr | None = None


class LoginRequest(Strict):
    """Log in with `username` or `email`, and the password.

    Either one identifies the account, case-insensitively (a username and an email of one account
    are the same account); if both are given, `username` is used. A wrong identifier and a wrong
    password get the same 401. Attempts are throttled per account and per client address (429
    with `Retry-After`)."""

    username: str | None = Field(default=None, max_length=254)
    email: str | None = Field(default=None, max_length=254)
    password: str = Field(max_length=128)

    @model_validator(mode="after")
    def _one_identifier(self) -> LoginRequest:
        if not (self.username or self.email):
            raise ValueError("give `username` or `email`")
        return self

    @property
    def identifier(self) -> str:
        return (self.username or self.email or "").strip().lower()


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=1, max_length=4096)


class UserRegistered(BaseModel):
    """Seeds 001 (`user_id`, `email`, `created_at`), 003 (`userId`) and 004 (`status`,
    `message`)."""

    status: Literal["success"] = "success"
    message: str = "Registration successful"
    user_id: str
    userId: str
    username: str
    email: str | None
    role: str
    created_at: datetime


class SocketTicket(BaseModel):
    """What a browser puts in a WebSocket URL instead of its access token."""

    ticket: str = Field(description="Send as the socket's `ticket` query parameter; works once")
    expires_in: int = Field(description="Seconds until an unused ticket stops working")


class TokenPair(BaseModel):
    """Seeds 001 (`token`, `user_id`, `expires_at`), 003 (`userId`, `username`, `accessToken`), 004
    (`status`, `token`), plus the refresh token that rotates on every use."""

    status: Literal["success"] = "success"
    token: str
    accessToken: str
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth 2 token type, not a secret
    expires_at: datetime
    expires_in: int
    refresh_token: str
    refresh_expires_at: datetime
    user_id: str
    userId: str
    username: str
    role: str


# ---------------------------------------------------------------- profiles


class NotificationPrefs(BaseModel):
    enabled: bool
    types: list[str]


class PreferencesRead(BaseModel):
    notifications: NotificationPrefs


class ProfileRead(BaseModel):
    """Seed 001's own profile, with the role, counts and preferences."""

    user_id: str
    userId: str
    username: str
    email: str | None
    profile_picture: str
    bio: str
    role: str
    created_at: datetime
    followers_count: int
    followings_count: int
    preferences: PreferencesRead


class PublicProfileRead(BaseModel):
    """Anyone's public profile (seed 002's `GET /users/profile/{userId}`); no email."""

    user_id: str
    userId: str
    username: str
    profile_picture: str
    bio: str
    role: str
    created_at: datetime
    followers_count: int
    followings_count: int


class ProfileUpdate(Strict):
    """`PATCH /users/profile`: any of `bio`, `profile_picture`."""

    bio: str | None = Field(default=None, max_length=500)
    profile_picture: Annotated[str, AfterValidator(_check_picture)] | None = Field(
        default=None, max_length=2048
    )


class AccountData(BaseModel):
    user_id: str
    username: str
    email: str | None
    role: str
    created_at: datetime
    preferences: PreferencesRead


class AccountEnvelope(BaseModel):
    """Seed 004's `GET /api/users/{user_id}` envelope."""

    status: Literal["success"] = "success"
    data: AccountData


class PreferencesUpdate(Strict):
    """Seed 004's `{enabled, types}`; every type must be one Agora knows."""

    enabled: bool
    types: list[str] = Field(max_length=len(ALL_NOTIFICATION_TYPES))

    @field_validator("types")
    @classmethod
    def _known_types(cls, types: list[str]) -> list[str]:
        unknown = sorted(set(types) - set(ALL_NOTIFICATION_TYPES))
        if unknown:
            raise ValueError(
                f"unknown notification types {unknown}; known: {list(ALL_NOTIFICATION_TYPES)}"
            )
        return list(dict.fromkeys(types))


class PreferencesEnvelope(BaseModel):
    status: Literal["success"] = "success"
    message: str = "Preferences updated successfully"
    data: NotificationPrefs


class RoleUpdate(Strict):
    """`admin` runs the place; `feeder` may post live game data; `member` is everyone else."""

    role: Literal["admin", "feeder", "member"]


class UserBrief(BaseModel):
    user_id: str
    userId: str
    username: str
    role: str


class UserList(BaseModel):
    users: list[UserBrief]


# ---------------------------------------------------------------- follows


class FollowRequest(Strict):
    """Seed 003: `{followUserId}`."""

    followUserId: UserIdIn


class UnfollowRequest(Strict):
    """Seed 003: `{unfollowUserId}`."""

    unfollowUserId: UserIdIn


class FollowEntry(BaseModel):
    user_id: str
    userId: str
    username: str
    followed_at: datetime


class FollowSuggestion(BaseModel):
    user_id: str
    userId: str
    username: str
    profile_picture: str
    followers_count: int = Field(description="How many people follow this user")
    followed_by_followings: int = Field(
        description="How many of the people the caller follows follow this user"
    )


class FollowSuggestions(BaseModel):
    """People the caller does not follow yet, best first."""

    users: list[FollowSuggestion]


class FollowingsPage(BaseModel):
    """Seed 003: `{"followings": [ids]}`, with the users' names and a cursor for the next page."""

    followings: list[str]
    users: list[FollowEntry]
    next_cursor: str | None


class FollowersPage(BaseModel):
    """Seed 003: `{"followers": [ids]}`, with the users' names and a cursor for the next page."""

    followers: list[str]
    users: list[FollowEntry]
    next_cursor: str | None


# ---------------------------------------------------------------- account sagas


class DeletionRequest(Strict):
    """Delete my account: my password again, and how many days I have to change my mind."""

    password: str = Field(min_length=1, max_length=128)
    grace_days: int = Field(default=14, ge=0, le=30)


class DeletionCancel(Strict):
    """Cancel my account's deletion: with my token, or the restore token a refused login gave."""

    restore_token: str | None = Field(default=None, max_length=4096)


class SagaStepRead(BaseModel):
    """One step of a saga: which service did what, its state and when."""

    step: str
    service: str
    action: str
    state: str
    rows: int
    detail: str | None
    at: datetime


class DeletionRead(BaseModel):
    """An account deletion: `hiding`, `hidden`, `restoring`, `restored`, `erasing`, `erased`, or
    `failed` (with the reason), and one line per step."""

    status: Literal["success"] = "success"
    deletion_id: str
    state: str
    erase_at: datetime | None
    grace_days: int
    reason: str | None
    created_at: datetime
    updated_at: datetime
    steps: list[SagaStepRead]


class ExportCreated(BaseModel):
    status: Literal["success"] = "success"
    export_id: str
    state: str


class ExportRead(BaseModel):
    """A data export: `collecting`, `ready` (with its download link until `expires_at`),
    `expired`, `failed`, or `cancelled` (its account was erased while it ran)."""

    status: Literal["success"] = "success"
    export_id: str
    state: str
    reason: str | None
    created_at: datetime
    expires_at: datetime | None
    download_url: str | None
    steps: list[SagaStepRead]


class SagaAdminRead(BaseModel):
    saga_id: str
    kind: str
    user_id: str
    state: str
    reason: str | None
    created_at: datetime
    updated_at: datetime
    steps: list[SagaStepRead]


class SagaList(BaseModel):
    status: Literal["success"] = "success"
    sagas: list[SagaAdminRead]
