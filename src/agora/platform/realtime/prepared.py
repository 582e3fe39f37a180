"""Pushed frames framed once per message and written straight to each socket's transport
(decision 0051).

A fan-out sends the same text to every socket in a channel. Through ASGI each delivery pays for
uvicorn's `send` (a coroutine, its state checks) and the `websockets` protocol framing the text
again, about three quarters of a delivery's CPU (docs/performance.md). Here the frame's bytes are
made once per text, by `websockets` itself, and written to every socket whose server is uvicorn's
sans-I/O WebSocket protocol with no extension negotiated, when that protocol would write them as
they are: handshake done, open, nothing closing, its transport not paused. Anything else (another
server, a compressed connection, a paused or closing socket) goes through ASGI's `send`, which
waits, raises or refuses as it does for every other frame. This is gorilla/websocket's
`PreparedMessage` and Phoenix's fastlane: one encoding, many writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.types import Send
from websockets.frames import Frame, Opcode
from websockets.protocol import State

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
except ImportError:  # pragma: no cover - uvicorn without websockets: every frame goes via ASGI
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]

DirectWrite = Callable[[str], bool]
# What the writer reads of uvicorn's protocol: a uvicorn without one of them gets no writer.
_PROTOCOL_STATE = (
    "conn",
    "transport",
    "writable",
    "close_sent",
    "disconnected",
    "handshake_complete",
    "initial_response",
)

# The last text framed, by identity: the fan-out hands every socket of a channel the same string
# (the channel's frame cache), one message after another.
_last: tuple[str, bytes] = ("", b"")


def text_frame(text: str) -> bytes:
    """The bytes of an unmasked, final text frame carrying `text`, as a server writes it."""
    global _last
    last_text, last_frame = _last
    if text is last_text:
        return last_frame
    frame = Frame(Opcode.TEXT, text.encode()).serialize(mask=False, extensions=[])
    _last = (text, frame)
    return frame


class _DirectWriter:
    """Writes a prepared frame to one accepted socket when its protocol would write it as is."""

    __slots__ = ("_conn", "_protocol", "_transport")

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        self._conn = protocol.conn
        self._transport = protocol.transport

    def __call__(self, text: str) -> bool:
        protocol = self._protocol
        if (
            protocol.close_sent
            or protocol.disconnected
            or not protocol.writable.is_set()  # paused: ASGI's send waits for the client
            or self._conn.state is not State.OPEN
            or self._transport.is_closing()
        ):
            return False
        self._transport.write(text_frame(text))
        return True


def direct_writer(send: Send) -> DirectWrite | None:
    """For a socket just accepted with `send`: a writer of prepared frames when `send` is
    uvicorn's sans-I/O protocol's own and no extension (permessage-deflate) was negotiated; None
    otherwise (its frames go through `send`)."""
    protocol = getattr(send, "__self__", None)
    if (
        WebSocketsSansIOProtocol is None
        or not isinstance(protocol, WebSocketsSansIOProtocol)
        or getattr(send, "__func__", None) is not WebSocketsSansIOProtocol.send
        or not all(hasattr(protocol, name) for name in _PROTOCOL_STATE)
        or not protocol.handshake_complete
        or protocol.initial_response is not None
        or protocol.conn.extensions
    ):
        return None
    return _DirectWriter(protocol)
