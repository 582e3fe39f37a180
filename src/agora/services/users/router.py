"""HTTP endpoints of the users service. Thin: parse, call the service, shape the answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, FastAPI, Header, Query
from fastapi.responses import FileResponse

from agora.platform.auth.sessions import TICKET_SECONDS
from agora.platform.deps import (
    AdminUser,
    ClientAddress,
    CurrentUser,
    Db,
    DbReads,
    DbSession,
    OptionalUser,
    PageCursor,
    PageLimit,
    Sessions,
    provider,
    registered,
)
from agora.platform.errors import ValidationFailed
from agora.platform.http import LeanRead, ModelJSON
from agora.platform.ids import MAX_ID, IdPath
from agora.platform.reads import Reads
from agora.platform.schemas import Message
from agora.services.users.models import AccountSaga, AccountSagaStep, Follow, User
from agora.services.users.sagas import AccountSagas
from agora.services.users.schemas import (
    AccountData,
    AccountEnvelope,
    DeletionCancel,
    DeletionRead,
    DeletionRequest,
    ExportCreated,
    ExportRead,
    FollowEntry,
    FollowersPage,
    FollowingsPage,
    FollowRequest,
    FollowSuggestion,
    FollowSuggestions,
    LoginRequest,
    NotificationPrefs,
    PreferencesEnvelope,
    PreferencesRead,
    PreferencesUpdate,
    ProfileRead,
    ProfileUpdate,
    PublicProfileRead,
    RefreshRequest,
    RoleUpdate,
    SagaAdminRead,
    SagaList,
    SagaStepRead,
    SocketTicket,
    TokenPair,
    UnfollowRequest,
    UserBrief,
    UserCreate,
    UserList,
    UserRegistered,
)
from agora.services.users.service import IssuedPair, UsersService

Users = Annotated[UsersService, Depends(provider(UsersService))]
Limit = PageLimit
Cursor = PageCursor

router = APIRouter(prefix="/users", tags=["users"])


def _prefs(user: User) -> PreferencesRead:
    return PreferencesRead(
        notifications=NotificationPrefs(
            enabled=user.notifications_enabled, types=list(user.notification_types)
        )
    )


def _token_pair(pair: IssuedPair, ttl_seconds: int) -> TokenPair:
    user_id = str(pair.user.id)
    return TokenPair(
        token=pair.access.token,
        accessToken=pair.access.token,
        access_token=pair.access.token,
        expires_at=pair.access.expires_at,
        expires_in=ttl_seconds,
        refresh_token=pair.refresh.token,
        refresh_expires_at=pair.refresh.expires_at,
        user_id=user_id,
        userId=user_id,
        username=pair.user.username,
        role=pair.user.role,
    )


def _ttl(users: UsersService) -> int:
    return int(users.issuer.access_ttl.total_seconds())


# ---------------------------------------------------------------- accounts and tokens


@router.post("/register", status_code=201, summary="Create an account")
async def register(body: UserCreate, database: Db, users: Users) -> UserRegistered:
    user = await users.do_register(database, body)
    return UserRegistered(
        user_id=str(user.id),
        userId=str(user.id),
        username=user.username,
        email=user.email,
        role=user.role,
        created_at=user.created_at,
    )


@router.post(
    "/login", summary="Log in with username or email; returns an access and a refresh token"
)
async def login(body: LoginRequest, database: Db, users: Users, client: ClientAddress) -> TokenPair:
    return _token_pair(await users.do_login(database, body, client), _ttl(users))


@router.post("/refresh", summary="Trade a refresh token for a new pair (the old one is spent)")
async def refresh(body: RefreshRequest, database: Db, users: Users) -> TokenPair:
    return _token_pair(await users.do_refresh(database, body.refresh_token), _ttl(users))


@router.post("/logout", summary="Sign out this login: its refresh tokens stop working")
async def logout(body: RefreshRequest, db: DbSession, users: Users) -> Message:
    await users.do_logout(db, body.refresh_token)
    return Message(message="Logged out")


@router.post(
    "/socket-ticket",
    summary="A single-use ticket for opening a WebSocket (browsers cannot send the token in a "
    "header, and a URL is logged)",
)
async def socket_ticket(me: CurrentUser, sessions: Sessions) -> SocketTicket:
    ticket = await sessions.issue_ticket(me, ttl_seconds=TICKET_SECONDS)
    return SocketTicket(ticket=ticket, expires_in=TICKET_SECONDS)


# ---------------------------------------------------------------- profiles


async def _profile(db: DbSession, users: UsersService, user: User) -> ProfileRead:
    followers, followings = await users.get_counts(db, user.id)
    return ProfileRead(
        user_id=str(user.id),
        userId=str(user.id),
        username=user.username,
        email=user.email,
        profile_picture=user.profile_picture,
        bio=user.bio,
        role=user.role,
        created_at=user.created_at,
        followers_count=followers,
        followings_count=followings,
        preferences=_prefs(user),
    )


@router.get("/profile", summary="My profile")
async def my_profile(db: DbSession, users: Users, me: CurrentUser) -> ProfileRead:
    return await _profile(db, users, await users.access_user(db, me.user_id))


@router.patch("/profile", summary="Update my bio or profile picture")
async def update_profile(
    body: ProfileUpdate, db: DbSession, users: Users, me: CurrentUser
) -> ProfileRead:
    return await _profile(db, users, await users.do_update_profile(db, me, body))


@router.get(
    "/profile/{userId}", summary="Anyone's public profile", response_model=PublicProfileRead
)
async def public_profile(userId: IdPath, reads: DbReads, users: Users) -> ModelJSON:
    return await _public_profile_body(reads, users, userId)


async def _public_profile_body(reads: Reads, users: UsersService, user_id: int) -> ModelJSON:
    # The hottest read: its row rendered once, in `PublicProfileRead`'s shape (decision 0034).
    row = await users.access_public_profile(reads, user_id)
    shown = str(row["id"])
    return ModelJSON(
        {
            "user_id": shown,
            "userId": shown,
            "username": row["username"],
            "profile_picture": row["profile_picture"],
            "bio": row["bio"],
            "role": row["role"],
            "created_at": row["created_at"],
            "followers_count": row["followers_count"],
            "followings_count": row["followings_count"],
        }
    )


async def _lean_public_profile(app: FastAPI, reads: Reads, ids: dict[str, int]) -> ModelJSON:
    # What `public_profile` answers, below FastAPI's request handling (decision 0037).
    return await _public_profile_body(reads, registered(app, UsersService), ids["userId"])


# The users service's reads answered below FastAPI for plain requests (decision 0037).
LEAN_READS = [LeanRead(public_profile, _lean_public_profile)]


@router.get("", summary="Find users by the start of their username")
async def search_users(
    db: DbSession,
    users: Users,
    q: Annotated[str, Query(max_length=32, description="Username prefix")] = "",
    limit: Limit = 20,
) -> UserList:
    found = await users.list_users(db, q, limit)
    return UserList(
        users=[
            UserBrief(user_id=str(u.id), userId=str(u.id), username=u.username, role=u.role)
            for u in found
        ]
    )


@router.get(
    "/suggestions",
    summary="Whom I might follow: people I do not follow yet, best first",
    description=(
        "Ranked by how many of the people I follow follow them, then by followers, then by "
        "how recently they logged in. Never myself, never someone I already follow."
    ),
)
async def follow_suggestions(
    db: DbSession,
    users: Users,
    me: CurrentUser,
    limit: Annotated[
        int, Query(ge=1, le=50, description="How many suggestions (default 5, at most 50)")
    ] = 5,
) -> FollowSuggestions:
    found = await users.suggest_follows(db, me, limit)
    return FollowSuggestions(
        users=[
            FollowSuggestion(
                user_id=str(u.id),
                userId=str(u.id),
                username=u.username,
                profile_picture=u.profile_picture,
                followers_count=followers,
                followed_by_followings=known,
            )
            for u, known, followers in found
        ]
    )


@router.get("/{user_id}", summary="Account details in the sports seed's envelope (self or admin)")
async def account(user_id: IdPath, db: DbSession, users: Users, me: CurrentUser) -> AccountEnvelope:
    user = await users.access_account(db, me, user_id)
    return AccountEnvelope(
        data=AccountData(
            user_id=str(user.id),
            username=user.username,
            email=user.email,
            role=user.role,
            created_at=user.created_at,
            preferences=_prefs(user),
        )
    )


@router.get("/{user_id}/preferences/notifications", summary="My notification preferences")
async def get_preferences(
    user_id: IdPath, db: DbSession, users: Users, me: CurrentUser
) -> PreferencesEnvelope:
    user = await users.access_account(db, me, user_id)
    return PreferencesEnvelope(message="Current preferences", data=_prefs(user).notifications)


@router.put("/{user_id}/preferences/notifications", summary="Update my notification preferences")
async def update_preferences(
    user_id: IdPath, body: PreferencesUpdate, db: DbSession, users: Users, me: CurrentUser
) -> PreferencesEnvelope:
    user = await users.do_update_preferences(db, me, user_id, body)
    return PreferencesEnvelope(data=_prefs(user).notifications)


@router.put("/{user_id}/role", summary="Grant or remove the admin role (admins only)")
async def set_role(
    user_id: IdPath, body: RoleUpdate, db: DbSession, users: Users, me: AdminUser
) -> UserBrief:
    user = await users.do_set_role(db, me, user_id, body.role)
    return UserBrief(
        user_id=str(user.id), userId=str(user.id), username=user.username, role=user.role
    )


# ---------------------------------------------------------------- follows


@router.post("/{userId}/follow", summary="Follow a user (repeating it is harmless)")
async def follow(
    userId: IdPath,
    body: FollowRequest,
    db: DbSession,
    users: Users,
    me: CurrentUser,
) -> Message:
    followee, created = await users.do_follow(db, me, userId, body.followUserId)
    verb = "Now following" if created else "Already following"
    return Message(message=f"{verb} {followee.username}")


@router.delete("/{userId}/unfollow", summary="Stop following a user (repeating it is harmless)")
async def unfollow(
    userId: IdPath,
    db: DbSession,
    users: Users,
    me: CurrentUser,
    body: Annotated[UnfollowRequest | None, Body()] = None,
    unfollowUserId: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Message:
    target = body.unfollowUserId if body is not None else unfollowUserId
    if target is None:
        raise ValidationFailed.field("body.unfollowUserId", "Field required")
    followee, removed = await users.do_unfollow(db, me, userId, target)
    verb = "Unfollowed" if removed else "Was not following"
    return Message(message=f"{verb} {followee.username}")


def _entries(rows: list[tuple[Follow, User]]) -> list[FollowEntry]:
    return [
        FollowEntry(
            user_id=str(user.id),
            userId=str(user.id),
            username=user.username,
            followed_at=f.created_at,
        )
        for f, user in rows
    ]


@router.get("/{userId}/followings", summary="Whom a user follows, newest first")
async def followings(
    userId: IdPath,
    db: DbSession,
    users: Users,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> FollowingsPage:
    rows, next_cursor = await users.list_follows(
        db, userId, direction="followings", limit=limit, cursor=cursor
    )
    return FollowingsPage(
        followings=[str(u.id) for _, u in rows], users=_entries(rows), next_cursor=next_cursor
    )


@router.get("/{userId}/followers", summary="Who follows a user, newest first")
async def followers(
    userId: IdPath,
    db: DbSession,
    users: Users,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> FollowersPage:
    rows, next_cursor = await users.list_follows(
        db, userId, direction="followers", limit=limit, cursor=cursor
    )
    return FollowersPage(
        followers=[str(u.id) for _, u in rows], users=_entries(rows), next_cursor=next_cursor
    )


# ---------------------------------------------------------------- account sagas
# Declared on their own router, included before `router`: `/users/profile/deletion` must not be
# taken for the public profile `/users/profile/{userId}`.

account_router = APIRouter(prefix="/users/profile", tags=["account"])
admin_router = APIRouter(prefix="/admin", tags=["admin"])
Sagas = Annotated[AccountSagas, Depends(provider(AccountSagas))]


def _steps(steps: list[AccountSagaStep]) -> list[SagaStepRead]:
    out = []
    for s in steps:
        action, _, service = s.step.partition(":")
        out.append(
            SagaStepRead(
                step=s.step,
                service=service or "users",
                action=action,
                state=s.state,
                rows=s.rows,
                detail=s.detail,
                at=s.updated_at,
            )
        )
    return out


async def _deletion_read(db: DbSession, sagas: AccountSagas, saga: AccountSaga) -> DeletionRead:
    _, steps = await sagas.get_saga_view(db, saga)
    return DeletionRead(
        deletion_id=saga.id,
        state=saga.state,
        erase_at=saga.erase_at,
        grace_days=saga.grace_days,
        reason=saga.reason,
        created_at=saga.created_at,
        updated_at=saga.updated_at,
        steps=_steps(steps),
    )


@account_router.post(
    "/deletion",
    status_code=202,
    summary="Delete my account: hidden at once, erased after the grace period",
)
async def request_deletion(
    body: DeletionRequest, db: DbSession, sagas: Sagas, me: CurrentUser
) -> DeletionRead:
    saga = await sagas.do_request_deletion(me, body.password, body.grace_days)
    return await _deletion_read(db, sagas, saga)


RestoreHeader = Annotated[
    str | None,
    Header(
        alias="X-Restore-Token",
        max_length=4096,
        description="The restore token a refused login gave (an account pending deletion)",
    ),
]


@account_router.get("/deletion", summary="My account's deletion and its steps")
async def get_deletion(
    db: DbSession, sagas: Sagas, me: OptionalUser, restore_token: RestoreHeader = None
) -> DeletionRead:
    return await _deletion_read(db, sagas, await sagas.access_deletion(db, me, restore_token))


@account_router.delete(
    "/deletion",
    status_code=202,
    summary="Cancel my account's deletion (within the grace period): everything comes back",
)
async def cancel_deletion(
    db: DbSession,
    sagas: Sagas,
    me: OptionalUser,
    body: Annotated[DeletionCancel | None, Body()] = None,
    restore_token: RestoreHeader = None,
) -> DeletionRead:
    token = body.restore_token if body and body.restore_token else restore_token
    saga = await sagas.do_cancel_deletion(me, token)
    return await _deletion_read(db, sagas, await sagas.get_saga(db, saga.id))


def _export_read(
    sagas: AccountSagas, saga: AccountSaga, steps: list[AccountSagaStep]
) -> ExportRead:
    state = sagas.state_of(saga)
    url = f"/api/users/profile/export/{saga.id}/archive" if state == "ready" else None
    return ExportRead(
        export_id=saga.id,
        state=state,
        reason=saga.reason,
        created_at=saga.created_at,
        expires_at=saga.expires_at,
        download_url=url,
        steps=_steps(steps),
    )


@account_router.post("/export", status_code=202, summary="Export all my data as a ZIP archive")
async def request_export(sagas: Sagas, me: CurrentUser) -> ExportCreated:
    saga = await sagas.do_request_export(me)
    return ExportCreated(export_id=saga.id, state=saga.state)


@account_router.get("/export/{export_id}", summary="My export: its state, and its download link")
async def get_export(export_id: str, db: DbSession, sagas: Sagas, me: CurrentUser) -> ExportRead:
    saga = await sagas.access_export(db, me, export_id)
    _, steps = await sagas.get_saga_view(db, saga)
    return _export_read(sagas, saga, steps)


@account_router.get(
    "/export/{export_id}/archive",
    summary="Download my export (its owner only, for 7 days)",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/zip": {}}},
        409: {
            "description": "The archive is not ready, or its link has lapsed (`export_not_ready`)"
        },
    },
)
async def download_export(
    export_id: str, db: DbSession, sagas: Sagas, me: CurrentUser
) -> FileResponse:
    saga = await sagas.access_export(db, me, export_id)
    path = sagas.archive_path(saga)
    return FileResponse(
        path, media_type="application/zip", filename=f"agora-{me.username}-{saga.id}.zip"
    )


@admin_router.get("/sagas", summary="Account sagas (admins): running ones, or every one")
async def list_sagas(
    db: DbSession,
    sagas: Sagas,
    _: AdminUser,
    every: Annotated[bool, Query(alias="all")] = False,
    limit: Limit = 50,
) -> SagaList:
    found = await sagas.list_sagas(db, every=every, limit=limit)
    out = []
    for saga in found:
        steps = (await sagas.get_saga_view(db, saga))[1]
        out.append(
            SagaAdminRead(
                saga_id=saga.id,
                kind=saga.kind,
                user_id=str(saga.user_id),
                state=sagas.state_of(saga),
                reason=saga.reason,
                created_at=saga.created_at,
                updated_at=saga.updated_at,
                steps=_steps(steps),
            )
        )
    return SagaList(sagas=out)


@admin_router.post(
    "/sagas/{saga_id}/retry", status_code=202, summary="Retry a failed saga's step (admins)"
)
async def retry_saga(saga_id: str, sagas: Sagas, _: AdminUser) -> Message:
    await sagas.do_retry(saga_id)
    return Message(message="The saga will try its step again")
