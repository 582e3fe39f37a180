"""Chat over WebSocket (`/forums/connect`), through `serve_channel`: send, edit and delete
messages, receive every member's, see who is present, and recover what was missed after a
reconnect.

The room's channel is served like every live channel (`since`/`epoch` recovery, `reload`,
`ready`, `ping`, `error`, falling behind); what chat adds is a `welcome` first (the room and who is
present), presence while connected, the client's `message`/`edit`/`delete` frames answered with an
`ack`, and the contract's other form of `since` (without `epoch`: the id of the last message seen,
recovered from the database). Close codes: 4401 bad token, 4403 userId is not the token's user,
4404 unknown or closed room, 4410 the room was closed, 1013 the client fell too far behind or the
hub is down (reconnect with `since`), 1001 the server is shutting down.
"""

from __future__ import annotations

import contextlib
import functools
import uuid
from collections import OrderedDict
from typing import Any, Literal

from fastapi import APIRouter, WebSocket
from pydantic import BaseModel, ConfigDict, StrictInt, StrictStr, ValidationError

from agora.platform.auth.principal import Principal
from agora.platform.db import Database
from agora.platform.deps import authenticate_websocket, provided, reject_websocket
from agora.platform.errors import WS_BAD_REQUEST, WS_NOT_FOUND, AgoraError, NotFound
from agora.platform.ids import parse_id
from agora.platform.reads import Row
from agora.platform.realtime import Channel, CloseSocket, position_from_query, serve_channel
from agora.platform.realtime.base import Publication, StreamPosition
from agora.platform.realtime.channel import Send
from agora.platform.realtime.frames import (
    ClientFrame,
    ClientId,
    FrameKinds,
    Position,
    Reload,
    ServerFrame,
    client_id_of,
)
from agora.platform.realtime.ws import FrameError
from agora.services.discussions.models import Message
from agora.services.discussions.router.common import room_fields
from agora.services.discussions.schemas import RoomRead, message_frame
from agora.services.discussions.service import (
    DiscussionsService,
    Presence,
    channel_of,
)

WS_FORBIDDEN = 4403
WS_ROOM_CLOSED = 4410
# Recovery by message id reads the database; beyond this many missed messages, reload instead.
RECOVERY_LIMIT = 500

router = APIRouter(tags=["chat"])


# ---------------------------------------------------------------- frames


class PresentUser(BaseModel):
    """One user in the room (listed once however many sockets they hold)."""

    model_config = ConfigDict(extra="forbid")
    userId: str
    username: str


@functools.lru_cache(maxsize=4096)
def _present_user(user_id: str, username: str) -> PresentUser:
    """A present user's model, validated once and shared: every socket that joins a room is
    welcomed with the same first hundred users, and a welcome takes the models as they are
    (validating them as dicts was most of a welcome's cost, decision 0045). Read, never changed."""
    return PresentUser.model_validate({"userId": user_id, "username": username})


class WelcomeFrame(Position, scope="chat"):
    """The first frame: the room, who I am, who is present, and the channel's position."""

    type: Literal["welcome"] = "welcome"
    room: RoomRead
    userId: str
    username: str
    present: list[PresentUser]
    present_count: int


class _Said(ServerFrame):
    """A message's fields. Replayed from the database (the `since=<message id>` form), it has no
    position: `offset` and `epoch` are null."""

    message_id: str
    roomId: str
    userId: str
    username: str
    message: str
    created_at: str
    edited_at: str | None
    offset: int | None
    epoch: str | None


class MessageFrame(_Said, scope="chat"):
    """A member's new message."""

    type: Literal["message"] = "message"


class EditedFrame(_Said, scope="chat"):
    """A message its author changed."""

    type: Literal["edited"] = "edited"


class DeletedFrame(Position, scope="chat"):
    """A message its author deleted."""

    type: Literal["deleted"] = "deleted"
    message_id: str
    roomId: str
    userId: str
    username: str


class PresenceFrame(Position, scope="chat"):
    """A user's first socket joined, or their last one left; who is present now."""

    type: Literal["presence"] = "presence"
    event: Literal["join", "leave"]
    userId: str
    username: str
    present: list[PresentUser]
    present_count: int


class RoomClosedFrame(Position, scope="chat"):
    """The room was closed; the socket closes with 4410."""

    type: Literal["room_closed"] = "room_closed"
    roomId: str


class AckFrame(ServerFrame, scope="chat"):
    """My `message`/`edit`/`delete` was stored; `offset`/`epoch` of its publication (null if it
    could not be published), and my `client_id` when I gave one."""

    type: Literal["ack"] = "ack"
    action: Literal["message", "edit", "delete"]
    message_id: str
    offset: int | None
    epoch: str | None
    client_id: ClientId | None = None


class _ClientChange(ClientFrame):
    """What every chat write may carry: the seed repeats `userId` and `roomId`, which must be this
    socket's."""

    client_id: ClientId | None = None
    userId: StrictStr | StrictInt | None = None
    roomId: StrictStr | StrictInt | None = None


class SendMessage(_ClientChange, scope="chat"):
    """Say something (the seed's frame has no `type`: it is a message)."""

    type: Literal["message"] = "message"
    message: StrictStr | None = None


class EditMessage(_ClientChange, scope="chat"):
    """Change one of my messages."""

    type: Literal["edit"] = "edit"
    message_id: StrictStr | StrictInt | None = None
    message: StrictStr | None = None


class DeleteMessage(_ClientChange, scope="chat"):
    """Delete one of my messages."""

    type: Literal["delete"] = "delete"
    message_id: StrictStr | StrictInt | None = None


ROOM_FRAMES = FrameKinds(MessageFrame, EditedFrame, DeletedFrame, PresenceFrame, RoomClosedFrame)
CLIENT_FRAMES: dict[str, type[SendMessage | EditMessage | DeleteMessage]] = {
    "message": SendMessage,
    "edit": EditMessage,
    "delete": DeleteMessage,
}


class EncodedFrames:
    """The JSON text of each publication's frame, checked against its model and encoded once for
    every socket of a room rather than once per socket (all of a channel's subscribers receive the
    same publication)."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._texts: OrderedDict[tuple[str, str, int], str] = OrderedDict()
        # The publication being fanned out, which each of the room's sockets asks for in turn.
        self._last: tuple[Publication | None, str] = (None, "")

    def text(self, publication: Publication) -> str:
        last, text = self._last
        if publication is last:
            return text
        key = (publication.channel, publication.epoch, publication.offset)
        found = self._texts.get(key)
        if found is None:
            found = self._texts[key] = ROOM_FRAMES.parse(publication).encode()
            if len(self._texts) > self._size:
                self._texts.popitem(last=False)
        self._last = (publication, found)
        return found


def _room_json(room: Row, active_users: int) -> dict[str, Any]:
    """A room's row as the welcome frame's `room` (`RoomRead`, as JSON)."""
    return RoomRead.model_validate(room_fields(room, active_users)).model_dump(mode="json")


def _said(message: Message) -> MessageFrame:
    """A stored message as the frame it was sent in, without a position."""
    frame = message_frame(
        message_id=message.id,
        room_id=message.room_id,
        user_id=message.user_id,
        username=message.username,
        body=message.body,
        created_at=message.created_at,
        edited_at=message.edited_at,
    )
    return MessageFrame.model_validate({**frame, "offset": None, "epoch": None})


class ChatChannel(Channel):
    """One member's socket in one room."""

    accepts = '{"type": "message" | "edit" | "delete" | "ping"}'

    def __init__(
        self,
        websocket: WebSocket,
        service: DiscussionsService,
        database: Database,
        me: Principal,
        room_id: int,
        since_message: int | None,
    ) -> None:
        super().__init__(channel_of(room_id))
        self.service = service
        self.database = database
        self.me = me
        self.room_id = room_id
        self.since_message = since_message
        self.connection_id = uuid.uuid4().hex
        self.info = {"userId": str(me.user_id), "username": me.username}
        self.frames: EncodedFrames = provided(websocket, EncodedFrames)
        self.joined = False
        # Ids of messages replayed from the database, which the live stream may still bring.
        self.replayed: set[str] = set()

    async def opening(self, position: StreamPosition, *, fresh: bool) -> list[ServerFrame]:
        # Subscribed first: a close committed after this read reaches us as a publication. Plain
        # reads, here and in `connect`: a room read through the ORM's Session was about a third
        # of a connection's CPU (decision 0045).
        async with self.database.reads() as reads:
            room = await self.service.access_room_row(reads, self.room_id)
        if room["closed_at"] is not None:
            raise CloseSocket(WS_NOT_FOUND, "room is closed")
        await self.service.hub.join(self.name, self.connection_id, self.info)
        self.joined = True
        present = await self._announce("join")
        welcome = WelcomeFrame.model_validate(
            {
                "room": _room_json(room, present.count),
                "userId": str(self.me.user_id),
                "username": self.me.username,
                "present": [_present_user(u["userId"], u["username"]) for u in present.present],
                "present_count": present.count,
                "offset": position.offset,
                "epoch": position.epoch,
            }
        )
        return [welcome, *await self._missed_messages(position)]

    async def _missed_messages(self, position: StreamPosition) -> list[ServerFrame]:
        if self.since_message is None:
            return []
        async with self.database.session(read_only=True) as session:
            missed = await self.service.list_missed_messages(
                session, self.room_id, after=self.since_message, limit=RECOVERY_LIMIT + 1
            )
        if len(missed) > RECOVERY_LIMIT:
            return [Reload(channel=self.name, offset=position.offset, epoch=position.epoch)]
        self.replayed = {str(m.id) for m in missed}
        return [_said(m) for m in missed]

    def _wanted(self, publication: Publication, *, replayed: bool) -> bool:
        data = publication.data
        kind = data.get("type")
        if replayed and kind == "presence":
            return False  # who was here while the client was away is stale news
        if self.replayed and kind == "message":
            message_id = data.get("message_id")
            if message_id in self.replayed:
                self.replayed.discard(message_id)
                return False
        if kind == "room_closed":
            self.close_with = (WS_ROOM_CLOSED, "the room was closed")
        return True

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame | None:
        if not self._wanted(publication, replayed=replayed):
            return None
        return ROOM_FRAMES.parse(publication)

    def encode(self, publication: Publication, *, replayed: bool) -> str | None:
        if not self._wanted(publication, replayed=replayed):
            return None
        return self.frames.text(publication)

    async def handle(self, frame: dict[str, Any], send: Send) -> None:
        model = CLIENT_FRAMES.get(str(frame.get("type", "message")))
        if model is None:
            raise FrameError("unknown_frame", f"This socket only accepts {self.accepts}")
        try:
            change = model.model_validate({**frame, "client_id": client_id_of(frame)})
        except ValidationError as exc:
            raise _frame_error(exc) from exc
        self._check_names(change)
        try:
            await self._change(change, send)
        except AgoraError as exc:
            if exc.code == "room_closed":
                self.close_with = (WS_ROOM_CLOSED, "the room was closed")
            raise

    def _check_names(self, change: _ClientChange) -> None:
        user_id, room_id = change.userId, change.roomId
        if user_id not in (None, "") and str(user_id) != str(self.me.user_id):
            raise FrameError("acting_user_mismatch", "userId is not the token's user")
        if room_id not in (None, "") and str(room_id) != str(self.room_id):
            raise FrameError("wrong_room", "roomId is not the room this socket is connected to")

    async def _change(self, change: SendMessage | EditMessage | DeleteMessage, send: Send) -> None:
        message_id = 0
        if not isinstance(change, SendMessage):
            message_id = _message_id(change.message_id)
        text = ""
        if not isinstance(change, DeleteMessage):
            text = self.service.check_message_text(change.message)
        await self.service.check_message_rate(self.me)
        async with self.database.session() as session:
            if isinstance(change, SendMessage):
                posted = await self.service.do_post_message(session, self.me, self.room_id, text)
            elif isinstance(change, EditMessage):
                posted = await self.service.do_edit_message(
                    session, self.me, self.room_id, message_id, text
                )
            else:
                posted = await self.service.do_delete_message(
                    session, self.me, self.room_id, message_id
                )
        publication = posted.publication
        ack: dict[str, Any] = {
            "action": change.type,
            "message_id": str(posted.message.id),
            "offset": publication.offset if publication is not None else None,
            "epoch": publication.epoch if publication is not None else None,
        }
        if change.client_id is not None:
            ack["client_id"] = change.client_id
        await send(AckFrame.model_validate(ack))

    async def _announce(self, event: str) -> Presence:
        return await self.service.do_announce_presence(self.room_id, self.info, event)

    async def leave(self) -> None:
        """Out of the room's presence, and (unless the room closed) tell the others."""
        if not self.joined:
            return
        self.joined = False
        await self.service.hub.leave(self.name, self.connection_id)
        if self.close_with is None or self.close_with[0] != WS_ROOM_CLOSED:
            with contextlib.suppress(AgoraError):
                await self._announce("leave")


def _message_id(value: str | int | None) -> int:
    number = parse_id(value)
    if number is None:
        raise FrameError("invalid_message_id", "message_id must name a message")
    return number


def _frame_error(exc: ValidationError) -> FrameError:
    """A client frame's fields that are not what they must be, as the contract's codes."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "frame"
    if field == "message_id":
        return FrameError("invalid_message_id", "message_id must name a message")
    return FrameError("validation_error", f"{field}: {first['msg']}")


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
    raw_room = params.get("roomId") or ""
    room_id = parse_id(raw_room)
    if room_id is None:
        reason = "roomId must be a room's id" if raw_room else "roomId query parameter required"
        await reject_websocket(websocket, WS_BAD_REQUEST, reason)
        return
    service: DiscussionsService = provided(websocket, DiscussionsService)
    database: Database = provided(websocket, Database)
    try:
        async with database.reads() as reads:
            await service.access_open_room_row(reads, room_id)
    except NotFound as exc:
        await reject_websocket(websocket, WS_NOT_FOUND, exc.message)
        return
    await websocket.accept()
    since, bad_since = position_from_query(websocket)
    since_message: int | None = None
    if params.get("epoch") is None and params.get("since"):
        # The contract's form: `since` alone is the id of the last message seen.
        since, bad_since = None, None
        since_message = parse_id(params.get("since"))
        if since_message is None:
            bad_since = FrameError("bad_since", "`since` must be the id of the last message seen")
    channel = ChatChannel(websocket, service, database, me, room_id, since_message)
    try:
        await serve_channel(websocket, channel, hub=service.hub, since=since, bad_since=bad_since)
    finally:
        await channel.leave()
