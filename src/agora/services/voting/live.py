"""The `/vote/live` WebSocket conversation, through `serve_channel`: a snapshot of the open poll's
counts, then every change, the poll's close and the next poll; reconnecting with
`poll_id`/`since`/`epoch` replays what was missed.

Frames to the client (all JSON with a `type`), besides `ready`, `reload`, `error` and `pong`:
- `snapshot` / `votes`: `poll_id`, `month`, `status`, `closes_at`, `counts` [{book_id, title,
  votes}], `total_votes`, `seq`, `offset`, `epoch` (`snapshot` also `my_vote` with a token);
- `closed`: `poll_id`, `month`, `winner`, `total_votes`, `counts`, `closed_at`, `next_poll_id`,
  `offset`, `epoch`; the next poll's `snapshot` and `ready` follow.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from starlette.websockets import WebSocket

from agora.platform.auth.principal import Principal
from agora.platform.deps import authenticate_websocket, reject_websocket
from agora.platform.errors import WS_BAD_REQUEST, WS_NOT_FOUND
from agora.platform.ids import parse_id
from agora.platform.realtime import Channel, StreamPosition, position_from_query, serve_channel
from agora.platform.realtime.base import Publication
from agora.platform.realtime.frames import FrameKinds, Position, ServerFrame
from agora.services.voting.service import LiveCounts, VotingService


class Count(BaseModel):
    """One candidate's votes."""

    model_config = ConfigDict(extra="forbid")
    book_id: int
    title: str
    votes: int


class Winner(BaseModel):
    """The book a closed poll chose."""

    model_config = ConfigDict(extra="forbid")
    book_id: int
    title: str
    author: str
    votes: int


class _Counts(Position):
    """A poll's counts (`seq` orders them across instances)."""

    poll_id: int
    month: str
    status: str
    closes_at: str
    counts: list[Count]
    total_votes: int
    seq: int


class VotesFrame(_Counts, scope="voting"):
    """The open poll's counts after a change."""

    type: Literal["votes"] = "votes"


class SnapshotFrame(_Counts, scope="voting"):
    """A poll's counts on connecting afresh, after `reload`, and when the next poll opens;
    `my_vote` (a book id, or null) when the socket has a token."""

    type: Literal["snapshot"] = "snapshot"
    my_vote: int | None = None


class ClosedFrame(Position, scope="voting"):
    """The poll closed: its winner (null when nobody voted) and the next poll's id."""

    type: Literal["closed"] = "closed"
    poll_id: int
    month: str
    winner: Winner | None
    total_votes: int
    counts: list[Count]
    closed_at: str
    next_poll_id: int


class PollChannel(Channel):
    """One poll's channel for one watcher; when the poll closes, the next poll's takes over."""

    kinds = FrameKinds(VotesFrame, ClosedFrame)

    def __init__(self, poll_id: int, session: LiveSession) -> None:
        super().__init__(LiveCounts.channel(poll_id))
        self.poll_id = poll_id
        self.session = session

    async def opening(self, position: StreamPosition, *, fresh: bool) -> list[ServerFrame]:
        if not fresh:
            return []
        me = self.session.me
        state = await self.session.live.read_state(self.poll_id, me.user_id if me else None)
        if state is None or state["status"] != "open":
            # Closed since the client chose it: go on with the poll that is open now.
            self.moved_to = PollChannel(await self.session.current_poll_id(), self.session)
        if state is None:
            return []
        self.session.newest = (self.poll_id, int(state["seq"]))
        snapshot = {**state, "offset": position.offset, "epoch": position.epoch}
        return [SnapshotFrame.model_validate(snapshot)]

    def frame(self, publication: Publication, *, replayed: bool) -> ServerFrame | None:
        frame = self.kinds.parse(publication)
        if isinstance(frame, VotesFrame):
            # An older `votes` frame published before a snapshot but arriving after it never
            # takes the client's counts back.
            newest = (frame.poll_id, frame.seq)
            if newest[0] == self.session.newest[0] and newest[1] < self.session.newest[1]:
                return None
            self.session.newest = newest
        elif isinstance(frame, ClosedFrame):
            self.moved_to = PollChannel(frame.next_poll_id, self.session)
        return frame


class LiveSession:
    """One client socket following the open poll's counts."""

    def __init__(self, websocket: WebSocket, service: VotingService) -> None:
        self.websocket = websocket
        self.service = service
        self.live: LiveCounts = service.live
        self.me: Principal | None = None
        # (poll id, seq) of the newest counts sent.
        self.newest: tuple[int, int] = (0, 0)

    async def run(self) -> None:
        params = self.websocket.query_params
        if params.get("ticket") or params.get("token"):
            # Watching needs no credential, but a bad one is refused (4401) rather than ignored.
            self.me = await authenticate_websocket(self.websocket, required=False)
            if self.me is None:
                return
        raw_poll = params.get("poll_id")
        poll_id = parse_id(raw_poll)
        if raw_poll is not None and poll_id is None:
            await reject_websocket(self.websocket, WS_BAD_REQUEST, "poll_id must be a poll's id")
            return
        if poll_id is not None and await self.live.read_state(poll_id) is None:
            # Checked before subscribing, so a made-up id never creates a channel on the hub.
            await reject_websocket(self.websocket, WS_NOT_FOUND, f"No poll with id {poll_id}")
            return
        await self.websocket.accept()
        since, bad_since = position_from_query(self.websocket)
        if bad_since is not None:
            # A bad position is not fatal: the client starts afresh from a snapshot.
            since, poll_id = None, None
        if poll_id is None:
            poll_id = await self.current_poll_id()
        channel = PollChannel(poll_id, self)
        await serve_channel(
            self.websocket, channel, hub=self.live.hub, since=since, bad_since=bad_since
        )

    async def current_poll_id(self) -> int:
        await self.service.do_settle()
        async with self.service.database.session(read_only=True) as session:
            poll = await self.service.access_open_poll(session)
        return poll.id
