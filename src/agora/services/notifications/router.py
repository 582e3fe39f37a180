"""HTTP and WebSocket endpoints of the notifications service. Thin: parse, call the service, shape
the answer.

The socket (`/notifications/ws?token=`) streams the user's channel `user:<id>`. Frames:
`{"type": "notification", "offset", "epoch", "notification": {...}}` for each notification,
`{"type": "ready", "channel", "offset", "epoch"}` once missed ones are replayed, `reload` when the
gap is older than the history, `pong` for a `{"type": "ping"}`, and `error` for a bad frame (the
socket stays open). Reconnecting with `since=<last offset>&epoch=<epoch>` replays what was missed.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

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
from agora.platform.realtime import StreamPosition, subscribe_from
from agora.platform.realtime.base import Hub, Publication
from agora.platform.realtime.recovery import RecoveredSubscription
from agora.platform.realtime.ws import (
    FrameError,
    answer_pings,
    error_frame,
    parse_position,
    reload_frame,
    send_frame,
)
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

# Closed because the client fell too far behind: reconnect with `since` to recover.
WS_TRY_AGAIN = 1013


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


def _notification_frame(publication: Publication) -> dict[str, object]:
    return {
        "type": "notification",
        "offset": publication.offset,
        "epoch": publication.epoch,
        **publication.data,
    }


@router.websocket("/ws")
async def live(websocket: WebSocket) -> None:
    """My notifications as they happen (see the module docstring for the frames)."""
    me = await authenticate_websocket(websocket)
    if me is None:
        return
    await websocket.accept()
    hub: Hub = provided(websocket, HUB)
    since: StreamPosition | None = None
    try:
        since = parse_position(
            websocket.query_params.get("since"), websocket.query_params.get("epoch")
        )
    except FrameError as exc:
        await send_frame(websocket, error_frame(exc.code, exc.message))
    channel = user_channel(me.user_id)
    subscription, recovery = await subscribe_from(hub, channel, since)
    try:
        position = recovery.position
        if recovery.reload:
            await send_frame(websocket, reload_frame(channel, position))
        for publication in recovery.missed:
            await send_frame(websocket, _notification_frame(publication))
        await send_frame(
            websocket,
            {
                "type": "ready",
                "channel": channel,
                "offset": position.offset,
                "epoch": position.epoch,
            },
        )
        await _serve(websocket, subscription)
    finally:
        await subscription.close()


async def _serve(websocket: WebSocket, subscription: RecoveredSubscription) -> None:
    """Forward publications and answer the client's frames until either side ends."""
    forward = asyncio.create_task(_forward(websocket, subscription))
    listen = asyncio.create_task(answer_pings(websocket))
    try:
        await asyncio.wait({forward, listen}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (forward, listen):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await task
    code = 1000
    if subscription.closed_reason == "overflow":
        await send_frame(
            websocket, error_frame("fell_behind", "Too many notifications at once; reconnect")
        )
        code = WS_TRY_AGAIN
    if websocket.application_state == WebSocketState.CONNECTED:
        with contextlib.suppress(RuntimeError, WebSocketDisconnect):
            await websocket.close(code=code)


async def _forward(websocket: WebSocket, subscription: RecoveredSubscription) -> None:
    async for publication in subscription:
        if not await send_frame(websocket, _notification_frame(publication)):
            return
