"""WebSocket frames shared by every real-time endpoint: JSON text frames with a `type`.

- `{"type": "error", "error": {"code", "message"}}`: a frame the server cannot accept; the socket
  stays open.
- `{"type": "reload", "channel", "offset", "epoch"}`: the gap is older than the history; reload the
  state over HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from agora.platform.realtime.base import StreamPosition


class FrameError(Exception):
    """A frame the server cannot accept; answered with an error frame, the socket stays open."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def error_frame(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "error", "error": {"code": code, "message": message}, **extra}


async def send_frame(websocket: WebSocket, frame: dict[str, Any]) -> bool:
    """Send one JSON frame; False when the socket is already gone."""
    if websocket.application_state != WebSocketState.CONNECTED:
        return False
    try:
        await websocket.send_text(orjson.dumps(frame).decode())
    except (WebSocketDisconnect, RuntimeError):
        return False
    return True


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
    if not since.isdigit():
        raise FrameError("bad_since", "`since` must be the offset of the last message seen")
    return StreamPosition(int(since), epoch or "")


def reload_frame(channel: str, position: StreamPosition, **extra: Any) -> dict[str, Any]:
    """Tell a reconnecting client its gap is older than the history: reload over HTTP, then go on
    from `position`."""
    return {
        "type": "reload",
        "channel": channel,
        "offset": position.offset,
        "epoch": position.epoch,
        **extra,
    }


Sender = Callable[[dict[str, Any]], Awaitable[bool]]


async def answer_pings(websocket: WebSocket, send: Sender | None = None) -> None:
    """For a socket that only sends: read client frames until the client leaves. `ping` gets
    `pong`; anything else an error frame (`unknown_frame`), and the socket stays open."""

    async def direct(frame: dict[str, Any]) -> bool:
        return await send_frame(websocket, frame)

    say = send or direct
    while True:
        try:
            frame = await receive_frame(websocket)
        except FrameError as exc:
            await say(error_frame(exc.code, exc.message))
            continue
        except WebSocketDisconnect:
            return
        if frame.get("type") == "ping":
            await say({"type": "pong"})
        else:
            await say(error_frame("unknown_frame", 'This socket only answers {"type": "ping"}'))
