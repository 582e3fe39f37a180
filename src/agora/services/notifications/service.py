"""Business rules of the notifications service: who is told what, honouring each user's
preferences; the list, read state, and live delivery after commit.

`do_*` change state; `get_*`/`list_*` read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.users import UserDirectory
from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock
from agora.platform.db import after_commit
from agora.platform.errors import NotFound
from agora.platform.pagination import parse_id_cursor
from agora.platform.realtime.base import Hub
from agora.services.notifications import repository as repo
from agora.services.notifications.models import Notification
from agora.services.notifications.schemas import NotificationCreate, NotificationRead

log = structlog.get_logger("agora.notifications")


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


def to_read(notification: Notification) -> NotificationRead:
    return NotificationRead(
        notification_id=str(notification.id),
        user_id=str(notification.user_id),
        type=notification.type,
        message=notification.message,
        data=dict(notification.data),
        read=notification.read_at is not None,
        created_at=notification.created_at,
        read_at=notification.read_at,
    )


@dataclass(frozen=True, slots=True)
class Draft:
    """A notification to send to `user_id`, if their preferences allow its type; otherwise the
    `fallback` (a less specific way of telling the same thing), if that is allowed."""

    user_id: int
    type: str
    message: str
    data: dict[str, Any]
    fallback: Draft | None = None
    # While unread, a newer notification with the same key replaces this one (one per live game,
    # not one per point scored).
    collapse_key: str | None = None


class NotificationsService:
    """The notifications service's rules, with its collaborators injected."""

    def __init__(self, *, directory: UserDirectory, hub: Hub, clock: Clock) -> None:
        self.directory = directory
        self.hub = hub
        self.clock = clock

    # ------------------------------------------------------------ sending

    async def do_notify(
        self, session: AsyncSession, drafts: Sequence[Draft], *, event_id: str | None
    ) -> list[Notification]:
        """Store the drafts their recipients want (and that exist); deliver them live after
        commit."""
        if not drafts:
            return []
        preferences = await self.directory.get_notification_preferences({d.user_id for d in drafts})
        now = self.clock.now()
        chosen: list[Draft] = []
        for draft in drafts:
            wanted = preferences.get(draft.user_id)
            option: Draft | None = draft
            while option is not None and not (wanted and wanted.allows(option.type)):
                option = option.fallback
            if option is not None:
                chosen.append(option)
        notifications: list[Notification] = []
        replaced: list[int | None] = []
        for d in chosen:
            gone = None
            if d.collapse_key is not None:
                gone = await repo.take_unread_collapsed(session, d.user_id, d.collapse_key)
            replaced.append(gone)
            notifications.append(
                Notification(
                    user_id=d.user_id,
                    type=d.type,
                    message=d.message,
                    data=d.data,
                    event_id=event_id,
                    collapse_key=d.collapse_key,
                    created_at=now,
                    read_at=None,
                )
            )
        if not notifications:
            return []
        session.add_all(notifications)
        await session.flush()
        frames = []
        for notification, gone in zip(notifications, replaced, strict=True):
            frame: dict[str, Any] = {"notification": to_read(notification).model_dump(mode="json")}
            if gone is not None:
                frame["replaces"] = str(gone)
            frames.append((notification.user_id, frame))

        async def deliver() -> None:
            for user_id, frame in frames:
                await self.hub.publish(user_channel(user_id), frame)

        after_commit(session, deliver)
        return notifications

    async def do_send(
        self, session: AsyncSession, me: Principal, data: NotificationCreate
    ) -> Notification | None:
        """An admin's notification to one user; None when the user turned that type off."""
        if not (await self.directory.get_users([data.user_id])):
            raise NotFound(f"No user with id {data.user_id}", code="user_not_found")
        sent = await self.do_notify(
            session,
            [Draft(data.user_id, data.type, data.message, {"sent_by": str(me.user_id)})],
            event_id=None,
        )
        log.info("notification_sent", to=data.user_id, type=data.type, delivered=bool(sent))
        return sent[0] if sent else None

    # ------------------------------------------------------------ reading

    async def list_mine(
        self,
        session: AsyncSession,
        me: Principal,
        *,
        limit: int,
        cursor: str | None,
        unread_only: bool,
    ) -> tuple[list[Notification], int, str | None]:
        """A page of my notifications, my unread count, and the next page's cursor."""
        rows = await repo.list_for_user(
            session, me.user_id, limit=limit + 1, before=_cursor(cursor), unread_only=unread_only
        )
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = str(rows[-1].id) if more and rows else None
        return rows, await repo.count_unread(session, me.user_id), next_cursor

    async def do_mark_read(
        self, session: AsyncSession, me: Principal, notification_id: int
    ) -> tuple[Notification, int]:
        notification = await repo.get_for_user(session, notification_id, me.user_id)
        if notification is None:
            raise NotFound(
                f"You have no notification with id {notification_id}",
                code="notification_not_found",
            )
        if notification.read_at is None:
            notification.read_at = self.clock.now()
            await session.flush()
        return notification, await repo.count_unread(session, me.user_id)

    async def do_mark_all_read(self, session: AsyncSession, me: Principal) -> int:
        return await repo.mark_all_read(session, me.user_id, self.clock.now())

    # ------------------------------------------------------------ team follows (sports' copy)

    async def do_set_team_follow(
        self, session: AsyncSession, user_id: int, team: str, following: bool, at: datetime
    ) -> None:
        await repo.set_team_follow(session, user_id, team, following, at)

    async def list_team_followers(self, session: AsyncSession, teams: Collection[str]) -> list[int]:
        return await repo.list_team_followers(session, teams)


def _cursor(value: str | None) -> int | None:
    return parse_id_cursor(value)
