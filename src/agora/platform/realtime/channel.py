"""One conversation behind every live socket: `serve_channel(websocket, channel, ...)`.

What every live socket does the same way (ARCHITECTURE.md, Real-time):

1. `since`/`epoch` query parameters are the client's last position; a malformed one gets an
   `error` frame (`bad_since`) and the client starts afresh.
2. Subscribe, then read what was missed (so nothing published in between is lost).
3. If the history no longer reaches back to `since` (or the epoch changed): `reload`.
4. The channel's opening frames (a snapshot of its state, a welcome), if it has any.
5. The missed publications, in offset order, then `ready` with the position the client is at.
6. Live publications, with no duplicates; the client's frames meanwhile: `ping` gets `pong`, a
   malformed or unknown frame an `error` frame, and the socket stays open.
7. The end: a client that fell behind gets `error` `fell_behind` and close 1013 (reconnect with
   `since`), as when the hub lost its store; a hub shutting down closes with 1001; an unexpected
   failure with 1011.

A channel (a subclass of `Channel`, one per socket, so it may keep per-client state) says how its
publications become frames, what its opening frames are, what client frames it accepts, and may
hand the socket over to another channel (a poll that closed moves to the next one) or close it.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any

import structlog
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from agora.platform.errors import AgoraError, RateLimited, ServiceUnavailable
from agora.platform.realtime.base import Hub, Publication, StreamPosition
from agora.platform.realtime.eager import Suspended, finish, run_eagerly
from agora.platform.realtime.frames import (
    Ping,
    Pong,
    Ready,
    Reload,
    ServerFrame,
    client_id_of,
    error,
)
from agora.platform.realtime.recovery import RecoveredSubscription, Recovery, subscribe_from
from agora.platform.realtime.sockets import SCOPE_KEY as LIVE_SOCKET
from agora.platform.realtime.sockets import LiveSocket
from agora.platform.realtime.ws import FrameError, parse_position, receive_frame
from agora.platform.tracing import is_sampled, producer_span

log = structlog.get_logger("agora.realtime")
_pushes_logged = logging.getLogger("agora.realtime")

WS_GOING_AWAY = 1001
WS_INTERNAL_ERROR = 1011
WS_TRY_AGAIN = 1013

Send = Callable[[ServerFrame], Awaitable[bool]]


class CloseSocket(Exception):
    """Raised by a channel to end the socket with a close code the client can read."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Channel:
    """One hub channel as one socket follows it. Override what differs; the defaults suit a
    channel whose clients read its state over HTTP and only listen."""

    #: What `ping` is not: the client frames this channel accepts, for the `unknown_frame` error.
    accepts: str = '{"type": "ping"}'

    def __init__(self, name: str) -> None:
        self.name = name
        #: Set by the channel when another channel takes over the socket (from then on, fresh).
        self.moved_to: Channel | None = None
        #: Set by the channel when the socket must close (code, reason) after the frame at hand.
        self.close_with: tuple[int, str] | None = None

    async def opening(self, position: StreamPosition, *, fresh: bool) -> Sequence[ServerFrame]:
        """Frames sent before the missed ones. `fresh` when the client has no state to go on from
        (no `since`, or after `reload`): a snapshot belongs here. Raise `CloseSocket` to refuse."""
        return ()

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame | None:
        """A publication as this client's frame; None skips it. `replayed` when it was missed."""
        raise NotImplementedError

    def encode(self, publication: Publication, *, replayed: bool) -> str | None:
        """The JSON text of `frame(...)`; a channel may cache it across sockets."""
        frame = self.frame(publication, replayed=replayed)
        return None if frame is None else frame.encode()

    async def handle(self, frame: dict[str, Any], send: Send) -> None:
        """A client frame other than `ping`. Raise `FrameError` or an `AgoraError` to answer it
        with an error frame."""
        raise FrameError("unknown_frame", f"This socket only accepts {self.accepts}")


def position_from_query(websocket: WebSocket) -> tuple[StreamPosition | None, FrameError | None]:
    """The client's `since`/`epoch`, or why they cannot be used (the client then starts
    afresh)."""
    params = websocket.query_params
    try:
        return parse_position(params.get("since"), params.get("epoch")), None
    except FrameError as exc:
        return None, exc


class _Socket:
    """Ordered sends on one socket: frames from the stream and answers to the client never
    interleave mid-frame, and a socket that is gone just stops taking frames."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self._lock = asyncio.Lock()
        # The socket's handle in the live-socket registry, when the app has one: frames go to it
        # directly, ordered by its lock (every frame of the socket takes it).
        live = websocket.scope.get(LIVE_SOCKET)
        self._live: LiveSocket | None = live if isinstance(live, LiveSocket) else None

    async def send_text(self, text: str) -> bool:
        live = self._live
        if live is not None:
            # Starlette's `WebSocket.send` and its exception handler's `send` wrapper add two
            # coroutines per delivery and check what is checked here (docs/performance.md).
            if self.websocket.application_state != WebSocketState.CONNECTED:
                return False
            if await live.send_text(text):
                return True
            # Gone (or closed by the server): what Starlette's `send` records on `OSError`.
            self.websocket.application_state = WebSocketState.DISCONNECTED
            return False
        # `acquire()` and `release()`, not `async with`: on the path of every delivery, its two
        # extra coroutines cost about as much as the rest of this method (docs/performance.md).
        lock = self._lock
        await lock.acquire()
        try:
            if self.websocket.application_state != WebSocketState.CONNECTED:
                return False
            try:
                await self.websocket.send({"type": "websocket.send", "text": text})
            except (WebSocketDisconnect, RuntimeError):
                return False
            return True
        finally:
            lock.release()

    async def send(self, frame: ServerFrame) -> bool:
        return await self.send_text(frame.encode())

    def push_text(
        self, text: str, context: contextvars.Context
    ) -> bool | Coroutine[Any, Any, bool]:
        """`send_text` started on the caller's stack (the fan-out's loop), in `context`: whether
        the frame went, or, when the send has to wait, what is left of it, for a task made with
        the same context. With a live socket this is its `send_text` alone, without a coroutine
        of this class around it (decision 0045)."""
        live = self._live
        if live is None:
            sent, waiting = run_eagerly(self.send_text(text), context)
            return bool(sent) if waiting is None else finish(waiting)
        if self.websocket.application_state != WebSocketState.CONNECTED:
            return False
        sent, waiting = run_eagerly(live.send_text(text), context)
        if waiting is not None:
            return self._settle(waiting)
        if not sent:
            self.websocket.application_state = WebSocketState.DISCONNECTED
        return bool(sent)

    async def _settle(self, waiting: Suspended[bool]) -> bool:
        if await waiting:
            return True
        self.websocket.application_state = WebSocketState.DISCONNECTED
        return False

    async def close(self, code: int, reason: str = "") -> None:
        async with self._lock:
            if self.websocket.application_state != WebSocketState.CONNECTED:
                return
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close(code=code, reason=reason[:120])


# `_encoded`'s answer for a publication its channel's frame model does not describe.
_INVALID = ""


def _encoded(channel: Channel, publication: Publication, *, replayed: bool) -> str | None:
    """The publication's frame text for this socket; None when the channel skips it, `_INVALID`
    (logged) when its frame model does not describe it: a bug to see in the logs, not a reason
    to drop the client's connection."""
    try:
        text = channel.encode(publication, replayed=replayed)
    except ValueError as exc:
        log.error("realtime_frame_invalid", channel=channel.name, error=str(exc))
        return _INVALID
    return text


def _after_frame(channel: Channel) -> str | None:
    """Whether the frame just sent handed the socket over ("moved") or ends it ("closed")."""
    if channel.moved_to is not None:
        return "moved"
    if channel.close_with is not None:
        return "closed"
    return None


class _Conversation:
    def __init__(self, socket: _Socket, hub: Hub, channel: Channel) -> None:
        self.socket = socket
        self.hub = hub
        self.channel = channel

    async def stream(self, since: StreamPosition | None) -> tuple[int, str] | None:
        """Publications of the channel (and of those it hands over to) until the stream ends;
        how to close then (None: the client left)."""
        while True:
            channel = self.channel
            subscription, recovery = await subscribe_from(self.hub, channel.name, since)
            try:
                fresh = since is None or recovery.reload
                outcome = await self._follow(channel, subscription, recovery, fresh=fresh)
            finally:
                await subscription.close()
            if outcome == "moved" and channel.moved_to is not None:
                self.channel, since = channel.moved_to, None
                continue
            if outcome == "gone":
                return None
            if channel.close_with is not None:
                return channel.close_with
            if subscription.closed_reason == "hub_closed":
                return WS_GOING_AWAY, "The server is going away; reconnect later"
            # Fell behind, or the hub lost its store for a moment: what was published meanwhile
            # is in the history, so reconnecting with `since` recovers it.
            await self.socket.send(
                error("fell_behind", "Fell behind the live stream; reconnect with since and epoch")
            )
            return WS_TRY_AGAIN, "Fell behind; reconnect with since and epoch"

    async def _follow(
        self,
        channel: Channel,
        subscription: RecoveredSubscription,
        recovery: Recovery,
        *,
        fresh: bool,
    ) -> str | None:
        """`reload` if needed, the opening frames, the missed ones, `ready`, then live. Returns
        "gone" (the client left), "moved", "closed" (the channel said so), or None when the hub
        ended the subscription."""
        position = recovery.position
        if recovery.reload:
            reload = Reload(channel=channel.name, offset=position.offset, epoch=position.epoch)
            if not await self.socket.send(reload):
                return "gone"
        for frame in await channel.opening(position, fresh=fresh):
            if not await self.socket.send(frame):
                return "gone"
        outcome = _after_frame(channel)
        for publication in recovery.missed:
            if outcome is not None:
                return outcome
            outcome = await self._forward(channel, publication, replayed=True)
        if outcome is not None:
            return outcome
        ready = Ready(channel=channel.name, offset=position.offset, epoch=position.epoch)
        if not await self.socket.send(ready):
            return "gone"
        return await self._live(channel, subscription)

    async def _live(self, channel: Channel, subscription: RecoveredSubscription) -> str | None:
        """Live publications, pushed from the fan-out's loop (`_Pusher`) until the conversation
        has an outcome or the subscription ends (None)."""
        pusher = _Pusher(self, channel, subscription)
        subscription.deliver_to(pusher.receive, pusher.subscription_ended)
        try:
            # What arrived since subscribing, while the missed frames went out, goes first.
            while batch := subscription.resume():
                for publication in batch:
                    outcome = await self._forward(channel, publication, replayed=False)
                    if outcome is not None:
                        return outcome
            if subscription.closed_reason is not None:
                return None
            return await pusher.ended
        finally:
            subscription.deliver_to(None)
            await pusher.stop()

    async def _forward(
        self, channel: Channel, publication: Publication, *, replayed: bool
    ) -> str | None:
        text = _encoded(channel, publication, replayed=replayed)
        if text is _INVALID:
            return None
        if text is None:
            return _after_frame(channel)
        if replayed or not is_sampled(publication.traceparent):
            # Per delivery, a span nobody records (the sampler follows the publisher's decision)
            # cost several times what the send does.
            sent = await self.socket.send_text(text)
        else:
            kind = channel.name.partition(":")[0]
            with producer_span(f"push {kind}", publication.traceparent, channel=channel.name):
                sent = await self.socket.send_text(text)
                if _pushes_logged.isEnabledFor(logging.DEBUG):  # else structlog runs its chain
                    log.debug("frame_pushed", channel=channel.name, offset=publication.offset)
        if not sent:
            return "gone"
        return _after_frame(channel)

    async def listen(self) -> tuple[int, str] | None:
        """The client's frames until it leaves (None) or its channel closes the socket."""
        while True:
            try:
                raw = await receive_frame(self.socket.websocket)
            except FrameError as exc:
                await self.socket.send(error(exc.code, exc.message))
                continue
            except WebSocketDisconnect:
                return None
            channel = self.channel
            await self._answer(channel, raw)
            if channel.close_with is not None:
                return channel.close_with

    async def _answer(self, channel: Channel, raw: dict[str, Any]) -> None:
        client_id = client_id_of(raw)
        try:
            if raw.get("type") == "ping":
                ping = Ping.model_validate({**raw, "client_id": client_id})
                pong = Pong() if ping.client_id is None else Pong(client_id=ping.client_id)
                await self.socket.send(pong)
                return
            await channel.handle(raw, self.socket.send)
        except FrameError as exc:
            await self.socket.send(error(exc.code, exc.message, client_id=client_id))
        except RateLimited as exc:
            await self.socket.send(
                error(exc.code, exc.message, client_id=client_id, retry_after=exc.retry_after)
            )
        except AgoraError as exc:
            await self.socket.send(error(exc.code, exc.message, client_id=client_id))


class _Pusher:
    """Sends one socket its live publications from the fan-out's loop: each frame is written as it
    is delivered, without waking a task per socket per message. A send that has to wait (the
    client stopped reading and the transport paused) goes on in a task of its own, and what is
    delivered meanwhile waits in the subscription's bounded buffer, which closes the subscription
    ("overflow": `fell_behind`) rather than stall the other sockets or grow."""

    def __init__(
        self, conversation: _Conversation, channel: Channel, subscription: RecoveredSubscription
    ) -> None:
        self.conversation = conversation
        self.channel = channel
        self.subscription = subscription
        self.ended: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        # The socket's own context (its request id in the logs, its trace), not the publisher's.
        # One, not a copy per frame: the receiver is busy while a send waits, so the context is
        # never entered twice at once, and a push leaves no variable set behind it (its span is
        # detached as it ends).
        self.context = contextvars.copy_context()
        self.sending: asyncio.Task[None] | None = None

    def receive(self, publication: Publication) -> bool:
        """The fan-out's call: True when the frame went out (or there is nothing more to do),
        False while a send is still waiting."""
        if self.ended.done():
            return True
        channel = self.channel
        if is_sampled(publication.traceparent):
            # A push span around the send: the conversation's `_forward`, as for replayed frames.
            forward = self.conversation._forward(channel, publication, replayed=False)
            try:
                outcome, waiting = run_eagerly(forward, self.context)
            except Exception as exc:  # noqa: BLE001 - the fan-out must go on to the other sockets; serve_channel logs it and closes 1011
                self._end(exc)
                return True
            if waiting is None:
                if outcome is not None:
                    self._end(outcome)
                return True
            return self._wait(waiting)
        # What `_forward` does, without its coroutine: most frames go out here, on the fan-out's
        # stack, with no coroutine of the conversation's or the socket's own (decision 0045).
        try:
            text = _encoded(channel, publication, replayed=False)
            if text is _INVALID:
                return True
            if text is not None:
                sent = self.conversation.socket.push_text(text, self.context)
                if sent is False:
                    self._end("gone")
                    return True
                if sent is not True:
                    return self._wait(self._sent_later(sent))
        except Exception as exc:  # noqa: BLE001 - as above
            self._end(exc)
            return True
        outcome = _after_frame(channel)
        if outcome is not None:
            self._end(outcome)
        return True

    def _wait(self, waiting: Awaitable[str | None]) -> bool:
        """The send that has to wait goes on in a task of its own; the receiver is busy."""
        self.sending = asyncio.get_running_loop().create_task(
            self._send_later(waiting), name=f"push-{self.channel.name}", context=self.context
        )
        return False

    async def _sent_later(self, sending: Coroutine[Any, Any, bool]) -> str | None:
        if not await sending:
            return "gone"
        return _after_frame(self.channel)

    async def _send_later(self, waiting: Awaitable[str | None]) -> None:
        try:
            outcome = await waiting
            while outcome is None:
                batch = self.subscription.resume()
                if not batch:
                    return  # the subscription delivers directly again
                for publication in batch:
                    outcome = await self.conversation._forward(
                        self.channel, publication, replayed=False
                    )
                    if outcome is not None:
                        break
            self._end(outcome)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - handed to serve_channel, which logs it and closes 1011
            self._end(exc)

    def subscription_ended(self) -> None:
        self._end(None)

    def _end(self, outcome: str | Exception | None) -> None:
        if self.ended.done():
            return
        if isinstance(outcome, Exception):
            self.ended.set_exception(outcome)
        else:
            self.ended.set_result(outcome)

    async def stop(self) -> None:
        if not self.ended.done():
            self.ended.cancel()
        sending = self.sending
        if sending is not None and not sending.done():
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sending


async def serve_channel(
    websocket: WebSocket,
    channel: Channel,
    *,
    hub: Hub,
    since: StreamPosition | None = None,
    bad_since: FrameError | None = None,
) -> None:
    """Serve `channel` on an accepted `websocket` until either side ends (the steps are in the
    module docstring). `since` is the client's last position; `bad_since` why the one it gave
    could not be used."""
    socket = _Socket(websocket)
    if bad_since is not None:
        await socket.send(error(bad_since.code, bad_since.message))
    conversation = _Conversation(socket, hub, channel)
    stream = asyncio.create_task(conversation.stream(since), name=f"live-{channel.name}")
    listen = asyncio.create_task(conversation.listen(), name=f"listen-{channel.name}")
    try:
        done, _ = await asyncio.wait({stream, listen}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stream, listen):
            task.cancel()
        results = await asyncio.gather(stream, listen, return_exceptions=True)
    close: tuple[int, str] | None = None
    for task, result in zip((stream, listen), results, strict=True):
        if task not in done:
            continue
        if isinstance(result, CloseSocket):
            close = result.code, result.reason
        elif isinstance(result, ServiceUnavailable):
            log.warning("realtime_unavailable", channel=channel.name, error=result.message)
            close = WS_TRY_AGAIN, "Real-time delivery is unavailable; try again"
        elif isinstance(result, WebSocketDisconnect):
            close = None
        elif isinstance(result, BaseException):
            log.error("realtime_socket_failed", channel=channel.name, error=repr(result))
            close = WS_INTERNAL_ERROR, "Internal error"
        elif result is not None:
            close = result
        if close is not None:
            break
    if close is not None:
        await socket.close(*close)
