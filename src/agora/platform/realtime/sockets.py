"""The live sockets of one process, by user: at most `per_user` each, and closed (4401) the moment
their user's session ends (demotion, deletion, logout), in whichever service they are.

`LiveSocketsMiddleware` wraps every WebSocket of a service app: it gives the socket a handle that
`deps.authenticate_websocket` fills with the principal (refusing it with 1008 when the user already
has `per_user` sockets here), and releases it when the socket ends. Ending a handle sends the close
frame itself and makes the app's next `receive` a disconnect, so every endpoint, however it loops,
winds down the way it does when the client leaves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agora.platform.auth.principal import Principal
from agora.platform.auth.sessions import SessionStore
from agora.platform.realtime.prepared import DirectWrite, direct_writer

log = structlog.get_logger("agora.realtime.sockets")

SCOPE_KEY = "agora.live_socket"
WS_SESSION_ENDED = 4401
WS_POLICY_VIOLATION = 1008
DEFAULT_PER_USER = 20


class SendLock:
    """One sender at a time on a socket, first come first served, as `asyncio.Lock`; `take()`
    takes it when it is free without a coroutine, which `LiveSocket.send_text` does for every
    pushed frame (decision 0045). Released, it passes straight to the longest waiter, so a `take()`
    never overtakes one."""

    __slots__ = ("_waiters", "held")

    def __init__(self) -> None:
        self.held = False
        self._waiters: deque[asyncio.Future[None]] = deque()

    def take(self) -> bool:
        """Take it if it is free; whether it was."""
        if self.held:
            return False
        self.held = True
        return True

    async def acquire(self) -> None:
        if self.take():
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed over as the waiting task was cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise

    def release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # still held, now by that waiter
                return
        self.held = False

    async def __aenter__(self) -> None:
        if not self.take():
            await self.acquire()

    async def __aexit__(self, *exc_info: object) -> None:
        self.release()


class LiveSocket:
    """One WebSocket as the registry knows it."""

    def __init__(self, send: Send) -> None:
        self.principal: Principal | None = None
        self.ended = asyncio.Event()
        self.accepted = False
        self.closed = False
        self._send = send
        self._lock = SendLock()
        # Set once accepted, when the server lets pushed frames skip ASGI (decision 0051).
        self._direct: DirectWrite | None = None

    async def end(self, code: int, reason: str) -> None:
        """Close the socket from the server side, whatever the endpoint is doing."""
        if self.ended.is_set():
            return
        self.ended.set()
        async with self._lock:
            if self.accepted and not self.closed:
                self.closed = True
                with contextlib.suppress(Exception):
                    await self._send({"type": "websocket.close", "code": code, "reason": reason})

    async def send_text(self, text: str) -> bool:
        """A text frame on the accepted socket, written as prepared bytes when the server allows
        (`prepared.direct_writer`), else straight to the server's `send`: the path of every
        pushed frame (`channel._Socket`), without Starlette's state machine and exception
        handler's wrappers around it. False, and nothing sent, once the socket is closed (by the
        server or by a close frame) or the client has gone (the server's `send` raised `OSError`,
        as Starlette's `WebSocket.send` takes it)."""
        lock = self._lock
        if not lock.take():  # free, as it nearly always is: no coroutine to take it
            await lock.acquire()
        try:
            if self.closed or not self.accepted:
                return False
            direct = self._direct
            if direct is not None and direct(text):  # framed once for every socket
                return True
            try:
                await self._send({"type": "websocket.send", "text": text})
            except OSError:
                return False
            return True
        finally:
            lock.release()

    async def send(self, message: Message) -> None:
        lock = self._lock
        if not lock.take():
            await lock.acquire()
        try:
            if self.closed:
                return  # ended by the server: the endpoint's late frames go nowhere
            kind = message["type"]
            if kind == "websocket.accept":
                self.accepted = True
            elif kind == "websocket.close":
                self.closed = True
            await self._send(message)
            if kind == "websocket.accept":
                self._direct = direct_writer(self._send)
        finally:
            lock.release()


class LiveSockets:
    """Every authenticated live socket of this process, by user id."""

    def __init__(self, sessions: SessionStore, *, per_user: int = DEFAULT_PER_USER) -> None:
        self.sessions = sessions
        self.per_user = per_user
        self._by_user: dict[int, set[LiveSocket]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        sessions.watch(self._sessions_changed)

    def count(self, user_id: int) -> int:
        return len(self._by_user.get(user_id, ()))

    def admit(self, socket: LiveSocket, principal: Principal) -> bool:
        """Register the socket under its user; False when the user is at the cap."""
        live = self._by_user.setdefault(principal.user_id, set())
        if len(live) >= self.per_user:
            return False
        socket.principal = principal
        live.add(socket)
        return True

    def release(self, socket: LiveSocket) -> None:
        if socket.principal is None:
            return
        live = self._by_user.get(socket.principal.user_id)
        if live is not None:
            live.discard(socket)
            if not live:
                del self._by_user[socket.principal.user_id]

    def _sessions_changed(self, user_id: int) -> None:
        if user_id not in self._by_user:
            return
        task = asyncio.get_running_loop().create_task(self._recheck(user_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _recheck(self, user_id: int) -> None:
        state = await self.sessions.get(user_id)
        for socket in list(self._by_user.get(user_id, ())):
            if socket.principal is not None and not state.admits(socket.principal):
                log.info("live_socket_session_ended", user_id=user_id)
                await socket.end(WS_SESSION_ENDED, "This session has ended; sign in again")


class LiveSocketsMiddleware:
    """Gives each WebSocket its `LiveSocket` (in `scope[SCOPE_KEY]`) when the app has a
    `LiveSockets` registered, and releases it when the socket ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        registry = _registry_of(scope)
        if scope["type"] != "websocket" or registry is None:
            await self.app(scope, receive, send)
            return
        socket = LiveSocket(send)
        scope[SCOPE_KEY] = socket
        pending: asyncio.Future[Message] | None = None

        async def guarded_receive() -> Message:
            nonlocal pending
            if socket.ended.is_set():
                return {"type": "websocket.disconnect", "code": WS_SESSION_ENDED}
            if pending is None:
                pending = asyncio.ensure_future(receive())
            ended = asyncio.ensure_future(socket.ended.wait())
            waiters: list[asyncio.Future[Any]] = [pending, ended]
            try:
                await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
            finally:
                ended.cancel()
            if pending.done():
                message, pending = pending.result(), None
                return message
            return {"type": "websocket.disconnect", "code": WS_SESSION_ENDED}

        try:
            await self.app(scope, guarded_receive, socket.send)
        finally:
            registry.release(socket)
            if pending is not None and not pending.done():
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await pending


def _registry_of(scope: Scope) -> LiveSockets | None:
    # Where `deps.provide` keeps what an app is given (deps imports this module, so the lookup is
    # repeated here rather than imported).
    app: Any = scope.get("app")
    provided: dict[object, object] | None = getattr(getattr(app, "state", None), "provided", None)
    registry = provided.get(LiveSockets) if provided else None
    return registry if isinstance(registry, LiveSockets) else None
