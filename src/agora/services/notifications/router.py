"""HTTP and WebSocket endpoints of the notifications service. Thin: parse, call the service, shape
the answer.

The socket (`/notifications/ws?token=`) streams the user's channel `user:<id>` through
`serve_channel` (its `ready`, `reload`, `error`, `pong` frames): a `notification` frame
(`offset`, `epoch`, `notification`, and `replaces` when it collapsed an unread one) for each
notification. Reconnecting with `since=<last offset>&epoch=<epoch>` replays what was missed.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, WebSocket

from agora.platform.deps import (
    HUB,
    AdminUser,
    CurrentUser,
    DbSession,
    PageCursor,
    PageLimit,
    authenticate_websocket,
    provided,
    provider,
)
from agora.platform.ids import IdPath
from agora.platform.realtime import Channel, position_from_query, serve_channel
from agora.platform.realtime.base import Hub, Publication
from agora.platform.realtime.frames import Position, with_position
from agora.services.notifications.models import Notification
from agora.services.notifications.schemas import (
    AllMarked,
    NotificationCreate,
    NotificationMarked,
    NotificationPage,
    NotificationRead,
    NotificationSent,
)
from agora.services.notifications.service import NotificationsService, user_channel

Notifications = Annotated[NotificationsService, Depends(provider(NotificationsService))]
Limit = PageLimit
Cursor = PageCursor

router = APIRouter(prefix="/notifications", tags=["notifications"])


def _read(notification: Notification) -> NotificationRead:
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


@router.post("", summary="Send a notification to a user (admins; seed 004)")
async def send(
    body: NotificationCreate, db: DbSession, notifications: Notifications, me: AdminUser
) -> NotificationSent:
    sent = await notifications.do_send(db, me, body)
    if sent is None:
        return NotificationSent(
            message=f"Notification not sent: user {body.user_id} turned off {body.type!r}",
            delivered=False,
            notification_id=None,
        )
    return NotificationSent(
        message="Notification sent successfully", delivered=True, notification_id=str(sent.id)
    )


@router.get("", summary="My notifications, newest first, with my unread count")
async def list_mine(
    db: DbSession,
    notifications: Notifications,
    me: CurrentUser,
    limit: Limit = 50,
    cursor: Cursor = None,
    unread_only: bool = False,
) -> NotificationPage:
    page, unread = await notifications.list_mine(
        db, me, limit=limit, cursor=cursor, unread_only=unread_only
    )
    return NotificationPage(
        data=[_read(n) for n in page.items], unread_count=unread, next_cursor=page.next_cursor
    )


@router.post("/read-all", summary="Mark all my notifications read")
async def mark_all_read(db: DbSession, notifications: Notifications, me: CurrentUser) -> AllMarked:
    marked = await notifications.do_mark_all_read(db, me)
    return AllMarked(marked=marked, unread_count=0)


@router.post("/{id}/read", summary="Mark one of my notifications read")
async def mark_read(
    id: IdPath, db: DbSession, notifications: Notifications, me: CurrentUser
) -> NotificationMarked:
    notification, unread = await notifications.do_mark_read(db, me, id)
    return NotificationMarked(data=_read(notification), unread_count=unread)


class NotificationFrame(Position, scope="notifications"):
    """One notification for the socket's user; `replaces` names the unread one it collapsed."""

    type: Literal["notification"] = "notification"
    notification: NotificationRead
    replaces: str | None = None


class _Inbox(Channel):
    """A user's channel: each publication is one notification."""

    def frame(self, publication: Publication, *, replayed: bool) -> NotificationFrame:
        return NotificationFrame.model_validate(with_position(publication))


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """My notifications as they happen (see the module docstring for the frames)."""
    me = await authenticate_websocket(websocket)
    if me is None:
        return
    await websocket.accept()
    hub: Hub = provided(websocket, HUB)
    since, bad_since = position_from_query(websocket)
    channel = _Inbox(user_channel(me.user_id))
    await serve_channel(websocket, channel, hub=hub, since=since, bad_since=bad_since)
