"""Queries of the users service. Repositories flush; they never commit."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import add_row, insert_ignore
from agora.platform.reads import Reads, Row, in_slots, slot_values
from agora.services.users.models import (
    AccountSaga,
    AccountSagaStep,
    Bootstrap,
    Follow,
    LoginAddress,
    RefreshToken,
    User,
    UsernameQuarantine,
)


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_user_by_identifier(session: AsyncSession, identifier: str) -> User | None:
    """A user by username or email (both stored lower-case)."""
    return (
        await session.execute(
            select(User).where(or_(User.username == identifier, User.email == identifier))
        )
    ).scalar_one_or_none()


async def get_users(session: AsyncSession, user_ids: Collection[int]) -> list[User]:
    if not user_ids:
        return []
    return list((await session.execute(select(User).where(User.id.in_(user_ids)))).scalars())


async def username_or_email_taken(
    session: AsyncSession, username: str, email: str | None
) -> tuple[bool, bool]:
    condition = User.username == username
    if email is not None:
        condition = or_(condition, User.email == email)
    rows = (await session.execute(select(User.username, User.email).where(condition))).all()
    return (
        any(r.username == username for r in rows),
        email is not None and any(r.email == email for r in rows),
    )


async def search_users(session: AsyncSession, prefix: str, limit: int) -> list[User]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(
        (
            await session.execute(
                select(User)
                .where(User.username.like(f"{escaped}%", escape="\\"))
                .order_by(User.username)
                .limit(limit)
            )
        ).scalars()
    )


async def add_user(
    session: AsyncSession,
    *,
    username: str,
    email: str | None,
    password_hash: str,
    role: str,
    notification_types: list[str],
    now: datetime,
) -> User:
    """Insert a new account; raises `IntegrityError` when its username or email is taken."""
    user = User(
        username=username,
        email=email,
        password_hash=password_hash,
        role=role,
        bio="",
        profile_picture="",
        notifications_enabled=True,
        notification_types=notification_types,
        created_at=now,
        updated_at=now,
    )
    return await add_row(session, user)


async def set_password_hash(session: AsyncSession, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    await session.flush()


async def update_profile(
    session: AsyncSession,
    user: User,
    *,
    now: datetime,
    bio: str | None = None,
    profile_picture: str | None = None,
) -> None:
    """Change the fields given (None leaves a field as it is)."""
    if bio is not None:
        user.bio = bio
    if profile_picture is not None:
        user.profile_picture = profile_picture
    user.updated_at = now
    await session.flush()


async def set_preferences(
    session: AsyncSession, user: User, *, enabled: bool, types: list[str], now: datetime
) -> None:
    user.notifications_enabled = enabled
    user.notification_types = types
    user.updated_at = now
    await session.flush()


async def set_role(session: AsyncSession, user: User, role: str, now: datetime) -> None:
    user.role = role
    user.updated_at = now
    await session.flush()


async def claim_first_admin(session: AsyncSession, user_id: int, now: datetime) -> bool:
    """True for exactly one user ever: the first to claim the `first_admin` key."""
    result = await session.execute(
        insert_ignore(
            session, Bootstrap, key="first_admin", user_id=user_id, created_at=now
        ).returning(Bootstrap.key)
    )
    return result.first() is not None


async def count_admins(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(User).where(User.role == "admin"))
        or 0
    )


# ---------------------------------------------------------------- follows


async def add_follow(
    session: AsyncSession, follower_id: int, followee_id: int, now: datetime
) -> bool:
    """Insert the follow; False when it already existed."""
    result = await session.execute(
        insert_ignore(
            session, Follow, follower_id=follower_id, followee_id=followee_id, created_at=now
        ).returning(Follow.id)
    )
    return result.first() is not None


async def remove_follow(session: AsyncSession, follower_id: int, followee_id: int) -> bool:
    """Delete the follow; False when there was none."""
    result = await session.execute(
        delete(Follow)
        .where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
        .returning(Follow.id)
    )
    return result.first() is not None


# The tables, not the mapped classes, where a statement is only columns and rows: a statement of
# mapped attributes goes through the ORM's compile state and result loading on every execution
# even when it loads no entity (30-40 us of CPU per profile read, bench/profile_statement.py).
_USERS, _FOLLOWS = User.__table__.c, Follow.__table__.c


# Who wants which notifications, for the notifications service's consumers (one read per event
# they handle): three columns from the table, built once (docs/decisions/0043).
_NOTIFICATION_PREFERENCES = select(
    _USERS.id, _USERS.notifications_enabled, _USERS.notification_types
).where(_USERS.id.in_(bindparam("user_ids", expanding=True)))


# The same read for up to `FEW_RECIPIENTS` users as a plain read (`Reads`, decision 0046): an
# event's notification nearly always has one or two recipients.
FEW_RECIPIENTS = 4
_FEW_NOTIFICATION_PREFERENCES = select(
    _USERS.id, _USERS.notifications_enabled, _USERS.notification_types
).where(in_slots(_USERS.id, "user_id", FEW_RECIPIENTS))


async def get_notification_preferences(
    session: AsyncSession, user_ids: Collection[int]
) -> list[tuple[int, bool, list[str]]]:
    """(id, notifications enabled, the notification types wanted) of each of these users that
    exists."""
    if not user_ids:
        return []
    rows = await session.execute(_NOTIFICATION_PREFERENCES, {"user_ids": list(user_ids)})
    return [(row[0], bool(row[1]), list(row[2])) for row in rows]


async def get_few_notification_preferences(
    reads: Reads, user_ids: Collection[int]
) -> list[tuple[int, bool, list[str]]]:
    """`get_notification_preferences` of 1 to `FEW_RECIPIENTS` users."""
    params = slot_values("user_id", list(user_ids), FEW_RECIPIENTS)
    rows = await reads.tuples(_FEW_NOTIFICATION_PREFERENCES, params)
    return [(row[0], bool(row[1]), list(row[2])) for row in rows]


def _follows_of(column: Any, user_id: Any) -> Any:
    follows = Follow.__table__
    return select(func.count()).select_from(follows).where(column == user_id).scalar_subquery()


# Built once: constructing a statement costs more CPU than SQLAlchemy's cached compilation of it,
# and these run on every profile read.
_COUNT_FOLLOWS = select(
    _follows_of(Follow.followee_id, bindparam("user_id")),
    _follows_of(Follow.follower_id, bindparam("user_id")),
)


# The public profile's columns and counts, as rows from the tables (no `User` entity: a hot read,
# decision 0034).
_PUBLIC_PROFILE = select(
    _USERS.id,
    _USERS.username,
    _USERS.profile_picture,
    _USERS.bio,
    _USERS.role,
    _USERS.created_at,
    _follows_of(_FOLLOWS.followee_id, _USERS.id).label("followers_count"),
    _follows_of(_FOLLOWS.follower_id, _USERS.id).label("followings_count"),
).where(_USERS.id == bindparam("user_id"))


async def get_public_profile(reads: Reads, user_id: int) -> Row | None:
    """A user's public columns with their follower and following counts, in one round trip."""
    return await reads.one(_PUBLIC_PROFILE, {"user_id": user_id})


async def count_follows(session: AsyncSession, user_id: int) -> tuple[int, int]:
    """(followers, followings) of a user, in one round trip."""
    row = (await session.execute(_COUNT_FOLLOWS, {"user_id": user_id})).one()
    return int(row[0]), int(row[1])


async def list_follows(
    session: AsyncSession,
    *,
    user_id: int,
    direction: str,
    limit: int,
    before: int | None,
) -> list[tuple[Follow, User]]:
    """One page of a user's followers (`direction="followers"`) or followings, newest first."""
    if direction == "followers":
        own, other = Follow.followee_id, Follow.follower_id
    else:
        own, other = Follow.follower_id, Follow.followee_id
    query = (
        select(Follow, User)
        .join(User, User.id == other)
        .where(own == user_id)
        .order_by(Follow.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Follow.id < before)
    return [(row[0], row[1]) for row in (await session.execute(query)).all()]


async def list_follow_ids(session: AsyncSession, user_id: int, direction: str) -> list[int]:
    if direction == "followers":
        query = select(Follow.follower_id).where(Follow.followee_id == user_id)
    else:
        query = select(Follow.followee_id).where(Follow.follower_id == user_id)
    return list((await session.execute(query.order_by(Follow.id))).scalars())


async def suggest_follows(
    session: AsyncSession, user_id: int, limit: int
) -> list[tuple[User, int, int]]:
    """Whom `user_id` might follow: (user, followed by how many of their followings, followers).
    Not themself, nobody they follow already, no account on its way out. Ranked by the people
    they follow who follow the candidate, then by followers, then by the latest login (the
    account's creation when it never logged in), then newest account first."""
    mine = select(Follow.followee_id).where(Follow.follower_id == user_id)
    known = (
        select(func.count())
        .select_from(Follow)
        .where(Follow.followee_id == User.id, Follow.follower_id.in_(mine))
        .scalar_subquery()
    )
    followers = _follows_of(Follow.followee_id, User.id)
    last_login = (
        select(func.max(LoginAddress.last_login_at))
        .where(LoginAddress.user_id == User.id)
        .scalar_subquery()
    )
    active = func.coalesce(last_login, User.created_at)
    query = (
        select(User, known.label("known"), followers.label("followers"))
        .where(User.id != user_id, User.deactivated_at.is_(None), User.id.not_in(mine))
        .order_by(known.desc(), followers.desc(), active.desc(), User.id.desc())
        .limit(limit)
    )
    return [(row[0], int(row[1]), int(row[2])) for row in (await session.execute(query)).all()]


# ---------------------------------------------------------------- login addresses


async def is_known_address(
    session: AsyncSession, user_id: int, address: str, since: datetime
) -> bool:
    """Whether the user logged in from `address` after `since`."""
    found = await session.execute(
        select(LoginAddress.user_id).where(
            LoginAddress.user_id == user_id,
            LoginAddress.address == address,
            LoginAddress.last_login_at > since,
        )
    )
    return found.first() is not None


async def remember_address(
    session: AsyncSession, user_id: int, address: str, now: datetime, *, forget_before: datetime
) -> None:
    """Record a successful login from `address`; addresses unused since `forget_before` go."""
    await session.execute(
        delete(LoginAddress).where(
            LoginAddress.user_id == user_id, LoginAddress.last_login_at < forget_before
        )
    )
    await session.execute(
        insert_ignore(session, LoginAddress, user_id=user_id, address=address, last_login_at=now)
    )
    await session.execute(
        update(LoginAddress)
        .where(LoginAddress.user_id == user_id, LoginAddress.address == address)
        .values(last_login_at=now)
    )


# ---------------------------------------------------------------- refresh tokens


async def add_refresh_token(
    session: AsyncSession,
    *,
    jti: str,
    family_id: str,
    user_id: int,
    token_hash: str,
    issued_at: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        RefreshToken(
            jti=jti,
            family_id=family_id,
            user_id=user_id,
            token_hash=token_hash,
            issued_at=issued_at,
            expires_at=expires_at,
            used_at=None,
            revoked_at=None,
        )
    )
    await session.flush()


async def get_refresh_token(session: AsyncSession, jti: str) -> RefreshToken | None:
    return await session.get(RefreshToken, jti)


async def mark_refresh_used(session: AsyncSession, jti: str, now: datetime) -> bool:
    """Spend a refresh token; False when it was already spent or revoked (a race, or a replay)."""
    result = await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.jti == jti,
            RefreshToken.used_at.is_(None),
            RefreshToken.revoked_at.is_(None),
        )
        .values(used_at=now)
        .returning(RefreshToken.jti)
    )
    return result.first() is not None


async def revoke_user_refresh_tokens(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Every login of the user ends: none of their refresh tokens rotates again."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def raise_token_version(session: AsyncSession, user_id: int) -> int | None:
    """Add one to the user's session version (atomically); the new version, or None if no such
    user."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(token_version=User.token_version + 1)
        .returning(User.token_version)
    )
    return result.scalar_one_or_none()


async def list_token_versions(session: AsyncSession) -> list[tuple[int, int]]:
    """(user id, session version) of every user whose sessions were ever ended."""
    rows = await session.execute(select(User.id, User.token_version).where(User.token_version > 0))
    return [(user_id, version) for user_id, version in rows.all()]


async def list_revoked_families(
    session: AsyncSession, since: datetime
) -> list[tuple[int, str, datetime]]:
    """(user id, family, when) of the logins revoked after `since`."""
    rows = await session.execute(
        select(RefreshToken.user_id, RefreshToken.family_id, func.max(RefreshToken.revoked_at))
        .where(RefreshToken.revoked_at > since)
        .group_by(RefreshToken.user_id, RefreshToken.family_id)
    )
    return [(user_id, family, when) for user_id, family, when in rows.all() if when is not None]


async def revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


# ---------------------------------------------------------------- account sagas


def _quarantine_key(username: str) -> str:
    return hashlib.sha256(username.encode()).hexdigest()


async def quarantine_username(session: AsyncSession, username: str, until: datetime) -> None:
    await session.execute(
        insert_ignore(
            session, UsernameQuarantine, username_key=_quarantine_key(username), until=until
        )
    )


async def get_quarantine(session: AsyncSession, username: str, now: datetime) -> datetime | None:
    """Until when `username` is kept from registrations, if it is now."""
    until = await session.scalar(
        select(UsernameQuarantine.until).where(
            UsernameQuarantine.username_key == _quarantine_key(username)
        )
    )
    return until if until is not None and until > now else None


async def make_tombstone(session: AsyncSession, user: User, name: str, now: datetime) -> None:
    """Strip an account of everything personal, keeping its id."""
    user.username = name
    user.email = None
    user.password_hash = ""
    user.role = "member"
    user.bio = ""
    user.profile_picture = ""
    user.notification_types = []
    user.notifications_enabled = False
    user.deactivated_at = user.deactivated_at or now
    user.updated_at = now
    await session.flush()


async def set_deactivated(session: AsyncSession, user: User, at: datetime | None) -> None:
    user.deactivated_at = at
    await session.flush()


async def add_saga(session: AsyncSession, **values: Any) -> AccountSaga:
    return await add_row(session, AccountSaga(**values))


async def get_saga(session: AsyncSession, saga_id: str) -> AccountSaga | None:
    return await session.get(AccountSaga, saga_id)


async def get_latest_saga(session: AsyncSession, user_id: int, kind: str) -> AccountSaga | None:
    return (
        await session.scalars(
            select(AccountSaga)
            .where(AccountSaga.user_id == user_id, AccountSaga.kind == kind)
            .order_by(AccountSaga.created_at.desc(), AccountSaga.id.desc())
            .limit(1)
        )
    ).first()


async def list_user_sagas(session: AsyncSession, user_id: int, kind: str) -> list[AccountSaga]:
    return list(
        (
            await session.scalars(
                select(AccountSaga).where(AccountSaga.user_id == user_id, AccountSaga.kind == kind)
            )
        ).all()
    )


async def list_expired_exports(session: AsyncSession, now: datetime) -> list[AccountSaga]:
    return list(
        (
            await session.scalars(
                select(AccountSaga).where(
                    AccountSaga.kind == "export",
                    AccountSaga.state == "ready",
                    AccountSaga.expires_at <= now,
                )
            )
        ).all()
    )


async def list_sagas(
    session: AsyncSession, *, states: Collection[str] | None, limit: int
) -> list[AccountSaga]:
    query = select(AccountSaga).order_by(AccountSaga.created_at.desc()).limit(limit)
    if states is not None:
        query = query.where(AccountSaga.state.in_(states))
    return list((await session.scalars(query)).all())


async def set_saga_state(
    session: AsyncSession,
    saga_id: str,
    state: str,
    now: datetime,
    *,
    only_from: Collection[str] | None = None,
    **values: Any,
) -> bool:
    """Move a saga to `state`; with `only_from`, only from one of those states (one statement, so
    two writers racing cannot both win). True when the saga moved."""
    statement = update(AccountSaga).where(AccountSaga.id == saga_id)
    if only_from is not None:
        statement = statement.where(AccountSaga.state.in_(only_from))
    result = await session.execute(statement.values(state=state, updated_at=now, **values))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def set_step(
    session: AsyncSession,
    saga_id: str,
    step: str,
    *,
    position: int,
    state: str,
    rows: int,
    detail: str | None,
    now: datetime,
) -> None:
    """Record a step's state (insert or update)."""
    existing = await session.get(AccountSagaStep, (saga_id, step))
    if existing is None:
        await add_row(
            session,
            AccountSagaStep(
                saga_id=saga_id,
                step=step,
                position=position,
                state=state,
                rows=rows,
                detail=detail,
                updated_at=now,
            ),
        )
        return
    existing.state = state
    existing.rows = rows
    existing.detail = detail
    existing.updated_at = now
    await session.flush()


async def list_steps(session: AsyncSession, saga_id: str) -> list[AccountSagaStep]:
    return list(
        (
            await session.scalars(
                select(AccountSagaStep)
                .where(AccountSagaStep.saga_id == saga_id)
                .order_by(AccountSagaStep.position)
            )
        ).all()
    )
