"""The wire under every live socket: reading a client's JSON frame, and a client's position.
The frames themselves are typed in `frames.py`; the conversation is `channel.serve_channel`."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect

from agora.platform.realtime.base import StreamPosition


class FrameError(Exception):
    """A frame the server cannot accept; answered with an error frame, the socket stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


async def receive_frame(websocket: WebSocket, *, max_bytes: int = 64_000) -> dict[str, Any]:
    """The next JSON object from the client; raises FrameError on anything else and
    WebSocketDisconnect when the client leaves."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    raw = message.get("text")
    if raw is None and message.get("bytes") is not None:
        raw = message["bytes"].decode("utf-8", errors="replace")
    if raw is None:
        raise FrameError("empty_frame", "Send a JSON object")
    if len(raw) > max_bytes:
        raise FrameError("frame_too_large", f"Frames are limited to {max_bytes} bytes")
    try:
        frame = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise FrameError("malformed_frame", "Frames must be JSON objects") from exc
    if not isinstance(frame, dict):
        raise FrameError("malformed_frame", "Frames must be JSON objects")
    return frame


def parse_position(since: str | None, epoch: str | None) -> StreamPosition | None:
    """A client's `since`/`epoch` query parameters as a position (None when not given)."""
    if since is None or since == "":
        return None
    # isdigit() alone admits other scripts' digits; an offset has at most 19 ASCII digits.
    if not (since.isascii() and since.isdigit()) or len(since) > 19:
        raise FrameError("bad_since", "`since` must be the offset of the last message seen")
    return StreamPosition(int(since), epoch or "")
