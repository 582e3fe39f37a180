"""Queries of the notifications service. Repositories flush; they never commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from agora.platform.db import UnitOfWork, Writes, insert_ignore
from agora.services.notifications.models import Notification, TeamFollow


@dataclass(frozen=True, slots=True)
class NewNotification:
    """A notification to store (unread)."""

    user_id: int
    type: str
    message: str
    data: dict[str, Any]
    event_id: str | None
    collapse_key: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredNotification(NewNotification):
    """A notification as stored, with its id (unread)."""

    id: int
    read_at: datetime | None = None


_NOTIFICATIONS = cast(Table, Notification.__table__)
# Built once, from the table's columns (SQLAlchemy's Core path, no ORM flush): one row or several
# in one statement, their ids in the order of the rows given.
_ADD_NOTIFICATIONS = insert(_NOTIFICATIONS).returning(
    _NOTIFICATIONS.c.id, sort_by_parameter_order=True
)


async def add_notifications(
    unit: UnitOfWork, new: Sequence[NewNotification]
) -> list[StoredNotification]:
    """Store the notifications, in order (in one statement on a session); the rows with their
    ids."""
    rows = [{**_fields_of(n), "read_at": None} for n in new]
    if isinstance(unit, Writes):
        # A plain write runs one parameter set per statement: one INSERT per row (an event's
        # notifications are nearly always one or two).
        ids = [(await unit.tuples(_ADD_NOTIFICATION, row))[0][0] for row in rows]
    else:
        ids = list((await unit.execute(_ADD_NOTIFICATIONS, rows)).scalars())
    return [StoredNotification(**row, id=id_) for id_, row in zip(ids, rows, strict=True)]


# One row, every column bound by name (a plain write fills in nothing; decision 0046).
_ADD_NOTIFICATION = (
    insert(_NOTIFICATIONS)
    .values(
        {
            column.key: bindparam(column.key, type_=column.type)
            for column in _NOTIFICATIONS.columns
            if column.key != "id"
        }
    )
    .returning(_NOTIFICATIONS.c.id)
)


def _fields_of(notification: NewNotification) -> dict[str, Any]:
    # Not `dataclasses.asdict`, which deep-copies the data dictionary of every notification.
    return {name: getattr(notification, name) for name in _NEW_FIELDS}


_NEW_FIELDS = tuple(field.name for field in fields(NewNotification))


async def list_for_user(
    session: AsyncSession, user_id: int, *, limit: int, before: int | None, unread_only: bool
) -> list[Notification]:
    """One page of a user's notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(Notification.id < before)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return list((await session.execute(query)).scalars())


_TAKE_UNREAD_COLLAPSED = (
    delete(_NOTIFICATIONS)
    .where(
        _NOTIFICATIONS.c.user_id == bindparam("user_id"),
        _NOTIFICATIONS.c.collapse_key == bindparam("key"),
        _NOTIFICATIONS.c.read_at.is_(None),
    )
    .returning(_NOTIFICATIONS.c.id)
)


async def take_unread_collapsed(unit: UnitOfWork, user_id: int, key: str) -> int | None:
    """Remove the user's unread notification with this collapse key; its id, or None."""
    params = {"user_id": user_id, "key": key}
    if isinstance(unit, Writes):
        rows = await unit.tuples(_TAKE_UNREAD_COLLAPSED, params)
        return int(rows[0][0]) if rows else None
    result = await unit.execute(_TAKE_UNREAD_COLLAPSED, params)
    return result.scalar_one_or_none()


async def count_unread(session: AsyncSession, user_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


async def get_for_user(
    session: AsyncSession, notification_id: int, user_id: int
) -> Notification | None:
    """The notification if it is this user's; someone else's is as good as absent."""
    return (
        await session.execute(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == user_id
            )
        )
    ).scalar_one_or_none()


async def mark_read(session: AsyncSession, notification: Notification, *, at: datetime) -> None:
    notification.read_at = at
    await session.flush()


async def mark_all_read(session: AsyncSession, user_id: int, now: datetime) -> int:
    result = await session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .returning(Notification.id)
    )
    return len(result.all())


# ---------------------------------------------------------------- team follows


async def set_team_follow(
    session: AsyncSession, *, user_id: int, team: str, following: bool, at: datetime
) -> None:
    """Record a follow or unfollow unless a newer change of the same pair is already recorded."""
    inserted = await session.execute(
        insert_ignore(
            session, TeamFollow, team=team, user_id=user_id, following=following, changed_at=at
        ).returning(TeamFollow.id)
    )
    if inserted.first() is not None:
        return
    await session.execute(
        update(TeamFollow)
        .where(TeamFollow.team == team, TeamFollow.user_id == user_id, TeamFollow.changed_at <= at)
        .values(following=following, changed_at=at)
    )


async def list_team_followers(session: AsyncSession, teams: Collection[str]) -> list[int]:
    """Users following any of `teams`, each once."""
    query = (
        select(TeamFollow.user_id)
        .where(TeamFollow.team.in_(teams), TeamFollow.following.is_(True))
        .distinct()
        .order_by(TeamFollow.user_id)
    )
    return list((await session.execute(query)).scalars())
