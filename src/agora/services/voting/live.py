"""The `/vote/live` WebSocket conversation: a snapshot of the open poll's counts, then every change,
the poll's close and the next poll; reconnecting with `since`/`epoch` replays what was missed.

Frames to the client (all JSON with a `type`):
- `snapshot` / `votes`: `poll_id`, `month`, `status`, `closes_at`, `counts` [{book_id, title,
  votes}], `total_votes`, `seq`, `offset`, `epoch` (`snapshot` also `my_vote` with a token);
- `closed`: `poll_id`, `winner`, `total_votes`, `counts`, `next_poll_id`, `offset`, `epoch`;
  a `snapshot` of the next poll follows;
- `reload`: the gap could not be replayed; a fresh `snapshot` follows;
- `pong` for a client's `{"type": "ping"}`; `error` for a frame the server cannot accept.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from starlette.websockets import WebSocket, WebSocketDisconnect

from agora.platform.auth.principal import Principal
from agora.platform.deps import authenticate_websocket
from agora.platform.ids import parse_id
from agora.platform.realtime import StreamPosition, subscribe_from
from agora.platform.realtime.base import Publication
from agora.platform.realtime.recovery import RecoveredSubscription, Recovery
from agora.platform.realtime.ws import (
    FrameError,
    answer_pings,
    error_frame,
    parse_position,
    reload_frame,
    send_frame,
)
from agora.services.voting.service import LiveCounts, VotingService

# How far back a reconnecting client may be replayed; further back it gets `reload`.
REPLAY_LIMIT = 200
GOING_AWAY = 1001
INTERNAL_ERROR = 1011

log = structlog.get_logger("agora.voting.live")


class LiveSession:
    """One client socket following the open poll's counts."""

    def __init__(self, websocket: WebSocket, service: VotingService) -> None:
        self.websocket = websocket
        self.service = service
        self.live: LiveCounts = service.live
        self.me: Principal | None = None
        self._send_lock = asyncio.Lock()
        # (poll id, seq) of the newest counts sent, so an older `votes` frame that was published
        # before a snapshot but arrives after it never takes the client's counts back.
        self._newest: tuple[int, int] = (0, 0)

    async def send(self, frame: dict[str, Any]) -> bool:
        async with self._send_lock:
            return await send_frame(self.websocket, frame)

    async def run(self) -> None:
        if self.websocket.query_params.get("token"):
            # Watching needs no token, but a bad one is refused (4401) rather than ignored.
            self.me = await authenticate_websocket(self.websocket, required=False)
            if self.me is None:
                return
        await self.websocket.accept()
        poll_id, since = await self._start_position()
        follow = asyncio.create_task(self._follow(poll_id, since))
        listen = asyncio.create_task(self._listen())
        try:
            done, _ = await asyncio.wait({follow, listen}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (follow, listen):
                task.cancel()
            results = await asyncio.gather(follow, listen, return_exceptions=True)
        failure = next((r for r in results if isinstance(r, Exception)), None)
        if failure is not None and not isinstance(failure, WebSocketDisconnect):
            log.error("vote_live_failed", error=repr(failure))
            await self._close(INTERNAL_ERROR)
        elif follow in done:
            # The hub ended the subscription (shutting down): the client should come back.
            await self._close(GOING_AWAY)

    async def _close(self, code: int) -> None:
        with contextlib.suppress(RuntimeError):
            await self.websocket.close(code=code)

    async def _start_position(self) -> tuple[int | None, StreamPosition | None]:
        params = self.websocket.query_params
        raw_poll = params.get("poll_id")
        try:
            since = parse_position(params.get("since"), params.get("epoch"))
            if raw_poll is not None and parse_id(raw_poll) is None:
                raise FrameError("bad_poll_id", "`poll_id` must be a poll's id")
        except FrameError as exc:
            # A bad position is not fatal: the client starts afresh from a snapshot.
            await self.send(error_frame(exc.code, exc.message))
            return None, None
        return (int(raw_poll) if raw_poll else None), since

    async def _current_poll_id(self) -> int:
        await self.service.do_settle()
        async with self.service.database.session(read_only=True) as session:
            poll = await self.service.access_open_poll(session)
        return poll.id

    async def _snapshot(self, poll_id: int, position: StreamPosition) -> dict[str, Any] | None:
        user_id = self.me.user_id if self.me else None
        state = await self.live.read_state(poll_id, user_id)
        if state is None:
            return None
        frame = {"type": "snapshot", **state, "offset": position.offset, "epoch": position.epoch}
        self._newest = (poll_id, int(state["seq"]))
        await self.send(frame)
        return frame

    async def _follow(self, poll_id: int | None, since: StreamPosition | None) -> None:
        """Send a poll's frames; when it closes, move on to the next poll."""
        if poll_id is not None and await self.live.read_state(poll_id) is None:
            # Checked before subscribing, so a made-up id never creates a channel on the hub.
            await self.send(error_frame("poll_not_found", f"No poll with id {poll_id}"))
            poll_id, since = None, None
        if poll_id is None:
            poll_id = await self._current_poll_id()
        while True:
            subscription, recovery = await subscribe_from(
                self.live.hub, self.live.channel(poll_id), since, limit=REPLAY_LIMIT
            )
            try:
                next_poll = await self._replay_then_live(poll_id, since, subscription, recovery)
            finally:
                await subscription.close()
            if next_poll is None:
                if subscription.closed_reason != "overflow":
                    return
                # The client fell behind the live stream: start it again from a snapshot.
                await self.send({"type": "reload", "poll_id": poll_id})
                since = None
                continue
            poll_id, since = next_poll, None

    async def _replay_then_live(
        self,
        poll_id: int,
        since: StreamPosition | None,
        subscription: RecoveredSubscription,
        recovery: Recovery,
    ) -> int | None:
        """Frames of one poll's channel; returns the next poll's id when this one closed."""
        if since is None or recovery.reload:
            if recovery.reload:
                await self.send(
                    reload_frame(self.live.channel(poll_id), recovery.position, poll_id=poll_id)
                )
            snapshot = await self._snapshot(poll_id, recovery.position)
            if snapshot is None or snapshot["status"] != "open":
                return await self._current_poll_id()
        else:
            for publication in recovery.missed:
                next_poll = await self._forward(publication)
                if next_poll is not None:
                    return next_poll
        async for publication in subscription:
            next_poll = await self._forward(publication)
            if next_poll is not None:
                return next_poll
        return None

    async def _forward(self, publication: Publication) -> int | None:
        frame = {**publication.data, "offset": publication.offset, "epoch": publication.epoch}
        if frame.get("type") == "votes":
            newest = (int(frame["poll_id"]), int(frame["seq"]))
            if newest[0] == self._newest[0] and newest[1] < self._newest[1]:
                return None
            self._newest = newest
        await self.send(frame)
        if frame.get("type") == "closed":
            return int(frame["next_poll_id"])
        return None

    async def _listen(self) -> None:
        """Client frames: `ping` gets `pong`; anything else an error frame (the socket stays)."""
        await answer_pings(self.websocket, self.send)
