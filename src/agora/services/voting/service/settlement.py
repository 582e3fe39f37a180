"""The monthly poll cycle: a poll opens for its month, closes at its deadline (or when an admin
closes it) with a winner, and the next month's poll opens with the rest of the ballot."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.voting import PollClosed
from agora.platform.bus.outbox import emit
from agora.platform.db import after_commit
from agora.platform.errors import Conflict
from agora.services.voting import repository as repo
from agora.services.voting.models import Poll
from agora.services.voting.repository import Tally
from agora.services.voting.service.base import ServiceBase
from agora.services.voting.service.live_counts import counts_of
from agora.services.voting.service.views import CloseOutcome, PollView

log = structlog.get_logger("agora.voting")


def month_of(moment: datetime) -> str:
    """The "YYYY-MM" month of a moment, in UTC."""
    moment = moment.astimezone(UTC)
    return f"{moment.year:04d}-{moment.month:02d}"


def month_after(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def month_start(month: str) -> datetime:
    year, number = (int(part) for part in month.split("-"))
    return datetime(year, number, 1, tzinfo=UTC)


def default_deadline(month: str) -> datetime:
    """A month's poll closes at the first instant of the next month (UTC)."""
    return month_start(month_after(month))


def pick_winner(tallies: Sequence[Tally]) -> Tally | None:
    """Most votes; among equals, the book whose last current vote came first (it reached its
    final count first). `last_seq` orders votes cast within the same clock instant."""
    voted = [t for t in tallies if t.votes > 0]
    if not voted:
        return None
    return min(voted, key=lambda t: (-t.votes, t.last_voted_at, t.last_seq))


async def reload_poll(session: AsyncSession, poll_id: int) -> Poll:
    """A poll this transaction has just written (so it exists)."""
    poll = await repo.get_poll(session, poll_id)
    if poll is None:
        raise RuntimeError(f"poll {poll_id} vanished inside its own transaction")
    return poll


class Settlement(ServiceBase):
    """Opening and closing polls."""

    async def do_settle(self, *, close_due: bool = True) -> None:
        """Open a poll if none is open, and (unless told not to) close the open one if its
        deadline has passed.

        Run by the deadline job every few seconds and before every write request, in sessions of
        its own. Reads never run it: they show a poll past its deadline as closed without writing.
        """
        now = self.clock.now()
        async with self.database.reads() as reads:
            deadline = await repo.get_open_poll_deadline(reads)
        if deadline is not None and (deadline > now or not close_due):
            return
        async with self.database.session() as session:
            poll = await repo.lock_open_poll(session)
            if poll is None:
                opened = await self._open_poll(session, now, after=await repo.latest_poll(session))
                if opened is not None:
                    log.info("poll_opened", poll_id=opened.id, month=opened.month)
            elif close_due and poll.closes_at <= now:
                # It closed at its deadline, whenever this check happened to notice.
                await self._close(
                    session,
                    poll.id,
                    closed_at=poll.closes_at,
                    now=now,
                    reason="deadline",
                    closed_by=None,
                )

    async def _open_poll(
        self,
        session: AsyncSession,
        now: datetime,
        after: Poll | None,
        opens_at: datetime | None = None,
    ) -> Poll | None:
        """Open the poll of this month, or of the month after `after` if that is later (so its
        deadline is always ahead). None when another poll is open already (a concurrent opener
        won)."""
        month = month_of(now)
        if after is not None:
            month = max(month, month_after(after.month))
        poll_id = await repo.insert_poll(
            session, month=month, opens_at=opens_at or now, closes_at=default_deadline(month)
        )
        return await repo.get_poll(session, poll_id) if poll_id is not None else None

    async def _close(
        self,
        session: AsyncSession,
        poll_id: int,
        *,
        closed_at: datetime,
        now: datetime,
        reason: str,
        closed_by: int | None,
    ) -> CloseOutcome:
        """Close the poll, pick its winner, emit `voting.poll_closed`, and open the next poll with
        the rest of the ballot; all in the caller's transaction."""
        if not await repo.mark_closed(session, poll_id, closed_at, reason, closed_by):
            raise Conflict(f"Poll {poll_id} is already closed", code="poll_closed")
        tallies = await repo.tally(session, poll_id)
        best = pick_winner(tallies)
        total = sum(t.votes for t in tallies)
        await repo.record_result(
            session,
            poll_id,
            winner_book_id=best.book_id if best else None,
            winner_votes=best.votes if best else 0,
            total_votes=total,
        )
        closed = await reload_poll(session, poll_id)
        winner = await repo.get_book(session, best.book_id) if best else None
        await emit(
            session,
            PollClosed(
                poll_id=closed.id,
                month=closed.month,
                winner_book_id=winner.id if winner else None,
                winner_title=winner.title if winner else None,
                winner_author=winner.author if winner else None,
                total_votes=total,
                closed_at=closed_at,
            ),
        )
        next_poll = await self._open_poll(session, now, after=closed, opens_at=closed_at)
        if next_poll is None:
            raise RuntimeError(f"could not open the poll after {closed.month}")
        await repo.copy_candidates(
            session, closed.id, next_poll.id, except_book=closed.winner_book_id
        )
        frame = {
            "type": "closed",
            "poll_id": closed.id,
            "month": closed.month,
            "winner": (
                {
                    "book_id": winner.id,
                    "title": winner.title,
                    "author": winner.author,
                    "votes": closed.winner_votes,
                }
                if winner
                else None
            ),
            "total_votes": total,
            "counts": counts_of(await repo.ballot(session, closed.id)),
            "closed_at": closed_at.isoformat(),
            "next_poll_id": next_poll.id,
        }
        after_commit(session, functools.partial(self.live.poll_closed, frame, next_poll.id))
        log.info(
            "poll_closed",
            poll_id=closed.id,
            month=closed.month,
            reason=reason,
            winner_book_id=closed.winner_book_id,
            total_votes=total,
            next_poll_id=next_poll.id,
        )
        return CloseOutcome(
            closed=PollView.recorded(closed, winner), next_poll=PollView.open(next_poll, 0)
        )
