"""Typed WebSocket frames: every JSON text frame a live socket sends or accepts is a model here or
in a service's socket module, registered by direction, scope and `type` so that each one's shape
is pinned by a schema test (`tests/contracts/test_frame_schemas.py`).

Frames every live socket shares (scope `realtime`):
- to the client: `ready` (missed frames are replayed, live from here), `reload` (the gap is older
  than the history: reload over HTTP, then go on from its position), `error` (a frame the server
  cannot accept; the socket stays open), `pong`;
- from the client: `ping`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from agora.platform.realtime.base import Publication

FRAME_TYPES: dict[str, type[Frame]] = {}

# A client's correlation id, echoed in the answers to its frame; anything else is ignored.
MAX_CLIENT_ID = 100
ClientId = str | int


class Frame(BaseModel):
    """One JSON frame. Subclasses are registered as `<direction>.<scope>.<type>`."""

    direction: ClassVar[str] = ""
    scope: ClassVar[str] = ""
    type: str

    def __init_subclass__(cls, scope: str | None = None, **kwargs: Any) -> None:
        # `scope` is read once the fields exist, in __pydantic_init_subclass__.
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(cls, scope: str | None = None, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if scope is None:
            return  # an abstract base (ServerFrame, ClientFrame)
        cls.scope = scope
        default = cls.model_fields["type"].default
        if not isinstance(default, str):
            raise TypeError(f"{cls.__name__} needs a literal `type` with a default")
        key = f"{cls.direction}.{scope}.{default}"
        if key in FRAME_TYPES and FRAME_TYPES[key].__qualname__ != cls.__qualname__:
            raise ValueError(f"frame {key} is registered twice")
        FRAME_TYPES[key] = cls

    @classmethod
    def frame_key(cls) -> str:
        return f"{cls.direction}.{cls.scope}.{cls.model_fields['type'].default}"


class ServerFrame(Frame):
    """A frame the server sends. A field the model does not know is an error: the frame's shape
    changed and its model (and schema) must say so."""

    model_config = ConfigDict(extra="forbid")
    direction: ClassVar[str] = "server"
    _text: str | None = PrivateAttr(default=None)

    def dump(self) -> dict[str, Any]:
        """As sent: the fields that were given (an optional field left out stays out), `type`
        first."""
        return {"type": self.type, **self.model_dump(mode="json", exclude_unset=True)}

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name != "_text":
            self._text = None  # changed after encoding: encode again

    def encode(self) -> str:
        """The JSON text, made once per frame (a frame `FrameKinds` shares goes to many sockets)."""
        text = self._text
        if text is None:
            text = self._text = orjson.dumps(self.dump()).decode()
        return text


class ClientFrame(Frame):
    """A frame a client sends. Unknown fields are ignored (the seeds' clients send extras)."""

    model_config = ConfigDict(extra="ignore")
    direction: ClassVar[str] = "client"


class Position(ServerFrame):
    """A frame that carries a channel position: the client resumes from its last one."""

    offset: int
    epoch: str


class Ready(Position, scope="realtime"):
    """What was missed has been sent; live frames follow. `offset`/`epoch` is where the client
    now is."""

    type: Literal["ready"] = "ready"
    channel: str


class Reload(Position, scope="realtime"):
    """The gap is older than the channel's history (or its epoch changed): reload the state over
    HTTP, then go on from `offset`/`epoch`."""

    type: Literal["reload"] = "reload"
    channel: str


class ErrorBody(BaseModel):
    """The contract's error: a stable code and a readable message."""

    model_config = ConfigDict(extra="forbid")
    code: str
    message: str


class Error(ServerFrame, scope="realtime"):
    """A frame the server could not accept, or why the socket is about to close."""

    type: Literal["error"] = "error"
    error: ErrorBody
    client_id: ClientId | None = None
    retry_after: int | None = None


class Pong(ServerFrame, scope="realtime"):
    """The answer to a `ping` (with its `client_id` when it had one)."""

    type: Literal["pong"] = "pong"
    client_id: ClientId | None = None


class Ping(ClientFrame, scope="realtime"):
    """Keeps the connection alive; answered with `pong`."""

    type: Literal["ping"] = "ping"
    client_id: ClientId | None = Field(default=None)


def error(
    code: str,
    message: str,
    *,
    client_id: ClientId | None = None,
    retry_after: int | None = None,
) -> Error:
    """An error frame; `client_id` and `retry_after` only when there is one."""
    extra: dict[str, Any] = {}
    if client_id is not None:
        extra["client_id"] = client_id
    if retry_after is not None:
        extra["retry_after"] = retry_after
    return Error(error=ErrorBody(code=code, message=message), **extra)


class FrameKinds:
    """Frames told apart by `type`: a publication becomes the model of its type. An unknown type
    or a shape the model does not describe is a ValueError (pydantic's ValidationError is one).

    Every subscriber of a channel receives the same publication, so the frames of the most recent
    ones are kept: a channel's thousand sockets validate (and, through `ServerFrame.encode`,
    serialise) each publication once. A frame is shared, so it is read, never changed."""

    def __init__(self, *models: type[ServerFrame], recent: int = 256) -> None:
        self._by_type = {str(m.model_fields["type"].default): m for m in models}
        self._recent: OrderedDict[tuple[str, str, int], ServerFrame] = OrderedDict()
        self._size = recent

    def parse(self, publication: Publication) -> ServerFrame:
        key = (publication.channel, publication.epoch, publication.offset)
        frame = self._recent.get(key)
        if frame is not None:
            return frame
        kind = publication.data.get("type")
        model = self._by_type.get(str(kind))
        if model is None:
            raise ValueError(f"no frame of type {kind!r} on {publication.channel}")
        frame = self._recent[key] = model.model_validate(with_position(publication))
        if len(self._recent) > self._size:
            self._recent.popitem(last=False)
        return frame


def with_position(publication: Publication) -> dict[str, Any]:
    """A publication's data with its `offset` and `epoch`, as its frame carries them."""
    return {**publication.data, "offset": publication.offset, "epoch": publication.epoch}


def client_id_of(frame: dict[str, Any]) -> ClientId | None:
    """The frame's `client_id` when it is a usable one (a short string or an integer)."""
    value = frame.get("client_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, str) and len(value) > MAX_CLIENT_ID:
        return None
    return value
