"""Chat over WebSocket (`/forums/connect`): send, edit and delete messages, receive every member's,
see who is present, and recover what was missed after a reconnect.

One connection runs two tasks: a reader (client frames → stored changes) and a forwarder (the
room's channel → the client). Close codes: 4400 bad query, 4401 bad token, 4403 userId is not the
token's user, 4404 unknown or closed room, 4410 the room was closed, 1013 the client fell too far
behind or the hub is down (reconnect with `since`), 1001 the server is shutting down.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import OrderedDict
from typing import Any

import orjson
import structlog
from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect, WebSocketState

from agora.platform.auth.principal import Principal
from agora.platform.db import Database
from agora.platform.deps import authenticate_websocket, provided, reject_websocket
from agora.platform.errors import AgoraError, NotFound, RateLimited, ServiceUnavailable
from agora.platform.ids import parse_id
from agora.platform.realtime.base import Publication, StreamPosition
from agora.platform.realtime.recovery import RecoveredSubscription, Recovery, subscribe_from
from agora.platform.realtime.ws import (
    FrameError,
    error_frame,
    parse_position,
    receive_frame,
    reload_frame,
    send_frame,
)
from agora.services.discussions.models import Room
from agora.services.discussions.router.common import room_read
from agora.services.discussions.schemas import message_frame
from agora.services.discussions.service import (
    DiscussionsService,
    Presence,
    channel_of,
)

log = structlog.get_logger("agora.discussions.chat")

WS_BAD_REQUEST = 4400
WS_FORBIDDEN = 4403
WS_NOT_FOUND = 4404
WS_ROOM_CLOSED = 4410
WS_LAGGING = 1013
WS_GOING_AWAY = 1001
# Recovery by message id reads the database; beyond this many missed messages, reload instead.
RECOVERY_LIMIT = 500
MAX_CLIENT_ID = 100

_CLOSE_CODES = {
    "room_closed": (WS_ROOM_CLOSED, "the room was closed"),
    "lagging": (WS_LAGGING, "fell behind; reconnect with since"),
    "ended": (WS_GOING_AWAY, "server shutting down"),
}

router = APIRouter(tags=["chat"])


class EncodedFrames:
    """The JSON text of each publication's frame, made once for every socket of a room rather
    than once per socket (all of a channel's subscribers receive the same publication)."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._texts: OrderedDict[tuple[str, str, int], str] = OrderedDict()

    def text(self, publication: Publication) -> str:
        key = (publication.channel, publication.epoch, publication.offset)
        text = self._texts.get(key)
        if text is None:
            frame = {**publication.data, "offset": publication.offset, "epoch": publication.epoch}
            text = self._texts[key] = orjson.dumps(frame).decode()
            if len(self._texts) > self._size:
                self._texts.popitem(last=False)
        return text


async def _send_text(websocket: WebSocket, text: str) -> bool:
    """Send an encoded frame; False when the socket is already gone."""
    if websocket.application_state != WebSocketState.CONNECTED:
        return False
    try:
        await websocket.send_text(text)
    except (WebSocketDisconnect, RuntimeError):
        return False
    return True


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.application_state != WebSocketState.CONNECTED:
        return
    with contextlib.suppress(RuntimeError, WebSocketDisconnect):
        await websocket.close(code=code, reason=reason)


def _client_id(frame: dict[str, Any]) -> str | int | None:
    value = frame.get("client_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, str) and len(value) > MAX_CLIENT_ID:
        return None
    return value


class ChatConnection:
    """One member's socket in one room."""

    def __init__(
        self,
        websocket: WebSocket,
        service: DiscussionsService,
        database: Database,
        me: Principal,
        room: Room,
    ) -> None:
        self.websocket = websocket
        self.service = service
        self.database = database
        self.me = me
        self.room = room
        self.channel = channel_of(room.id)
        self.connection_id = uuid.uuid4().hex
        self.info = {"userId": str(me.user_id), "username": me.username}
        self.frames = provided(websocket, EncodedFrames)

    async def run(self, since: StreamPosition | None, since_message: int | None) -> None:
        hub = self.service.hub
        subscription, recovery = await subscribe_from(hub, self.channel, since)
        joined = False
        outcome = "disconnected"
        try:
            # Subscribed first: a close committed after this read reaches us as a publication.
            async with self.database.session(read_only=True) as session:
                room = await self.service.access_room(session, self.room.id)
            if not room.active:
                await _close(self.websocket, WS_NOT_FOUND, "room is closed")
                return
            await hub.join(self.channel, self.connection_id, self.info)
            joined = True
            present = await self._announce("join")
            await send_frame(
                self.websocket,
                {
                    "type": "welcome",
                    "room": room_read(room, present.count).model_dump(mode="json"),
                    "userId": str(self.me.user_id),
                    "username": self.me.username,
                    "present": present.present,
                    "present_count": present.count,
                    "offset": recovery.position.offset,
                    "epoch": recovery.position.epoch,
                },
            )
            replayed = await self._send_missed(recovery, since_message)
            outcome = await self._serve(subscription, replayed)
        finally:
            await subscription.close()
            if joined:
                await hub.leave(self.channel, self.connection_id)
                if outcome != "room_closed":
                    with contextlib.suppress(Exception):
                        await self._announce("leave")
        if outcome in _CLOSE_CODES:
            await _close(self.websocket, *_CLOSE_CODES[outcome])

    async def _announce(self, event: str) -> Presence:
        return await self.service.do_announce_presence(self.room.id, self.info, event)

    async def _send_missed(self, recovery: Recovery, since_message: int | None) -> set[str]:
        """What the client missed, before anything live; returns the ids of messages replayed
        from the database, which the live stream may still bring."""
        if recovery.reload:
            await send_frame(self.websocket, reload_frame(self.channel, recovery.position))
            return set()
        for publication in recovery.missed:
            if publication.data.get("type") == "presence":
                continue  # who was here while the client was away is stale news
            await send_frame(
                self.websocket,
                {**publication.data, "offset": publication.offset, "epoch": publication.epoch},
            )
        if since_message is None:
            return set()
        async with self.database.session(read_only=True) as session:
            missed = await self.service.list_missed_messages(
                session, self.room.id, after=since_message, limit=RECOVERY_LIMIT + 1
            )
        if len(missed) > RECOVERY_LIMIT:
            await send_frame(self.websocket, {"type": "reload", "channel": self.channel})
            return set()
        for message in missed:
            frame = message_frame(
                message_id=message.id,
                room_id=message.room_id,
                user_id=message.user_id,
                username=message.username,
                body=message.body,
                created_at=message.created_at,
                edited_at=message.edited_at,
            )
            await send_frame(self.websocket, {**frame, "offset": None, "epoch": None})
        return {str(m.id) for m in missed}

    async def _serve(self, subscription: RecoveredSubscription, replayed: set[str]) -> str:
        reader = asyncio.create_task(self._read(), name="chat-read")
        forwarder = asyncio.create_task(self._forward(subscription, replayed), name="chat-forward")
        done, pending = await asyncio.wait({reader, forwarder}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await task
        outcomes = [task.result() for task in done]
        return "room_closed" if "room_closed" in outcomes else outcomes[0]

    async def _forward(self, subscription: RecoveredSubscription, replayed: set[str]) -> str:
        async for publication in subscription:
            data = publication.data
            kind = data.get("type")
            if replayed and kind == "message" and data.get("message_id") in replayed:
                replayed.discard(data["message_id"])
                continue
            if not await _send_text(self.websocket, self.frames.text(publication)):
                return "disconnected"
            if kind == "room_closed":
                return "room_closed"
        return "lagging" if subscription.closed_reason == "overflow" else "ended"

    async def _read(self) -> str:
        while True:
            try:
                frame = await receive_frame(self.websocket)
            except FrameError as exc:
                await send_frame(self.websocket, error_frame(exc.code, exc.message))
                continue
            except WebSocketDisconnect:
                return "disconnected"
            outcome = await self._handle(frame)
            if outcome is not None:
                return outcome

    async def _handle(self, frame: dict[str, Any]) -> str | None:
        client_id = _client_id(frame)
        extra: dict[str, Any] = {} if client_id is None else {"client_id": client_id}
        try:
            await self._dispatch(frame, extra)
        except FrameError as exc:
            await send_frame(self.websocket, error_frame(exc.code, exc.message, **extra))
        except RateLimited as exc:
            await send_frame(
                self.websocket,
                error_frame(exc.code, exc.message, retry_after=exc.retry_after, **extra),
            )
        except AgoraError as exc:
            await send_frame(self.websocket, error_frame(exc.code, exc.message, **extra))
            if exc.code == "room_closed":
                return "room_closed"
        return None

    def _check_names(self, frame: dict[str, Any]) -> None:
        """The seed's frame may repeat `userId` and `roomId`; they must be this socket's."""
        user_id, room_id = frame.get("userId"), frame.get("roomId")
        if user_id not in (None, "") and str(user_id) != str(self.me.user_id):
            raise FrameError("acting_user_mismatch", "userId is not the token's user")
        if room_id not in (None, "") and str(room_id) != str(self.room.id):
            raise FrameError("wrong_room", "roomId is not the room this socket is connected to")

    @staticmethod
    def _message_id(frame: dict[str, Any]) -> int:
        value = frame.get("message_id")
        number = None if isinstance(value, bool) else parse_id(value)
        if number is None:
            raise FrameError("invalid_message_id", "message_id must name a message")
        return number

    async def _dispatch(self, frame: dict[str, Any], extra: dict[str, Any]) -> None:
        kind = frame.get("type", "message")
        if kind == "ping":
            await send_frame(self.websocket, {"type": "pong", **extra})
            return
        if kind not in ("message", "edit", "delete"):
            raise FrameError("unknown_type", "type must be message, edit, delete or ping")
        self._check_names(frame)
        message_id = self._message_id(frame) if kind != "message" else 0
        text = self.service.check_message_text(frame.get("message")) if kind != "delete" else ""
        await self.service.check_message_rate(self.me)
        async with self.database.session() as session:
            if kind == "message":
                posted = await self.service.do_post_message(session, self.me, self.room.id, text)
            elif kind == "edit":
                posted = await self.service.do_edit_message(
                    session, self.me, self.room.id, message_id, text
                )
            else:
                posted = await self.service.do_delete_message(
                    session, self.me, self.room.id, message_id
                )
        publication = posted.publication
        await send_frame(
            self.websocket,
            {
                "type": "ack",
                "action": kind,
                "message_id": str(posted.message.id),
                "offset": publication.offset if publication is not None else None,
                "epoch": publication.epoch if publication is not None else None,
                **extra,
            },
        )


@router.websocket("/forums/connect")
async def connect(websocket: WebSocket) -> None:
    """Chat in a room: `?roomId=&userId=&token=[&since=&epoch=]`. With `since` and `epoch` (the
    offset and epoch of the last frame seen) the missed frames come first; with `since` alone it
    is the id of the last message seen."""
    me = await authenticate_websocket(websocket)
    if me is None:
        return
    params = websocket.query_params
    claimed = params.get("userId")
    if claimed and claimed != str(me.user_id):
        await reject_websocket(websocket, WS_FORBIDDEN, "userId is not the token's user")
        return
    since: StreamPosition | None = None
    since_message: int | None = None
    try:
        if params.get("epoch") is not None:
            since = parse_position(params.get("since"), params.get("epoch"))
        elif params.get("since"):
            since_message = parse_id(params.get("since"))
            if since_message is None:
                raise FrameError("bad_since", "since must be the id of the last message seen")
    except FrameError as exc:
        await reject_websocket(websocket, WS_BAD_REQUEST, exc.message)
        return
    service = provided(websocket, DiscussionsService)
    database = provided(websocket, Database)
    try:
        async with database.session(read_only=True) as session:
            room = await service.access_open_room(session, params.get("roomId") or "")
    except NotFound as exc:
        await reject_websocket(websocket, WS_NOT_FOUND, exc.message)
        return
    await websocket.accept()
    try:
        await ChatConnection(websocket, service, database, me, room).run(since, since_message)
    except ServiceUnavailable:
        log.warning("chat_hub_unavailable", room_id=room.id)
        await _close(websocket, WS_LAGGING, "real-time delivery is unavailable; try again")
