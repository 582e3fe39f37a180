"""A poll's counts on the hub (`poll:<id>`): the frames the `/vote/live` sockets relay."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from agora.platform.db import Database
from agora.platform.realtime.base import Hub
from agora.services.voting import repository as repo
from agora.services.voting.models import OPEN, Poll
from agora.services.voting.repository import BallotLine, PollHead


def counts_of(lines: Sequence[BallotLine]) -> list[dict[str, Any]]:
    return [{"book_id": ln.book.id, "title": ln.book.title, "votes": ln.votes} for ln in lines]


def state_frame(poll: Poll | PollHead, lines: Sequence[BallotLine]) -> dict[str, Any]:
    """A poll's counts as the live channel carries them (without `type`, offset and epoch)."""
    return {
        "poll_id": poll.id,
        "month": poll.month,
        "status": poll.status,
        "closes_at": poll.closes_at.isoformat(),
        "counts": counts_of(lines),
        "total_votes": sum(line.votes for line in lines),
        "seq": poll.vote_seq,
    }


class LiveCounts:
    """Publishes a poll's counts on `poll:<id>` after changes commit.

    Counts are read after the commit, inside a lock per poll, so the frames of one instance never
    show counts going backwards. A change whose commit happened before a read started is covered
    by that read's frame, so a burst of votes yields fewer frames than votes, each with the newest
    counts (`seq` orders frames across instances).
    """

    def __init__(self, database: Database, hub: Hub) -> None:
        self.database = database
        self.hub = hub
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._changes: dict[int, int] = {}
        self._covered: dict[int, int] = {}

    @staticmethod
    def channel(poll_id: int) -> str:
        return f"poll:{poll_id}"

    async def read_state(self, poll_id: int, user_id: int | None = None) -> dict[str, Any] | None:
        """The poll's counts now (with `my_vote` when a user is given); None for an unknown id."""
        # After every vote: a plain read, one snapshot on SQLite (decision 0046).
        async with self.database.reads() as reads:
            poll = await repo.get_poll_head(reads, poll_id)
            if poll is None:
                return None
            state = state_frame(poll, await repo.ballot(reads, poll_id))
            if user_id is not None:
                state["my_vote"] = await repo.get_user_vote(reads, poll_id, user_id)
        return state

    async def poll_changed(self, poll_id: int) -> None:
        change = self._changes[poll_id] = self._changes.get(poll_id, 0) + 1
        async with self._locks[poll_id]:
            if self._covered.get(poll_id, 0) >= change:
                return
            covered = self._changes[poll_id]
            state = await self.read_state(poll_id)
            # A closed poll's final counts travel in its `closed` frame.
            if state is not None and state["status"] == OPEN:
                await self.hub.publish(self.channel(poll_id), {"type": "votes", **state})
            self._covered[poll_id] = covered

    async def poll_closed(self, frame: dict[str, Any], next_poll_id: int) -> None:
        async with self._locks[frame["poll_id"]]:
            await self.hub.publish(self.channel(frame["poll_id"]), frame)
        await self.poll_changed(next_poll_id)
